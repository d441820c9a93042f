// Pure helpers of the plot view controls (viewctl.js): the smoothing kinds (TensorBoard's
// debiased exponential moving average, a time-weighted EMA, a running average, a Gaussian
// kernel), robust y ranges, and the arrival time of each drawn point. Every kind leaves
// non-finite values (null gaps) as they are and keeps them out of the averages.

/**
 * Debiased EMA (TensorBoard's smoothing): s_i = w s_{i-1} + (1 - w) y_i, divided by
 * 1 - w^k (k finite points so far) so the start is not pulled towards 0. Non-finite
 * values (null gaps) stay as they are and do not enter the average.
 */
export function ema(ys, weight) {
  const out = new Array(ys.length);
  let last = 0;
  let k = 0;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (y === null || y === undefined || !Number.isFinite(Number(y))) {
      out[i] = y ?? null;
      continue;
    }
    last = last * weight + (1 - weight) * Number(y);
    k += 1;
    const debias = weight === 1 ? 1 : 1 - weight ** k;
    out[i] = last / debias;
  }
  return out;
}

const finite = (y) => y !== null && y !== undefined && Number.isFinite(Number(y));

/**
 * Time-weighted debiased EMA: the weight of the previous average decays with the gap to
 * the point, w^(dx / mean spacing), so irregular logging smooths as evenly logged points
 * would (with even spacing it equals ema()). `xs`: steps or times, increasing.
 */
export function timeEma(ys, xs, weight) {
  const out = new Array(ys.length);
  const idx = [];
  for (let i = 0; i < ys.length; i++) if (finite(ys[i]) && finite(xs[i])) idx.push(i);
  const span = idx.length > 1 ? Number(xs[idx[idx.length - 1]]) - Number(xs[idx[0]]) : 0;
  const unit = span > 0 ? span / (idx.length - 1) : 1;
  let last = 0;
  let norm = 0; // the weight the average holds (1 - w^k for even spacing): its debias
  let prev = null;
  for (let i = 0; i < ys.length; i++) {
    if (!finite(ys[i]) || !finite(xs[i])) {
      out[i] = finite(ys[i]) ? Number(ys[i]) : (ys[i] ?? null);
      continue;
    }
    const x = Number(xs[i]);
    const decay = prev === null ? weight : weight ** (Math.max(0, x - prev) / unit);
    last = last * decay + (1 - decay) * Number(ys[i]);
    norm = norm * decay + (1 - decay);
    prev = x;
    out[i] = norm > 0 ? last / norm : Number(ys[i]);
  }
  return out;
}

/** Running (trailing) average of the last `n` finite points, the point included. */
export function runningAverage(ys, n) {
  const size = Math.max(1, Math.floor(n));
  const out = new Array(ys.length);
  const win = [];
  let sum = 0;
  for (let i = 0; i < ys.length; i++) {
    if (!finite(ys[i])) {
      out[i] = ys[i] ?? null;
      continue;
    }
    const y = Number(ys[i]);
    win.push(y);
    sum += y;
    if (win.length > size) sum -= win.shift();
    out[i] = sum / win.length;
  }
  return out;
}

/**
 * Gaussian kernel smoothing: each point is the average of the finite points within
 * 3 sigma of its x, weighted by exp(-(dx)^2 / (2 sigma^2)); `sigma` in x units (steps).
 */
export function gaussian(ys, xs, sigma) {
  const out = new Array(ys.length);
  if (!(sigma > 0)) return ys.map((y) => (finite(y) ? Number(y) : (y ?? null)));
  const pts = [];
  for (let i = 0; i < ys.length; i++) if (finite(ys[i]) && finite(xs[i])) pts.push([Number(xs[i]), Number(ys[i])]);
  const reach = 3 * sigma;
  let lo = 0;
  for (let i = 0; i < ys.length; i++) {
    if (!finite(ys[i]) || !finite(xs[i])) {
      out[i] = finite(ys[i]) ? Number(ys[i]) : (ys[i] ?? null);
      continue;
    }
    const x = Number(xs[i]);
    while (lo < pts.length && pts[lo][0] < x - reach) lo++;
    let num = 0;
    let den = 0;
    for (let j = lo; j < pts.length && pts[j][0] <= x + reach; j++) {
      const d = pts[j][0] - x;
      const w = Math.exp(-(d * d) / (2 * sigma * sigma));
      num += w * pts[j][1];
      den += w;
    }
    out[i] = den > 0 ? num / den : Number(ys[i]);
  }
  return out;
}

/** The kinds and how each reads its strength (view settings, docs/ui.md). */
export const SMOOTHING_KINDS = [
  ['ema', 'EMA (debiased)'],
  ['time_ema', 'Time-weighted EMA'],
  ['running', 'Running average'],
  ['gaussian', 'Gaussian'],
];

/** Whether view settings `v` smooth anything at all. */
export function smoothingOn(v) {
  if (v.smoothing_kind === 'running') return v.smoothing_window > 1;
  if (v.smoothing_kind === 'gaussian') return v.smoothing_sigma > 0;
  return v.smoothing > 0;
}

/** The smoothed ys of one curve with view settings `v` ({smoothing_kind, smoothing, ...}). */
export function smooth(ys, xs, v) {
  switch (v.smoothing_kind) {
    case 'time_ema':
      return timeEma(ys, xs, v.smoothing);
    case 'running':
      return runningAverage(ys, v.smoothing_window);
    case 'gaussian':
      return gaussian(ys, xs, v.smoothing_sigma);
    default:
      return ema(ys, v.smoothing);
  }
}

function percentile(sorted, p) {
  const pos = (sorted.length - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** The y range that ignores outliers: the 2nd to 98th percentile, padded by 10 %. */
export function robustRange(values, log = false) {
  const ys = [];
  for (const v of values) {
    const y = Number(v);
    if (v === null || !Number.isFinite(y) || (log && y <= 0)) continue;
    ys.push(log ? Math.log10(y) : y);
  }
  if (ys.length < 2) return null;
  ys.sort((a, b) => a - b);
  const lo = percentile(ys, 0.02);
  const hi = percentile(ys, 0.98);
  const pad = (hi - lo) * 0.1 || Math.abs(hi) * 0.1 || 1;
  return [lo - pad, hi + pad];
}

/** The time (unix s) at which raw point `i` arrived: stamps {n: [...], t: [...]}. */
function stampAt(stamps, i) {
  const { n, t } = stamps;
  let lo = 0;
  let hi = n.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (n[mid] > i) hi = mid;
    else lo = mid + 1;
  }
  return t[lo];
}

/**
 * The arrival time of each drawn point of a trace. Decimated traces carry the times of
 * their chosen points (`visdom_walltime`); points past them (live appends) and traces
 * drawn whole are the last raw points, so the raw index of drawn point p is N - (P - p).
 */
export function drawnTimes(trace, stamps) {
  const ys = Array.isArray(trace.y) ? trace.y : [];
  const P = ys.length;
  const N = stamps.n[stamps.n.length - 1];
  const known = Array.isArray(trace.visdom_walltime) ? trace.visdom_walltime : [];
  const out = new Array(P);
  for (let p = 0; p < P; p++) {
    out[p] = p < known.length && known.length <= P ? known[p] : stampAt(stamps, Math.max(0, N - (P - p)));
  }
  return out;
}
