// Pure helpers of the plot view controls (viewctl.js): TensorBoard's debiased exponential
// moving average, robust y ranges, and the arrival time of each drawn point.

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
