// Plot windows: plotly.js (2-D, 3-D, webgl traces). Appends extend traces in place.
import { url } from '../page.js';
import { fileName } from './download.js';
import { fixTrace, layoutForPlotly } from './plotcompat.js';
import { plotConfig, watchShapes } from './shapes.js';

let Plotly = window.Plotly;
let loading = null;

/** Load plotly.js (4.8 MB) on first use, so pages without plots never wait for it. */
export function loadPlotly() {
  if (Plotly) return Promise.resolve(Plotly);
  loading ||= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = url('/vendor/plotly.min.js');
    script.addEventListener('load', () => {
      Plotly = window.Plotly;
      resolve(Plotly);
    });
    script.addEventListener('error', () => {
      loading = null;
      script.remove();
      reject(new Error('could not load plotly.js from the server'));
    });
    document.head.append(script);
  });
  return loading;
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
  let drawn = loadPlotly();
  let alive = true;

  function draw(w, react) {
    const content = w.content || {};
    const data = Array.isArray(content.data) ? content.data : [];
    content.data = data;
    data.forEach(fixTrace);
    const layout = paneLayout(content.layout);
    drawn = drawn
      .then(() => {
        if (!alive) return null;
        const config = plotConfig(CONFIG, ctx);
        if (react && gd._fullLayout) return Plotly.react(gd, data, layout, config);
        return Plotly.newPlot(gd, data, layout, config).then(() => watchShapes(gd, ctx));
      })
      .catch(report);
  }

  function report(err) {
    console.error(`plot ${ctx.win().id}:`, err);
    gd.textContent = `This plot could not be drawn: ${err.message || err}`;
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
        const data = ctx.win().content?.data || [];
        if (traces.some((t) => !data[t.index])) return false;
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
