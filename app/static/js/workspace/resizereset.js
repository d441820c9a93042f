// Double-clicking a window's resize grip puts the window back to the size it had before
// its last resize (a second double-click undoes that); a window never resized goes back
// to its default size. The new layout is saved like any other resize.
import { paneType } from '../panes/registry.js';

export function installResizeReset(workspace) {
  const grid = workspace.grid;
  const previous = new WeakMap();
  grid.gs.on('resizestart', (_ev, el) => {
    const layout = grid.layoutOf(el);
    if (layout) previous.set(el, { w: layout.w, h: layout.h });
  });
  grid.el.addEventListener('dblclick', (ev) => {
    const handle = ev.target.closest?.('.ui-resizable-handle');
    const el = handle?.closest('.grid-stack-item');
    if (!el || !grid.has(el)) return;
    ev.preventDefault();
    ev.stopPropagation();
    const now = grid.layoutOf(el);
    const pane = el.visdomPane;
    const target = previous.get(el) || (pane && grid.sizeFor(pane.win, paneType(pane.win.type).size));
    if (!target || (target.w === now.w && target.h === now.h)) return;
    const before = new Map(grid.itemsInOrder().map((item) => [item, grid.layoutOf(item)]));
    grid.move(el, { w: target.w, h: target.h });
    previous.set(el, { w: now.w, h: now.h });
    pane?.resize();
    // Save every window whose place changed (the reset may push its neighbours).
    const changed = [];
    for (const [item, old] of before) {
      const l = grid.layoutOf(item);
      if (l && (l.x !== old.x || l.y !== old.y || l.w !== old.w || l.h !== old.h)) {
        changed.push({ el: item, layout: l });
      }
    }
    workspace.persist(changed);
  });
}
