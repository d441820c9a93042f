// Fired alerts on every open page: the server sends `alert` to every socket (docs/
// socket-protocol.md). Each shows a toast, counts in the page title ("(2) visdom") until
// the page is looked at again, and becomes a browser notification when the user allowed
// them (asked only on a click: askNotifications, the /alerts page's button).
import { toast } from './toast.js';

const LEVELS = { info: 'info', warn: 'warning', error: 'error' };
let unseen = 0;
let baseTitle = null;

function showCount() {
  if (baseTitle === null) baseTitle = document.title;
  document.title = unseen ? `(${unseen}) ${baseTitle}` : baseTitle;
  document.body.dataset.alerts = String(unseen);
}

/** Forget the unseen count (the user looked: focus, a click on a toast, the /alerts page). */
export function clearAlertCount() {
  unseen = 0;
  showCount();
}

/** The one-line text of an alert for a toast or a notification body. */
export function alertText(alert) {
  return [alert.title, alert.text].filter(Boolean).join(': ');
}

/** Show one fired alert: toast, title count, browser notification when allowed. */
export function showAlert(alert) {
  if (!alert || typeof alert !== 'object') return;
  unseen += 1;
  showCount();
  const el = toast(alertText(alert), LEVELS[alert.level] || 'info', 15000);
  el.classList.add('toast-alert');
  el.addEventListener('click', clearAlertCount);
  if ('Notification' in window && Notification.permission === 'granted') {
    try {
      const note = new Notification(alert.title || 'visdom alert', { body: alert.text || '', tag: alert.id });
      note.onclick = () => {
        window.focus();
        if (alert.url) window.location.href = alert.url;
      };
    } catch (err) {
      console.warn('notification failed', err);
    }
  }
}

/** Listen for alerts on `socket` (every page with a socket calls this once). */
export function watchAlerts(socket) {
  socket.on('alert', showAlert);
  window.addEventListener('focus', clearAlertCount);
}

/** Ask for the browser's permission to notify (call from a click handler only). */
export async function askNotifications() {
  if (!('Notification' in window)) return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}
