// Image windows (`image` and `image_history`): caption, history slider (moving it sends
// `SliderMoved`), ctrl-scroll zooms about the mouse pointer, dragging or alt-scroll pans,
// alt shows the pixel under the mouse, double-click resets; a click sends `Click` with
// image_coord in image pixels. The download is a PNG or a JPEG, as the image is.
import { downloadURL, fileName } from '../../lib/download.js';
import { applyWindow } from '../../workspace/winstate.js';

const ZOOM_STEP = 1.1;
const SMALL_PX = 200; // a smaller image is shown scaled up by a whole factor to at least this
const DRAG_PX = 3; // a press that moves less than this is a click, not a pan

/** The download format of an image source: 'jpeg' for JPEG data or files, else 'png'. */
function imageFormat(src) {
  const s = typeof src === 'string' ? src : '';
  return /^data:image\/jpe?g[;,]/i.test(s) || /\.jpe?g(\?|#|$)/i.test(s) ? 'jpeg' : 'png';
}

/**
 * The size to show an image window at: its width/height (upstream's client sends the
 * image's own pixel size), scaled up by a whole factor when that is under SMALL_PX, so
 * that a 28×28 digit is drawn at 8× with crisp pixels rather than as a speck.
 */
export function displaySize(win) {
  const width = Number(win?.width);
  const height = Number(win?.height);
  if (!(width > 0 && height > 0)) return null;
  const k = Math.max(1, Math.ceil(SMALL_PX / Math.max(width, height)));
  return { width: width * k, height: height * k };
}

/** The scale that fits an image into a box: a whole factor when enlarging (crisp pixels). */
export function fitScale(nw, nh, sw, sh) {
  const s = Math.min(sw / nw, sh / nh);
  return s >= 1 ? Math.floor(s) : s;
}

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
    const scale = fitScale(nw, nh, sw, sh) * zoom;
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
  /** Zoom by `factor`, keeping the image point under (x, y) (client pixels) still. */
  function zoomAt(x, y, factor) {
    const before = img.getBoundingClientRect();
    const next = Math.min(Math.max(zoom * factor, 0.1), 50);
    if (!before.width || next === zoom) return;
    const u = (x - before.left) / before.width;
    const v = (y - before.top) / before.height;
    zoom = next;
    fit();
    const after = img.getBoundingClientRect();
    pan.x += x - (after.left + u * after.width);
    pan.y += y - (after.top + v * after.height);
    fit();
  }

  // Dragging pans; the click that ends a drag is not sent as a Click event.
  let drag = null;
  let dragged = false;
  stage.addEventListener('pointerdown', (ev) => {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, pan: { ...pan }, moved: false, id: ev.pointerId };
    dragged = false;
  });
  stage.addEventListener('pointermove', (ev) => {
    if (!drag || ev.pointerId !== drag.id) return;
    const dx = ev.clientX - drag.x;
    const dy = ev.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < DRAG_PX) return;
    if (!drag.moved) {
      drag.moved = true;
      stage.setPointerCapture(ev.pointerId);
      stage.classList.add('panning');
    }
    pan = { x: drag.pan.x + dx, y: drag.pan.y + dy };
    fit();
  });
  const endDrag = () => {
    if (!drag) return;
    dragged = drag.moved;
    drag = null;
    stage.classList.remove('panning');
  };
  stage.addEventListener('pointerup', endDrag);
  stage.addEventListener('pointercancel', endDrag);

  stage.addEventListener('click', (ev) => {
    ctx.focus();
    if (dragged) {
      dragged = false;
      return;
    }
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
        zoomAt(ev.clientX, ev.clientY, ev.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP);
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
    const index = Number(slider.value);
    if (index === (Number(w.selected) || 0)) return;
    const format = imageFormat(current().src);
    applyWindow(w, { props: { selected: index } });
    show();
    if (imageFormat(current().src) !== format) ctx.buttonsChanged?.();
    // visdom 0.3.0 sends the new index to the script's handlers, without the window.
    ctx.send({ event_type: 'SliderMoved', index, pane_data: false });
  });

  const view = {
    get downloads() {
      return [imageFormat(current().src)];
    },
    update(next) {
      w = next;
      show();
    },
    /** An image was appended to the history (winstate.js): show the one selected. */
    applyDelta(delta) {
      if (delta.kind !== 'append_image' || w.type !== 'image_history') return false;
      show();
      return true;
    },
    resize: fit,
    download() {
      const src = current().src;
      if (src) downloadURL(src, fileName(ctx.title(), imageFormat(src) === 'jpeg' ? 'jpg' : 'png'));
    },
    destroy() {
      window.removeEventListener('keydown', onAlt);
      window.removeEventListener('keyup', onAlt);
    },
  };
  show();
  return view;
}

export default { type: 'image', size: [20, 20], mount, displaySize };
