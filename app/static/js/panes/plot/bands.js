// Plotly traces for curves drawn with a band (viewctl.js): the groups of a compare
// aggregate (GET /api/compare/<eids>/aggregate: mean or median line, std/sem/ci95/minmax
// band, runs per point) and the min/max envelope of a decimated curve (GET
// /api/window/<eid>/<win>?envelope=1). Each band is two traces, its low edge (no line)
// then its high edge filled down to it (fill 'tonexty'), drawn behind its line.

// plotly's default colours, so group k has the colour a k-th trace would have.
export const COLORWAY = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

/** `#rrggbb` or `rgb(r, g, b)` as a translucent rgba() (other colours pass through). */
export function translucent(color, alpha) {
  const hex = /^#([0-9a-f]{6})$/i.exec(color || '');
  if (hex) {
    const n = parseInt(hex[1], 16);
    return `rgba(${n >> 16}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgb = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/i.exec(color || '');
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`;
  return color;
}

function band(x, lo, hi, color, group, kind, common) {
  const edge = {
    ...common,
    type: 'scatter',
    mode: 'lines',
    x,
    line: { width: 0, color },
    showlegend: false,
    hoverinfo: 'skip',
    legendgroup: group,
  };
  return [
    { ...edge, y: lo, visdom_overlay: `${kind}-lo` },
    { ...edge, y: hi, fill: 'tonexty', fillcolor: translucent(color, 0.22), visdom_overlay: `${kind}-hi` },
  ];
}

const esc = (s) => String(s).replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]);

/** A band (low edge, filled high edge) and its line on top, in one colour and legend entry. */
function banded(x, y, lo, hi, color, name, kind, common, { width, ...extra }) {
  return [
    ...band(x, lo || [], hi || [], color, name, kind === 'aggregate' ? 'band' : kind, common),
    {
      ...common,
      type: 'scatter',
      mode: 'lines',
      x,
      y: y || [],
      name,
      legendgroup: name,
      visdom_overlay: kind,
      ...extra,
      line: { color, width },
    },
  ];
}

/**
 * The traces of an aggregate answer: per group a band and a line named "name (n=runs)"
 * whose hover shows the runs behind each point.
 */
export function groupTraces(answer, { stat = 'mean', bandName = 'std', colorway = COLORWAY, common = {} } = {}) {
  return (answer?.groups || []).flatMap((g, k) => {
    const runs = (g.envs || []).length;
    const name = `${g.name} (n=${runs})`;
    return banded(g.x || [], g.y, g.lo, g.hi, colorway[k % colorway.length], name, 'aggregate', common, {
      width: 2,
      customdata: g.n || [],
      hovertemplate: `%{y:.4g} (${stat}; ${bandName} band)<br>n=%{customdata} runs<extra>${esc(name)}</extra>`,
      visdom_group: g.name,
      visdom_runs: runs,
    });
  });
}

/** The envelope of one trace: its min/max band and its per-pixel mean line. */
export function envelopeTraces(t, name, color, common = {}) {
  return banded(t.x || [], t.mean, t.lo, t.hi, color, name, 'envelope', common, { width: 1.5 });
}
