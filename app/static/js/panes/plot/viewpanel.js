// The view controls panel of one plot pane (viewctl.js draws what it chooses): smoothing
// kind and strength, log axes, the x axis (step, wall time, relative time or another
// scalar window), outliers, the min/max envelope, downloads, and in a compare view the
// aggregate controls (Group by, Statistic, Band, Show runs, Trace).
import { SMOOTHING_KINDS } from './smoothing.js';

const XAXES = [
  ['step', 'Step'],
  ['wall', 'Wall time'],
  ['relative', 'Relative time'],
];
const STATS = [
  ['mean', 'Mean'],
  ['median', 'Median'],
];
const BANDS = [
  ['std', 'Std dev'],
  ['sem', 'Std error'],
  ['ci95', '95% CI of the mean'],
  ['minmax', 'Min\u2013max'],
];
const HINTS = {
  ema: 'Smoothing: debiased EMA of the drawn points',
  time_ema: 'Smoothing: EMA weighted by the x spacing (steps, or time when x is time)',
  running: 'Smoothing: running average of the last N drawn points',
  gaussian: 'Smoothing: Gaussian kernel, sigma in x units (steps)',
};

function el(tag, props = {}, ...kids) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...kids);
  return e;
}

function options(select, pairs, value) {
  const want = pairs.map(([v, t]) => `${v}\u0000${t}`).join('\u0001');
  if (select.dataset.options !== want) {
    select.replaceChildren(...pairs.map(([v, t]) => el('option', { value: v, textContent: t })));
    select.dataset.options = want;
  }
  if (value !== undefined) select.value = value;
}

/**
 * Build the panel into `body`. `api`: {effective(), change(view, local), compare(),
 * metricChoices(), groupChoices(), traceChoices(), canDownload(), download(format)}.
 */
export function buildPanel(body, api) {
  const root = el('div', { className: 'view-panel', hidden: true }); // styled in visdom.css
  root.addEventListener('mousedown', (ev) => ev.stopPropagation());
  root.addEventListener('keydown', (ev) => ev.stopPropagation());
  const row = (...kids) => {
    const r = el('div', { className: 'view-row' }, ...kids);
    root.append(r);
    return r;
  };
  const labelled = (text, input) => el('label', {}, input, ` ${text}`);
  const select = (cls, label) => {
    const s = el('select', { className: cls });
    s.setAttribute('aria-label', label);
    return s;
  };
  const number = (cls, label, attrs) => {
    const input = el('input', { type: 'number', className: cls, ...attrs });
    input.setAttribute('aria-label', label);
    return input;
  };

  // -- compare aggregate ----------------------------------------------------------------
  const group = select('view-group', 'Group by');
  const regex = el('input', { type: 'text', className: 'view-regex', placeholder: '^(.*)_seed\\d+$' });
  regex.setAttribute('aria-label', 'Group regex');
  const stat = select('view-stat', 'Statistic');
  const bandSel = select('view-band', 'Band');
  const runs = el('input', { type: 'checkbox', className: 'view-show-runs' });
  runs.setAttribute('aria-label', 'Show runs');
  const trace = select('view-trace', 'Trace');
  options(stat, STATS);
  options(bandSel, BANDS);
  const cmp = el('div', { className: 'view-compare' });
  cmp.append(
    el('div', { className: 'view-row' }, el('label', {}, 'Group by ', group)),
    el('div', { className: 'view-row view-regex-row' }, el('label', {}, 'Regex ', regex)),
    el('div', { className: 'view-row' }, el('label', {}, 'Statistic ', stat), ' ', el('label', {}, 'Band ', bandSel)),
    el('div', { className: 'view-row' }, labelled('Show runs', runs)),
    el('div', { className: 'view-row view-trace-row' }, el('label', {}, 'Trace ', trace)),
  );
  root.append(cmp);
  const groupValue = () => (group.value === 're' ? (regex.value ? `re:${regex.value}` : '') : group.value);
  group.addEventListener('change', () => {
    cmp.querySelector('.view-regex-row').hidden = group.value !== 're';
    if (group.value !== 're' || regex.value) api.change({ group: groupValue() });
  });
  regex.addEventListener('change', () => api.change({ group: groupValue() }));
  stat.addEventListener('change', () => api.change({ stat: stat.value }));
  bandSel.addEventListener('change', () => api.change({ band: bandSel.value }));
  runs.addEventListener('change', () => api.change({ show_runs: runs.checked }));
  trace.addEventListener('change', () => api.change({ trace: trace.value }));

  // -- smoothing --------------------------------------------------------------------------
  const kind = select('view-smoothing-kind', 'Smoother');
  options(kind, SMOOTHING_KINDS);
  kind.addEventListener('change', () => api.change({ smoothing_kind: kind.value }));
  row(el('label', {}, 'Smoother ', kind));
  const slider = el('input', { type: 'range', min: '0', max: '0.999', step: '0.001', className: 'view-smoothing' });
  slider.setAttribute('aria-label', 'Smoothing');
  const value = el('output');
  const strength = row(el('label', {}, 'Smoothing ', slider, ' ', value));
  slider.addEventListener('input', () => {
    value.textContent = Number(slider.value).toFixed(3);
    api.change({ smoothing: Number(slider.value) }, true);
  });
  slider.addEventListener('change', () => api.change({ smoothing: Number(slider.value) }));
  const windowN = number('view-smoothing-window', 'Window (points)', { min: '1', max: '100000', step: '1' });
  const windowRow = row(el('label', {}, 'Window ', windowN, ' points'));
  windowN.addEventListener('change', () => {
    const n = Math.round(Number(windowN.value));
    if (n >= 1 && n <= 100000) api.change({ smoothing_window: n });
  });
  const sigma = number('view-smoothing-sigma', 'Sigma (steps)', { min: '0', step: 'any' });
  const sigmaRow = row(el('label', {}, 'Sigma ', sigma, ' steps'));
  sigma.addEventListener('change', () => {
    const s = Number(sigma.value);
    if (Number.isFinite(s) && s >= 0) api.change({ smoothing_sigma: s });
  });
  const hint = el('div', { className: 'view-hint' });
  root.append(hint);

  // -- axes, outliers, envelope -------------------------------------------------------------
  const box = (key, text) => {
    const input = el('input', { type: 'checkbox', className: `view-${key.replace('_', '-')}` });
    input.setAttribute('aria-label', text);
    input.addEventListener('change', () => api.change({ [key]: input.checked }));
    row(labelled(text, input));
    return input;
  };
  const logx = box('log_x', 'Log x');
  const logy = box('log_y', 'Log y');
  const outliers = box('outliers', 'Ignore outliers');
  const envelope = box('envelope', 'Envelope');
  const envelopeRow = envelope.closest('.view-row');
  const xaxis = select('view-xaxis', 'X axis');
  xaxis.addEventListener('change', () => api.change({ xaxis: xaxis.value }));
  row(el('label', {}, 'X axis ', xaxis));
  const note = el('div', { className: 'view-hint view-nowall', hidden: true });
  note.textContent = 'No wall time recorded for this window (created before it was kept): step is shown';
  root.append(note);
  const dl = (format) => {
    const b = el('button', { type: 'button', className: `view-download view-download-${format}` });
    b.textContent = `Download ${format.toUpperCase()}`;
    b.addEventListener('click', () => api.download(format));
    return b;
  };
  const downloads = row(dl('csv'), dl('json'));
  let alerts = null;
  if (api.alertForm) {
    const form = api.alertForm();
    const alertButton = el('button', { type: 'button', className: 'view-alert', textContent: 'Alert\u2026' });
    alertButton.addEventListener('click', () => form.toggle());
    alerts = row(alertButton);
    root.append(form.el);
  }
  // Envs an aggregate left out (no such param, no match, no such plot), said under the plot.
  const leftOut = el('div', { className: 'view-missing', hidden: true });
  body.append(root, leftOut);

  const sync = () => {
    const v = api.effective();
    const compare = api.compare();
    cmp.hidden = !compare;
    if (compare) {
      const choices = api.groupChoices();
      const g = v.group || '';
      const isRe = g.startsWith('re:');
      const pairs = [['', 'None (each run)'], ...choices];
      if (g && !isRe && !choices.some(([c]) => c === g)) pairs.push([g, g]);
      pairs.push(['re', 'Regex over env names\u2026']);
      options(group, pairs, isRe ? 're' : g);
      if (isRe && document.activeElement !== regex) regex.value = g.slice(3);
      cmp.querySelector('.view-regex-row').hidden = group.value !== 're';
      stat.value = v.stat;
      bandSel.value = v.band;
      runs.checked = v.show_runs;
      const traces = api.traceChoices();
      cmp.querySelector('.view-trace-row').hidden = traces.length < 2;
      options(
        trace,
        traces.map((t) => [t, t]),
        v.trace || traces[0] || '',
      );
    }
    kind.value = v.smoothing_kind;
    const ema = v.smoothing_kind === 'ema' || v.smoothing_kind === 'time_ema';
    strength.hidden = !ema;
    windowRow.hidden = v.smoothing_kind !== 'running';
    sigmaRow.hidden = v.smoothing_kind !== 'gaussian';
    hint.textContent = HINTS[v.smoothing_kind] || HINTS.ema;
    slider.value = String(v.smoothing);
    value.textContent = v.smoothing.toFixed(3);
    if (document.activeElement !== windowN) windowN.value = String(v.smoothing_window);
    if (document.activeElement !== sigma) sigma.value = String(v.smoothing_sigma);
    logx.checked = v.log_x;
    logy.checked = v.log_y;
    outliers.checked = v.outliers;
    envelope.checked = v.envelope;
    envelopeRow.hidden = compare;
    const metrics = api.metricChoices();
    const pairs = [...XAXES, ...metrics.map(([id, title]) => [`metric:${id}`, title])];
    if (v.xaxis.startsWith('metric:') && !pairs.some(([p]) => p === v.xaxis)) pairs.push([v.xaxis, v.xaxis.slice(7)]);
    options(xaxis, pairs, v.xaxis);
    downloads.hidden = !api.canDownload();
    if (alerts) alerts.hidden = !api.canAlert();
  };
  return {
    el: root,
    sync,
    /** List the envs an aggregate left out: [{env, reason}] (empty hides the line). */
    leftOut(missing) {
      const list = Array.isArray(missing) ? missing : [];
      leftOut.hidden = !list.length;
      leftOut.textContent = list.length
        ? `Left out: ${list.map((m) => `${m.env} (${m.reason})`).join(', ')}`
        : '';
      leftOut.title = leftOut.textContent;
    },
    remove() {
      root.remove();
      leftOut.remove();
    },
    /** Say why x is the step after all (no wall time; `text` null hides it). */
    note(text) {
      note.hidden = !text;
      if (text) note.textContent = text;
    },
  };
}
