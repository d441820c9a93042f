// View controls of plot windows (docs/ui.md, "View controls"): smoothing, log axes, the
// x axis (step, wall time, relative time), ignoring outliers, and CSV/JSON downloads of
// the window's full stored data. Settings live with the env on the server
// (`update_view` -> `view_settings`), so a reload or a shared URL shows the same view.
// Everything is computed on the drawn points (decimated curves included): the raw traces
// stay as plot.js draws them, faded or hidden, and derived traces are drawn on top.
import { downloadURL } from '../../lib/download.js';
import { url } from '../../lib/page.js';
import { alertForm } from './alertform.js';
import { drawnTimes, ema, robustRange } from './smoothing.js';

const state = { eid: null, env: {}, windows: {} };
const listeners = new Set();
let host = { socket: null, readonly: true };
const FADED = 0.25;
const XAXES = [
  ['step', 'Step'],
  ['wall', 'Wall time'],
  ['relative', 'Relative time'],
];

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
export function setViewSettings(eid, settings) {
  state.eid = eid || null;
  state.env = { ...(settings?.env || {}) };
  state.windows = {};
  for (const [win, own] of Object.entries(settings?.windows || {})) state.windows[win] = { ...own };
  for (const fn of listeners) fn();
}

/** The settings in force for window `win`: its own, else the env's, else the defaults. */
function effective(win) {
  const own = state.windows[win] || {};
  const pick = (key, dflt) => own[key] ?? state.env[key] ?? dflt;
  return {
    smoothing: Number(pick('smoothing', 0)) || 0,
    log_x: Boolean(pick('log_x', false)),
    log_y: Boolean(pick('log_y', false)),
    xaxis: pick('xaxis', 'step'),
    outliers: Boolean(pick('outliers', false)),
  };
}

let sendTimer = null;
/** Apply a change here at once, and keep it on the server (`local`: not sent yet). */
function change(win, view, local = false) {
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

// What a plot drawn from its stored layout shows (no view setting applied).
const DEFAULT_VIEW = { log_x: false, log_y: false, outliers: false };

function is2d(trace) {
  return trace && [undefined, 'scatter', 'scattergl'].includes(trace.type) && Array.isArray(trace.y) && !trace.z;
}

/**
 * The view controls of one plot pane. `hooks`: {plotly(), queue(fn)} from plot.js.
 * plot.js calls `apply()` after every drawing step (inside its drawing chain).
 */
export function plotViewControls(gd, body, ctx, hooks) {
  const originals = new WeakMap(); // trace object -> {opacity, visible} before we styled it
  let lastLayout = '';
  let mode = 'step';
  let alive = true;
  const winId = () => ctx.win()?.id;
  const stampsOf = (k) => {
    const st = ctx.win()?.visdom_wall?.[k];
    return st && Array.isArray(st.n) && st.n.length ? st : null;
  };
  const panel = buildPanel();
  const onState = () => {
    panel.sync();
    if (gd._fullLayout) hooks.queue(() => apply());
  };
  listeners.add(onState);
  const hasWall = () => (gd.data || []).some((t, k) => !t.visdom_overlay && is2d(t) && stampsOf(k));

  function baseCount() {
    const i = (gd.data || []).findIndex((t) => t.visdom_overlay);
    return i < 0 ? (gd.data || []).length : i;
  }

  /** Remove the derived traces (before plot.js adds a trace: indices stay the server's). */
  async function strip() {
    const n = baseCount();
    const extra = (gd.data || []).length - n;
    if (extra > 0) await hooks.plotly().deleteTraces(gd, Array.from({ length: extra }, (_, i) => n + i));
  }

  async function style(k, wanted) {
    const trace = gd.data[k];
    if (!originals.has(trace)) originals.set(trace, { opacity: trace.opacity, visible: trace.visible });
    const orig = originals.get(trace);
    const target = { opacity: orig.opacity ?? null, visible: orig.visible ?? true, ...wanted };
    if ((trace.opacity ?? null) === target.opacity && (trace.visible ?? true) === target.visible) return;
    await hooks.plotly().restyle(gd, { opacity: [target.opacity], visible: [target.visible] }, [k]);
  }

  function xsOf(trace, k, kind, t0) {
    if (kind === 'step') return Array.isArray(trace.x) ? trace.x : trace.y.map((_, i) => i);
    const times = drawnTimes(trace, stampsOf(k));
    return kind === 'wall' ? times.map((t) => t * 1000) : times.map((t) => t - t0);
  }

  /** Draw the current settings on the drawn points (called inside plot.js's chain). */
  async function apply() {
    if (!alive || !gd._fullLayout) return;
    const Plotly = hooks.plotly();
    const v = effective(winId());
    const wall = hasWall();
    mode = v.xaxis !== 'step' && wall ? v.xaxis : 'step';
    panel.note(v.xaxis !== 'step' && !wall);
    const derive = v.smoothing > 0 || mode !== 'step';
    const n = baseCount();
    if (!derive && n === gd.data.length && !gd.data.some((t) => originals.has(t)) && lastLayout === layoutKey(v)) return;
    await strip();
    const colors = gd._fullData.map((t) => t?.line?.color || t?.marker?.color);
    let t0 = Infinity;
    for (let k = 0; k < n; k++) if (stampsOf(k)) t0 = Math.min(t0, stampsOf(k).t[0]);
    const overlays = [];
    const shownY = [];
    for (let k = 0; k < n; k++) {
      const trace = gd.data[k];
      if (!is2d(trace) || (!derive && !originals.has(trace))) {
        if (is2d(trace)) shownY.push(trace.y);
        continue;
      }
      if (!derive) {
        await style(k, {});
        shownY.push(trace.y);
        continue;
      }
      const kind = stampsOf(k) ? mode : 'step';
      const xs = xsOf(trace, k, kind, t0);
      const common = { type: trace.type, mode: trace.mode, xaxis: trace.xaxis, yaxis: trace.yaxis, visdom_of: k };
      const color = colors[k];
      if (mode !== 'step') {
        await style(k, { visible: false });
        overlays.push({
          ...common,
          x: xs,
          y: trace.y,
          name: trace.name,
          line: { ...(trace.line || {}), color },
          marker: { ...(trace.marker || {}), color },
          opacity: v.smoothing > 0 ? FADED : (originals.get(trace)?.opacity ?? 1),
          showlegend: !(v.smoothing > 0),
          visdom_overlay: 'raw',
        });
      } else await style(k, { opacity: v.smoothing > 0 ? FADED : null });
      shownY.push(trace.y);
      if (v.smoothing > 0) {
        overlays.push({
          ...common,
          x: xs,
          y: ema(trace.y, v.smoothing),
          name: `${trace.name ?? `trace ${k}`} (smoothed)`,
          line: { color, width: 2 },
          marker: { color },
          visdom_overlay: 'smoothed',
        });
      }
    }
    if (overlays.length) await Plotly.addTraces(gd, overlays);
    await relayout(v, shownY);
  }

  function layoutKey(v) {
    return JSON.stringify([mode, v.log_x, v.log_y, v.outliers]);
  }

  async function relayout(v, shownY) {
    // Pies, 3-D scenes and the like have no cartesian axes to switch.
    if (!gd._fullLayout?.xaxis || !gd._fullLayout?.yaxis) return;
    const stored = ctx.win()?.content?.layout || {};
    const key = layoutKey(v);
    const update = {};
    const modeChanged = JSON.parse(lastLayout || '[]')[0] !== mode;
    if (key !== lastLayout) {
      let xtype = stored.xaxis?.type ?? '-';
      if (mode === 'wall') xtype = 'date';
      else if (v.log_x) xtype = 'log';
      update['xaxis.type'] = xtype;
      update['yaxis.type'] = v.log_y ? 'log' : (stored.yaxis?.type ?? '-');
      if (modeChanged && lastLayout) update['xaxis.autorange'] = true;
    }
    if (v.outliers) {
      const range = robustRange(shownY.flat(), v.log_y);
      if (range) {
        update['yaxis.autorange'] = false;
        update['yaxis.range'] = range;
      }
    } else if (key !== lastLayout) update['yaxis.autorange'] = true;
    lastLayout = key;
    if (Object.keys(update).length) await hooks.plotly().relayout(gd, update);
  }

  function buildPanel() {
    const el = document.createElement('div');
    el.className = 'view-panel';
    el.hidden = true; // styled by .view-panel in visdom.css (light and dark themes)
    el.addEventListener('mousedown', (ev) => ev.stopPropagation());
    el.addEventListener('keydown', (ev) => ev.stopPropagation());
    const row = (...kids) => {
      const r = document.createElement('div');
      r.className = 'view-row';
      r.append(...kids);
      el.append(r);
      return r;
    };
    const labelled = (text, input) => {
      const l = document.createElement('label');
      l.append(input, ` ${text}`);
      return l;
    };
    const slider = Object.assign(document.createElement('input'), { type: 'range', min: '0', max: '0.999', step: '0.001' });
    slider.className = 'view-smoothing';
    slider.setAttribute('aria-label', 'Smoothing');
    const value = document.createElement('output');
    const sl = document.createElement('label');
    sl.append('Smoothing ', slider, ' ', value);
    row(sl);
    const hint = document.createElement('div');
    hint.className = 'view-hint';
    hint.textContent = 'Smoothing: debiased EMA of the drawn points';
    el.append(hint);
    slider.addEventListener('input', () => {
      value.textContent = Number(slider.value).toFixed(3);
      change(winId(), { smoothing: Number(slider.value) }, true);
    });
    slider.addEventListener('change', () => change(winId(), { smoothing: Number(slider.value) }));
    const box = (key, text) => {
      const input = Object.assign(document.createElement('input'), { type: 'checkbox' });
      input.className = `view-${key.replace('_', '-')}`;
      input.setAttribute('aria-label', text);
      input.addEventListener('change', () => change(winId(), { [key]: input.checked }));
      row(labelled(text, input));
      return input;
    };
    const logx = box('log_x', 'Log x');
    const logy = box('log_y', 'Log y');
    const outliers = box('outliers', 'Ignore outliers');
    const select = document.createElement('select');
    select.className = 'view-xaxis';
    select.setAttribute('aria-label', 'X axis');
    for (const [v, text] of XAXES) select.append(Object.assign(document.createElement('option'), { value: v, textContent: text }));
    select.addEventListener('change', () => change(winId(), { xaxis: select.value }));
    const xl = document.createElement('label');
    xl.append('X axis ', select);
    row(xl);
    const noWall = document.createElement('div');
    noWall.className = 'view-hint view-nowall';
    noWall.textContent = 'No wall time recorded for this window (created before it was kept): step is shown';
    noWall.hidden = true;
    el.append(noWall);
    const dl = (format) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = `view-download view-download-${format}`;
      b.textContent = `Download ${format.toUpperCase()}`;
      b.addEventListener('click', () => download(format));
      return b;
    };
    const downloads = row(dl('csv'), dl('json'));
    // "Alert…": a rule on this window (alertform.js), for those who may edit.
    const form = alertForm({
      eid: () => ctx.eid?.(),
      win: winId,
      traces: () => (gd.data || []).filter((t) => !t.visdom_overlay && t.name != null).map((t) => String(t.name)),
      smoothing: () => effective(winId()).smoothing,
    });
    const alertButton = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Alert\u2026' });
    alertButton.className = 'view-alert';
    alertButton.addEventListener('click', () => form.toggle());
    const alerts = row(alertButton);
    el.append(form.el);
    body.append(el);
    const sync = () => {
      const v = effective(winId());
      slider.value = String(v.smoothing);
      value.textContent = v.smoothing.toFixed(3);
      logx.checked = v.log_x;
      logy.checked = v.log_y;
      outliers.checked = v.outliers;
      select.value = v.xaxis;
      downloads.hidden = !ctx.eid?.();
      alerts.hidden = !ctx.eid?.() || Boolean(host.readonly);
    };
    sync();
    return {
      el,
      sync,
      note(show) {
        noWall.hidden = !show;
      },
    };
  }

  /** Download the window's full stored data (never the decimated drawing). */
  function download(format) {
    const eid = ctx.eid?.();
    if (!eid) return;
    const path = `/api/window_data/${encodeURIComponent(eid)}/${encodeURIComponent(winId())}?format=${format}`;
    downloadURL(url(path), `${(ctx.title() || 'plot').replace(/[^\w-]+/g, '_')}.${format}`);
  }

  return {
    apply,
    strip,
    /** A full redraw put the stored layout back: the next apply() re-applies the axes. */
    redrawn() {
      mode = 'step';
      lastLayout = layoutKey(DEFAULT_VIEW);
    },
    /** True while x is not the step: a zoom then magnifies the drawn points (no re-read). */
    ignoreZoom: () => mode !== 'step',
    /** The title bar button that opens the panel. */
    button(make) {
      const b = make('pane-button pane-view', '\u2248', 'View controls: smoothing, axes, downloads', () => {
        panel.el.hidden = !panel.el.hidden;
        panel.sync();
      });
      b.setAttribute('aria-label', 'View controls');
      b.dataset.action = 'view';
      return b;
    },
    destroy() {
      alive = false;
      listeners.delete(onState);
      panel.el.remove();
    },
  };
}
