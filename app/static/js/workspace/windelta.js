// Apply a `window_update` delta to a window object that is not drawn yet (it is off screen):
// the data grows in place and the window is drawn whole, once, when it is scrolled to.
// The same result as the drawn panes' applyDelta (extendTraces, text and image appends).

/** Append `src` to `dst` without spreading (arrays may be huge). */
function pushAll(dst, src) {
  for (let i = 0; i < src.length; i++) dst.push(src[i]);
}

function isObject(v) {
  return Boolean(v) && typeof v === 'object' && !Array.isArray(v);
}

/** Merge layout keys as Plotly.relayout would (dotted keys set nested attributes). */
function mergeLayout(content, layout) {
  if (!isObject(layout) || !Object.keys(layout).length) return;
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

/** Extend drawn-to-be traces as extendGroups + Plotly.extendTraces would. */
function appendTraces(win, delta) {
  const data = win.content?.data;
  if (!Array.isArray(delta.traces) || !Array.isArray(data)) return false;
  const bad = (t) => !t || !Number.isInteger(t.index) || t.index < 0 || t.index >= data.length;
  if (delta.traces.some(bad)) return false;
  for (const t of delta.traces) {
    const trace = data[t.index];
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
  mergeLayout(win.content, delta.layout);
  return true;
}

/**
 * Apply `delta` to `win` in place; return false for a delta this cannot apply (the caller
 * then draws the window and lets its pane module decide).
 */
export function applyToWindow(win, delta) {
  if (!delta || typeof delta !== 'object') return false;
  switch (delta.kind) {
    case 'append_traces':
      return win.type === 'plot' && appendTraces(win, delta);
    case 'new_trace':
      if (win.type !== 'plot' || !isObject(delta.trace)) return false;
      if (!isObject(win.content)) return false;
      if (!Array.isArray(win.content.data)) win.content.data = [];
      win.content.data.push(delta.trace);
      mergeLayout(win.content, delta.layout);
      return true;
    case 'append_text':
      if (win.type !== 'text') return false;
      win.content = String(win.content ?? '') + String(delta.text ?? '');
      return true;
    case 'append_image':
      if (win.type !== 'image_history') return false;
      if (!Array.isArray(win.content)) win.content = [];
      win.content.push(delta.image);
      win.selected = Number.isInteger(delta.selected) ? delta.selected : win.content.length - 1;
      return true;
    default:
      return false;
  }
}
