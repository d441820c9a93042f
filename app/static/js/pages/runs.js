// Entry point of the runs page ({base}/runs): every run of the server in one table,
// sortable by any column (last, min, max, best and the value at a chosen step of each
// metric), filtered by text and status, grouped (count and mean ± 95% CI per group, the
// difference of two groups); selected runs open side by side (the compare view of their
// envs) or in a parallel-coordinates plot. The page reads GET {base}/api/runs?since=<token>
// every page.poll_ms while it is visible: only the rows that changed come, and are merged.
// The table draws only the rows in view (runs/table.js).
import { watchAlerts } from '../lib/alerts.js';
import { page, compareUrl } from '../lib/page.js';
import { connect } from '../lib/socket.js';
import { loadPlotly } from '../panes/plot/plot.js';
import { readJSON } from '../panes/plot/remote.js';
import { bestDirection, columns, compareValues, keysOf, matches, mergeRows, sortRuns } from '../runs/data.js';
import { RunGroups } from '../runs/groups.js';
import { parcoordsFigure } from '../runs/parcoords.js';
import { RunsTable } from '../runs/table.js';

const POLL_MS = Math.max(500, Number(page.poll_ms) || 3000);
const $ = (id) => document.getElementById(id);
const filterBox = $('runs-filter');
const statusBox = $('runs-status');
const metricBox = $('runs-metric');
const aggBox = $('runs-agg');
const stepBox = $('runs-at-step');
const methodBox = $('runs-method');
const compareButton = $('runs-compare');
const plotButton = $('runs-parcoords');

const state = {
  byEid: new Map(),
  runs: [],
  cols: [],
  shown: [],
  sort: { id: 'env', dir: 'asc' },
  selected: new Set(),
  best: {}, // metric -> 'min' | 'max' chosen by the user
  at: null, // GET /api/runs/at_step answer for the chosen metric and step
  token: null,
  plotOpen: false,
  polls: 0,
  reads: [], // the last reads: how many rows each carried (the page's own record)
  timings: {},
};

document.body.classList.toggle('readonly', Boolean(page.readonly));
watchAlerts(connect()); // fired alerts show here too

const table = new RunsTable($('runs-table'), document.querySelector('.runs-scroll'), {
  selected: state.selected,
  onSort: (id) => sortBy(id),
  onSelect: () => selectionChanged(),
  onBest: (key) => {
    state.best[key] = (state.best[key] || bestDirection(key)) === 'min' ? 'max' : 'min';
    rebuild();
  },
});

const groups = new RunGroups(
  {
    box: $('runs-groups-box'),
    select: $('runs-group'),
    regex: $('runs-group-regex'),
    table: $('runs-groups'),
    error: $('runs-groups-error'),
    diff: $('runs-diff'),
  },
  () => ({
    metric: metricBox.value,
    agg: aggBox.value,
    method: methodBox.value,
    // Ticked runs (two or more) are the ones grouped; else every run.
    eids: state.selected.size > 1 ? [...state.selected] : [],
  }),
);

// ---- reading -----------------------------------------------------------------------------

let timer = null;

async function poll() {
  clearTimeout(timer);
  timer = null;
  const path = state.token ? `/api/runs?since=${encodeURIComponent(state.token)}` : '/api/runs';
  const got = await readJSON(path);
  if (got.error) {
    // A token the server refuses: start again from every row.
    if (got.field === 'since') state.token = null;
    showError(`could not read the runs (${got.status}): ${got.error}`);
  } else {
    showError('');
    state.polls += 1;
    document.body.dataset.polls = String(state.polls);
    state.token = got.answer.token;
    const rows = got.answer.rows || [];
    state.reads.push({
      since: path !== '/api/runs',
      rows: rows.length,
      eids: rows.slice(0, 10).map((r) => r.eid),
      removed: got.answer.removed || [],
      reset: Boolean(got.answer.reset),
    });
    if (state.reads.length > 50) state.reads.shift();
    if (mergeRows(state.byEid, got.answer)) {
      state.runs = [...state.byEid.values()];
      await readAtStep();
      rebuild();
      groups.refresh();
    }
  }
  if (!document.body.dataset.loaded) {
    state.timings.interactive = performance.now();
    document.body.dataset.loaded = 'true';
  }
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

/** The values at the chosen step of the chosen metric (a column of their own). */
async function readAtStep() {
  const step = stepBox.value.trim();
  const metric = metricBox.value;
  if (step === '' || !metric) {
    state.at = null;
    return;
  }
  const q = new URLSearchParams({ metric, step });
  const got = await readJSON(`/api/runs/at_step?${q}`);
  state.at = got.answer || null;
  if (got.error) showError(`At step: ${got.error}`);
}

// ---- the table ---------------------------------------------------------------------------

/** The runs or the columns changed: columns, group choices, then the table. */
function rebuild() {
  state.cols = columns(state.runs, { best: state.best, at: state.at });
  groups.choices(keysOf(state.runs, 'params'), keysOf(state.runs, 'tags'));
  render();
}

/** Filter, sort and draw (the rows in view only). */
function render() {
  const t0 = performance.now();
  const col = state.cols.find((c) => c.id === state.sort.id) || state.cols[0];
  const visible = state.runs.filter((r) => matches(r, filterBox.value, statusBox.value));
  state.shown = sortRuns(visible, col, state.sort.dir);
  table.set(state.shown, state.cols, state.sort);
  document.body.dataset.runs = String(state.shown.length);
  $('runs-count').textContent = `${state.shown.length} of ${state.runs.length} runs`;
  $('runs-empty').hidden = state.runs.length > 0;
  renderMetricChoice();
  renderControls();
  if (state.plotOpen) drawPlot();
  state.timings.render = performance.now() - t0;
}

function sortBy(id) {
  state.sort = state.sort.id === id ? { id, dir: state.sort.dir === 'asc' ? 'desc' : 'asc' } : { id, dir: 'asc' };
  render();
}

function selectedRuns() {
  return state.shown.filter((r) => state.selected.has(r.eid));
}

function renderMetricChoice() {
  const keys = keysOf(state.runs, 'metrics');
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

/** The selection changed: the buttons follow, an open plot is redrawn, groups read again. */
function selectionChanged() {
  renderControls();
  if (state.plotOpen) drawPlot();
  if (groups.group()) groups.refresh();
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
aggBox.addEventListener('change', () => groups.refresh());
methodBox.addEventListener('change', () => groups.readDiff());
metricBox.addEventListener('change', async () => {
  groups.readDiff();
  if (stepBox.value.trim() !== '') {
    await readAtStep();
    rebuild();
  }
});
stepBox.addEventListener('change', async () => {
  await readAtStep();
  rebuild();
});

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

window.visdomRuns = { state, poll, render, compareValues };
poll();
