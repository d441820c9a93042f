// plotly.js 3+ dropped string titles and a few trace types that visdom clients still send
// (upstream bundles plotly.js 1.x). Rewrite those parts of a figure, on copies.

function fixTitle(obj) {
  if (!obj || typeof obj !== 'object') return obj;
  const out = { ...obj };
  if (typeof out.title === 'string' || typeof out.title === 'number') {
    out.title = { text: String(out.title) };
  }
  if (out.titlefont && typeof out.titlefont === 'object') {
    out.title = { ...(out.title || {}), font: out.titlefont };
    delete out.titlefont;
  }
  return out;
}

const AXIS = /^(xaxis|yaxis|zaxis)\d*$/;

/** A copy of a layout with plotly.js 1.x title forms turned into {text, font}. */
export function layoutForPlotly(layout) {
  const out = fixTitle(layout || {});
  for (const key of Object.keys(out)) {
    if (AXIS.test(key)) out[key] = fixTitle(out[key]);
    else if (/^scene\d*$/.test(key) && out[key] && typeof out[key] === 'object') {
      const scene = { ...out[key] };
      for (const k of Object.keys(scene)) if (AXIS.test(k)) scene[k] = fixTitle(scene[k]);
      out[key] = scene;
    }
  }
  return out;
}

const RENAMED = { heatmapgl: 'heatmap', pointcloud: 'scattergl' };

/** Fix a trace in place (keeps array identity, so appends extend the stored data). */
export function fixTrace(trace) {
  if (!trace || typeof trace !== 'object') return trace;
  if (RENAMED[trace.type]) trace.type = RENAMED[trace.type];
  if (trace.colorbar && typeof trace.colorbar.title === 'string') {
    trace.colorbar = fixTitle(trace.colorbar);
  }
  return trace;
}
