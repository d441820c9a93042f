// Live appends to a plot, merged: every `append_traces` delta that arrived for a window
// since its last draw becomes one extend per trace, so a burst of thousands of single-point
// appends costs one Plotly.extendTraces per set of attributes.

const KEYS = ['x', 'y', 'z', 'text', 'marker_color'];

function pushAll(dst, src) {
  for (let i = 0; i < src.length; i++) dst.push(src[i]); // no spread: arrays may be huge
}

function nulls(n) {
  return new Array(n).fill(null);
}

/** The number of points a delta trace carries. */
function count(t) {
  return Math.max(0, ...KEYS.map((k) => (Array.isArray(t[k]) ? t[k].length : 0)));
}

/**
 * Merge deltas (in sequence order) into the fewest operations that draw the same thing:
 * consecutive `append_traces` become one, with each trace's points concatenated in order
 * and later layout keys winning; other kinds (`new_trace`) are kept, in place.
 */
export function mergeDeltas(deltas) {
  const ops = [];
  let run = null;
  for (const d of deltas) {
    if (!d || d.kind !== 'append_traces') {
      ops.push(d);
      run = null;
      continue;
    }
    if (!run) {
      run = { op: { kind: 'append_traces', traces: [], layout: {} }, byIndex: new Map() };
      ops.push(run.op);
    }
    for (const t of d.traces || []) {
      let m = run.byIndex.get(t.index);
      if (!m) {
        m = { trace: { index: t.index }, points: 0 };
        run.byIndex.set(t.index, m);
        run.op.traces.push(m.trace);
      }
      const n = count(t);
      for (const k of KEYS) {
        // A key some deltas lack is padded with nulls, so every column stays aligned.
        if (Array.isArray(t[k])) pushAll((m.trace[k] ||= nulls(m.points)), t[k]);
        else if (m.trace[k]) pushAll(m.trace[k], nulls(n));
      }
      m.points += n;
    }
    Object.assign(run.op.layout, d.layout || {});
  }
  return ops;
}

/**
 * Group delta traces into Plotly.extendTraces calls ({keys, update, indices}): one per set
 * of attributes the drawn traces (`data`) hold as arrays. Traces not drawn are skipped.
 */
export function extendGroups(traces, data) {
  const groups = new Map();
  for (const t of traces) {
    const current = data?.[t.index];
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
