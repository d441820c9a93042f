// The window grid: gridstack with upstream's units (layout.js), so the `reload` layout
// items of upstream env files place windows the same.
// gridstack-all.js (UMD, loaded as a classic script) defines the GridStack class globally.
// Below 700 px of width the stylesheet stacks the windows in one column (in reading
// order, full width); the grid's own layout is left as it is, so nothing is saved.
import { paneType } from '../panes/registry.js';
import { COLUMNS, MARGIN_PX, Occupancy, packRows, ROW_PX } from './layout.js';

const GridStack = window.GridStack?.GridStack || window.GridStack;

const BAR_PX = 26;
const TITLE_MIN_PX = 56; // what a title bar keeps for the title beside its buttons
const BAR_PAD_PX = 14; // the title bar's padding and the window's border
const narrowScreen = window.matchMedia?.('(max-width: 699px)');

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
    // No window narrower than its title bar's buttons (the close button stays visible).
    this.bars = new ResizeObserver((entries) => {
      this.fitMinWidths(entries.map((entry) => entry.target.closest('.grid-stack-item')));
    });
    this.occupancy = null; // while adding in a batch: the cells taken so far
    this.colPx = null; // while adding in a batch: the column width
    let refit = 0;
    window.addEventListener('resize', () => {
      cancelAnimationFrame(refit);
      refit = requestAnimationFrame(() => this.fitMinWidths());
    });
    narrowScreen?.addEventListener?.('change', () => this.followScreen());
    this.followScreen();
  }

  get narrow() {
    return Boolean(narrowScreen?.matches);
  }

  /** One column on a narrow screen: no dragging or resizing there (touch scrolls). */
  followScreen() {
    this.gs.enableMove(!this.narrow);
    this.gs.enableResize(!this.narrow);
    this.fitMinWidths();
  }

  /** The width of a grid column in pixels. */
  columnPx() {
    // Read once per batch: the read lays the page out, and each add changed it.
    if (this.colPx) return this.colPx;
    return (this.el.clientWidth || window.innerWidth) / COLUMNS;
  }

  /** The columns an item's title bar buttons need (a local fix: not saved); null: as is. */
  minWidthFor(itemEl, colPx) {
    const node = itemEl?.gridstackNode;
    const buttons = itemEl?.querySelector('.pane-buttons');
    if (!node || !buttons || !buttons.offsetWidth) return null;
    const px = buttons.offsetWidth + TITLE_MIN_PX + BAR_PAD_PX + 2 * MARGIN_PX;
    const minW = clamp(Math.ceil(px / colPx), 1, COLUMNS);
    return node.minW === minW && node.w >= minW ? null : minW;
  }

  /**
   * Give items the width their title bar buttons need. Every width is read first and the
   * grid changed once after: a read after each change would lay the whole page out again
   * per window (with hundreds of windows, the page's open time grew with their square).
   */
  fitMinWidths(items = this.gs.engine.nodes.map((n) => n.el)) {
    if (this.narrow) return;
    const colPx = this.columnPx();
    const changes = [];
    for (const itemEl of items) {
      const minW = this.minWidthFor(itemEl, colPx);
      if (minW !== null) changes.push([itemEl, minW]);
    }
    if (!changes.length) return;
    this.silently(() => {
      this.gs.batchUpdate();
      try {
        for (const [itemEl, minW] of changes) this.gs.update(itemEl, { minW });
      } finally {
        this.gs.batchUpdate(false);
      }
    });
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
    this.colPx = this.columnPx();
    this.gs.batchUpdate();
    this.occupancy = this.taken();
    try {
      return this.silently(fn);
    } finally {
      this.occupancy = null;
      this.colPx = null;
      this.silently(() => this.gs.batchUpdate(false));
    }
  }

  /** The cells the items in the grid take now. */
  taken() {
    const occupancy = new Occupancy(COLUMNS);
    for (const n of this.gs.engine.nodes) occupancy.take(n);
    return occupancy;
  }

  /** Grid units for a pane of `px` pixels (window.width/height), or the default. */
  sizeFor(win, [defW, defH]) {
    const colPx = this.columnPx();
    // A pane module may show a window bigger than its width/height (small images).
    const { width, height } = paneType(win.type).displaySize?.(win) || win;
    const w = width ? Math.round((Number(width) + 2 * MARGIN_PX) / colPx) : defW;
    const h = height ? Math.ceil((Number(height) + BAR_PX + 2 * MARGIN_PX) / ROW_PX) : defH;
    return { w: clamp(w, 4, COLUMNS), h: Math.max(4, h) };
  }

  /** Put an item element into the grid at `layout` ({x, y, w, h}) or the first free place. */
  add(itemEl, layout) {
    this.silently(() => {
      if (itemEl.parentNode !== this.el) this.el.appendChild(itemEl);
      const opts = { w: Math.min(layout.w, COLUMNS), h: layout.h };
      const occupancy = this.occupancy || this.taken();
      if (Number.isFinite(layout.x) && Number.isFinite(layout.y)) {
        opts.x = layout.x;
        opts.y = layout.y;
      } else {
        // The place gridstack's autoPosition would pick, found without its cell-by-cell scan.
        Object.assign(opts, occupancy.firstFree(opts.w, opts.h));
      }
      this.gs.makeWidget(itemEl, opts);
      const node = itemEl.gridstackNode;
      // A saved place that collided moved other items too: count the cells again.
      if (this.occupancy && node && (node.x !== opts.x || node.y !== opts.y)) this.occupancy = this.taken();
      else if (this.occupancy && node) this.occupancy.take(node);
    });
    const buttons = itemEl.querySelector('.pane-buttons');
    if (buttons) this.bars.observe(buttons);
  }

  /** Take an item out of the grid; keep its element in the page (hidden) unless `drop`. */
  remove(itemEl, drop = true) {
    const buttons = itemEl.querySelector('.pane-buttons');
    if (buttons && drop) this.bars.unobserve(buttons);
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
    const placed = packRows(entries).map((layout, i) => ({ el: entries[i].el, layout }));
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
