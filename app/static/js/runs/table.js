// The runs table's DOM (pages/runs.js keeps the data): a sortable header and a virtualized
// body. Only the rows in (and near) the scrolled view exist as elements, between two
// spacer rows that keep the scroll height, so 1,000 runs sort, filter and scroll as fast
// as 30 (docs/ui.md, "Runs table").
import { envUrl } from '../lib/page.js';
import { text } from './data.js';

const OVERSCAN = 10; // rows drawn beyond each edge of the view
const FALLBACK_ROW_PX = 25;

function checkbox(label, onChange) {
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.setAttribute('aria-label', label);
  box.addEventListener('change', onChange);
  return box;
}

export class RunsTable {
  /**
   * @param {HTMLTableElement} table
   * @param {HTMLElement} scroller the element that scrolls the table
   * @param {object} hooks {selected: Set, onSort(id), onSelect(), onBest(key)}
   */
  constructor(table, scroller, hooks) {
    this.table = table;
    this.scroller = scroller;
    this.hooks = hooks;
    this.shown = [];
    this.cols = [];
    this.sort = { id: 'env', dir: 'asc' };
    this.rowPx = 0;
    this.range = [0, 0];
    let frame = 0;
    scroller.addEventListener('scroll', () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        this.renderBody(false);
      });
    });
    window.addEventListener('resize', () => this.renderBody(false));
  }

  /** Show `shown` runs with columns `cols`, sorted as `sort` says. */
  set(shown, cols, sort) {
    this.shown = shown;
    this.cols = cols;
    this.sort = sort;
    this.renderHead();
    this.renderBody(true);
  }

  renderHead() {
    const row = document.createElement('tr');
    const all = document.createElement('th');
    all.className = 'runs-select';
    const box = checkbox('Select every shown run', () => {
      for (const r of this.shown) box.checked ? this.hooks.selected.add(r.eid) : this.hooks.selected.delete(r.eid);
      this.renderBody(true);
      this.hooks.onSelect();
    });
    box.id = 'runs-select-all';
    all.append(box);
    row.append(all);
    for (const col of this.cols) {
      const th = document.createElement('th');
      th.dataset.col = col.id;
      th.className = `runs-col-${col.kind}`;
      const sorted = this.sort.id === col.id;
      const dir = this.sort.dir === 'asc' ? 'ascending' : 'descending';
      th.setAttribute('aria-sort', sorted ? dir : 'none');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'runs-sort';
      button.title = `Sort by ${col.label}`;
      button.textContent = col.label + (sorted ? (this.sort.dir === 'asc' ? ' \u25b2' : ' \u25bc') : '');
      button.addEventListener('click', () => this.hooks.onSort(col.id));
      th.append(button);
      if (col.agg === 'best') {
        const flip = document.createElement('button');
        flip.type = 'button';
        flip.className = 'runs-best-dir';
        flip.textContent = col.dir === 'min' ? '\u2193' : '\u2191';
        flip.title = `Best is the ${col.dir}imum: click for the ${col.dir === 'min' ? 'max' : 'min'}imum`;
        flip.setAttribute('aria-label', `Best of ${col.key}: switch min/max`);
        flip.addEventListener('click', () => this.hooks.onBest(col.key));
        th.append(flip);
      }
      row.append(th);
    }
    this.table.tHead.replaceChildren(row);
    this.syncAll();
  }

  syncAll() {
    const all = this.table.querySelector('#runs-select-all');
    if (all) all.checked = this.shown.length > 0 && this.shown.every((r) => this.hooks.selected.has(r.eid));
  }

  /** The rows [first, last) the view needs. */
  window() {
    const n = this.shown.length;
    const rowPx = this.rowPx || FALLBACK_ROW_PX;
    const height = this.scroller.clientHeight || window.innerHeight;
    // A filter that leaves fewer rows than the scroll position: the view is their end.
    const scrolled = Math.max(0, this.scroller.scrollTop - (this.table.tHead.offsetHeight || 0));
    const top = Math.min(scrolled, Math.max(0, n * rowPx - height));
    const first = Math.max(0, Math.floor(top / rowPx) - OVERSCAN);
    const last = Math.min(n, Math.ceil((top + height) / rowPx) + OVERSCAN);
    return [first, last];
  }

  /** Draw the rows in view (`force`: even when the same rows are drawn already). */
  renderBody(force) {
    const [first, last] = this.window();
    if (!force && first === this.range[0] && last === this.range[1]) return;
    this.range = [first, last];
    const rowPx = this.rowPx || FALLBACK_ROW_PX;
    const rows = [];
    if (first > 0) rows.push(this.spacer(first * rowPx));
    for (let i = first; i < last; i++) rows.push(this.row(this.shown[i]));
    if (last < this.shown.length) rows.push(this.spacer((this.shown.length - last) * rowPx));
    this.table.tBodies[0].replaceChildren(...rows);
    if (!this.rowPx && last > first) {
      // Measured once from a drawn row: the spacers then hold the exact scroll height.
      const drawn = this.table.tBodies[0].querySelector('tr[data-eid]:not([data-eid=""])');
      if (drawn?.offsetHeight) {
        this.rowPx = drawn.offsetHeight;
        this.renderBody(true);
        return;
      }
    }
    this.syncAll();
    this.table.dataset.drawn = String(last - first);
  }

  spacer(px) {
    const tr = document.createElement('tr');
    tr.className = 'runs-spacer';
    tr.dataset.eid = ''; // not a run
    tr.setAttribute('aria-hidden', 'true');
    const td = document.createElement('td');
    td.colSpan = this.cols.length + 1;
    td.style.height = `${px}px`;
    tr.append(td);
    return tr;
  }

  row(run) {
    const tr = document.createElement('tr');
    tr.dataset.eid = run.eid;
    tr.dataset.status = run.status;
    const selected = this.hooks.selected;
    tr.classList.toggle('selected', selected.has(run.eid));
    const pick = document.createElement('td');
    pick.className = 'runs-select';
    const box = checkbox(`Select run ${run.name}`, () => {
      box.checked ? selected.add(run.eid) : selected.delete(run.eid);
      tr.classList.toggle('selected', box.checked);
      this.syncAll();
      this.hooks.onSelect();
    });
    box.className = 'run-select';
    box.dataset.eid = run.eid;
    box.checked = selected.has(run.eid);
    pick.append(box);
    tr.append(pick);
    for (const col of this.cols) tr.append(cell(run, col));
    return tr;
  }
}

function cell(run, col) {
  const td = document.createElement('td');
  td.dataset.col = col.id;
  const value = col.value(run);
  if (col.id === 'env') {
    const a = document.createElement('a');
    a.href = envUrl(run.eid);
    a.textContent = run.eid;
    td.append(a);
  } else if (col.id === 'status') {
    const badge = document.createElement('span');
    badge.className = `run-status run-status-${run.status}`;
    badge.textContent = run.status;
    if (run.lastSeen != null) badge.title = `last seen ${new Date(run.lastSeen * 1000).toLocaleString()}`;
    td.append(badge);
  } else if (col.id === 'tags') {
    for (const [k, v] of Object.entries(run.tags)) {
      const chip = document.createElement('span');
      chip.className = 'run-tag';
      chip.textContent = v === '' || v == null ? k : `${k}=${text(v)}`;
      td.append(chip);
    }
  } else {
    td.textContent = text(value);
    if (typeof value === 'number') td.className = 'num';
    if (col.stepOf && value !== null) td.title = `at step ${text(col.stepOf(run))}`;
    else if (col.kind === 'metric' && run.metrics[col.key]) {
      const m = run.metrics[col.key];
      td.title = `${m.count} values, last at step ${text(m.step) || '\u2014'}`;
    } else if (typeof value === 'object' && value !== null) td.title = text(value);
  }
  if (col.id === 'name' && run.description) td.title = run.description;
  return td;
}
