// Pane types by window `type`, one folder per family (plot/, image/, text/, ...). Each
// module exports a default object
//   {type, size: [w, h] in grid units, mount(body, win, ctx) -> view, displaySize?(win)}
// where view has update(win) (a full window object), and optionally:
//   applyDelta(delta) -> bool: draw a live window_update; the window object already holds
//     it (workspace/winstate.js), unless the view says `extendsContent: true` (a plot:
//     plotly.js grows the window's traces as it draws them); false: the page resyncs;
//   resize(), downloads: [format...], download(format), destroy(), titleButtons(make),
//   keys (false: no KeyPress), keyPaneData (false: KeyPress events carry pane_data: false).
// A new pane type: a folder with its module, registered below (docs/ui.md).
import embeddings from './embeddings/embeddings.js';
import image from './image/image.js';
import network from './network/network.js';
import plotHistory from './plot/history.js';
import plot from './plot/plot.js';
import properties from './properties/properties.js';
import text from './text/text.js';
import unknown from './unknown.js';

const registry = new Map();

function register(mod, ...aliases) {
  registry.set(mod.type, mod);
  for (const alias of aliases) registry.set(alias, mod);
}

register(plot);
register(plotHistory);
register(image, 'image_history');
register(text);
register(properties);
register(network);
register(embeddings);

/** The pane module for a window type (a placeholder for types this UI does not know). */
export function paneType(type) {
  return registry.get(type) || unknown;
}
