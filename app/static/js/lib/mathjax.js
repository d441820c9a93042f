// LaTeX in plot titles and axis labels: `$...$` is typeset by plotly.js with MathJax 3
// (SVG output), served from app/static/vendor like the other libraries (no CDN). MathJax
// is 2 MB: it is loaded only when a plot to draw has a title or axis label with `$...$`.
// (An exported HTML file has no server: its LaTeX labels stay as written.)


const TEX = /\$[^$]+\$/;

let loading = null;

function text(title) {
  if (typeof title === 'string') return title;
  return typeof title?.text === 'string' ? title.text : '';
}

/** Whether a plot layout has a title or an axis title written in LaTeX. */
export function hasTex(layout) {
  if (!layout || typeof layout !== 'object') return false;
  const titles = [layout.title];
  for (const [key, value] of Object.entries(layout)) {
    if (/^[xy]axis\d*$/.test(key)) titles.push(value?.title);
    if (/^scene\d*$/.test(key)) for (const a of ['xaxis', 'yaxis', 'zaxis']) titles.push(value?.[a]?.title);
  }
  return titles.some((t) => TEX.test(text(t)));
}

/** Load MathJax once, configured the way plotly.js expects (SVG output, no page typesetting). */
function loadMathJax() {
  if (window.MathJax?.version) return Promise.resolve(window.MathJax);
  loading ||= new Promise((resolve, reject) => {
    window.MathJax = {
      // Typeset only what plotly asks for; no context menu, no accessibility extensions
      // (those would fetch more code).
      startup: { typeset: false },
      options: { enableMenu: false },
      tex: { inlineMath: [['$', '$']] },
      svg: { fontCache: 'local' },
    };
    const script = document.createElement('script');
    // Next to this module: the same content-hashed /static/<build>/ prefix (app/assets.py).
    script.src = new URL('../../vendor/mathjax-tex-svg.js', import.meta.url).href;
    script.async = true;
    script.addEventListener('load', () => {
      Promise.resolve(window.MathJax?.startup?.promise)
        .then(() => resolve(window.MathJax))
        .catch(reject);
    });
    script.addEventListener('error', () => {
      loading = null;
      script.remove();
      delete window.MathJax;
      reject(new Error('could not load MathJax from the server'));
    });
    document.head.append(script);
  });
  return loading;
}

/** Resolve when `layout` can be drawn: at once, or once MathJax is there if it needs it. */
export function texReady(layout) {
  if (!hasTex(layout)) return Promise.resolve();
  return loadMathJax().catch((err) => console.warn(err.message));
}
