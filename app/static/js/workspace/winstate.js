// The one place a window object changes after it arrived: applyWindow(win, change).
// A full `window` message replaces the object (Pane.render); everything else that changes
// it goes through here: a live `window_update` delta (its data, `props`, `contentID` and
// the arrival time `wall`) and the user's edits kept on the page (a comment, an image
// history slider's `selected`, drawn shapes), each written as a change object with the
// fields of a `window_update` (docs/socket-protocol.md):
//   {kind?, traces?, trace?, text?, image?, selected?, layout?, props?, contentID?, wall?}
// (without `kind`: only props, layout and contentID). A window that is not drawn yet only
// grows here and is drawn whole, once, when it is scrolled to; a drawn pane is told after
// the change and draws it (pane.js).
//
// One exception, by design: a drawn plot's traces are plotly.js's. Plotly draws the
// window's own trace objects (one copy of every point), so Plotly.extendTraces and
// addTraces grow them; for a drawn plot the pane passes {content: false} and only the
// rest of the change (props, stamps, contentID) is applied here.

/** Append `src` to `dst` without spreading (arrays may be huge). */
function pushAll(dst, src) {
  for (let i = 0; i < src.length; i++) dst.push(src[i]);
}

function isObject(v) {
  return Boolean(v) && typeof v === 'object' && !Array.isArray(v);
}

/** Merge layout keys as Plotly.relayout would (dotted keys set nested attributes). */
function mergeLayout(content, layout) {
  if (!isObject(layout) || !Object.keys(layout).length || !isObject(content)) return;
  content.layout = isObject(content.layout) ? content.layout : {};
  for (const [key, value] of Object.entries(layout)) {
    const path = key.split('.');
    let obj = content.layout;
    for (const part of path.slice(0, -1)) {
      if (!isObject(obj[part])) obj[part] = {};
      obj = obj[part];
    }
    obj[path[path.length - 1]] = value;
  }
}

/** Extend the traces as extendGroups + Plotly.extendTraces would. */
function appendTraces(win, change) {
  for (const t of change.traces) {
    const trace = win.content.data[t.index];
    if (!trace) continue;
    for (const k of ['x', 'y']) {
      if (!Array.isArray(trace[k])) trace[k] = [];
      pushAll(trace[k], Array.isArray(t[k]) ? t[k] : []);
    }
    for (const k of ['z', 'text']) {
      if (Array.isArray(t[k]) && Array.isArray(trace[k])) pushAll(trace[k], t[k]);
    }
    if (Array.isArray(t.marker_color) && Array.isArray(trace.marker?.color)) {
      pushAll(trace.marker.color, t.marker_color);
    }
  }
  mergeLayout(win.content, change.layout);
}

/**
 * The content part of a change as a function that applies it, or null when it cannot be
 * applied to this window (then nothing at all is changed).
 */
function contentChange(win, change) {
  switch (change.kind) {
    case undefined:
      return () => mergeLayout(win.content, change.layout);
    case 'append_traces': {
      const data = win.content?.data;
      if (win.type !== 'plot' || !Array.isArray(change.traces) || !Array.isArray(data)) return null;
      const bad = (t) => !t || !Number.isInteger(t.index) || t.index < 0 || t.index >= data.length;
      return change.traces.some(bad) ? null : () => appendTraces(win, change);
    }
    case 'new_trace':
      if (win.type !== 'plot' || !isObject(change.trace) || !isObject(win.content)) return null;
      return () => {
        if (!Array.isArray(win.content.data)) win.content.data = [];
        win.content.data.push(change.trace);
        mergeLayout(win.content, change.layout);
      };
    case 'append_text':
      if (win.type !== 'text') return null;
      return () => {
        win.content = String(win.content ?? '') + String(change.text ?? '');
      };
    case 'append_image':
      if (win.type !== 'image_history') return null;
      return () => {
        if (!Array.isArray(win.content)) win.content = [];
        win.content.push(change.image);
        const n = win.content.length;
        win.selected = Number.isInteger(change.selected) ? change.selected : n - 1;
      };
    default:
      return null;
  }
}

/** Record when appended points reached the server (`visdom_wall`: the wall-time axes). */
function recordWall(win, change) {
  const stamps = win.visdom_wall;
  if (!Array.isArray(stamps) || !Number.isFinite(change.wall)) return;
  if (change.kind === 'append_traces') {
    for (const t of change.traces || []) {
      const st = stamps[t.index];
      if (!st || !Array.isArray(st.n)) continue;
      const k = Number.isInteger(t.visdom_total) ? t.visdom_total : Array.isArray(t.y) ? t.y.length : 0;
      if (!k) continue;
      st.n.push(st.n[st.n.length - 1] + k);
      st.t.push(change.wall);
    }
  } else if (change.kind === 'new_trace' && change.trace) {
    const n = Array.isArray(change.trace.y) ? change.trace.y.length : 0;
    stamps.push({ n: [n], t: [change.wall] });
  }
}

/**
 * Apply `change` to the window object `win` in place. Return false when it cannot be
 * applied (an unknown kind, a trace index out of range, a kind of another window type):
 * the window is then left as it was. `content: false`: the content is changed by its
 * drawing (a drawn plot), the rest of the change is applied.
 */
export function applyWindow(win, change, { content = true } = {}) {
  if (!isObject(win) || !isObject(change)) return false;
  const apply = content ? contentChange(win, change) : null;
  if (content && !apply) return false;
  recordWall(win, change);
  if (isObject(change.props)) Object.assign(win, change.props);
  apply?.();
  if (change.contentID) win.contentID = change.contentID;
  return true;
}
