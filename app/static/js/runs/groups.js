// Group rows of the runs table (docs/ui.md, "Runs table"): the runs grouped by a param, a
// tag or a regex over env names (GET /api/runs/groups), each group's count and the mean
// ± 95% CI of every metric; two ticked groups get a difference readout (GET
// /api/runs/diff: the difference of the means, its 95% interval, n per group, method).
import { readJSON } from '../panes/plot/remote.js';
import { text } from './data.js';

const ci = (m) => (m && m.n ? `${text(m.mean)} [${text(m.lo)}, ${text(m.hi)}]` : '\u2014');

export class RunGroups {
  /**
   * @param {object} els {box, select, regex, table, error, diff}
   * @param {function} context () => {group choices, metric, agg, method, eids}
   */
  constructor(els, context) {
    this.els = els;
    this.context = context;
    this.picked = [];
    this.answer = null;
    this.ticket = 0;
    els.select.addEventListener('change', () => {
      els.regex.hidden = els.select.value !== 're';
      this.picked = [];
      this.refresh();
    });
    els.regex.addEventListener('change', () => {
      this.picked = [];
      this.refresh();
    });
  }

  /** The Group by value: '' (none), param:K, tag:K or re:REGEX. */
  group() {
    const v = this.els.select.value;
    if (v !== 're') return v;
    return this.els.regex.value ? `re:${this.els.regex.value}` : '';
  }

  /** Offer the params and tags the runs have (keeping the current choice). */
  choices(params, tags) {
    const s = this.els.select;
    const current = s.value;
    const pairs = [
      ['', 'none'],
      ...params.map((k) => [`param:${k}`, `param: ${k}`]),
      ...tags.map((k) => [`tag:${k}`, `tag: ${k}`]),
      ['re', 'regex over env names\u2026'],
    ];
    const key = JSON.stringify(pairs);
    if (s.dataset.options === key) return;
    s.dataset.options = key;
    s.replaceChildren(...pairs.map(([v, t]) => Object.assign(document.createElement('option'), { value: v, textContent: t })));
    s.value = pairs.some(([v]) => v === current) ? current : '';
  }

  /** Read the groups again (the runs or the question changed). */
  async refresh() {
    const group = this.group();
    const { agg, eids } = this.context();
    if (!group) {
      this.els.box.hidden = true;
      this.els.box.dataset.groups = '0';
      this.answer = null;
      return;
    }
    const q = new URLSearchParams({ group, agg });
    for (const eid of eids) q.append('eid', eid);
    const path = `/api/runs/groups?${q}`;
    const mine = ++this.ticket;
    const got = await readJSON(path);
    if (mine !== this.ticket) return;
    this.els.box.hidden = false;
    this.showError(got.error ? `Group by: ${got.error}` : '');
    this.answer = got.answer || null;
    this.render();
    await this.readDiff();
  }

  showError(message) {
    this.els.error.hidden = !message;
    this.els.error.textContent = message;
  }

  render() {
    const table = this.els.table;
    const groups = this.answer?.groups || [];
    const keys = [];
    for (const g of groups) for (const k of Object.keys(g.metrics || {})) if (!keys.includes(k)) keys.push(k);
    const head = document.createElement('tr');
    const th = (t) => Object.assign(document.createElement('th'), { textContent: t });
    head.append(th(''), th('Group'), th('Runs'), ...keys.map((k) => th(`${k} ${this.answer.agg}: mean [95% CI]`)));
    const rows = groups.map((g) => {
      const tr = document.createElement('tr');
      tr.dataset.group = g.name;
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.className = 'group-select';
      box.setAttribute('aria-label', `Select group ${g.name}`);
      box.checked = this.picked.includes(g.name);
      box.addEventListener('change', () => {
        this.picked = this.picked.filter((n) => n !== g.name);
        if (box.checked) this.picked.push(g.name);
        // Two groups at a time: the oldest pick makes way.
        if (this.picked.length > 2) this.picked = this.picked.slice(-2);
        this.render();
        this.readDiff();
      });
      const td = (t, cls) => Object.assign(document.createElement('td'), { textContent: t, className: cls || '' });
      const pick = td('', 'runs-select');
      pick.append(box);
      tr.append(pick, td(g.name), td(String(g.count), 'num'));
      for (const k of keys) {
        const cell = td(ci(g.metrics?.[k]), 'num');
        cell.dataset.metric = k;
        if (g.metrics?.[k]) cell.title = `n=${g.metrics[k].n} runs with ${k}`;
        tr.append(cell);
      }
      return tr;
    });
    const thead = document.createElement('thead');
    thead.append(head);
    const tbody = document.createElement('tbody');
    tbody.append(...rows);
    table.replaceChildren(thead, tbody);
    this.els.box.dataset.groups = String(groups.length);
    const missing = this.answer?.missing || [];
    this.els.box.dataset.missing = String(missing.length);
  }

  /** With two groups ticked: their difference for the chosen metric. */
  async readDiff() {
    const out = this.els.diff;
    const { metric, agg, method, eids } = this.context();
    this.picked = this.picked.filter((n) => (this.answer?.groups || []).some((g) => g.name === n));
    if (this.picked.length !== 2 || !metric) {
      out.hidden = false;
      out.className = 'runs-diff';
      out.textContent = metric ? 'Tick two groups to compare them.' : 'Choose a metric to compare groups.';
      out.dataset.ready = 'false';
      return;
    }
    const [a, b] = this.picked;
    const q = new URLSearchParams({ group: this.group(), a, b, metric, agg, method });
    for (const eid of eids) q.append('eid', eid);
    const mine = ++this.ticket;
    const got = await readJSON(`/api/runs/diff?${q}`);
    if (mine !== this.ticket) return;
    out.hidden = false;
    if (got.error) {
      out.className = 'runs-diff runs-error';
      out.textContent = `Difference: ${got.error}`;
      out.dataset.ready = 'error';
      return;
    }
    const d = got.answer;
    const zero = d.lo <= 0 && d.hi >= 0;
    out.className = 'runs-diff';
    out.textContent =
      `${metric} (${d.agg}): ${d.a.name} \u2212 ${d.b.name} = ${text(d.diff)}, 95% interval ` +
      `[${text(d.lo)}, ${text(d.hi)}] (${d.method === 'welch' ? "Welch's t" : 'bootstrap'}; ` +
      `n = ${d.a.n} and ${d.b.n}; means ${text(d.a.mean)} and ${text(d.b.mean)}) \u2014 ` +
      (zero ? 'the interval holds 0: no clear difference' : 'the interval excludes 0');
    out.dataset.ready = 'true';
    out.dataset.diff = String(d.diff);
    out.dataset.lo = String(d.lo);
    out.dataset.hi = String(d.hi);
  }
}
