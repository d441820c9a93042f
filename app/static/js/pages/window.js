// Entry point of the single-window page ({base}/window/<eid>/<win>), the page a notebook
// embeds: the env's workspace restricted to one window, which fills the page and stays
// live (the page joins the env's room and follows its messages like the env page does).
import { connectionBadge } from '../lib/connection.js';
import { page } from '../lib/page.js';
import { connect } from '../lib/socket.js';
import { notify } from '../lib/status.js';
import { wireWorkspace } from '../workspace/live.js';
import { Workspace } from '../workspace/workspace.js';

/** A workspace that builds a pane for one window only; other windows' news is ignored. */
class WindowWorkspace extends Workspace {
  constructor(gridEl, socket, options, win) {
    super(gridEl, socket, options);
    this.only = win;
    // A filter is on: the layout is neither moved by the env's layout nor saved to it.
    this.filter = { test: () => true };
    this.grid.setStatic(true);
  }

  matches(pane) {
    return pane.id === this.only;
  }

  add(win) {
    return win.id === this.only ? super.add(win) : null;
  }

  applyWindow(msg) {
    if (msg.window?.id === this.only) super.applyWindow(msg);
  }

  applyWindowUpdate(msg) {
    if (msg.win === this.only) super.applyWindowUpdate(msg);
  }
}

performance.mark('visdom:modules'); // every module of the page fetched and evaluated
const eid = String(page.active_env || 'main');
const win = String(page.win || '');
const readonly = Boolean(page.readonly);
document.body.classList.toggle('readonly', readonly);

const socket = connect();
const workspace = new WindowWorkspace(
  document.getElementById('grid'),
  socket,
  { readonly, onError: (message) => notify(message, 'error'), onChange: () => showNote() },
  win,
);

function showNote() {
  const shown = workspace.panes.has(win);
  document.body.dataset.windows = String(workspace.panes.size);
  const note = document.getElementById('empty-note');
  note.hidden = shown;
  note.textContent = `There is no window "${win}" in env "${eid}" yet: it shows up here when it is created.`;
}

/** Open the env (its window comes over HTTP: workspace/join.js) and resync it. */
async function open() {
  const ok = await workspace.open([eid]);
  document.body.dataset.loaded = ok ? eid : '';
  showNote();
}

/** Every reconnect: rejoin the env (the first connect finds it opening, unless it gave up). */
let connected = false;
function onConnect() {
  const first = !connected;
  connected = true;
  if (!first || !workspace.loading) open();
}

connectionBadge(socket);
wireWorkspace(socket, workspace, { onConnect });
open();

window.visdomPage = { workspace, socket };
