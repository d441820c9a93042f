// Embeddings windows (vis.embeddings): a scatter of the t-SNE points. Hover sends
// EntitySelected, a lasso around more than 21 points sends RegionSelected (the training
// code re-runs t-SNE on that subset), "Back" restores the previous point set.
import { sanitizedFragment } from '../../lib/sanitize.js';
import { COLORS, svgEl } from '../../lib/svg.js';

const MIN_REGION = 22;

/** Is point p inside polygon poly (ray casting)? */
export function inside(p, poly) {
  let hit = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

function mount(body, win, ctx) {
  const root = document.createElement('div');
  root.className = 'embeddings-pane';
  const tools = document.createElement('div');
  tools.className = 'emb-tools';
  const back = document.createElement('button');
  back.type = 'button';
  back.textContent = 'Back';
  back.className = 'emb-back';
  const hint = document.createElement('span');
  hint.className = 'emb-hint';
  tools.append(back, hint);
  const svg = svgEl('svg', { class: 'emb-plot' });
  const detail = document.createElement('div');
  detail.className = 'emb-detail';
  root.append(tools, svg, detail);
  body.append(root);

  let w = win;
  let points = [];
  let lasso = null;
  let lastHover = null;

  function toSvg(ev) {
    const pt = svg.createSVGPoint();
    pt.x = ev.clientX;
    pt.y = ev.clientY;
    const m = svg.getScreenCTM();
    const p = m ? pt.matrixTransform(m.inverse()) : pt;
    return [p.x, p.y];
  }

  function draw() {
    const content = w.content || {};
    svg.replaceChildren();
    back.hidden = !content.has_previous || ctx.readonly;
    if (content.isLoading) {
      hint.textContent = 'Computing the embedding\u2026';
      points = [];
      return;
    }
    hint.textContent = ctx.readonly ? '' : 'Drag a lasso around points to zoom into them';
    const data = Array.isArray(content.data) ? content.data : [];
    const xs = data.map((d) => Number(d?.position?.[0]) || 0);
    const ys = data.map((d) => Number(d?.position?.[1]) || 0);
    const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
    const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
    // Draw in the pane's pixels so that points keep their size.
    const width = Math.max(svg.clientWidth, 50);
    const height = Math.max(svg.clientHeight, 50);
    svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const sx = (v) => 12 + ((v - x0) / (x1 - x0 || 1)) * (width - 24);
    const sy = (v) => height - 12 - ((v - y0) / (y1 - y0 || 1)) * (height - 24);
    points = data.map((d, i) => ({ d, x: sx(xs[i]), y: sy(ys[i]) }));
    for (const p of points) {
      const c = svgEl('circle', {
        cx: p.x, cy: p.y, r: 5, class: 'emb-point',
        fill: COLORS[Math.abs(Number(p.d?.group) || 0) % COLORS.length],
      });
      const tip = svgEl('title');
      tip.textContent = String(p.d?.label ?? p.d?.name ?? '');
      c.append(tip);
      c.addEventListener('mouseenter', () => hover(p.d));
      svg.append(c);
    }
    const sel = content.selected;
    detail.replaceChildren(sel && sel.html ? sanitizedFragment(sel.html) : '');
  }

  function hover(d) {
    if (!d || lastHover === d.name) return;
    lastHover = d.name;
    ctx.send({ event_type: 'EntitySelected', entityId: d.name, idx: d.idx, pane_data: false });
  }

  svg.addEventListener('pointerdown', (ev) => {
    if (ctx.readonly || ev.button !== 0 || !points.length) return;
    ctx.focus();
    lasso = { poly: [toSvg(ev)], path: svgEl('polyline', { class: 'emb-lasso' }) };
    svg.append(lasso.path);
    svg.setPointerCapture(ev.pointerId);
  });
  svg.addEventListener('pointermove', (ev) => {
    if (!lasso) return;
    lasso.poly.push(toSvg(ev));
    lasso.path.setAttribute('points', lasso.poly.map((p) => p.join(',')).join(' '));
  });
  svg.addEventListener('pointerup', () => {
    if (!lasso) return;
    const { poly, path } = lasso;
    lasso = null;
    path.remove();
    if (poly.length < 3) return;
    const chosen = points.filter((p) => inside([p.x, p.y], poly)).map((p) => p.d.idx);
    if (chosen.length >= MIN_REGION) {
      ctx.send({ event_type: 'RegionSelected', selectedIdxs: chosen, pane_data: false });
      hint.textContent = `Selected ${chosen.length} points`;
    } else {
      hint.textContent = `Select at least ${MIN_REGION} points (got ${chosen.length})`;
    }
  });
  back.addEventListener('click', () => ctx.emit('pop_embeddings_pane', { win: w.id }));

  const view = {
    keyPaneData: false,
    update(next) {
      w = next;
      draw();
    },
    resize() {
      if (!lasso) draw();
    },
  };
  draw();
  return view;
}

export default { type: 'embeddings', size: [20, 20], mount };
