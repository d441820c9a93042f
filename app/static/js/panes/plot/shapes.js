// Shapes drawn on plots (visdom 0.3.0): plotly's drawing tools in the modebar; after the
// user draws, moves or erases a shape the window's shapes are sent as
// `update_plot_layout {eid, win, layout: {shapes}}` (plus `frame` for plot_history), and
// kept in the window's layout so that a redraw keeps them.
import { applyWindow } from '../../workspace/winstate.js';

const DRAW_BUTTONS = [
  'drawline',
  'drawopenpath',
  'drawclosedpath',
  'drawcircle',
  'drawrect',
  'eraseshape',
];

const handlers = new WeakMap();

/** The plotly config for a plot pane: drawing tools only where changes can be sent. */
export function plotConfig(base, ctx) {
  if (!ctx.canEdit?.()) return base;
  return { ...base, modeBarButtonsToAdd: DRAW_BUTTONS };
}

function touchesShapes(update) {
  return Object.keys(update || {}).some((k) => k === 'shapes' || k.startsWith('shapes['));
}

/** Send the shapes of graph div `gd` whenever the user changes them (call after newPlot). */
export function watchShapes(gd, ctx) {
  const old = handlers.get(gd);
  if (old) gd.removeListener?.('plotly_relayout', old);
  const handler = (update) => {
    if (!touchesShapes(update)) return;
    const shapes = JSON.parse(JSON.stringify(gd.layout?.shapes || []));
    const win = ctx.win();
    applyWindow(win, { layout: { shapes } });
    if (!ctx.canEdit?.()) return;
    const payload = { win: win.id, layout: { shapes } };
    const frame = ctx.frame?.();
    if (Number.isInteger(frame)) payload.frame = frame;
    ctx.emit('update_plot_layout', payload);
  };
  handlers.set(gd, handler);
  gd.on?.('plotly_relayout', handler);
}
