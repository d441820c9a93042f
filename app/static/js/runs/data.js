// The runs table's data: rows of GET /api/runs (or experiment records of GET
// /api/experiments) turned into runs, the table's columns (last/min/max, best and the value
// at a step per metric), merging incremental reads, filtering and sorting. Pure functions,
// no DOM.

/** One run from a row of GET /api/runs (metric summaries computed by the server). */
export function fromRow(row) {
  const metrics = {};
  for (const [key, m] of Object.entries(row.metrics || {})) {
    metrics[key] = {
      last: m.last ?? null,
      min: m.min ?? null,
      max: m.max ?? null,
      step: m.step ?? null,
      count: m.count ?? 0,
      best_step_min: m.best_step_min ?? null,
      best_step_max: m.best_step_max ?? null,
    };
  }
  return {
    eid: String(row.eid),
    name: row.name == null ? String(row.eid) : String(row.name),
    status: String(row.status || ''),
    description: String(row.description || ''),
    created: typeof row.created === 'number' ? row.created : null,
    lastSeen: typeof row.last_seen === 'number' ? row.last_seen : null,
    params: row.params && typeof row.params === 'object' ? row.params : {},
    tags: row.tags && typeof row.tags === 'object' ? row.tags : {},
    metrics,
  };
}

/**
 * Merge an answer of GET /api/runs?since= into `byEid` (a Map eid -> run): changed rows
 * replace theirs, removed runs go, a "reset" answer replaces everything. Returns whether
 * anything changed.
 */
export function mergeRows(byEid, answer) {
  const rows = answer?.rows || [];
  const removed = answer?.removed || [];
  if (answer?.reset) byEid.clear();
  for (const row of rows) byEid.set(String(row.eid), fromRow(row));
  for (const eid of removed) byEid.delete(String(eid));
  return Boolean(answer?.reset) || rows.length > 0 || removed.length > 0;
}

// Metric names that are better high; any other metric's best is its minimum at first.
const HIGHER_IS_BETTER = /acc|auc|f1|precision|recall|score|reward|iou|bleu|map\b|top\d/i;

/** The default direction of a metric's "best" column: 'max' or 'min'. */
export function bestDirection(key) {
  return HIGHER_IS_BETTER.test(key) ? 'max' : 'min';
}

/** One row from an {eid, experiment} record: params and tags as maps, metric summaries. */
export function summarize({ eid, experiment }) {
  const e = experiment || {};
  const pairs = (list) => {
    const out = {};
    for (const item of Array.isArray(list) ? list : []) if (item && 'key' in item) out[item.key] = item.value;
    return out;
  };
  const metrics = {};
  for (const m of Array.isArray(e.metrics) ? e.metrics : []) {
    if (!m || typeof m.key !== 'string') continue;
    const s = (metrics[m.key] ||= { last: null, min: null, max: null, step: null, count: 0 });
    s.last = m.value;
    s.step = m.step ?? null;
    s.count += 1;
    if (typeof m.value === 'number' && Number.isFinite(m.value)) {
      s.min = s.min === null ? m.value : Math.min(s.min, m.value);
      s.max = s.max === null ? m.value : Math.max(s.max, m.value);
    }
  }
  return {
    eid: String(eid),
    name: e.name == null ? String(eid) : String(e.name),
    status: String(e.status || ''),
    description: String(e.description || ''),
    created: typeof e.created_at === 'number' ? e.created_at : null,
    lastSeen: typeof e.last_seen === 'number' ? e.last_seen : null,
    params: pairs(e.params),
    tags: pairs(e.tags),
    metrics,
  };
}

const AGGREGATES = ['last', 'min', 'max'];

/** The keys found in `field` ('params', 'tags' or 'metrics') of any run, in first-seen order. */
export function keysOf(runs, field) {
  const keys = [];
  const seen = new Set();
  for (const run of runs) {
    for (const key of Object.keys(run[field])) {
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
    }
  }
  return keys;
}

function tagsText(run) {
  return Object.entries(run.tags)
    .map(([k, v]) => (v === '' || v == null ? k : `${k}=${text(v)}`))
    .join(', ');
}

/**
 * The table's columns: {id, label, kind ('text' | 'metric' | 'param'), value(run)}.
 * Ids are stable across reads: 'env', 'name', 'status', 'tags', 'param:<key>',
 * 'metric:<key>:<last|min|max>', and with `opts` 'metric:<key>:best' (`opts.best`:
 * {key: 'min' | 'max'}, default bestDirection) and 'metric:<key>:at' for `opts.at`
 * ({metric, step, values: {eid: {value, step}}}, GET /api/runs/at_step).
 */
export function columns(runs, opts = null) {
  const cols = [
    { id: 'env', label: 'Env', kind: 'text', value: (r) => r.eid },
    { id: 'name', label: 'Name', kind: 'text', value: (r) => r.name },
    { id: 'status', label: 'Status', kind: 'text', value: (r) => r.status },
    { id: 'tags', label: 'Tags', kind: 'text', value: (r) => tagsText(r) },
  ];
  for (const key of keysOf(runs, 'params')) {
    cols.push({ id: `param:${key}`, label: key, kind: 'param', key, value: (r) => r.params[key] });
  }
  for (const key of keysOf(runs, 'metrics')) {
    for (const agg of AGGREGATES) {
      cols.push({
        id: `metric:${key}:${agg}`,
        label: `${key} ${agg}`,
        kind: 'metric',
        key,
        agg,
        value: (r) => r.metrics[key]?.[agg] ?? null,
      });
    }
    if (!opts) continue;
    const dir = opts.best?.[key] || bestDirection(key);
    cols.push({
      id: `metric:${key}:best`,
      label: `${key} best (${dir})`,
      kind: 'metric',
      key,
      agg: 'best',
      dir,
      value: (r) => r.metrics[key]?.[dir] ?? null,
      stepOf: (r) => r.metrics[key]?.[`best_step_${dir}`] ?? null,
    });
    if (opts.at && opts.at.metric === key) {
      const values = opts.at.values || {};
      cols.push({
        id: `metric:${key}:at`,
        label: `${key} @ step ${text(opts.at.step)}`,
        kind: 'metric',
        key,
        agg: 'at',
        value: (r) => values[r.eid]?.value ?? null,
        stepOf: (r) => values[r.eid]?.step ?? null,
      });
    }
  }
  return cols;
}

/** Any value as table text (objects as JSON, numbers shortened to 6 significant digits). */
export function text(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** True when the run's name, env, tags or params contain `query` and its status is `status`. */
export function matches(run, query, status) {
  if (status && run.status !== status) return false;
  const q = String(query || '').trim().toLowerCase();
  if (!q) return true;
  const hay = [
    run.eid,
    run.name,
    tagsText(run),
    ...Object.entries(run.params).map(([k, v]) => `${k}=${text(v)}`),
  ]
    .join('\n')
    .toLowerCase();
  return q.split(/\s+/).every((word) => hay.includes(word));
}

function empty(v) {
  return v === null || v === undefined || v === '';
}

/** Compare two cell values: numbers by value, anything else as text; empty cells last. */
export function compareValues(a, b) {
  if (empty(a) || empty(b)) return empty(a) - empty(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return text(a).localeCompare(text(b), undefined, { numeric: true, sensitivity: 'base' });
}

/** Sort runs by a column, 'asc' or 'desc' (empty cells stay last); ties by env. */
export function sortRuns(runs, column, dir = 'asc') {
  const sign = dir === 'desc' ? -1 : 1;
  return runs.slice().sort((x, y) => {
    const a = column.value(x);
    const b = column.value(y);
    const c = empty(a) || empty(b) ? compareValues(a, b) : sign * compareValues(a, b);
    return c || x.eid.localeCompare(y.eid);
  });
}
