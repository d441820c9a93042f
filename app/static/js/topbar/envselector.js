// The env selector: a dropdown with a search box and the env tree; a click on a name opens
// that env, ticking several and pressing Compare opens the compare view.
import { url } from '../lib/page.js';
import { buildTree } from './envtree.js';

export class EnvSelector {
  /** @param {{onOpen: (eids: string[]) => void}} handlers */
  constructor(root, { onOpen }) {
    this.onOpen = onOpen;
    this.button = root.querySelector('#env-button');
    this.current = root.querySelector('#env-current');
    this.menu = root.querySelector('#env-menu');
    this.search = root.querySelector('#env-search');
    this.tree = root.querySelector('#env-tree');
    this.compareBtn = root.querySelector('#env-compare');
    this.envs = [];
    this.active = [];
    this.checked = new Set();
    this.runs = new Map(); // eid -> {status, last_seen} of its experiment (GET /api/experiments)

    this.button.addEventListener('click', () => this.toggle());
    this.search.addEventListener('input', () => this.renderTree());
    this.search.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') this.toggle(false);
      if (ev.key === 'Enter') {
        const first = this.tree.querySelector('.env-name');
        if (first) first.click();
      }
    });
    this.compareBtn.addEventListener('click', () => {
      const eids = [...this.checked].filter((e) => this.envs.includes(e)).sort();
      if (eids.length >= 2) {
        this.toggle(false);
        this.onOpen(eids);
      }
    });
    // One listener for every row (a server may hold thousands of envs: no closure per row).
    this.tree.addEventListener('click', (ev) => {
      const name = ev.target.closest('.env-name');
      if (!name) return;
      this.toggle(false);
      this.onOpen([name.closest('.env-entry').dataset.env]);
    });
    this.tree.addEventListener('change', (ev) => {
      const box = ev.target.closest('.env-check');
      const row = box?.closest('.env-entry');
      if (!row) return;
      const eids = row.envChildren || [row.dataset.env];
      for (const eid of eids) {
        if (box.checked) this.checked.add(eid);
        else this.checked.delete(eid);
      }
      if (row.envChildren) this.renderTree();
      else this.updateCompare();
    });
    document.addEventListener('click', (ev) => {
      if (!root.contains(ev.target)) this.toggle(false);
    });
  }

  toggle(open = this.menu.hidden) {
    this.menu.hidden = !open;
    this.button.setAttribute('aria-expanded', String(open));
    if (open) {
      this.checked = new Set(this.active.length > 1 ? this.active : []);
      this.renderTree();
      this.search.focus();
      this.readRuns();
    }
  }

  /** Read the runs' status (running, finished, failed, crashed) to show next to env names. */
  async readRuns() {
    try {
      const resp = await fetch(url('/api/experiments'), { credentials: 'same-origin' });
      if (!resp.ok) return;
      const { experiments } = await resp.json();
      this.runs = new Map((experiments || []).map((e) => [String(e.eid), e.experiment || {}]));
      if (!this.menu.hidden) this.renderTree();
    } catch (err) {
      console.warn('could not read the runs', err);
    }
  }

  setEnvs(envs) {
    this.envs = [...envs].map(String);
    if (!this.menu.hidden) this.renderTree();
  }

  setActive(eids) {
    this.active = eids.slice();
    this.current.textContent = eids.length ? eids.join(' + ') : '(no env)';
    this.button.title = this.current.textContent;
  }

  renderTree() {
    const nodes = buildTree(this.envs, this.search.value);
    const items = [];
    for (const node of nodes) {
      const li = document.createElement('li');
      li.className = 'env-root';
      li.append(node.isEnv ? this.entry(node.root) : this.group(node));
      if (node.children.length) {
        const ul = document.createElement('ul');
        for (const child of node.children) {
          const cli = document.createElement('li');
          cli.append(this.entry(child));
          ul.append(cli);
        }
        li.append(ul);
      }
      items.push(li);
    }
    if (!items.length) {
      const li = document.createElement('li');
      li.className = 'env-empty';
      li.textContent = 'No env matches';
      items.push(li);
    }
    this.tree.replaceChildren(...items);
    this.updateCompare();
  }

  /** A row for one env: a checkbox (for compare) and its name (opens it). */
  entry(eid) {
    const row = document.createElement('div');
    row.className = 'env-entry';
    row.dataset.env = eid;
    if (this.active.length === 1 && this.active[0] === eid) row.classList.add('active');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.className = 'env-check';
    box.title = 'Select to compare';
    box.checked = this.checked.has(eid);
    const name = document.createElement('button');
    name.type = 'button';
    name.className = 'env-name';
    name.textContent = eid;
    row.append(box, name);
    const run = this.runs.get(eid);
    if (run && run.status) {
      const badge = document.createElement('span');
      badge.className = `env-run-status env-run-${run.status}`;
      badge.textContent = run.status;
      if (typeof run.last_seen === 'number') badge.title = `last seen ${new Date(run.last_seen * 1000).toLocaleString()}`;
      row.append(badge);
    }
    return row;
  }

  /** A root that is not an env itself: its name, ticking it ticks all its children. */
  group(node) {
    const row = document.createElement('div');
    row.className = 'env-entry env-group';
    row.envChildren = node.children;
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.className = 'env-check';
    box.title = 'Select all to compare';
    box.checked = node.children.length > 0 && node.children.every((c) => this.checked.has(c));
    const name = document.createElement('span');
    name.className = 'env-group-name';
    name.textContent = node.root;
    row.append(box, name);
    return row;
  }

  updateCompare() {
    const envs = new Set(this.envs);
    const n = [...this.checked].filter((e) => envs.has(e)).length;
    this.compareBtn.disabled = n < 2;
    this.compareBtn.textContent = n >= 2 ? `Compare ${n} envs` : 'Compare (tick 2 or more)';
  }
}
