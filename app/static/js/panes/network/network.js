// Network windows (vis.graph): nodes and edges drawn as SVG after a small force layout.
import { downloadText, fileName } from '../../lib/download.js';
import { COLORS, svgEl } from '../../lib/svg.js';

const SIZE = 1000;

/** Fruchterman-Reingold positions in [0, SIZE]^2 for n nodes and index pairs. */
function forceLayout(n, links, iterations = 200) {
  const pos = Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / Math.max(n, 1);
    return { x: SIZE / 2 + (SIZE / 3) * Math.cos(a), y: SIZE / 2 + (SIZE / 3) * Math.sin(a) };
  });
  if (n < 2) return pos;
  const k = Math.sqrt((SIZE * SIZE) / n) * 0.6;
  let temp = SIZE / 10;
  for (let it = 0; it < iterations; it++) {
    const disp = pos.map(() => ({ x: 0, y: 0 }));
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const dx = pos[i].x - pos[j].x || 0.01;
        const dy = pos[i].y - pos[j].y || 0.01;
        const d = Math.max(Math.hypot(dx, dy), 0.01);
        const f = (k * k) / d;
        disp[i].x += (dx / d) * f;
        disp[i].y += (dy / d) * f;
        disp[j].x -= (dx / d) * f;
        disp[j].y -= (dy / d) * f;
      }
    }
    for (const [a, b] of links) {
      const dx = pos[a].x - pos[b].x;
      const dy = pos[a].y - pos[b].y;
      const d = Math.max(Math.hypot(dx, dy), 0.01);
      const f = (d * d) / k;
      disp[a].x -= (dx / d) * f;
      disp[a].y -= (dy / d) * f;
      disp[b].x += (dx / d) * f;
      disp[b].y += (dy / d) * f;
    }
    for (let i = 0; i < n; i++) {
      const d = Math.max(Math.hypot(disp[i].x, disp[i].y), 0.01);
      pos[i].x += (disp[i].x / d) * Math.min(d, temp);
      pos[i].y += (disp[i].y / d) * Math.min(d, temp);
      pos[i].x = Math.min(SIZE - 30, Math.max(30, pos[i].x));
      pos[i].y = Math.min(SIZE - 30, Math.max(30, pos[i].y));
    }
    temp *= 0.97;
  }
  return pos;
}

function label(text, x, y, mode, cls) {
  const t = svgEl('text', { x, y, class: `${cls} label-${mode === true ? 'on' : 'hover'}` });
  t.textContent = String(text);
  return t;
}

function toPixels(p, width, height) {
  return {
    x: 20 + ((p.x - 30) / (SIZE - 60)) * (width - 40),
    y: 20 + ((p.y - 30) / (SIZE - 60)) * (height - 40),
  };
}

function toUnits(p, width, height) {
  return {
    x: Math.min(SIZE - 30, Math.max(30, 30 + ((p.x - 20) / (width - 40)) * (SIZE - 60))),
    y: Math.min(SIZE - 30, Math.max(30, 30 + ((p.y - 20) / (height - 40)) * (SIZE - 60))),
  };
}

function draw(svg, w, layout) {
  const content = w.content || {};
  const nodes = Array.isArray(content.nodes) ? content.nodes : [];
  const { links, pos: unit } = layout;
  // Lay out in SIZE units, draw in the pane's pixels so that labels keep their size.
  const width = Math.max(svg.clientWidth, 50);
  const height = Math.max(svg.clientHeight, 50);
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const pos = unit.map((p) => toPixels(p, width, height));
  const showV = w.showVertexLabels ?? 'hover';
  const showE = w.showEdgeLabels ?? 'hover';
  svg.replaceChildren();
  const defs = svgEl('defs');
  const marker = svgEl('marker', {
    id: `arrow-${w.contentID || 'x'}`, viewBox: '0 0 10 10', refX: 20, refY: 5,
    markerWidth: 6, markerHeight: 6, orient: 'auto-start-reverse',
  });
  marker.append(svgEl('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'net-arrow' }));
  defs.append(marker);
  svg.append(defs);
  for (const [a, b, e] of links) {
    const g = svgEl('g', { class: 'net-edge' });
    const line = svgEl('line', { x1: pos[a].x, y1: pos[a].y, x2: pos[b].x, y2: pos[b].y });
    if (w.directed) line.setAttribute('marker-end', `url(#${marker.id})`);
    g.append(line);
    if (e.label != null && showE !== false) {
      const mx = (pos[a].x + pos[b].x) / 2;
      const my = (pos[a].y + pos[b].y) / 2;
      g.append(label(e.label, mx, my, showE, 'net-edge-label'));
    }
    svg.append(g);
  }
  nodes.forEach((node, i) => {
    const g = svgEl('g', { class: 'net-node' });
    const color = COLORS[Math.abs(Number(node?.club) || 0) % COLORS.length];
    const circle = svgEl('circle', { cx: pos[i].x, cy: pos[i].y, r: 8, fill: color });
    const tip = svgEl('title');
    tip.textContent = String(node?.label ?? node?.name ?? i);
    circle.append(tip);
    g.append(circle);
    if (showV !== false) {
      g.append(label(node?.label ?? node?.name ?? i, pos[i].x + 9, pos[i].y - 9, showV, 'net-node-label'));
    }
    svg.append(g);
  });
}

/** Node positions (SIZE units) and edges as index pairs, for one network content. */
function computeLayout(w) {
  const content = w.content || {};
  const nodes = Array.isArray(content.nodes) ? content.nodes : [];
  const edges = Array.isArray(content.edges) ? content.edges : [];
  const index = new Map(nodes.map((node, i) => [node?.name, i]));
  const links = edges
    .map((e) => [index.get(e?.source), index.get(e?.target), e])
    .filter(([a, b]) => a !== undefined && b !== undefined);
  return { links, pos: forceLayout(nodes.length, links) };
}

function mount(body, win, ctx) {
  const svg = svgEl('svg', { class: 'network-pane', preserveAspectRatio: 'xMidYMid meet' });
  body.append(svg);
  let w = win;
  let layout = computeLayout(win);
  let dragging = null;

  // Drag a node to move it (the other nodes stay where they are).
  const local = (ev) => {
    const r = svg.getBoundingClientRect();
    return { x: ev.clientX - r.left, y: ev.clientY - r.top, width: r.width, height: r.height };
  };
  svg.addEventListener('pointerdown', (ev) => {
    const p = local(ev);
    let best = -1;
    let bestD = 12;
    layout.pos.forEach((u, i) => {
      const q = toPixels(u, p.width, p.height);
      const d = Math.hypot(q.x - p.x, q.y - p.y);
      if (d < bestD) {
        best = i;
        bestD = d;
      }
    });
    if (best < 0) return;
    dragging = best;
    svg.setPointerCapture(ev.pointerId);
    ev.preventDefault();
  });
  svg.addEventListener('pointermove', (ev) => {
    if (dragging === null) return;
    const p = local(ev);
    layout.pos[dragging] = toUnits(p, p.width, p.height);
    draw(svg, w, layout);
  });
  const stop = () => {
    dragging = null;
  };
  svg.addEventListener('pointerup', stop);
  svg.addEventListener('pointercancel', stop);

  const view = {
    downloads: ['svg'],
    update(next) {
      w = next;
      layout = computeLayout(next);
      draw(svg, w, layout);
    },
    resize() {
      draw(svg, w, layout);
    },
    download() {
      const src = new XMLSerializer().serializeToString(svg);
      downloadText(src, fileName(ctx.title(), 'svg'), 'image/svg+xml');
    },
  };
  draw(svg, w, layout);
  return view;
}

export default { type: 'network', size: [20, 20], mount };
