// Text windows: HTML (also svg, matplot, audio and video), always sanitized. Appends are
// drawn once per animation frame, however many arrived. Downloads: the content as an
// HTML file, and the SVG when the window shows one.
import { downloadText, fileName } from '../../lib/download.js';
import { sanitizedFragment, sanitizedHTML } from '../../lib/sanitize.js';
import { cancelFrame, onFrame } from '../../workspace/frames.js';

/** A standalone HTML document of a text window (the content as stored, sanitized again on open). */
function htmlDocument(title, content) {
  const t = document.createElement('title');
  t.textContent = String(title ?? '');
  return `<!doctype html>\n<html><head><meta charset="utf-8">${t.outerHTML}</head>\n<body>\n${sanitizedHTML(content)}\n</body></html>\n`;
}

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
    if (view.downloads.length !== had) ctx.buttonsChanged();
  }

  function svgSource() {
    const svg = el.querySelector('svg');
    return svg ? new XMLSerializer().serializeToString(svg) : null;
  }

  const view = {
    get downloads() {
      return svgSource() ? ['html', 'svg'] : ['html'];
    },
    update(w) {
      show(w.content);
    },
    /** The window's text grew (winstate.js): draw it at the next frame. */
    applyDelta(delta) {
      if (delta.kind !== 'append_text') return false;
      content = String(ctx.win().content ?? '');
      onFrame(redraw);
      return true;
    },
    destroy() {
      cancelFrame(redraw);
    },
    download(format) {
      const src = svgSource();
      if (format === 'svg' && src) downloadText(src, fileName(ctx.title(), 'svg'), 'image/svg+xml');
      if (format === 'html') downloadText(htmlDocument(ctx.title(), content), fileName(ctx.title(), 'html'), 'text/html');
    },
  };
  view.update(win);
  return view;
}

export default { type: 'text', size: [20, 20], mount };
