// Entry point of the runs page ({base}/runs): every experiment of the server in one table,
// sortable by any column, filtered by text and status; selected runs open side by side
// (the compare view of their envs) or in a parallel-coordinates plot. The page reads
// GET {base}/api/experiments every page.poll_ms while it is visible, so new runs and
// metrics show up without a reload.
import { page, compareUrl, envUrl, url } from '../lib/page.js';
import { loadPlotly } from '../panes/plot/plot.js';
import { columns, compareValues, matches, sortRuns, summarize, text } from '../runs/data.js';
import { parcoordsFigure } from '../runs/parcoords.js';

const POLL_MS = Math.max(500, Number(page.poll_ms) || 3000);
const $ = (id) => document.getElementById(id);
const table = $('runs-table');
const filterBox = $('runs-filter');
const statusBox = $('runs-status');
const metricBox = $('runs-metric');
const aggBox = $('runs-agg');
const compareButton = $('runs-compare');
const plotButton = $('runs-parcoords');

const state = {
  runs: [],
  cols: [],
  shown: [],
  sort: { id: 'env', dir: 'asc' },
  selected: new Set(),
  plotOpen: false,
  lastText: null,
  polls: 0,
};

document.body.classList.toggle('readonly', Boolean(page.readonly));

// ---- reading -----------------------------------------------------------------------------

async function read() {
  const resp = await fetch(url('/api/experiments'), {
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  });
  if (!resp.ok) throw new Error(`could not read the runs (${resp.status} ${resp.statusText})`);
  return resp.text();
}

let timer = null;

async function poll() {
  clearTimeout(timer);
  timer = null;
  try {
    const body = await read();
    showError('');
    state.polls += 1;
    document.body.dataset.polls = String(state.polls);
    if (body !== state.lastText) {
      state.lastText = body;
      const records = JSON.parse(body).experiments || [];
      state.runs = records.map(summarize);
      state.cols = columns(state.runs);
      render();
    }
  } catch (err) {
    showError(err.message);
  }
  document.body.dataset.loaded = 'true';
  if (!document.hidden) timer = setTimeout(poll, POLL_MS);
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && timer === null) poll();
});

function showError(message) {
  const el = $('runs-error');
  el.hidden = !message;
  el.textContent = message;
}

// ---- the table ---------------------------------------------------------------------------

function render() {
  const col = state.cols.find((c) => c.id === state.sort.id) || state.cols[0];
  const visible = state.runs.filter((r) => matches(r, filterBox.value, statusBox.value));
  state.shown = sortRuns(visible, col, state.sort.dir);
  renderHead();
  renderBody();
  renderMetricChoice();
  renderControls();
  if (state.plotOpen) drawPlot();
}

function renderHead() {
  const row = document.createElement('tr');
  const all = document.createElement('th');
  all.className = 'runs-select';
  const box = checkbox('Select every shown run', () => {
    for (const r of state.shown) box.checked ? state.selected.add(r.eid) : state.selected.delete(r.eid);
    renderBody();
    selectionChanged();
  });
  box.id = 'runs-select-all';
  box.checked = state.shown.length > 0 && state.shown.every((r) => state.selected.has(r.eid));
  all.append(box);
  row.append(all);
  for (const col of state.cols) {
    const th = document.createElement('th');
    th.dataset.col = col.id;
    th.className = `runs-col-${col.kind}`;
    const sorted = state.sort.id === col.id;
    th.setAttribute('aria-sort', sorted ? (state.sort.dir === 'asc' ? 'ascending' : 'descending') : 'none');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'runs-sort';
    button.title = `Sort by ${col.label}`;
    button.textContent = col.label + (sorted ? (state.sort.dir === 'asc' ? ' \u25b2' : ' \u25bc') : '');
    button.addEventListener('click', () => sortBy(col.id));
    th.append(button);
    row.append(th);
  }
  table.tHead.replaceChildren(row);
}

function renderBody() {
  const rows = state.shown.map((run) => {
    const tr = document.createElement('tr');
    tr.dataset.eid = run.eid;
    tr.dataset.status = run.status;
    tr.classList.toggle('selected', state.selected.has(run.eid));
    const pick = document.createElement('td');
    pick.className = 'runs-select';
    const box = checkbox(`Select run ${run.name}`, () => {
      box.checked ? state.selected.add(run.eid) : state.selected.delete(run.eid);
      tr.classList.toggle('selected', box.checked);
      const all = $('runs-select-all');
      if (all) all.checked = state.shown.every((r) => state.selected.has(r.eid));
      selectionChanged();
    });
    box.className = 'run-select';
    box.dataset.eid = run.eid;
    box.checked = state.selected.has(run.eid);
    pick.append(box);
    tr.append(pick);
    for (const col of state.cols) tr.append(cell(run, col));
    return tr;
  });
  table.tBodies[0].replaceChildren(...rows);
  const all = $('runs-select-all');
  if (all) all.checked = state.shown.length > 0 && state.shown.every((r) => state.selected.has(r.eid));
  document.body.dataset.runs = String(state.shown.length);
  $('runs-count').textContent = `${state.shown.length} of ${state.runs.length} runs`;
  $('runs-empty').hidden = state.runs.length > 0;
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
    if (col.kind === 'metric' && run.metrics[col.key]) {
      const m = run.metrics[col.key];
      td.title = `${m.count} values, last at step ${text(m.step) || '—'}`;
    } else if (typeof value === 'object' && value !== null) td.title = text(value);
  }
  if (col.id === 'name' && run.description) td.title = run.description;
  return td;
}

function checkbox(label, onChange) {
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.setAttribute('aria-label', label);
  box.addEventListener('change', onChange);
  return box;
}

function sortBy(id) {
  state.sort = state.sort.id === id ? { id, dir: state.sort.dir === 'asc' ? 'desc' : 'asc' } : { id, dir: 'asc' };
  render();
}

function selectedRuns() {
  return state.shown.filter((r) => state.selected.has(r.eid));
}

function renderMetricChoice() {
  const keys = [...new Set(state.cols.filter((c) => c.kind === 'metric').map((c) => c.key))];
  const current = metricBox.value;
  const same = keys.length === metricBox.options.length && keys.every((k, i) => metricBox.options[i].value === k);
  if (!same) {
    metricBox.replaceChildren(
      ...keys.map((k) => {
        const o = document.createElement('option');
        o.value = k;
        o.textContent = k;
        return o;
      }),
    );
    if (keys.includes(current)) metricBox.value = current;
  }
}

/** The selection changed: the buttons follow, and an open plot is redrawn. */
function selectionChanged() {
  renderControls();
  if (state.plotOpen) drawPlot();
}

function renderControls() {
  const n = selectedRuns().length;
  compareButton.disabled = n < 2;
  compareButton.textContent = n >= 2 ? `Compare (${n})` : 'Compare';
  plotButton.disabled = n < 1 || !metricBox.value;
}

// ---- compare and parallel coordinates ------------------------------------------------------

compareButton.addEventListener('click', () => {
  const eids = selectedRuns().map((r) => r.eid);
  if (eids.length > 1) location.assign(compareUrl(eids));
});

plotButton.addEventListener('click', () => {
  state.plotOpen = true;
  drawPlot();
});

$('runs-plot-close').addEventListener('click', () => {
  state.plotOpen = false;
  $('runs-plot-box').hidden = true;
  window.Plotly?.purge($('runs-plot'));
});

for (const box of [metricBox, aggBox]) box.addEventListener('change', () => state.plotOpen && drawPlot());

let drawing = Promise.resolve();

function drawPlot() {
  const runs = selectedRuns();
  const key = metricBox.value;
  if (!key || !runs.length) {
    $('runs-plot-box').hidden = true; // shown again when runs are selected
    return;
  }
  const fig = parcoordsFigure(runs, key, aggBox.value);
  const box = $('runs-plot-box');
  box.hidden = false;
  const left = fig.left ? `, ${fig.left} without ${fig.label} left out` : '';
  $('runs-plot-title').textContent = `${fig.drawn} runs: params against ${fig.label}${left}`;
  const el = $('runs-plot');
  drawing = drawing
    .then(() => loadPlotly(new Set(['parcoords'])))
    .then((Plotly) => Plotly.react(el, fig.data, fig.layout, { displaylogo: false, responsive: true }))
    .then(() => {
      el.dataset.runs = String(fig.drawn);
      el.dataset.metric = fig.label;
    })
    .catch((err) => showError(err.message));
}

// ---- filter ------------------------------------------------------------------------------

filterBox.addEventListener('input', render);
statusBox.addEventListener('change', render);

window.visdomRuns = { state, poll, compareValues };
poll();
