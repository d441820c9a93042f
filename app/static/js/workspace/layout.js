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
