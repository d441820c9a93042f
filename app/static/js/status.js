// The connection indicator and a small message area for errors and confirmations.

export function setOnline(online) {
  const el = document.getElementById('connection');
  if (!el) return;
  el.classList.toggle('online', online);
  el.classList.toggle('offline', !online);
  el.textContent = online ? 'online' : 'offline';
  el.title = online ? 'Connected to the server' : 'Not connected: retrying';
  document.body.dataset.connection = online ? 'online' : 'offline';
}

let timer = null;

/** Show a short message (kind: 'info' or 'error') for a few seconds. */
export function notify(message, kind = 'info') {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = message;
  el.className = `toast toast-${kind}`;
  el.hidden = false;
  clearTimeout(timer);
  timer = setTimeout(() => {
    el.hidden = true;
  }, 5000);
  if (kind === 'error') console.error(message);
}
