// Entry point of the env page: reads the page data, connects the socket, and wires the
// top bar (env selector, env actions, views, filter) to the window workspace.
import { api } from '../lib/api.js';
import { connectionBadge } from '../lib/connection.js';
import { base, compareUrl, envUrl, page } from '../lib/page.js';
import { connect } from '../lib/socket.js';
import { notify } from '../lib/status.js';
import { initTheme } from '../lib/theme.js';
import { initHoverSync } from '../panes/plot/hoversync.js';
import { initViewControls } from '../panes/plot/viewstate.js';
import { EnvActions } from '../topbar/envactions.js';
import { EnvIO } from '../topbar/envio.js';
import { EnvSelector } from '../topbar/envselector.js';
import { envsFromPath } from '../topbar/envtree.js';
import { Undo } from '../topbar/undo.js';
import { Views } from '../topbar/views.js';
import { wireWorkspace } from '../workspace/live.js';
import { installResizeReset } from '../workspace/resizereset.js';
import { Workspace } from '../workspace/workspace.js';

performance.mark('visdom:modules'); // every module of the page fetched and evaluated
const readonly = Boolean(page.readonly);
document.body.classList.toggle('readonly', readonly);
initTheme(document.getElementById('theme-select'));
initHoverSync(document.getElementById('sync-hover'));

function initialEnvs() {
  if (Array.isArray(page.compare) && page.compare.length > 1) return page.compare.map(String);
  if (page.active_env) return [String(page.active_env)];
  const fromPath = envsFromPath(location.pathname.slice(base.length));
  return fromPath || ['main'];
}

const socket = connect();
const workspace = new Workspace(document.getElementById('grid'), socket, {
  readonly,
  onError: (message) => notify(message, 'error'),
  onJoin: (ack) => undo.onJoin(ack),
  onChange: () => showNote(),
});
const selector = new EnvSelector(document.getElementById('env-selector'), { onOpen: navigate });
const views = new Views(workspace, { readonly });
new EnvActions(workspace, { open: navigate, refreshEnvs });
const undo = new Undo(workspace, document.getElementById('env-undo'), { readonly });
const envio = new EnvIO(workspace, { open: navigate, refreshEnvs });
installResizeReset(workspace);
initViewControls({ socket, readonly });
const showAll = document.getElementById('show-all');
showAll?.addEventListener('change', () => {
  workspace.showAll = showAll.checked;
  if (workspace.compare) show(workspace.eids);
});

let envs = Array.isArray(page.envs) ? page.envs.map(String) : [];
selector.setEnvs(envs);
views.setViews(page.views || {});

async function refreshEnvs() {
  try {
    envs = (await api.envList()).map(String);
    selector.setEnvs(envs);
  } catch (err) {
    notify(err.message, 'error');
  }
}

/** Show env(s) and make the URL shareable (/env/<eid> or /compare/<a+b>). */
function navigate(eids, push = true) {
  const target = eids.length > 1 ? compareUrl(eids) : envUrl(eids[0]);
  if (push && location.pathname !== target) history.pushState({ eids }, '', target);
  show(eids);
}

async function show(eids) {
  selector.setActive(eids);
  document.body.classList.toggle('compare', eids.length > 1);
  document.title = `${eids.join(' + ')} - visdom`;
  const filter = document.getElementById('filter');
  if (filter && filter.value) {
    filter.value = '';
    workspace.setFilter('');
  }
  const opening = workspace.open(eids);
  envio.render();
  undo.render();
  const ok = await opening;
  views.render();
  document.body.dataset.loaded = ok ? eids.join('+') : '';
  showNote();
}

/** The note under an empty workspace (also after a resync found the env deleted). */
function showNote() {
  document.body.dataset.windows = String(workspace.panes.size);
  document.body.dataset.missing = workspace.missing ? 'true' : '';
  const note = document.getElementById('empty-note');
  if (!note) return;
  note.hidden = workspace.panes.size > 0;
  note.textContent = workspace.missing
    ? `There is no env "${workspace.eids.join('", "')}" yet: its windows show up here when it is created.`
    : 'This env has no windows yet.';
}

window.addEventListener('popstate', (ev) => {
  const eids = ev.state?.eids || envsFromPath(location.pathname.slice(base.length)) || ['main'];
  show(eids);
});

const filterInput = document.getElementById('filter');
filterInput?.addEventListener('input', () => workspace.setFilter(filterInput.value));

/**
 * Every reconnect: rejoin and resync the windows. The first connect finds them opening
 * (the join waited for it in the socket's buffer), unless that open gave up meanwhile.
 */
let connected = false;
function onConnect() {
  const first = !connected;
  connected = true;
  if (first && workspace.loading) return;
  workspace.open(workspace.eids).then((ok) => {
    if (ok) document.body.dataset.loaded = workspace.eids.join('+');
  });
  refreshEnvs();
}

connectionBadge(socket);
wireWorkspace(socket, workspace, {
  onConnect,
  on: {
    env_list: (msg) => {
      envs = (msg?.envs || []).map(String);
      selector.setEnvs(envs);
      if (workspace.missing && workspace.eids.every((e) => envs.includes(e))) show(workspace.eids);
    },
    views: (msg) => views.setViews(msg?.views || {}),
    undo_state: (msg) => undo.onState(msg),
  },
});

// Open the env now, not once the socket is connected: its windows come over HTTP
// (workspace/join.js) and its join waits in the socket's buffer until it connects.
const first = initialEnvs();
history.replaceState({ eids: first }, '', location.href);
show(first);

window.visdomPage = { workspace, socket, navigate };
