// Short notifications (toasts): stacked in the bottom-right corner, each removed after a
// few seconds or when clicked. Text only (textContent), never HTML.

const DURATION_MS = { info: 4000, success: 4000, warning: 6000, error: 8000 };
const MAX_SHOWN = 5;

function container() {
  let el = document.getElementById('toasts');
  if (!el) {
    el = document.createElement('div');
    el.id = 'toasts';
    el.className = 'toasts';
    el.setAttribute('role', 'status');
    el.setAttribute('aria-live', 'polite');
    document.body.append(el);
  }
  return el;
}

/** The level of a toast: info, success, warning or error (anything else is info). */
function level(value) {
  return Object.hasOwn(DURATION_MS, value) ? value : 'info';
}

/**
 * Show `message` for a few seconds.
 * @param {string} message
 * @param {string} kind 'info' | 'success' | 'warning' | 'error'
 * @param {number} [duration] milliseconds (default: by kind)
 */
export function toast(message, kind = 'info', duration) {
  const box = container();
  const k = level(kind);
  const text = String(message ?? '');
  // The same news told twice (a server notification and the error ack of one request):
  // show it once.
  for (const shown of box.children) {
    const t = shown.textContent;
    if (t && text && (t.includes(text) || text.includes(t))) return shown;
  }
  const el = document.createElement('div');
  el.className = `toast toast-${k}`;
  el.dataset.level = k;
  el.textContent = text;
  el.title = 'Click to dismiss';
  el.addEventListener('click', () => el.remove());
  box.append(el);
  while (box.children.length > MAX_SHOWN) box.firstElementChild.remove();
  const ms = Number.isFinite(duration) && duration > 0 ? duration : DURATION_MS[k];
  setTimeout(() => el.remove(), ms);
  if (k === 'error') console.warn(el.textContent);
  return el;
}

/** Show a server `notification` message: {level, message} (upstream: {type, message, duration}). */
export function showNotification(msg) {
  const data = msg && typeof msg === 'object' && msg.data && typeof msg.data === 'object' ? msg.data : msg;
  if (!data || data.message == null) return null;
  return toast(data.message, data.level ?? data.type, Number(data.duration));
}
