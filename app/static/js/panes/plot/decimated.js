// Display decimation of a plot pane (docs/ui.md). Big sorted traces arrive decimated
// (`visdom_total` raw points, `visdom_shown` sent); zoom and pan ask the server for the
// visible x-range at the pane's pixel width (every raw point when the range is narrow
// enough) and redraw with the answer; double-click (autorange) goes back to the overview.
// Live appends extend the drawn curve; once a trace draws more than 4 points per pixel
// (and more than 10,000) the current view is read again, decimated. A label says how many points are shown.
import { url } from '../../lib/page.js';
import { extendGroups, mergeDeltas } from './delta.js';

const PER_PX = 4; // never draw more than this many points per pixel per trace
const REDECIMATE_MIN = 10000; // ... and fewer points than this are always fine to draw
const LOG_MAX = 4096; // deltas kept while a read is on its way

const fmt = (n) => Number(n).toLocaleString('en-US');

function pointsOf(trace) {
  const col = Array.isArray(trace?.x) ? trace.x : trace?.y;
  return Array.isArray(col) ? col.length : 0;
}

function deltaPoints(t) {
  if (Number.isInteger(t.visdom_total)) return t.visdom_total;
  return Math.max(0, ...['x', 'y'].map((k) => (Array.isArray(t[k]) ? t[k].length : 0)));
}

/**
 * @param {HTMLElement} gd the plotly div; `body` the pane body (holds the label)
 * @param {object} ctx the pane context (win(), eid(), title())
 * @param {object} hooks {plotly(): Plotly, queue(fn), drawPending(): Promise}
 */
export function decimation(gd, body, ctx, hooks) {
  const label = document.createElement('div');
  label.className = 'plot-decimated';
  label.hidden = true; // styled by .plot-decimated in visdom.css (light and dark themes)
  body.append(label);

  let totals = []; // raw points per trace (the server's count plus appends since)
  let whole = []; // traces the server does not decimate (unsorted x): never re-read
  let view = null; // null: the overview; [x0, x1]: a zoomed x-range
  let rawView = false; // the answer for the view holds every raw point in it
  let gen = 0; // bumped by every full draw: answers for an older drawing are dropped
  let ticket = 0; // bumped by every read: only the newest answer is drawn
  let inflight = null; // {ticket, gen, log: deltas accepted since the read was sent}
  let pxRead = 0;
  let listening = null;

  const Plotly = () => hooks.plotly();
  const px = () => Math.max(16, Math.round(gd._fullLayout?._size?.w || gd.clientWidth || 600));
  const drawnOf = (k) => pointsOf(gd.data?.[k]);
  const partial = () => totals.some((n, k) => !whole[k] && drawnOf(k) < n);

  function showLabel() {
    const total = totals.reduce((a, b) => a + b, 0);
    const shown = totals.reduce((a, _n, k) => a + drawnOf(k), 0);
    label.hidden = !(shown < total);
    label.dataset.total = String(total);
    label.dataset.shown = String(shown);
    let text = `${fmt(total)} points, showing ${fmt(shown)}`;
    if (view && rawView) text += ' (every point in this range)';
    label.textContent = text;
  }

  /** The x-range a relayout left the plot with (null: autorange, the overview). */
  function currentView() {
    const axis = gd.layout?.xaxis || {};
    const range = axis.range;
    if (axis.autorange !== false && axis.autorange !== undefined) return null;
    if (!Array.isArray(range) || range.length !== 2) return null;
    const [a, b] = range.map(Number);
    return Number.isFinite(a) && Number.isFinite(b) ? [Math.min(a, b), Math.max(a, b)] : null;
  }

  function onRelayout(ev) {
    if (!ev || !Object.keys(ev).some((k) => k.startsWith('xaxis.range') || k.startsWith('xaxis.autorange'))) {
      return;
    }
    if (hooks.ignoreZoom?.()) return; // x is wall/relative time (viewctl.js): not the server's x
    const next = currentView();
    const was = view;
    view = next;
    // Nothing to read when every point is drawn, or when leaving a fully drawn state.
    if (partial() || (was && !next)) read();
    else showLabel();
  }

  /** Ask the server for the points of the current view at the pane's width. */
  function read() {
    const eid = ctx.eid?.();
    const win = ctx.win();
    if (!eid || !win?.id) return;
    const mine = { ticket: ++ticket, gen, log: [], view };
    inflight = mine;
    pxRead = px();
    const q = new URLSearchParams({ px: String(pxRead) });
    if (view) {
      q.set('x0', String(view[0]));
      q.set('x1', String(view[1]));
    }
    const path = `/api/window/${encodeURIComponent(eid)}/${encodeURIComponent(win.id)}?${q}`;
    fetch(url(path), { credentials: 'same-origin' })
      .then((resp) => (resp.ok ? resp.json() : Promise.reject(new Error(`${resp.status}`))))
      .then((answer) => {
        if (mine.ticket !== ticket || mine.gen !== gen) return;
        hooks.queue(async () => {
          if (mine !== inflight || mine.gen !== gen) return;
          await hooks.drawPending(); // every accepted delta is drawn: the log says which
          inflight = null;
          await apply(answer, mine.log);
        });
      })
      .catch((err) => {
        if (mine === inflight) inflight = null;
        console.warn(`plot ${win.id}: could not read its points:`, err.message || err);
      });
  }

  /** Redraw traces with the server's points, then the appends it did not hold yet. */
  async function apply(answer, log) {
    const seq = Number(answer.seq);
    const later = log.filter((d) => Number.isFinite(d.seq) && d.seq > seq);
    const redrawn = new Set();
    rawView = true;
    for (const t of answer.traces || []) {
      const k = t.index;
      if (!gd.data?.[k]) continue;
      if (t.whole) {
        whole[k] = true;
        continue;
      }
      const update = {};
      for (const [path, values] of Object.entries(t.columns || {})) update[path] = [values];
      await Plotly().restyle(gd, update, [k]);
      redrawn.add(k);
      totals[k] = t.total;
      rawView &&= Boolean(t.raw);
    }
    for (const op of mergeDeltas(later.filter((d) => d.kind === 'append_traces'))) {
      const traces = op.traces.filter((t) => redrawn.has(t.index));
      for (const g of extendGroups(traces, gd.data)) {
        await Plotly().extendTraces(gd, g.update, g.indices);
      }
      for (const t of traces) totals[t.index] += deltaPoints(t);
    }
    showLabel();
    await hooks.redrawn?.();
    // Appends drawn on top of the answer may pass the cap again.
    if (tooMany()) read();
  }

  function tooMany() {
    const cap = Math.max(PER_PX * px(), REDECIMATE_MIN);
    return totals.some((_n, k) => !whole[k] && drawnOf(k) > cap);
  }

  return {
    /** A full window is about to be drawn: take its counts, drop reads for the old one. */
    reset(win) {
      gen += 1;
      inflight = null;
      view = null;
      rawView = false;
      const data = Array.isArray(win?.content?.data) ? win.content.data : [];
      totals = data.map((t) => (Number.isInteger(t?.visdom_total) ? t.visdom_total : pointsOf(t)));
      whole = [];
    },
    /** After a full draw: listen to zooms; read again if sent for another width. */
    drawn() {
      if (listening !== gd.on) {
        // gd.on is new after every Plotly.newPlot (a fresh emitter): listen again.
        gd.on('plotly_relayout', onRelayout);
        listening = gd.on;
      }
      showLabel();
      const width = px();
      const tooFew = totals.some((n, k) => !whole[k] && drawnOf(k) < Math.min(n, width));
      if (tooMany() || tooFew) read();
    },
    /** A live delta was accepted (drawn at the next frame): count its raw points. */
    accepted(delta) {
      if (inflight) {
        inflight.log.push(delta);
        // Too much arrived meanwhile: drop that answer; extended() reads again.
        if (inflight.log.length > LOG_MAX) inflight = null;
      }
      if (delta.kind === 'new_trace') totals.push(pointsOf(delta.trace));
      else for (const t of delta.traces || []) totals[t.index] = (totals[t.index] || 0) + deltaPoints(t);
    },
    /** Appends were drawn: past the cap, read the view again, decimated. */
    extended() {
      showLabel();
      if (!inflight && tooMany()) read();
    },
    /** The pane changed size: read again when the drawn points no longer fit it. */
    resized() {
      const width = px();
      if (!partial() || !pxRead) return;
      if (width > 2 * pxRead || 2 * width < pxRead) read();
    },
    /** What an image download draws: the plot, plus the label when it is decimated. */
    imageSource() {
      if (label.hidden) return gd;
      const note = {
        text: label.textContent,
        xref: 'paper',
        yref: 'paper',
        x: 1,
        y: 0,
        xanchor: 'right',
        yanchor: 'bottom',
        showarrow: false,
        font: { size: 10, color: '#555' },
      };
      const layout = { ...gd.layout, annotations: [...(gd.layout?.annotations || []), note] };
      return { data: gd.data, layout };
    },
    destroy() {
      gen += 1;
      inflight = null;
      label.remove();
    },
  };
}
