// The window grid: gridstack with upstream's units (100 columns; a row is 5 px plus a
// 10 px gutter), so the `reload` layout items of upstream env files place windows the same.
// gridstack-all.js (UMD, loaded as a classic script) defines the GridStack class globally.
const GridStack = window.GridStack?.GridStack || window.GridStack;

export const COLUMNS = 100;
export const ROW_PX = 15;
const MARGIN_PX = 5;
const BAR_PX = 26;

export class Grid {
  /**
   * @param {HTMLElement} el the .grid-stack container
   * @param {(items: {el: HTMLElement, layout: object}[]) => void} onUserChange called after
   *   the user dragged or resized (with every item whose position changed)
   * @param {(el: HTMLElement) => void} onResized called when an item changed size
   */
  constructor(el, { onUserChange, onResized }) {
    this.el = el;
    this.quiet = 0;
    this.gs = GridStack.init(
      {
        column: COLUMNS,
        cellHeight: ROW_PX,
        margin: MARGIN_PX,
        float: false,
        animate: false,
        handle: '.pane-bar',
        draggable: { cancel: '.pane-button' },
        resizable: { handles: 'se,e,s' },
      },
      el,
    );
    this.gs.on('change', (_ev, nodes) => {
      if (this.quiet > 0 || !nodes) return;
      onUserChange(nodes.map((n) => ({ el: n.el, layout: toLayout(n) })));
    });
    this.gs.on('resizestop', (_ev, itemEl) => onResized(itemEl));
  }

  /** Run fn without reporting the grid changes it causes as user changes. */
  silently(fn) {
    this.quiet += 1;
    try {
      return fn();
    } finally {
      this.quiet -= 1;
    }
  }

  /** Run fn with gridstack's batch mode: many adds lay the grid out once, not once each. */
  batch(fn) {
    this.gs.batchUpdate();
    try {
      return this.silently(fn);
    } finally {
      this.silently(() => this.gs.batchUpdate(false));
    }
  }

  /** Grid units for a pane of `px` pixels (window.width/height), or the default. */
  sizeFor(win, [defW, defH]) {
    const colPx = (this.el.clientWidth || window.innerWidth) / COLUMNS;
    const w = win.width ? Math.round((Number(win.width) + 2 * MARGIN_PX) / colPx) : defW;
    const h = win.height ? Math.ceil((Number(win.height) + BAR_PX + 2 * MARGIN_PX) / ROW_PX) : defH;
    return { w: clamp(w, 4, COLUMNS), h: Math.max(4, h) };
  }

  /** Put an item element into the grid at `layout` ({x, y, w, h}) or the first free place. */
  add(itemEl, layout) {
    this.silently(() => {
      if (itemEl.parentNode !== this.el) this.el.appendChild(itemEl);
      const opts = { w: layout.w, h: layout.h };
      if (Number.isFinite(layout.x) && Number.isFinite(layout.y)) {
        opts.x = layout.x;
        opts.y = layout.y;
      } else {
        opts.autoPosition = true;
      }
      this.gs.makeWidget(itemEl, opts);
    });
  }

  /** Take an item out of the grid; keep its element in the page (hidden) unless `drop`. */
  remove(itemEl, drop = true) {
    this.silently(() => {
      if (itemEl.gridstackNode) this.gs.removeWidget(itemEl, drop, false);
      else if (drop) itemEl.remove();
    });
  }

  has(itemEl) {
    return Boolean(itemEl.gridstackNode);
  }

  layoutOf(itemEl) {
    return itemEl.gridstackNode ? toLayout(itemEl.gridstackNode) : null;
  }

  move(itemEl, layout) {
    if (!itemEl.gridstackNode) return;
    this.silently(() => this.gs.update(itemEl, pick(layout)));
  }

  /** Lay items out left to right, row by row, in the given order with the given sizes. */
  pack(entries) {
    let x = 0;
    let y = 0;
    let rowH = 0;
    const placed = [];
    for (const { el, w, h } of entries) {
      if (x + w > COLUMNS) {
        x = 0;
        y += rowH;
        rowH = 0;
      }
      placed.push({ el, layout: { x, y, w, h } });
      x += w;
      rowH = Math.max(rowH, h);
    }
    this.silently(() => {
      this.gs.batchUpdate();
      // Move everything out of the way first so that gridstack does not push items around.
      for (const { el } of placed) this.gs.update(el, { y: 100000 + placed.length });
      for (const { el, layout } of placed) this.gs.update(el, layout);
      this.gs.batchUpdate(false);
    });
    return placed.map(({ el }) => ({ el, layout: this.layoutOf(el) }));
  }

  /** Items currently in the grid, in reading order (top to bottom, left to right). */
  itemsInOrder() {
    return this.gs.engine.nodes
      .slice()
      .sort((a, b) => a.y - b.y || a.x - b.x)
      .map((n) => n.el);
  }

  setStatic(isStatic) {
    this.gs.setStatic(isStatic);
  }
}

function toLayout(n) {
  return { x: n.x, y: n.y, w: n.w, h: n.h };
}

function pick(l) {
  const out = {};
  for (const k of ['x', 'y', 'w', 'h']) if (Number.isFinite(l[k])) out[k] = l[k];
  return out;
}

function clamp(v, lo, hi) {
  return Math.min(hi, Math.max(lo, v));
}
