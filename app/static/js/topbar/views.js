// Saved views (layouts) of the open env: select, save (also under a new name: fork),
// delete, and repack. Stored on the server as {env: {view: {win: [order, h, w]}}}.
import { api } from '../lib/api.js';
import { notify } from '../lib/status.js';

const CURRENT = '';

export class Views {
  constructor(workspace, { readonly }) {
    this.ws = workspace;
    this.readonly = readonly;
    this.all = {};
    this.select = document.getElementById('view-select');
    this.dialog = document.getElementById('view-dialog');
    this.nameInput = document.getElementById('view-name');
    this.select?.addEventListener('change', () => this.choose(this.select.value));
    document.getElementById('view-repack')?.addEventListener('click', () => this.ws.repack());
    document.getElementById('view-save')?.addEventListener('click', () => this.openSave());
    document.getElementById('view-delete')?.addEventListener('click', () => this.remove());
    document.getElementById('view-save-confirm')?.addEventListener('click', (ev) => {
      ev.preventDefault();
      this.save(this.nameInput.value.trim());
    });
    document.getElementById('view-cancel')?.addEventListener('click', () => this.dialog.close());
  }

  get env() {
    return this.ws.compare ? null : this.ws.eid;
  }

  envViews() {
    const v = this.env != null ? this.all[this.env] : null;
    return v && typeof v === 'object' ? v : {};
  }

  setViews(views) {
    this.all = views && typeof views === 'object' ? views : {};
    this.render();
  }

  render() {
    if (!this.select) return;
    const chosen = this.select.value;
    const names = Object.keys(this.envViews()).sort();
    const opts = [[CURRENT, 'current layout'], ...names.map((n) => [n, n])].map(([value, label]) => {
      const o = document.createElement('option');
      o.value = value;
      o.textContent = label;
      return o;
    });
    this.select.replaceChildren(...opts);
    this.select.value = names.includes(chosen) ? chosen : CURRENT;
    this.select.disabled = this.env == null;
    const del = document.getElementById('view-delete');
    if (del) del.disabled = this.select.value === CURRENT;
  }

  choose(name) {
    const spec = this.envViews()[name];
    if (spec) this.ws.applyView(spec);
    this.render();
  }

  openSave() {
    if (this.env == null) return;
    this.nameInput.value = this.select.value || '';
    this.dialog.showModal();
    this.nameInput.focus();
  }

  async save(name) {
    if (!name) {
      notify('A view needs a name', 'error');
      return;
    }
    const views = structuredClone(this.all);
    views[this.env] = { ...(views[this.env] || {}), [name]: this.ws.viewSpec() };
    await this.store(views, `Saved view "${name}"`);
    this.dialog.close();
    this.select.value = name;
    this.render();
  }

  async remove() {
    const name = this.select.value;
    if (!name || this.env == null) return;
    const views = structuredClone(this.all);
    delete views[this.env]?.[name];
    if (views[this.env] && !Object.keys(views[this.env]).length) delete views[this.env];
    this.select.value = CURRENT;
    await this.store(views, `Deleted view "${name}"`);
  }

  async store(views, message) {
    try {
      await api.putViews(views);
      this.setViews(views);
      notify(message);
    } catch (err) {
      notify(err.message, 'error');
    }
  }
}
