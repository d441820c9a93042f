// Env management from the top bar: clear (eraser) and the manage dialog (fork, save, delete).
import { api } from '../lib/api.js';
import { notify } from '../lib/status.js';

export class EnvActions {
  /**
   * @param {object} workspace the Workspace (its eid is the env acted on)
   * @param {{open: (eids: string[]) => void, refreshEnvs: () => Promise<void>}} nav
   */
  constructor(workspace, nav) {
    this.ws = workspace;
    this.nav = nav;
    this.clearDialog = document.getElementById('clear-dialog');
    this.manageDialog = document.getElementById('manage-dialog');
    this.nameInput = document.getElementById('manage-name');
    this.error = document.getElementById('manage-error');

    document.getElementById('env-clear')?.addEventListener('click', () => this.openClear());
    document.getElementById('clear-confirm')?.addEventListener('click', (ev) => {
      ev.preventDefault();
      this.clear();
    });
    document.getElementById('clear-cancel')?.addEventListener('click', () => this.clearDialog.close());
    document.getElementById('env-manage')?.addEventListener('click', () => this.openManage());
    const on = (id, fn) =>
      document.getElementById(id)?.addEventListener('click', (ev) => {
        ev.preventDefault();
        fn();
      });
    on('manage-fork', () => this.fork());
    on('manage-save', () => this.save());
    on('manage-delete', () => this.remove());
    on('manage-cancel', () => this.manageDialog.close());
  }

  openClear() {
    if (this.ws.compare) return;
    document.getElementById('clear-env').textContent = this.ws.eid;
    this.clearDialog.showModal();
  }

  async clear() {
    const eid = this.ws.eid;
    try {
      await api.clearEnv(eid);
      notify(`Cleared env "${eid}"`);
    } catch (err) {
      notify(err.message, 'error');
    }
    this.clearDialog.close();
  }

  openManage() {
    if (this.ws.compare) return;
    document.getElementById('manage-env').textContent = this.ws.eid;
    document.getElementById('manage-delete').disabled = this.ws.eid === 'main';
    this.nameInput.value = this.ws.eid;
    this.error.textContent = '';
    this.manageDialog.showModal();
    this.nameInput.select();
  }

  async run(fn) {
    this.error.textContent = '';
    try {
      await fn();
      this.manageDialog.close();
    } catch (err) {
      this.error.textContent = err.message;
    }
  }

  /** Copy the env under the name in the dialog and open the copy. */
  fork() {
    return this.run(async () => {
      const name = this.nameInput.value.trim();
      const eid = this.ws.eid;
      if (!name || name === eid) throw new Error('Type a new env name to fork into');
      await api.fork(eid, name);
      await this.nav.refreshEnvs();
      notify(`Forked "${eid}" into "${name}"`);
      this.nav.open([name]);
    });
  }

  /** Save the env (or, with a new name in the dialog, fork it like upstream's Save). */
  save() {
    const name = this.nameInput.value.trim();
    if (name && name !== this.ws.eid) return this.fork();
    return this.run(async () => {
      const saved = await api.save(this.ws.eid);
      if (Array.isArray(saved) && !saved.includes(this.ws.eid)) {
        throw new Error(`The server did not save "${this.ws.eid}"`);
      }
      notify(`Saved env "${this.ws.eid}"`);
    });
  }

  remove() {
    return this.run(async () => {
      const eid = this.ws.eid;
      if (eid === 'main') throw new Error('The main env cannot be deleted');
      await api.deleteEnv(eid);
      await this.nav.refreshEnvs();
      notify(`Deleted env "${eid}"`);
      this.nav.open(['main']);
    });
  }
}
