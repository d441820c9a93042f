// plotly.js in two steps. Nearly every plot is 2-D: plotly.js' own cartesian bundle
// (plotly.js-cartesian-dist-min, the same version as the full one) draws those, and at
// about a quarter of the size it arrives and compiles well before the full bundle would.
// The full bundle (3-D, maps, polar, parcoords, gl traces...) is loaded only when a plot
// needs a trace type the cartesian bundle lacks; from then on every new draw uses it.
// Both are classic scripts that set window.Plotly: each plot keeps the instance that drew
// it (plot.js), so a plot drawn by the cartesian bundle stays consistent.

// The trace types of plotly.js-cartesian (its package's README lists them).
const CARTESIAN = new Set([
  'scatter',
  'bar',
  'box',
  'heatmap',
  'histogram',
  'histogram2d',
  'histogram2dcontour',
  'contour',
  'image',
  'pie',
  'scatterternary',
  'violin',
]);

// The vendored bundles, resolved next to this module: under the same content-hashed
// /static/<build>/ prefix (app/assets.py), so they are cached as long as the page is.
const PARTIAL_URL = new URL('../../vendor/plotly-cartesian.min.js', import.meta.url).href;
const FULL_URL = new URL('../../vendor/plotly.min.js', import.meta.url).href;

const loaded = { partial: null, full: null };
const loading = { partial: null, full: null };

/** Load one bundle (a classic script): resolve with its Plotly object. */
function load(kind) {
  if (loaded[kind]) return Promise.resolve(loaded[kind]);
  loading[kind] ||= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = kind === 'full' ? FULL_URL : PARTIAL_URL;
    script.dataset.plotly = kind;
    script.addEventListener('load', () => {
      loaded[kind] = window.Plotly;
      // The full bundle, once here, is the page's Plotly (it draws everything).
      if (loaded.full) window.Plotly = loaded.full;
      performance.mark(`visdom:plotly-${kind}`);
      resolve(loaded[kind]);
    });
    script.addEventListener('error', () => {
      loading[kind] = null;
      script.remove();
      reject(new Error('could not load plotly.js from the server'));
    });
    document.head.append(script);
  });
  return loading[kind];
}

/** The trace types of a figure's data (plotly's default type is scatter). */
export function traceTypes(data) {
  const types = new Set();
  for (const trace of Array.isArray(data) ? data : []) {
    if (trace && typeof trace === 'object') types.add(typeof trace.type === 'string' ? trace.type : 'scatter');
  }
  return types;
}

/** Whether the cartesian bundle draws every one of these trace types. */
export function partialDraws(types) {
  for (const type of types) if (!CARTESIAN.has(type)) return false;
  return true;
}

/**
 * Resolve with a Plotly able to draw these trace types (a Set; none: any plot): the full
 * bundle if it is here already or needed, else the cartesian one.
 */
export function plotlyFor(types = new Set()) {
  if (loaded.full) return Promise.resolve(loaded.full);
  if (!partialDraws(types)) return load('full');
  return load('partial');
}

/** Start loading the cartesian bundle now (a page that will show plots). */
export function preloadPlotly() {
  return loaded.full ? Promise.resolve(loaded.full) : load('partial');
}

/** Which bundles this page has loaded (the tests and benches read this). */
export function plotlyBundles() {
  return { partial: Boolean(loaded.partial), full: Boolean(loaded.full) };
}
