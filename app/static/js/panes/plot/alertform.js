// "Alert…" in a plot's view controls: a small form that creates an alert rule for the
// window (POST /api/alert_rules): NaN/±Inf, above or below a threshold (optionally after
// the window's smoothing), or no new point for N minutes. The server checks the rule and
// answers a message naming the field when it cannot fire.
import { url } from '../../lib/page.js';
import { toast } from '../../lib/toast.js';

const KINDS = [
  ['nan', 'gets NaN or ±Inf'],
  ['above', 'goes above'],
  ['below', 'goes below'],
  ['stalled', 'gets no new point for (minutes)'],
];

function input(cls, attrs) {
  const el = Object.assign(document.createElement('input'), attrs);
  el.className = cls;
  return el;
}

/** Build the form; `ctx`: {eid(), win(), traces(), smoothing()}. Returns its element. */
export function alertForm(ctx) {
  const form = document.createElement('form');
  form.className = 'view-alert-form';
  form.hidden = true;
  const trace = document.createElement('select');
  trace.className = 'alert-trace';
  trace.setAttribute('aria-label', 'Trace');
  const kind = document.createElement('select');
  kind.className = 'alert-kind';
  kind.setAttribute('aria-label', 'Condition');
  for (const [v, t] of KINDS) kind.append(Object.assign(document.createElement('option'), { value: v, textContent: t }));
  const value = input('alert-value', { type: 'number', step: 'any', placeholder: 'value', ariaLabel: 'Threshold or minutes' });
  const smooth = input('alert-smooth', { type: 'checkbox' });
  const smoothLabel = document.createElement('label');
  smoothLabel.append(smooth, ' on the smoothed curve');
  const create = Object.assign(document.createElement('button'), { type: 'submit', textContent: 'Create rule' });
  create.className = 'alert-create';
  const status = document.createElement('div');
  status.className = 'view-hint alert-status';
  status.setAttribute('role', 'status');
  form.append(trace, ' ', kind, ' ', value, ' ', smoothLabel, ' ', create, status);
  const sync = () => {
    const k = kind.value;
    value.hidden = k === 'nan';
    smoothLabel.hidden = k !== 'above' && k !== 'below';
  };
  kind.addEventListener('change', sync);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const body = { eid: ctx.eid(), win: ctx.win(), kind: kind.value };
    if (trace.value) body.trace = trace.value;
    if (kind.value === 'above' || kind.value === 'below') {
      body.threshold = value.value === '' ? null : Number(value.value);
      if (smooth.checked) body.smoothing = ctx.smoothing();
    } else if (kind.value === 'stalled') {
      body.minutes = value.value === '' ? null : Number(value.value);
    }
    const resp = await fetch(url('/api/alert_rules'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await resp.json().catch(() => ({}));
    if (resp.ok) {
      status.textContent = `Rule created: ${answer.id}`;
      toast('Alert rule created (see the Alerts page)', 'success');
    } else {
      status.textContent = answer.error || `failed (${resp.status})`;
    }
  });
  return {
    el: form,
    /** Show or hide the form; showing it refreshes the trace names. */
    toggle() {
      form.hidden = !form.hidden;
      if (form.hidden) return;
      trace.replaceChildren(Object.assign(document.createElement('option'), { value: '', textContent: 'any trace' }));
      for (const name of ctx.traces()) trace.append(Object.assign(document.createElement('option'), { value: name, textContent: name }));
      status.textContent = '';
      sync();
    },
  };
}
