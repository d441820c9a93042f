// Plot windows: plotly.js (2-D, 3-D, webgl traces). Appends extend traces in place, merged
// per animation frame (delta.js). NaN and ±Inf reach the page as null: plotly draws
// null points as gaps and null heatmap cells blank.
import { fileName } from '../../lib/download.js';
import { texReady } from '../../lib/mathjax.js';
import { draws, plotlyFor, traceTypes } from '../../lib/plotly.js';
import { themedLayout, themeUpdate } from '../../lib/theme.js';
import { cancelFrame, onFrame } from '../../workspace/frames.js';
import { fixTrace, layoutForPlotly } from './compat.js';
import { decimation } from './decimated.js';
import { extendGroups, mergeDeltas } from './delta.js';
import { watchHover } from './hoversync.js';
import { plotConfig, watchShapes } from './shapes.js';
import { plotViewControls } from './viewctl.js';

/** A Plotly that draws every trace type (the runs page's parcoords, a page's first plot). */
export function loadPlotly(types) {
  return plotlyFor(types);
}
const CONFIG = { displaylogo: false, responsive: false, showSendToCloud: false };

/** The stored layout, fitted to the pane (size comes from the pane, not the layout). */
function paneLayout(layout) {
  const out = layoutForPlotly(layout);
  delete out.width;
  delete out.height;
  out.autosize = true;
  return out;
}

function mount(body, win, ctx) {
  const gd = document.createElement('div');
  gd.className = 'plot-pane';
  body.append(gd);
  // The plotly.js that drew this plot (lib/plotly.js): the smallest bundle with its trace
  // types, or a bigger one once the plot needs a type the smaller one lacks.
  let Plotly = null;
  // Each draw waits for the plotly.js its trace types need (the page preloads the
  // basic one while the env is joined: workspace.js).
  let drawn = Promise.resolve();
  let alive = true;
  // Deltas accepted but not drawn yet (in sequence order), and the number of traces the
  // plot will have once they are drawn (an append may target a trace added just before).
  let pending = [];
  let traces = 0;
  let flushJob = null; // the draw of the pending deltas waiting in the chain, if any
  // Smoothing, axes, outliers, CSV/JSON (viewctl.js): drawn on top of the drawn points.
  const viewer = plotViewControls(gd, body, ctx, { plotly: () => Plotly, queue: (fn) => queue(fn) });
  // Big traces arrive decimated; zooms read the visible range (decimated.js).
  const decim = decimation(gd, body, ctx, {
    plotly: () => Plotly,
    queue: (fn) => queue(fn),
    drawPending: () => drawPending(),
    redrawn: () => viewer.apply(),
    ignoreZoom: () => viewer.ignoreZoom(),
  });

  function draw(w, react) {
    const content = w.content || {};
    const data = Array.isArray(content.data) ? content.data.filter(Boolean) : [];
    content.data = data;
    data.forEach(fixTrace);
    // A full window holds every change before it: drop the deltas not drawn yet.
    pending = [];
    traces = data.length;
    flushJob = null;
    cancelFrame(flush);
    decim.reset(w);
    viewer.touched();
    const layout = themedLayout(paneLayout(content.layout));
    const types = traceTypes(data);
    drawn = drawn
      // The plotly.js that drew it while it draws these types (a redraw stays a react).
      .then(() => Promise.all([Plotly && draws(Plotly, types) ? Plotly : plotlyFor(types), texReady(layout)]))
      .then(([lib]) => {
        if (!alive) return null;
        if (Plotly && lib !== Plotly && gd._fullLayout) {
          Plotly.purge(gd); // drawn by a smaller bundle: a bigger one draws it anew
          react = false;
        }
        Plotly = lib;
        const config = plotConfig(CONFIG, ctx);
        if (react && gd._fullLayout) return Plotly.react(gd, data, layout, config);
        return Plotly.newPlot(gd, data, layout, config).then(watched);
      })
      .then(() => alive && decim.drawn())
      .then(() => {
        if (!alive) return null;
        viewer.redrawn();
        return viewer.apply();
      })
      .catch(report);
  }

  /** Listeners a new plot needs (newPlot purges the old ones). */
  function watched() {
    watchShapes(gd, ctx);
    watchHover(gd);
  }

  /** The page switched between light and dark: restyle the drawn plot. */
  function retheme() {
    const update = themeUpdate(ctx.win().content?.layout);
    if (update) queue(() => gd._fullLayout && Plotly.relayout(gd, update));
  }
  window.addEventListener('visdom:theme', retheme);

  function report(err) {
    console.error(`plot ${ctx.win().id}:`, err);
    gd.textContent = `This plot could not be drawn: ${err.message || err}`;
  }

  function queue(fn) {
    drawn = drawn.then(() => (alive ? fn() : null)).catch(report);
  }

  function relayout(layout) {
    if (layout && Object.keys(layout).length) return Plotly.relayout(gd, layoutForPlotly(layout));
    return null;
  }

  /** At the next frame, draw every pending delta in one go (after any draw in progress). */
  function flush() {
    if (flushJob) return;
    const job = {};
    flushJob = job;
    queue(async () => {
      if (flushJob !== job) return; // a full redraw came in between and replaced it
      flushJob = null;
      await drawPending();
    });
  }

  /** A new trace of a type this plot's plotly.js lacks: a bigger bundle draws the plot anew. */
  async function drawableBy(types) {
    if (!types.size || !Plotly || draws(Plotly, types)) return;
    const lib = await plotlyFor(types);
    if (lib === Plotly || !alive) return;
    const { data, layout } = gd;
    Plotly.purge(gd);
    Plotly = lib;
    await Plotly.newPlot(gd, data, layout, plotConfig(CONFIG, ctx));
    watched();
  }

  /** Draw every pending delta now (inside the chain). */
  async function drawPending() {
    // Taken now, not when the frame came: deltas that arrived meanwhile join this draw.
    const ops = mergeDeltas(pending);
    pending = [];
    if (!ops.length) return;
    // Derived traces sit after the server's: take them off before a trace is added.
    if (ops.some((op) => op.kind !== 'append_traces')) await viewer.strip();
    await drawableBy(traceTypes(ops.filter((op) => op.kind !== 'append_traces').map((op) => op.trace)));
    for (const op of ops) {
      if (op.kind === 'append_traces') {
        for (const g of extendGroups(op.traces, gd.data)) {
          await Plotly.extendTraces(gd, g.update, g.indices);
        }
      } else await Plotly.addTraces(gd, fixTrace(op.trace));
      await relayout(op.layout);
    }
    decim.extended();
    viewer.touched();
    await viewer.apply();
  }

  function accept(delta) {
    pending.push(delta);
    decim.accepted(delta);
    // A hidden tab draws nothing: keep the queue short by merging it as it grows.
    if (pending.length > 256) pending = mergeDeltas(pending);
    onFrame(flush);
    return true;
  }

  const view = {
    downloads: ['svg', 'png'],
    /** Plotly draws the window's own trace objects: its extends grow them (winstate.js). */
    extendsContent: true,
    /** Title bar buttons besides the downloads (pane.js): the view controls. */
    titleButtons: (make) => [viewer.button(make)],
    /** Settles once every draw asked for so far is done (the page draws windows in turn). */
    get ready() {
      return drawn;
    },
    update(w) {
      draw(w, true);
    },
    /** Whether drawing it anew from the window object shows the same (lazy.js releases it). */
    releasable() {
      return Boolean(gd._fullLayout) && !pending.length && !userMovedAxes(gd, ctx.win());
    },
    applyDelta(delta) {
      if (delta.kind === 'append_traces') {
        const bad = (t) => !t || !Number.isInteger(t.index) || t.index < 0 || t.index >= traces;
        if (!Array.isArray(delta.traces) || delta.traces.some(bad)) return false;
        return accept(delta);
      }
      if (delta.kind === 'new_trace' && delta.trace && typeof delta.trace === 'object') {
        traces += 1;
        return accept(delta);
      }
      return false;
    },
    resize() {
      if (gd.offsetParent === null || !gd._fullLayout) return;
      queue(async () => {
        if (fits(gd)) return;
        await Plotly.Plots.resize(gd);
        decim.resized();
      });
    },
    download(format) {
      queue(() =>
        // A decimated plot's picture carries the label: it is not every point.
        Plotly.downloadImage(decim.imageSource(), {
          format,
          filename: fileName(ctx.title(), format).replace(/\.\w+$/, ''),
          width: gd.clientWidth || 700,
          height: gd.clientHeight || 450,
        }),
      );
    },
    destroy() {
      alive = false;
      window.removeEventListener('visdom:theme', retheme);
      pending = [];
      decim.destroy();
      viewer.destroy();
      cancelFrame(flush);
      try {
        Plotly?.purge(gd);
      } catch (_) {
        /* already gone */
      }
    },
  };
  draw(win, false);
  return view;
}

/** Whether the user zoomed or panned an axis the stored layout leaves to autorange. */
function userMovedAxes(gd, win) {
  const stored = win?.content?.layout || {};
  for (const [key, axis] of Object.entries(gd.layout || {})) {
    if (!/^[xyz]axis\d*$/.test(key) && key !== 'scene') continue;
    if (key === 'scene') {
      if (axis?.camera && !stored.scene?.camera) return true; // a 3-D plot turned
      continue;
    }
    if (axis?.autorange === false && !stored[key]?.range) return true;
  }
  return false;
}

/** Whether a drawn plot already has its element's size (then a resize is no work at all). */
function fits(gd) {
  const { width, height } = gd._fullLayout || {};
  const box = gd.getBoundingClientRect();
  return Math.abs(width - box.width) < 1 && Math.abs(height - box.height) < 1;
}

export default { type: 'plot', size: [30, 24], mount };
