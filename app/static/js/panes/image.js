// Image windows (`image` and `image_history`): caption, history slider, ctrl-scroll zoom,
// alt-scroll pan, alt shows the pixel under the mouse, double-click resets; a click sends
// `Click` with image_coord in image pixels.
import { downloadURL, fileName } from './download.js';

const ZOOM_STEP = 1.1;

function mount(body, win, ctx) {
  const root = document.createElement('div');
  root.className = 'image-pane';
  const stage = document.createElement('div');
  stage.className = 'image-stage';
  const img = document.createElement('img');
  img.className = 'image-img';
  img.alt = '';
  img.draggable = false;
  const coords = document.createElement('div');
  coords.className = 'image-coords';
  coords.hidden = true;
  stage.append(img, coords);
  const caption = document.createElement('div');
  caption.className = 'image-caption';
  const slider = document.createElement('input');
  slider.type = 'range';
  slider.className = 'image-slider';
  slider.min = '0';
  slider.step = '1';
  root.append(stage, caption, slider);
  body.append(root);

  let w = win;
  let zoom = 1;
  let pan = { x: 0, y: 0 };
  let alt = false;
  let last = null;

  function items() {
    return w.type === 'image_history' ? (Array.isArray(w.content) ? w.content : []) : [w.content];
  }

  function current() {
    const list = items();
    const i = Math.min(Math.max(Number(w.selected) || 0, 0), Math.max(list.length - 1, 0));
    return list[i] || {};
  }

  function show() {
    const item = current();
    const src = typeof item.src === 'string' ? item.src : '';
    if (img.getAttribute('src') !== src) img.src = src;
    caption.textContent = item.caption == null ? '' : String(item.caption);
    const list = items();
    const history = w.type === 'image_history' && w.show_slider !== false && list.length > 1;
    slider.hidden = !history;
    slider.max = String(Math.max(list.length - 1, 0));
    slider.value = String(w.selected || 0);
    fit();
  }

  /** Size the image to fit the stage (keeping its aspect), times the zoom, plus the pan. */
  function fit() {
    const nw = img.naturalWidth;
    const nh = img.naturalHeight;
    if (!nw || !nh) return;
    const sw = stage.clientWidth || nw;
    const sh = stage.clientHeight || nh;
    const scale = Math.min(sw / nw, sh / nh) * zoom;
    img.style.width = `${nw * scale}px`;
    img.style.height = `${nh * scale}px`;
    img.style.transform = `translate(${pan.x}px, ${pan.y}px)`;
  }

  /** The image pixel under a mouse event (clamped to the image). */
  function pixelAt(ev) {
    const rect = img.getBoundingClientRect();
    if (!rect.width || !rect.height) return { x: 0, y: 0 };
    const x = ((ev.clientX - rect.left) / rect.width) * img.naturalWidth;
    const y = ((ev.clientY - rect.top) / rect.height) * img.naturalHeight;
    return {
      x: Math.min(Math.max(Math.floor(x), 0), Math.max(img.naturalWidth - 1, 0)),
      y: Math.min(Math.max(Math.floor(y), 0), Math.max(img.naturalHeight - 1, 0)),
    };
  }

  function showCoords() {
    coords.hidden = !(alt && last);
    if (!coords.hidden) coords.textContent = `x: ${last.x}, y: ${last.y}`;
  }

  img.addEventListener('load', fit);
  stage.addEventListener('mousemove', (ev) => {
    last = pixelAt(ev);
    alt = ev.altKey;
    showCoords();
  });
  stage.addEventListener('mouseleave', () => {
    coords.hidden = true;
  });
  stage.addEventListener('click', (ev) => {
    ctx.focus();
    last = pixelAt(ev);
    ctx.send({
      event_type: 'Click',
      image_coord: { x: last.x, y: last.y, visibility: alt || ev.altKey ? 'visible' : 'hidden' },
    });
  });
  stage.addEventListener('dblclick', () => {
    zoom = 1;
    pan = { x: 0, y: 0 };
    fit();
  });
  stage.addEventListener(
    'wheel',
    (ev) => {
      if (ev.ctrlKey || ev.metaKey) {
        ev.preventDefault();
        zoom *= ev.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP;
        zoom = Math.min(Math.max(zoom, 0.1), 50);
        fit();
      } else if (ev.altKey) {
        ev.preventDefault();
        if (ev.shiftKey) pan.x -= ev.deltaY;
        else {
          pan.x -= ev.deltaX;
          pan.y -= ev.deltaY;
        }
        fit();
      }
    },
    { passive: false },
  );
  const onAlt = (ev) => {
    if (ev.key !== 'Alt') return;
    alt = ev.type === 'keydown';
    showCoords();
  };
  window.addEventListener('keydown', onAlt);
  window.addEventListener('keyup', onAlt);
  slider.addEventListener('input', () => {
    w.selected = Number(slider.value);
    show();
  });

  const view = {
    downloads: ['png'],
    update(next) {
      w = next;
      show();
    },
    applyDelta(delta) {
      if (delta.kind !== 'append_image' || w.type !== 'image_history') return false;
      if (!Array.isArray(w.content)) w.content = [];
      w.content.push(delta.image);
      w.selected = Number.isInteger(delta.selected) ? delta.selected : w.content.length - 1;
      show();
      return true;
    },
    resize: fit,
    download() {
      const src = current().src;
      if (src) downloadURL(src, fileName(ctx.title(), src.startsWith('data:image/jpeg') ? 'jpg' : 'png'));
    },
    destroy() {
      window.removeEventListener('keydown', onAlt);
      window.removeEventListener('keyup', onAlt);
    },
  };
  show();
  return view;
}

export default { type: 'image', size: [20, 20], mount };
