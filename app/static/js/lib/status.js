// The connection indicator and short messages (toasts) for errors and confirmations.
import { toast } from './toast.js';

/** Show the connection state; `byHand`: the user disconnected (no retrying). */
export function setOnline(online, byHand = false) {
  const el = document.getElementById('connection');
  if (!el) return;
  el.classList.toggle('online', online);
  el.classList.toggle('offline', !online);
  el.textContent = online ? 'online' : 'offline';
  if (online) el.title = 'Connected to the server: click to disconnect';
  else if (byHand) el.title = 'Disconnected: click to reconnect';
  else el.title = 'Not connected: retrying (click to retry now)';
  document.body.dataset.connection = online ? 'online' : 'offline';
}

/** Show a short message (kind: 'info', 'success', 'warning' or 'error') as a toast. */
export function notify(message, kind = 'info') {
  toast(message, kind);
}
