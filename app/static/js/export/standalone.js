// The renderer of an exported env (GET {base}/export/<eid>.html): draws the windows in
// <script id="export-data"> with the page's own pane modules, read-only, laid out as the
// env's saved layout has them. The server inlines this module and its imports (data: URLs).
import { paneType } from '../panes/registry.js';
import { MARGIN_PX, packRows, ROW_PX } from '../workspace/layout.js';

function readData() {
  try {
    return JSON.parse(document.getElementById('export-data')?.textContent || '{}') || {};
  } catch (err) {
    console.error('bad export data', err);
    return {};
  }
}

/** Place windows: their saved layout where there is one, then the rest row by row below. */
function placeAll(windows, reload) {
  const placed = [];
  let bottom = 0;
  const rest = [];
  for (const win of windows) {
    const l = reload?.[win.id];
    if (l && [l.x, l.y, l.w, l.h].every(Number.isFinite)) {
      placed.push({ win, x: l.x, y: l.y, w: l.w, h: l.h });
      bottom = Math.max(bottom, l.y + l.h);
    } else rest.push(win);
  }
  const sizes = rest.map((win) => {
    const [w, h] = paneType(win.type).size;
    return { w, h };
  });
  packRows(sizes, bottom).forEach((layout, i) => placed.push({ win: rest[i], ...layout }));
  return placed;
}

function frame(win, layout) {
  const el = document.createElement('div');
  el.className = 'export-item';
  el.dataset.win = String(win.id);
  el.dataset.type = String(win.type);
  el.style.left = `calc(${layout.x}% + ${MARGIN_PX}px)`;
  el.style.top = `${layout.y * ROW_PX + MARGIN_PX}px`;
  el.style.width = `calc(${layout.w}% - ${2 * MARGIN_PX}px)`;
  el.style.height = `${layout.h * ROW_PX - 2 * MARGIN_PX}px`;
  const pane = document.createElement('div');
  pane.className = 'pane';
  const bar = document.createElement('div');
  bar.className = 'pane-bar';
  const title = document.createElement('span');
  title.className = 'pane-title';
  title.textContent = String(win.title ?? '');
  bar.append(title);
  const body = document.createElement('div');
  body.className = 'pane-body';
  pane.append(bar, body);
  if (win.comment) {
    const comment = document.createElement('div');
    comment.className = 'pane-comment';
    const text = document.createElement('div');
    text.className = 'comment-text';
    text.textContent = String(win.comment);
    comment.append(text);
    pane.append(comment);
  }
  el.append(pane);
  return { el, body };
}

function context(win) {
  return {
    readonly: true,
    win: () => win,
    send: () => {},
    emit: () => Promise.resolve(null),
    canEdit: () => false,
    buttonsChanged: () => {},
    focus: () => {},
    title: () => String(win.title || win.id),
  };
}

function render() {
  const data = readData();
  const root = document.getElementById('export');
  const windows = (Array.isArray(data.windows) ? data.windows : [])
    .filter((w) => w && typeof w === 'object')
    .sort((a, b) => (a.i ?? 1e9) - (b.i ?? 1e9));
  let height = 0;
  for (const layout of placeAll(windows, data.reload || {})) {
    const { el, body } = frame(layout.win, layout);
    root.append(el);
    height = Math.max(height, (layout.y + layout.h) * ROW_PX);
    try {
      paneType(layout.win.type).mount(body, layout.win, context(layout.win));
    } catch (err) {
      body.textContent = `This window could not be drawn: ${err.message || err}`;
    }
  }
  root.style.height = `${height + ROW_PX}px`;
  document.body.dataset.rendered = String(windows.length);
}

render();
