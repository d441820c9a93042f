// The page data the server renders into <script type="application/json" id="page-data">,
// and URL helpers that respect the base_url prefix.

function readPageData() {
  const el = document.getElementById('page-data');
  if (!el) return {};
  try {
    return JSON.parse(el.textContent || '{}') || {};
  } catch (err) {
    console.error('bad page data', err);
    return {};
  }
}

export const page = readPageData();

/** The URL prefix ('' or '/something', never ending in '/'). */
export const base = (page.base_url || '').replace(/\/+$/, '');

/** Prefix an absolute app path (starting with '/') with base_url. */
export function url(path) {
  return base + path;
}

/** The page URL of one env. */
export function envUrl(eid) {
  return url('/env/' + encodeURIComponent(eid));
}

/** The page URL of a compare view of several envs. */
export function compareUrl(eids) {
  return url('/compare/' + eids.map(encodeURIComponent).join('+'));
}
