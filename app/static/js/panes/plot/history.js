// plot_history windows (visdom 0.3.0, `opts.store_history` on plots): `content` is a list
// of frames {data, layout, caption} and `selected` the frame shown. The frame is drawn by
// the plot pane; a slider browses the frames (locally: no message is sent). A new frame
// arrives as a full `window` message and is shown.
import plot from './plot.js';

function frames(w) {
  return Array.isArray(w.content) ? w.content : [];
}

function clampIndex(i, n) {
  const v = Math.floor(Number(i));
  return Math.min(Math.max(Number.isFinite(v) ? v : n - 1, 0), Math.max(n - 1, 0));
}

function mount(body, win, ctx) {
  const root = document.createElement('div');
  root.className = 'plot-history-pane';
  const box = document.createElement('div');
  box.className = 'plot-history-plot';
  const caption = document.createElement('div');
  caption.className = 'plot-history-caption';
  const slider = document.createElement('input');
  slider.type = 'range';
  slider.className = 'plot-history-slider';
  slider.min = '0';
  slider.step = '1';
  slider.setAttribute('aria-label', 'Frame');
  root.append(box, caption, slider);
  body.append(root);

  let w = win;
  let selected = clampIndex(win.selected, frames(win).length);

  /** The selected frame as a plot window (the frame object itself is its content). */
  function frameWin() {
    const list = frames(w);
    let frame = list[selected];
    if (!frame || typeof frame !== 'object') frame = { data: [], layout: {} };
    return { ...w, type: 'plot', content: frame };
  }

  let current = frameWin();
  const inner = plot.mount(box, current, {
    ...ctx,
    win: () => current,
    frame: () => selected,
  });

  function show(redraw) {
    const list = frames(w);
    current = frameWin();
    if (redraw) inner.update(current);
    const text = current.content.caption;
    caption.textContent = text == null ? '' : String(text);
    slider.hidden = list.length < 2 || w.show_slider === false;
    slider.max = String(Math.max(list.length - 1, 0));
    slider.value = String(selected);
    root.dataset.selected = String(selected);
    root.dataset.frames = String(list.length);
  }

  slider.addEventListener('input', () => {
    const next = clampIndex(slider.value, frames(w).length);
    if (next === selected) return;
    selected = next;
    show(true);
  });

  const view = {
    get downloads() {
      return inner.downloads;
    },
    update(next) {
      w = next;
      selected = clampIndex(next.selected, frames(next).length);
      show(true);
    },
    resize() {
      inner.resize?.();
    },
    download(format) {
      inner.download(format);
    },
    destroy() {
      inner.destroy?.();
    },
  };
  show(false);
  return view;
}

export default { type: 'plot_history', size: [30, 24], mount };
