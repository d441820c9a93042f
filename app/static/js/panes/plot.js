// Plot windows: plotly.js (2-D, 3-D, webgl traces). Appends extend traces in place.
import { fileName } from './download.js';
import { fixTrace, layoutForPlotly } from './plotcompat.js';

const { Plotly } = window;
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
  let drawn = Promise.resolve();
  let alive = true;

  function draw(w, react) {
    const content = w.content || {};
    const data = Array.isArray(content.data) ? content.data : [];
    content.data = data;
    data.forEach(fixTrace);
    const layout = paneLayout(content.layout);
    const fn = react ? Plotly.react : Plotly.newPlot;
    drawn = drawn.then(() => (alive ? fn(gd, data, layout, CONFIG) : null)).catch(report);
  }

  function report(err) {
    console.error(`plot ${ctx.win().id}:`, err);
  }

  function queue(fn) {
    drawn = drawn.then(() => (alive ? fn() : null)).catch(report);
  }

  function extend(traces) {
    // One extendTraces call per set of attributes (traces may carry colors or text).
    const groups = new Map();
    for (const t of traces) {
      const current = gd.data?.[t.index];
      if (!current) continue;
      const keys = ['x', 'y'];
      if (Array.isArray(t.z) && Array.isArray(current.z)) keys.push('z');
      if (Array.isArray(t.text) && Array.isArray(current.text)) keys.push('text');
      if (Array.isArray(t.marker_color) && Array.isArray(current.marker?.color)) {
        keys.push('marker.color');
      }
      const sig = keys.join(',');
      if (!groups.has(sig)) groups.set(sig, { keys, update: {}, indices: [] });
      const g = groups.get(sig);
      g.indices.push(t.index);
      for (const k of keys) {
        const src = k === 'marker.color' ? t.marker_color : t[k];
        (g.update[k] ||= []).push(src || []);
      }
    }
    return [...groups.values()];
  }

  const view = {
    downloads: ['svg', 'png'],
    update(w) {
      draw(w, true);
    },
    applyDelta(delta) {
      if (delta.kind === 'append_traces') {
        const traces = delta.traces || [];
        if (traces.some((t) => !gd.data?.[t.index])) return false;
        queue(async () => {
          for (const g of extend(traces)) await Plotly.extendTraces(gd, g.update, g.indices);
          if (delta.layout && Object.keys(delta.layout).length) {
            await Plotly.relayout(gd, layoutForPlotly(delta.layout));
          }
        });
        return true;
      }
      if (delta.kind === 'new_trace' && delta.trace) {
        queue(async () => {
          await Plotly.addTraces(gd, fixTrace(delta.trace));
          if (delta.layout && Object.keys(delta.layout).length) {
            await Plotly.relayout(gd, layoutForPlotly(delta.layout));
          }
        });
        return true;
      }
      return false;
    },
    resize() {
      if (gd.offsetParent === null || !gd._fullLayout) return;
      queue(() => Plotly.Plots.resize(gd));
    },
    download(format) {
      queue(() =>
        Plotly.downloadImage(gd, {
          format,
          filename: fileName(ctx.title(), format).replace(/\.\w+$/, ''),
          width: gd.clientWidth || 700,
          height: gd.clientHeight || 450,
        }),
      );
    },
    destroy() {
      alive = false;
      try {
        Plotly.purge(gd);
      } catch (_) {
        /* already gone */
      }
    },
  };
  draw(win, false);
  return view;
}

export default { type: 'plot', size: [30, 24], mount };
