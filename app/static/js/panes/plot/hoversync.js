// Synced hover across plot windows: hovering a plot marks the same x in every other plot
// on the page whose x axis is of the same kind (numbers, dates or categories), with a
// vertical line, a dot per trace and a tooltip listing each trace's value at that x,
// nearest to the pointer's height first. Values are those of the points drawn (a
// decimated trace answers with its nearest drawn point). The marks are plain elements
// over the plot: nothing is changed in the other plots' layouts (no shapes to persist,
// no plotly events that could echo back). The top bar's "Sync hover" checkbox turns it
// off; the choice is kept in localStorage.

const KEY = 'visdom:sync-hover';
const CARTESIAN = new Set(['scatter', 'scattergl', 'bar']);

let enabled = readEnabled();
let request = null; // the newest hover to show ({gd, ev}), null: clear
let frame = 0;
const marked = new Set(); // plot divs showing a mark

function readEnabled() {
  try {
    return localStorage.getItem(KEY) !== 'off';
  } catch (_) {
    return true;
  }
}

/** Wire the top bar's "Sync hover" checkbox (if any). */
export function initHoverSync(checkbox) {
  if (!checkbox) return;
  checkbox.checked = enabled;
  checkbox.addEventListener('change', () => {
    enabled = checkbox.checked;
    try {
      localStorage.setItem(KEY, enabled ? 'on' : 'off');
    } catch (_) {
      /* applied now, not kept */
    }
    if (!enabled) schedule(null);
  });
}

/** Follow the hovers of plot div `gd` (call after every newPlot: purge drops listeners). */
export function watchHover(gd) {
  gd.on?.('plotly_hover', (ev) => {
    if (enabled) schedule({ gd, ev });
  });
  gd.on?.('plotly_unhover', () => schedule(null));
}

function schedule(next) {
  request = next;
  if (!frame) frame = requestAnimationFrame(run);
}

function run() {
  frame = 0;
  const req = request;
  request = null;
  const done = new Set();
  if (req) {
    const source = hovered(req.gd, req.ev);
    if (source) {
      for (const gd of document.querySelectorAll('.grid-stack-item:not(.filtered) .plot-pane')) {
        if (gd !== req.gd && mark(gd, source)) done.add(gd);
      }
    }
  }
  for (const gd of marked) if (!done.has(gd)) unmark(gd);
  marked.clear();
  for (const gd of done) marked.add(gd);
}

/** The hovered x, its kind and the pointer's height (0 top … 1 bottom of the plot area). */
function hovered(gd, ev) {
  const pt = (ev?.points || []).find((p) => p?.xaxis && p.x !== undefined && p.x !== null);
  if (!pt) return null;
  const kind = kindOf(pt.xaxis.type);
  if (!kind) return null;
  const size = gd._fullLayout?._size;
  let height = 0.5;
  const y = ev.event?.clientY;
  if (size && Number.isFinite(y) && size.h > 0) {
    height = (y - gd.getBoundingClientRect().top - size.t) / size.h;
  } else if (pt.yaxis && Number.isFinite(pt.yaxis._length) && pt.yaxis._length > 0) {
    height = pt.yaxis.l2p(pt.yaxis.d2l(pt.y)) / pt.yaxis._length;
  }
  return { x: pt.x, kind, height: Math.min(Math.max(height, 0), 1) };
}

function kindOf(axisType) {
  if (axisType === 'linear' || axisType === '-' || axisType === 'log') return 'number';
  if (axisType === 'date') return 'date';
  if (axisType === 'category' || axisType === 'multicategory') return 'category';
  return null;
}

/** Mark `source.x` on plot `gd`; false when it has no x axis of that kind or no value there. */
function mark(gd, source) {
  const full = gd._fullLayout;
  const xa = full?.xaxis;
  if (!xa || !full._size || kindOf(xa.type) !== source.kind || gd.offsetParent === null) return false;
  const target = source.kind === 'category' ? String(source.x) : xa.d2l(source.x);
  if (source.kind !== 'category' && !Number.isFinite(target)) return false;
  const rows = [];
  for (const trace of gd._fullData || []) {
    const row = valueAt(trace, target, source.kind, xa, full);
    if (row) rows.push(row);
  }
  if (!rows.length) return false;
  const left = source.kind === 'category' ? xa.l2p(xa.d2l(target)) : xa.l2p(target);
  if (!(left >= 0 && left <= xa._length)) return false;
  const ya = full.yaxis;
  const ref = (ya?._offset ?? full._size.t) + source.height * (ya?._length ?? full._size.h);
  rows.sort((a, b) => Math.abs(a.top - ref) - Math.abs(b.top - ref));
  draw(gd, xa._offset + left, source, rows);
  return true;
}

/** The drawn point of `trace` at x `target` (nearest), with its pixel height; or null. */
function valueAt(trace, target, kind, xa, full) {
  if (trace.visible !== true || !CARTESIAN.has(trace.type) || (trace.xaxis || 'x') !== 'x') return null;
  if (trace.orientation === 'h') return null;
  const ys = trace.y;
  if (!ys || !ys.length) return null;
  const xs = trace.x;
  const xAt = (i) => (xs ? xs[i] : (trace.x0 ?? 0) + i * (trace.dx ?? 1));
  let best = -1;
  let bestDist = Infinity;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i];
    if (y === null || y === undefined || (typeof y === 'number' && !Number.isFinite(y))) continue;
    if (kind === 'category') {
      if (String(xAt(i)) === target) {
        best = i;
        break;
      }
      continue;
    }
    const l = xa.d2l(xAt(i));
    if (!Number.isFinite(l)) continue;
    if (l < lo) lo = l;
    if (l > hi) hi = l;
    const d = Math.abs(l - target);
    if (d < bestDist) {
      bestDist = d;
      best = i;
    }
  }
  // Outside a trace's x range it has no value "at that x".
  if (best < 0 || (kind !== 'category' && (target < lo || target > hi))) return null;
  const ya = full[axisName(trace.yaxis || 'y')];
  const y = ys[best];
  const top = ya ? ya._offset + ya.l2p(ya.d2l(y)) : NaN;
  return {
    name: trace.name || `trace ${trace.index}`,
    color: traceColor(trace),
    x: xAt(best),
    y,
    top,
  };
}

function axisName(id) {
  return id.replace(/^([xy])/, '$1axis');
}

function traceColor(trace) {
  const c = trace.line?.color ?? trace.marker?.color;
  return typeof c === 'string' ? c : '#888';
}

function format(v) {
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(5)));
}

/** The mark of a plot: created once, kept in the pane body (which is positioned). */
function overlay(gd) {
  if (gd.visdomHoverMark?.isConnected) return gd.visdomHoverMark;
  const root = document.createElement('div');
  root.className = 'hover-sync';
  root.setAttribute('aria-hidden', 'true');
  const line = document.createElement('div');
  line.className = 'hover-sync-line';
  const dots = document.createElement('div');
  const tip = document.createElement('div');
  tip.className = 'hover-sync-tip';
  root.append(line, dots, tip);
  (gd.closest('.pane-body') || gd.parentElement).append(root);
  gd.visdomHoverMark = root;
  return root;
}

function draw(gd, x, source, rows) {
  const root = overlay(gd);
  const host = root.parentElement;
  const box = gd.getBoundingClientRect();
  const hostBox = host.getBoundingClientRect();
  const size = gd._fullLayout._size;
  const ox = box.left - hostBox.left + host.scrollLeft;
  const oy = box.top - hostBox.top + host.scrollTop;
  const [line, dots, tip] = root.children;
  root.hidden = false;
  root.dataset.x = String(source.x);
  Object.assign(line.style, {
    left: `${ox + x}px`,
    top: `${oy + size.t}px`,
    height: `${size.h}px`,
  });
  dots.replaceChildren(
    ...rows
      .filter((r) => Number.isFinite(r.top))
      .map((r) => {
        const dot = document.createElement('span');
        dot.className = 'hover-sync-dot';
        dot.style.left = `${ox + x}px`;
        dot.style.top = `${oy + r.top}px`;
        dot.style.background = r.color;
        return dot;
      }),
  );
  const head = document.createElement('div');
  head.className = 'hover-sync-x';
  head.textContent = format(source.x);
  tip.replaceChildren(
    head,
    ...rows.map((r) => {
      const row = document.createElement('div');
      row.className = 'hover-sync-row';
      row.dataset.name = r.name;
      row.dataset.value = String(r.y);
      const swatch = document.createElement('span');
      swatch.className = 'hover-sync-swatch';
      swatch.style.background = r.color;
      const name = document.createElement('span');
      name.className = 'hover-sync-name';
      name.textContent = r.name;
      const value = document.createElement('span');
      value.className = 'hover-sync-value';
      value.textContent = format(r.y);
      row.append(swatch, name, value);
      return row;
    }),
  );
  // Beside the line, on the side with more room.
  const right = x < size.l + size.w / 2;
  tip.style.top = `${oy + size.t + 4}px`;
  tip.style.left = right ? `${ox + x + 8}px` : '';
  tip.style.right = right ? '' : `${host.clientWidth - (ox + x) + 8}px`;
}

function unmark(gd) {
  if (gd.visdomHoverMark) gd.visdomHoverMark.hidden = true;
}
