// Shared SVG helpers for the panes that draw their own SVG (network, embeddings).

const NS = 'http://www.w3.org/2000/svg';

/** The categorical palette shared by node groups and embedding labels. */
export const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2',
  '#7f7f7f', '#bcbd22', '#17becf'];

/** Create an SVG element with the given attributes. */
export function svgEl(tag, attrs = {}) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}
