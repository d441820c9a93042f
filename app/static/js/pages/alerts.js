// Entry point of the alerts page ({base}/alerts): the stored alert rules (each can be
// deleted) and the history of fired alerts, newest first. New alerts arrive over the
// socket (`alert`) and are added at the top; the rules are read again every few seconds.
import { alertText, askNotifications, clearAlertCount, watchAlerts } from '../lib/alerts.js';
import { envUrl, page, url } from '../lib/page.js';
import { connect } from '../lib/socket.js';

const $ = (id) => document.getElementById(id);
const RULES_POLL_MS = 5000;
const shown = new Set();

function showError(message) {
  $('alerts-error').hidden = !message;
  $('alerts-error').textContent = message || '';
}

async function getJSON(path) {
  const resp = await fetch(url(path), { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!resp.ok) throw new Error(`could not read ${path} (${resp.status})`);
  return resp.json();
}

function cell(tr, value, cls) {
  const td = document.createElement('td');
  if (cls) td.className = cls;
  if (value instanceof Node) td.append(value);
  else td.textContent = value == null ? '' : String(value);
  tr.append(td);
  return td;
}

function link(text, href) {
  const a = document.createElement('a');
  a.href = href;
  a.textContent = text;
  return a;
}

function when(seconds) {
  return Number.isFinite(seconds) ? new Date(seconds * 1000).toLocaleString() : '';
}

function describe(rule) {
  if (rule.description) return rule.description;
  const where = rule.trace ? ` (trace ${rule.trace})` : '';
  switch (rule.kind) {
    case 'nan':
      return `gets NaN or ±Inf${where}`;
    case 'above':
    case 'below':
      return `${rule.kind} ${rule.threshold}${rule.smoothing ? ` (smoothed ${rule.smoothing})` : ''}${where}`;
    case 'stalled':
      return `no new point for ${rule.minutes} min`;
    default:
      return 'run crashed or failed';
  }
}

async function deleteRule(id) {
  const resp = await fetch(url(`/api/alert_rules/${encodeURIComponent(id)}`), { method: 'DELETE', credentials: 'same-origin' });
  if (!resp.ok) {
    const answer = await resp.json().catch(() => ({}));
    throw new Error(answer.error || `could not delete the rule (${resp.status})`);
  }
}

function renderRules(rules) {
  const body = $('rules-table').tBodies[0];
  body.replaceChildren();
  for (const rule of rules) {
    const tr = document.createElement('tr');
    tr.dataset.rule = rule.id;
    cell(tr, link(rule.eid, envUrl(rule.eid)), 'env');
    cell(tr, rule.win ?? (rule.kind === 'run' ? 'the run' : 'any window'));
    cell(tr, `${rule.kind}: ${describe(rule)}`);
    cell(tr, when(rule.created_at));
    const del = Object.assign(document.createElement('button'), { type: 'button', textContent: 'Delete' });
    del.className = 'rule-delete';
    del.disabled = Boolean(page.readonly);
    del.addEventListener('click', async () => {
      try {
        await deleteRule(rule.id);
        await loadRules();
      } catch (err) {
        showError(err.message);
      }
    });
    cell(tr, del);
    body.append(tr);
  }
  $('rules-empty').hidden = rules.length > 0;
}

function addAlert(alert, fresh) {
  if (!alert || shown.has(alert.id)) return;
  shown.add(alert.id);
  const tr = document.createElement('tr');
  tr.dataset.alert = alert.id;
  if (fresh) tr.className = 'fresh';
  cell(tr, when(alert.time));
  const level = document.createElement('span');
  level.className = `alert-level alert-level-${alert.level}`;
  level.textContent = alert.level;
  cell(tr, level);
  cell(tr, alert.url ? link(alertText(alert), alert.url) : alertText(alert));
  cell(tr, alert.eid, 'env');
  cell(tr, alert.win);
  cell(tr, alert.trace);
  cell(tr, alert.step);
  cell(tr, alert.value);
  $('history-table').tBodies[0].prepend(tr);
  $('history-empty').hidden = true;
}

async function loadRules() {
  const { rules } = await getJSON('/api/alert_rules');
  renderRules(rules || []);
}

async function start() {
  const interval = Number(page.alert_interval) || 600;
  $('alerts-interval').textContent = interval >= 60 ? `${+(interval / 60).toFixed(1)} min` : `${interval} s`;
  const notify = $('alerts-notify');
  const showPermission = () => {
    const p = 'Notification' in window ? Notification.permission : 'unsupported';
    notify.dataset.permission = p;
    notify.textContent = p === 'granted' ? 'Browser notifications: on' : 'Browser notifications';
    notify.disabled = p !== 'default';
  };
  showPermission();
  notify.addEventListener('click', async () => {
    await askNotifications();
    showPermission();
  });
  const socket = connect();
  watchAlerts(socket);
  socket.on('alert', (alert) => addAlert(alert, true));
  clearAlertCount();
  try {
    const { alerts } = await getJSON('/api/alerts');
    for (const alert of alerts || []) addAlert(alert, false);
    $('history-empty').hidden = (alerts || []).length > 0;
    await loadRules();
    document.body.dataset.ready = '1';
  } catch (err) {
    showError(err.message);
  }
  setInterval(() => {
    if (!document.hidden) loadRules().catch((err) => showError(err.message));
  }, RULES_POLL_MS);
}

start();
