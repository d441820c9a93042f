// Light and dark mode. The page follows the system setting (prefers-color-scheme) unless
// the top bar's "Theme" choice (system / light / dark, kept in localStorage) says otherwise.
// The resolved theme is <html data-theme="light|dark">, which the stylesheet reads; plots
// get a dark plotly template, at creation (themedLayout) and live (the `visdom:theme` event).

const KEY = 'visdom:theme';
const CHOICES = ['system', 'light', 'dark'];
const system = window.matchMedia?.('(prefers-color-scheme: dark)');
let chosen = null; // this page's choice (also when localStorage is blocked)

const AXIS = {
  gridcolor: '#363c45',
  linecolor: '#5b636e',
  zerolinecolor: '#5b636e',
  tickcolor: '#5b636e',
};
const SCENE_AXIS = { ...AXIS, backgroundcolor: '#1c2026', showbackground: false };

/** The plotly template of dark mode (templates fill in only what a window's layout leaves unset). */
const DARK_TEMPLATE = {
  layout: {
    paper_bgcolor: '#1c2026',
    plot_bgcolor: '#1c2026',
    font: { color: '#d6dae0' },
    xaxis: AXIS,
    yaxis: AXIS,
    scene: { xaxis: SCENE_AXIS, yaxis: SCENE_AXIS, zaxis: SCENE_AXIS },
    polar: { bgcolor: '#1c2026', angularaxis: AXIS, radialaxis: AXIS },
    legend: { bgcolor: 'rgba(0,0,0,0)' },
    modebar: { bgcolor: 'rgba(0,0,0,0)', color: '#8f98a3', activecolor: '#e4e8ec' },
  },
};

/** The stored choice: 'system', 'light' or 'dark'. */
function themeChoice() {
  if (chosen) return chosen;
  let value = null;
  try {
    value = localStorage.getItem(KEY);
  } catch (_) {
    /* storage blocked: follow the system */
  }
  return CHOICES.includes(value) ? value : 'system';
}

/** The theme in force: 'dark' or 'light'. */
function currentTheme() {
  const choice = themeChoice();
  if (choice !== 'system') return choice;
  return system?.matches ? 'dark' : 'light';
}

/**
 * A plot layout in the current theme: dark mode adds the dark template unless the window
 * brings a template of its own (e.g. a plotly.py figure), which is then left as it is.
 */
export function themedLayout(layout) {
  if (layout.template || !darkPage()) return layout;
  return { ...layout, template: DARK_TEMPLATE };
}

/** The relayout that puts a plot drawn from `stored` (its window's layout) in the current theme. */
export function themeUpdate(stored) {
  if (stored?.template) return null;
  return { template: darkPage() ? DARK_TEMPLATE : null };
}

/** Whether the page is dark (initTheme decided; an exported file never is). */
function darkPage() {
  return document.documentElement.dataset.theme === 'dark';
}

function apply() {
  const theme = currentTheme();
  const root = document.documentElement;
  if (root.dataset.theme === theme) return;
  root.dataset.theme = theme;
  window.dispatchEvent(new CustomEvent('visdom:theme', { detail: { theme } }));
}

/** Apply the theme now, follow the system setting, and wire the Theme select (if any). */
export function initTheme(select) {
  apply();
  system?.addEventListener?.('change', apply);
  if (!select) return;
  select.value = themeChoice();
  select.addEventListener('change', () => {
    chosen = CHOICES.includes(select.value) ? select.value : 'system';
    try {
      localStorage.setItem(KEY, chosen);
    } catch (_) {
      /* not kept across reloads, but applied now */
    }
    apply();
  });
}
