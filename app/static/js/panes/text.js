// Text windows: HTML (also svg, matplot, audio and video), always sanitized. Appends are
// drawn once per animation frame, however many arrived.
import { cancelFrame, onFrame } from '../frames.js';
import { downloadText, fileName } from './download.js';
import { sanitizedFragment } from './sanitize.js';

function mount(body, win, ctx) {
  const el = document.createElement('div');
  el.className = 'text-pane';
  body.append(el);
  let content = '';

  function show(html) {
    content = typeof html === 'string' ? html : String(html ?? '');
    cancelFrame(redraw);
    el.replaceChildren(sanitizedFragment(content));
  }

  function redraw() {
    const had = view.downloads.length;
    el.replaceChildren(sanitizedFragment(content));
    el.scrollTop = el.scrollHeight;
    if (view.downloads.length !== had) ctx.downloadsChanged();
  }

  function svgSource() {
    const svg = el.querySelector('svg');
    return svg ? new XMLSerializer().serializeToString(svg) : null;
  }

  const view = {
    get downloads() {
      return svgSource() ? ['svg'] : [];
    },
    update(w) {
      show(w.content);
    },
    applyDelta(delta) {
      if (delta.kind !== 'append_text') return false;
      content += typeof delta.text === 'string' ? delta.text : String(delta.text ?? '');
      ctx.win().content = content;
      onFrame(redraw);
      return true;
    },
    destroy() {
      cancelFrame(redraw);
    },
    download(format) {
      const src = svgSource();
      if (format === 'svg' && src) downloadText(src, fileName(ctx.title(), 'svg'), 'image/svg+xml');
    },
  };
  view.update(win);
  return view;
}

export default { type: 'text', size: [20, 20], mount };
