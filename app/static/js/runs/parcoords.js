// The runs page's parallel-coordinates plot: one line per selected run, one axis per param
// and a last axis for the chosen metric (which also colours the lines).
import { keysOf, text } from './data.js';

/** A parcoords dimension from raw values: numeric when all are numbers, else categories. */
function dimension(label, values) {
  if (values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const pad = lo === hi ? Math.abs(lo) * 0.05 || 1 : 0;
    return { label, values, range: [lo - pad, hi + pad] };
  }
  const names = [...new Set(values.map((v) => (v === undefined || v === null ? '—' : text(v))))];
  names.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const index = new Map(names.map((n, i) => [n, i]));
  return {
    label,
    values: values.map((v) => index.get(v === undefined || v === null ? '—' : text(v))),
    tickvals: names.map((_, i) => i),
    ticktext: names,
    range: [0, Math.max(1, names.length - 1)],
  };
}

/**
 * The figure for `runs` against metric `key` ('last', 'min' or 'max' of it). Runs without a
 * numeric value of the metric are left out (`left` says how many).
 */
export function parcoordsFigure(runs, key, agg) {
  const label = `${key} (${agg})`;
  const value = (r) => r.metrics[key]?.[agg];
  const drawn = runs.filter((r) => typeof value(r) === 'number' && Number.isFinite(value(r)));
  const dims = keysOf(drawn, 'params').map((p) =>
    dimension(
      p,
      drawn.map((r) => r.params[p]),
    ),
  );
  const metric = drawn.map(value);
  dims.push(dimension(label, metric));
  const trace = {
    type: 'parcoords',
    dimensions: dims,
    line: { color: metric, colorscale: 'Viridis', showscale: true, colorbar: { title: { text: label } } },
    labelfont: { size: 13 },
    tickfont: { size: 11 },
  };
  const layout = { margin: { l: 70, r: 90, t: 60, b: 30 }, autosize: true };
  return { data: [trace], layout, drawn: drawn.length, left: runs.length - drawn.length, label };
}
