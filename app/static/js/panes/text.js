// Text windows: HTML (also svg, matplot, audio and video), always sanitized.
import { downloadText, fileName } from './download.js';
import { sanitizedFragment } from './sanitize.js';

function mount(body, win, ctx) {
  const el = document.createElement('div');
  el.className = 'text-pane';
  body.append(el);
  let content = '';

  function show(html) {
    content = typeof html === 'string' ? html : String(html ?? '');
    el.replaceChildren(sanitizedFragment(content));
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
      show(content + (delta.text ?? ''));
      ctx.win().content = content;
      el.scrollTop = el.scrollHeight;
      return true;
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
