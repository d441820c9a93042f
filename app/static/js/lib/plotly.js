// plotly.js in steps. Nearly every plot is a line: plotly.js' own basic bundle (scatter,
// bar, pie) draws those and starts in about half the time of the cartesian bundle (every
// 2-D type), which starts in about half the time of the full one (3-D, maps, polar,
// parcoords, gl traces...). All come from plotly.js' own npm packages (the same version as
// the full bundle of the plotly Python package, checked by scripts/vendor.py). A plot is
// drawn by the smallest bundle that has its trace types, or by a bigger one the page has
// loaded already (so a page settles on one plotly.js). Each is a classic script that sets
// window.Plotly: each plot keeps the instance that drew it (plot.js), and window.Plotly is
// the biggest loaded.

// The bundles, smallest first, with the trace types each draws (their packages' READMEs
// list them); null: every type.
const TIERS = [
  { name: 'basic', file: 'plotly-basic.min.js', types: new Set(['scatter', 'bar', 'pie']) },
  {
    name: 'cartesian',
    file: 'plotly-cartesian.min.js',
    types: new Set([
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
    ]),
  },
  { name: 'full', file: 'plotly.min.js', types: null },
];

// The vendored bundles, resolved next to this module: under the same content-hashed
// /static/<build>/ prefix (app/assets.py), so they are cached as long as the page is.
const url = (file) => new URL(`../../vendor/${file}`, import.meta.url).href;

// One registry per page, whichever copy of this module asks: the page's bundle
// (js/bundle/) holds one, and a module imported on its own (as the tests import it) is
// another copy of the same code.
const registry = (window.__visdomPlotly ??= { loaded: new Map(), loading: new Map() });
const loaded = registry.loaded; // tier name -> its Plotly
const loading = registry.loading; // tier name -> promise of its Plotly
// The env and window pages load the basic bundle themselves, as an async classic script
// in their head (base.html): it compiles as soon as it is fetched, while the page's ES
// modules are still on their way, instead of after them.
const early = document.querySelector('script[data-plotly]');
if (!loaded.size && !loading.size) {
  // (else another copy of this module has adopted them already)
  if (early) adopt(early, TIERS.find((t) => t.name === early.dataset.plotly));
  // A page that brought its own plotly.js (an exported HTML file inlines the full bundle,
  // and its modules have data: URLs, with no vendor folder beside them): that one draws all.
  else if (window.Plotly) loaded.set('full', window.Plotly);
}

/** Take the page's own plotly.js <script> as the bundle of `tier` (run, or on its way). */
function adopt(script, tier) {
  if (!tier) return;
  const settled = () => {
    loaded.set(tier.name, window.Plotly);
    performance.mark(`visdom:plotly-${tier.name}`);
  };
  if (window.Plotly) {
    settled();
    return;
  }
  const promise = new Promise((resolve, reject) => {
    let over = false;
    const done = () => {
      if (over) return;
      over = true;
      if (!window.Plotly) return reject(new Error('could not load plotly.js from the server'));
      settled();
      resolve(window.Plotly);
    };
    script.addEventListener('load', done);
    script.addEventListener('error', done);
    // An async script has run or failed by the window's load event: if it failed before
    // this module listened, that is when it is known.
    if (document.readyState === 'complete') done();
    else window.addEventListener('load', () => setTimeout(done, 0));
  }).catch(() => {
    loading.delete(tier.name); // the next plot asks again, with a script of its own
    return load(tier);
  });
  loading.set(tier.name, promise);
}

function covers(tier, types) {
  if (!tier.types) return true;
  for (const type of types) if (!tier.types.has(type)) return false;
  return true;
}

/** The biggest bundle loaded so far, or null. */
function biggest() {
  for (let i = TIERS.length - 1; i >= 0; i--) if (loaded.has(TIERS[i].name)) return TIERS[i];
  return null;
}

/** Load one bundle (a classic script): resolve with its Plotly object. */
function load(tier) {
  if (loaded.has(tier.name)) return Promise.resolve(loaded.get(tier.name));
  if (!loading.has(tier.name)) {
    const promise = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = url(tier.file);
      script.dataset.plotly = tier.name;
      script.addEventListener('load', () => {
        loaded.set(tier.name, window.Plotly);
        window.Plotly = loaded.get(biggest().name);
        performance.mark(`visdom:plotly-${tier.name}`);
        resolve(loaded.get(tier.name));
      });
      script.addEventListener('error', () => {
        loading.delete(tier.name);
        script.remove();
        reject(new Error('could not load plotly.js from the server'));
      });
      document.head.append(script);
    });
    loading.set(tier.name, promise);
  }
  return loading.get(tier.name);
}

/** The trace types of a figure's data (plotly's default type is scatter). */
export function traceTypes(data) {
  const types = new Set();
  for (const trace of Array.isArray(data) ? data : []) {
    if (trace && typeof trace === 'object') types.add(typeof trace.type === 'string' ? trace.type : 'scatter');
  }
  return types;
}

/** Whether `Plotly` (an instance this module loaded) draws every one of these trace types. */
export function draws(Plotly, types) {
  const tier = TIERS.find((t) => loaded.get(t.name) === Plotly);
  return Boolean(tier) && covers(tier, types);
}

/**
 * Resolve with a Plotly able to draw these trace types (a Set; empty: a line): the
 * biggest bundle loaded if it draws them, else the smallest bundle that does.
 */
export function plotlyFor(types = new Set()) {
  const big = biggest();
  if (big && covers(big, types)) return Promise.resolve(loaded.get(big.name));
  return load(TIERS.find((tier) => covers(tier, types)));
}

/** Which bundles this page has loaded (the tests and benches read this). */
export function plotlyBundles() {
  return Object.fromEntries(TIERS.map((t) => [t.name, loaded.has(t.name)]));
}
