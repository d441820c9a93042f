// View controls of plot windows (docs/ui.md, "View controls"): smoothing (EMA,
// time-weighted EMA, running average, Gaussian), log axes, the x axis (step, wall time,
// relative time, or another scalar window's values), ignoring outliers, the min/max
// envelope, CSV/JSON downloads, and in a compare view the aggregate of the runs by group
// (mean/median line with a std/sem/ci95/minmax band). Settings live with the env on the
// server (`update_view` -> `view_settings`), so a reload or a shared URL shows the same
// view; a compare view's settings stay in the page (viewstate.js keeps them all).
// Smoothing and time axes are computed on the drawn points (decimated curves included);
// x by metric, the envelope and the aggregate are read from the server (remote.js) on the
// full stored data. The raw traces stay as plot.js draws them, faded or hidden, and
// derived traces are drawn on top.
import { downloadURL } from '../../lib/download.js';
import { url } from '../../lib/page.js';
import { alertForm } from './alertform.js';
import { envelopeTraces, groupTraces } from './bands.js';
import { remoteReader } from './remote.js';
import { drawnTimes, robustRange, smooth, smoothingOn } from './smoothing.js';
import { buildPanel } from './viewpanel.js';
import { canEdit, change, effective, onViewSettings } from './viewstate.js';

const FADED = 0.25;
const RUNS_OPACITY = 0.18;

// What a plot drawn from its stored layout shows (no view setting applied).
const DEFAULT_VIEW = { log_x: false, log_y: false, outliers: false };

/** Whether a trace is a 2-D line or scatter (what smoothing and the x axis apply to). */
function is2d(trace) {
  return trace && [undefined, 'scatter', 'scattergl'].includes(trace.type) && Array.isArray(trace.y) && !trace.z;
}

/** Whether window `w` is a scalar plot (its traces 2-D lines): an x axis for others. */
function scalarWindow(w) {
  const data = w?.content?.data;
  return w?.type === 'plot' && Array.isArray(data) && data.length > 0 && data.every(is2d);
}

const enc = encodeURIComponent;

/**
 * The view controls of one plot pane. `hooks`: {plotly(), queue(fn)} from plot.js.
 * plot.js calls `apply()` after every drawing step (inside its drawing chain) and
 * `touched()` when the window's data changed (live appends, a redraw).
 */
export function plotViewControls(gd, body, ctx, hooks) {
  const originals = new WeakMap(); // trace object -> {opacity, visible, showlegend} before we styled it
  let lastLayout = '';
  let mode = 'step';
  let source = null; // 'metric' | 'envelope' | 'aggregate' while drawn from a server answer
  let zoom = null; // the envelope's x-range ([x0, x1]) or null (the whole curve)
  let listening = null;
  let alive = true;
  let runKeys = null; // [[value, label]] of the compared envs' params and tags
  const winId = () => ctx.win()?.id;
  const eids = () => ctx.eids?.() || [];
  // A merged window of a compare view (not a copy of one env's window, `source_env`).
  const merged = (w) => Boolean(w?.has_compare) && !w.source_env;
  const compare = () => !ctx.eid?.() && eids().length > 1 && merged(ctx.win());
  const reader = remoteReader(() => hooks.queue(() => apply()));
  const stampsOf = (k) => {
    const st = ctx.win()?.visdom_wall?.[k];
    return st && Array.isArray(st.n) && st.n.length ? st : null;
  };
  const error = document.createElement('div');
  error.className = 'view-error';
  error.hidden = true; // styled by .view-error in visdom.css
  body.append(error);
  const panel = buildPanel(body, {
    effective: () => effective(winId()),
    change: (view, local) => change(winId(), view, local),
    compare,
    metricChoices,
    groupChoices: () => runKeys || [],
    traceChoices: () => reader.current(remotePath(effective(winId())))?.answer?.traces || [],
    canDownload: () => Boolean(ctx.eid?.()),
    download,
    // "Alert…": a rule on this window (alertform.js), for those who may edit.
    alertForm: () =>
      alertForm({
        eid: () => ctx.eid?.(),
        win: winId,
        traces: () => (gd.data || []).filter((t) => !t.visdom_overlay && t.name != null).map((t) => String(t.name)),
        smoothing: () => effective(winId()).smoothing,
      }),
    canAlert: () => Boolean(ctx.eid?.()) && canEdit() && !compare(),
  });
  const onState = () => {
    panel.sync();
    if (gd._fullLayout) hooks.queue(() => apply());
  };
  const unlisten = onViewSettings(onState);
  const hasWall = () => (gd.data || []).some((t, k) => !t.visdom_overlay && is2d(t) && stampsOf(k));

  /** The other scalar windows shown on the page: [[win id, title]]. */
  function metricChoices() {
    const own = winId();
    return (ctx.windows?.() || [])
      .filter((w) => w.id !== own && scalarWindow(w) && merged(w) === compare())
      .map((w) => [w.id, w.title || w.id]);
  }

  /** The params and tags of the compared envs (Group by choices), read once. */
  function loadRunKeys() {
    if (runKeys || !compare()) return;
    runKeys = [];
    fetch(url('/api/runs'), { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : null))
      .then((answer) => {
        const mine = new Set(eids());
        const params = new Set();
        const tags = new Set();
        for (const row of answer?.rows || []) {
          if (!mine.has(row.eid)) continue;
          for (const k of Object.keys(row.params || {})) params.add(k);
          for (const k of Object.keys(row.tags || {})) tags.add(k);
        }
        runKeys = [
          ...[...params].sort().map((k) => [`param:${k}`, `param: ${k}`]),
          ...[...tags].sort().map((k) => [`tag:${k}`, `tag: ${k}`]),
        ];
        panel.sync();
      })
      .catch(() => {});
  }

  /** The server answer the settings draw from (null: the drawn points alone). */
  function remotePath(v) {
    const win = ctx.win();
    if (!win) return null;
    const metric = v.xaxis.startsWith('metric:') ? v.xaxis.slice(7) : null;
    if (compare()) {
      if (!v.group && !metric) return null;
      const q = new URLSearchParams({ title: win.title || '', stat: v.stat, band: v.band, px: String(px()) });
      // Without a group each env is its own group (an x by metric needs the server).
      q.set('group', v.group || 're:^(.*)$');
      if (metric) {
        const other = (ctx.windows?.() || []).find((w) => w.id === metric);
        q.set('x', `metric:${other?.title || metric}`);
      } else if (v.xaxis === 'wall') q.set('x', 'walltime');
      else if (v.xaxis === 'relative') q.set('x', 'relative'); // seconds since each run's start
      if (v.trace) q.set('trace', v.trace);
      return `/api/compare/${eids().map(enc).join('+')}/aggregate?${q}`;
    }
    const eid = ctx.eid?.();
    if (!eid) return null;
    const base = `/api/window/${enc(eid)}/${enc(win.id)}`;
    if (metric && !v.envelope) return `${base}?${new URLSearchParams({ by: metric })}`;
    if (v.envelope) {
      const q = new URLSearchParams({ envelope: '1', px: String(px()) });
      if (metric) q.set('by', metric);
      if (zoom) {
        q.set('x0', String(zoom[0]));
        q.set('x1', String(zoom[1]));
      }
      return `${base}?${q}`;
    }
    return null;
  }

  /** The bins to ask for: the pane's width rounded up to 100 px, so that a legend that
   * grows or shrinks the plot area does not ask again for nearly the same answer. */
  function px() {
    return Math.min(8192, Math.max(100, Math.ceil((gd.clientWidth || 600) / 100) * 100));
  }

  /** The envelope follows zoom and pan: the visible range is read again (as decimation does). */
  function onRelayout(ev) {
    if (!ev || source !== 'envelope') return;
    if (!Object.keys(ev).some((k) => k.startsWith('xaxis.range') || k.startsWith('xaxis.autorange'))) return;
    const axis = gd.layout?.xaxis || {};
    const r = Array.isArray(axis.range) ? axis.range.map(Number) : null;
    const next = axis.autorange === false && r && r.every(Number.isFinite) ? [Math.min(...r), Math.max(...r)] : null;
    if (JSON.stringify(next) === JSON.stringify(zoom)) return;
    zoom = next;
    hooks.queue(() => apply());
  }

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
    if (!originals.has(trace)) {
      originals.set(trace, { opacity: trace.opacity, visible: trace.visible, showlegend: trace.showlegend });
    }
    const orig = originals.get(trace);
    const target = {
      opacity: orig.opacity ?? null,
      visible: orig.visible ?? true,
      showlegend: orig.showlegend ?? null,
      ...wanted,
    };
    const same = (key, dflt) => (trace[key] ?? dflt) === target[key];
    if (same('opacity', null) && same('visible', true) && same('showlegend', null)) return;
    const update = { opacity: [target.opacity], visible: [target.visible], showlegend: [target.showlegend] };
    await hooks.plotly().restyle(gd, update, [k]);
  }

  function xsOf(trace, k, kind, t0) {
    if (kind === 'step') return Array.isArray(trace.x) ? trace.x : trace.y.map((_, i) => i);
    const times = drawnTimes(trace, stampsOf(k));
    return kind === 'wall' ? times.map((t) => t * 1000) : times.map((t) => t - t0);
  }

  function showError(text) {
    error.hidden = !text;
    error.textContent = text ? `Cannot draw this view: ${text}` : '';
  }

  /** Draw the current settings on the drawn points (called inside plot.js's chain). */
  async function apply() {
    if (!alive || !gd._fullLayout) return;
    if (listening !== gd.on) {
      gd.on('plotly_relayout', onRelayout); // a new emitter after every Plotly.newPlot
      listening = gd.on;
    }
    const v = effective(winId());
    if (compare()) loadRunKeys();
    const path = remotePath(v);
    if (!path) reader.clear();
    const got = path ? reader.current(path) : null;
    showError(got?.error || '');
    const answer = got?.answer || null;
    source = answer ? remoteKind(v) : null;
    if (!source && v.envelope && path && !got) source = 'envelope'; // keep zoom handling ours meanwhile
    panel.leftOut(source === 'aggregate' ? answer.missing : null);
    return answer ? drawRemote(v, answer) : drawLocal(v);
  }

  function remoteKind(v) {
    if (compare()) return 'aggregate';
    return v.envelope ? 'envelope' : 'metric';
  }

  async function drawLocal(v) {
    const Plotly = hooks.plotly();
    const wall = hasWall();
    const timeAxis = v.xaxis === 'wall' || v.xaxis === 'relative';
    mode = timeAxis && wall ? v.xaxis : 'step';
    panel.note(timeAxis && !wall ? 'No wall time recorded for this window (created before it was kept): step is shown' : null);
    const smoothed = smoothingOn(v);
    const derive = smoothed || mode !== 'step';
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
      if (mode !== 'step') {
        await style(k, { visible: false });
        overlays.push(rawOverlay(trace, xs, trace.y, colors[k], common, v));
      } else await style(k, { opacity: smoothed ? FADED : null });
      shownY.push(trace.y);
      if (smoothed) overlays.push(smoothOverlay(trace, k, xs, trace.y, colors[k], common, v));
    }
    if (overlays.length) await Plotly.addTraces(gd, overlays);
    await relayout(v, shownY);
  }

  function rawOverlay(trace, x, y, color, common, v) {
    const smoothed = smoothingOn(v);
    return {
      ...common,
      x,
      y,
      name: trace.name,
      line: { ...(trace.line || {}), color },
      marker: { ...(trace.marker || {}), color },
      opacity: smoothed ? FADED : (originals.get(trace)?.opacity ?? 1),
      showlegend: !smoothed,
      visdom_overlay: 'raw',
    };
  }

  function smoothOverlay(trace, k, x, y, color, common, v) {
    return {
      ...common,
      x,
      y: smooth(y, x, v),
      name: `${trace.name ?? `trace ${k}`} (smoothed)`,
      line: { color, width: 2 },
      marker: { color },
      visdom_overlay: 'smoothed',
      visdom_kind: v.smoothing_kind,
    };
  }

  /** Draw from a server answer: x by metric, the envelope, or the compare aggregate. */
  async function drawRemote(v, answer) {
    const Plotly = hooks.plotly();
    panel.note(null);
    // The answer's x: another metric (any source), or time in the aggregate.
    const timeX = source === 'aggregate' && (v.xaxis === 'wall' || v.xaxis === 'relative');
    mode = v.xaxis.startsWith('metric:') || timeX ? v.xaxis : 'step';
    await strip();
    const n = baseCount();
    const colors = gd._fullData.map((t) => t?.line?.color || t?.marker?.color);
    const overlays = [];
    const shownY = [];
    if (source === 'aggregate') {
      for (let k = 0; k < n; k++) {
        await style(k, v.show_runs ? { opacity: RUNS_OPACITY, showlegend: false, visible: true } : { visible: false });
      }
      // Wall time comes in unix seconds: a date axis counts milliseconds.
      const shift = (g) => (mode === 'wall' ? { ...g, x: (g.x || []).map((t) => t * 1000) } : g);
      const groups = { ...answer, groups: (answer.groups || []).map(shift) };
      overlays.push(...groupTraces(groups, { stat: answer.stat || v.stat, bandName: answer.band || v.band }));
      for (const g of groups.groups) shownY.push(g.lo || [], g.hi || []);
    } else {
      // A trace the answer does not redraw (text x, 3-D: `whole`) is drawn as it is.
      const redrawn = new Set((answer.traces || []).filter((t) => !t.whole).map((t) => t.index ?? 0));
      for (let k = 0; k < n; k++) if (!redrawn.has(k) && originals.has(gd.data[k])) await style(k, {});
      for (const t of answer.traces || []) {
        const k = t.index ?? 0;
        const trace = gd.data[k];
        if (!trace || k >= n || !is2d(trace) || t.whole) continue;
        await style(k, { visible: false });
        const common = { type: trace.type, mode: trace.mode, xaxis: trace.xaxis, yaxis: trace.yaxis, visdom_of: k };
        if (source === 'envelope') {
          overlays.push(...envelopeTraces(t, trace.name ?? `trace ${k}`, colors[k], common));
          shownY.push(t.lo || [], t.hi || []);
          continue;
        }
        const x = t.columns?.x ?? t.x ?? [];
        const y = t.columns?.y ?? t.y ?? [];
        overlays.push(rawOverlay(trace, x, y, colors[k], common, v));
        if (smoothingOn(v)) overlays.push(smoothOverlay(trace, k, x, y, colors[k], common, v));
        shownY.push(y);
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
      else if (mode.startsWith('metric:')) xtype = '-';
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

  /** Download the window's full stored data (never the decimated drawing). */
  function download(format) {
    const eid = ctx.eid?.();
    if (!eid) return;
    const path = `/api/window_data/${enc(eid)}/${enc(winId())}?format=${format}`;
    downloadURL(url(path), `${(ctx.title() || 'plot').replace(/[^\w-]+/g, '_')}.${format}`);
  }

  return {
    apply,
    strip,
    /** The window's data changed: answers read from the server are read again (≤ 1/s). */
    touched() {
      reader.stale();
    },
    /** A full redraw put the stored layout back: the next apply() re-applies the axes. */
    redrawn() {
      mode = 'step';
      lastLayout = layoutKey(DEFAULT_VIEW);
    },
    /** True while x is not the server's x or the curve is drawn from another answer. */
    ignoreZoom: () => mode !== 'step' || source !== null,
    /** The title bar button that opens the panel. */
    button(make) {
      const b = make('pane-button pane-view', '\u2248', 'View controls: smoothing, axes, envelope, downloads', () => {
        panel.el.hidden = !panel.el.hidden;
        if (compare()) loadRunKeys();
        panel.sync();
      });
      b.setAttribute('aria-label', 'View controls');
      b.dataset.action = 'view';
      return b;
    },
    destroy() {
      alive = false;
      reader.destroy();
      unlisten();
      panel.remove();
      error.remove();
    },
  };
}
