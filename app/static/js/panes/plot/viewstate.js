// The view settings of the open env's plots (docs/ui.md, "View controls"): the env's and
// each window's, as the server keeps them (`update_view` -> `view_settings`), and a compare
// view's, which stay in the page (no env keeps them). viewctl.js draws what they say.

const state = { eid: null, env: {}, windows: {} };
const compareState = new Map(); // compare window id -> its settings (kept across resyncs)
const listeners = new Set();

/** Call `fn` whenever the settings change (returns the function that stops it). */
export function onViewSettings(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

let host = { socket: null, readonly: true };

/** Wire the module to the page (pages/env.js): the socket, read-only, and the top bar. */
export function initViewControls(options) {
  host = options;
  const input = document.getElementById('env-smoothing');
  if (!input) return;
  input.disabled = Boolean(options.readonly);
  const out = document.getElementById('env-smoothing-value');
  const show = () => {
    input.value = String(state.env.smoothing ?? 0);
    if (out) out.textContent = Number(input.value).toFixed(3);
  };
  listeners.add(show);
  input.addEventListener('input', () => {
    if (out) out.textContent = Number(input.value).toFixed(3);
    change(null, { smoothing: Number(input.value) }, true);
  });
  input.addEventListener('change', () => change(null, { smoothing: Number(input.value) }));
}

/** Take the settings of the env just joined (a join ack) or of a `view_settings` message. */
/** Whether this page may change things (a readonly page shows no editing controls). */
export function canEdit() {
  return !host.readonly;
}

export function setViewSettings(eid, settings) {
  state.eid = eid || null;
  state.env = { ...(settings?.env || {}) };
  state.windows = {};
  for (const [win, own] of Object.entries(settings?.windows || {})) state.windows[win] = { ...own };
  for (const fn of listeners) fn();
}

/** The settings in force for window `win`: its own, else the env's, else the defaults. */
export function effective(win) {
  const own = { ...(state.windows[win] || {}), ...(compareState.get(win) || {}) };
  const pick = (key, dflt) => own[key] ?? state.env[key] ?? dflt;
  const kind = pick('smoothing_kind', 'ema');
  return {
    smoothing: Number(pick('smoothing', 0)) || 0,
    smoothing_kind: ['ema', 'time_ema', 'running', 'gaussian'].includes(kind) ? kind : 'ema',
    smoothing_window: Math.max(1, Math.round(Number(pick('smoothing_window', 1)) || 1)),
    smoothing_sigma: Math.max(0, Number(pick('smoothing_sigma', 0)) || 0),
    log_x: Boolean(pick('log_x', false)),
    log_y: Boolean(pick('log_y', false)),
    xaxis: String(pick('xaxis', 'step')),
    outliers: Boolean(pick('outliers', false)),
    envelope: Boolean(pick('envelope', false)),
    group: String(own.group ?? ''),
    stat: own.stat || 'mean',
    band: own.band || 'std',
    show_runs: Boolean(own.show_runs),
    trace: own.trace || '',
  };
}

const COMPARE_KEYS = new Set(['group', 'stat', 'band', 'show_runs', 'trace']);

let sendTimer = null;
/** Apply a change here at once, and keep it on the server (`local`: not sent yet). */
export function change(win, view, local = false) {
  if (win !== null && !state.eid) {
    // A compare view: no env keeps its settings, the page does.
    compareState.set(win, { ...(compareState.get(win) || {}), ...view });
    for (const fn of listeners) fn();
    return;
  }
  for (const key of Object.keys(view)) if (COMPARE_KEYS.has(key)) delete view[key];
  const target = win === null ? state.env : (state.windows[win] ||= {});
  Object.assign(target, view);
  if (win === null && 'smoothing' in view) for (const own of Object.values(state.windows)) delete own.smoothing;
  for (const fn of listeners) fn();
  if (host.readonly || !host.socket || !state.eid) return;
  clearTimeout(sendTimer);
  const send = () => host.socket.emit('update_view', { eid: state.eid, win, view });
  if (local) sendTimer = setTimeout(send, 250);
  else send();
}

