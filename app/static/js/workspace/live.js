// The one message path from the server to a workspace, used by the env page and the
// single-window page alike: socket event -> sequence check (Workspace.receive: stale
// messages ignored, a gap resyncs) -> window state (winstate.js) -> pane draw. Every env
// message the server numbers (docs/socket-protocol.md) is subscribed here, so that no page
// sees a gap where a message it did not listen to went by.
import { watchAlerts } from '../lib/alerts.js';
import { showNotification } from '../lib/toast.js';

/** The env messages the server numbers with `seq`, and the workspace handler of each. */
const NUMBERED = {
  window: 'onWindow',
  window_update: 'onWindowUpdate',
  close: 'onClose',
  layout: 'onLayout',
  env_reset: 'onEnvReset',
  view_settings: 'onViewSettings',
  experiment: 'onExperiment',
};

/**
 * Wire `workspace` to `socket`: `onConnect` on the first connect and every reconnect (it
 * (re)joins the env), the numbered env messages to the workspace, `notification` to a
 * toast, fired `alert`s to a toast and the title count (lib/alerts.js), and the page's
 * handlers for its other messages (`on`: {event: handler}).
 */
export function wireWorkspace(socket, workspace, { onConnect, on = {} }) {
  socket.on('connect', onConnect);
  for (const [event, handler] of Object.entries(NUMBERED)) {
    socket.on(event, (msg) => workspace[handler](msg));
  }
  socket.on('notification', (msg) => showNotification(msg));
  watchAlerts(socket);
  for (const [event, handler] of Object.entries(on)) socket.on(event, handler);
}
