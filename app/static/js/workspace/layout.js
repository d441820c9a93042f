// Upstream's grid units, so that the `reload` layout items of upstream env files place
// windows the same: 100 columns, and a row is 5 px plus a 10 px gutter. Used by the page's
// grid (grid.js) and by exported files (export/standalone.js), with the one row packing.

export const COLUMNS = 100;
export const ROW_PX = 15;
export const MARGIN_PX = 5;

/**
 * Lay sized items ({w, h}) out left to right, row by row, in the given order, starting at
 * row `top`; return their layouts ({x, y, w, h}), in the same order.
 */
export function packRows(items, top = 0) {
  let x = 0;
  let y = top;
  let rowH = 0;
  return items.map(({ w, h }) => {
    if (x + w > COLUMNS) {
      x = 0;
      y += rowH;
      rowH = 0;
    }
    const layout = { x, y, w, h };
    x += w;
    rowH = Math.max(rowH, h);
    return layout;
  });
}

/**
 * Which grid cells are taken, for finding free places fast. gridstack's own autoPosition
 * scans every cell from the top left and tests each against every window: with hundreds of
 * windows that is minutes of work (it grows with the cube of their number). This finds
 * the same place, the first free one in reading order, by skipping rows that cannot hold
 * the window and testing cells against a row map.
 */
export class Occupancy {
  constructor(columns = COLUMNS) {
    this.columns = columns;
    this.rows = []; // row index -> Uint8Array of taken cells
    this.used = []; // row index -> number of taken cells
  }

  /** Mark a window's box ({x, y, w, h}) as taken. */
  take({ x, y, w, h }) {
    for (let r = y; r < y + h; r++) {
      let row = this.rows[r];
      if (!row) {
        row = new Uint8Array(this.columns);
        this.rows[r] = row;
        this.used[r] = 0;
      }
      for (let c = Math.max(0, x); c < Math.min(this.columns, x + w); c++) {
        if (!row[c]) {
          row[c] = 1;
          this.used[r] += 1;
        }
      }
    }
  }

  /** Whether cells x..x+w-1 of row r are free. */
  freeIn(r, x, w) {
    const row = this.rows[r];
    if (!row) return true;
    for (let c = x; c < x + w; c++) if (row[c]) return false;
    return true;
  }

  /** The first free place for a w×h window in reading order (row by row, left to right). */
  firstFree(w, h) {
    w = Math.min(w, this.columns);
    for (let y = 0; ; y++) {
      if ((this.used[y] || 0) > this.columns - w) continue; // not w free cells in this row
      for (let x = 0; x + w <= this.columns; x++) {
        let fits = true;
        for (let r = y; r < y + h && fits; r++) {
          if (!this.freeIn(r, x, w)) fits = false;
        }
        if (fits) return { x, y };
      }
    }
  }
}
