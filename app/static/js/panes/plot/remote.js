// A throttled reader of one server answer a plot pane draws from (x by metric, envelope,
// compare aggregate; viewctl.js). It keeps the newest answer for the URL asked, reads
// again at most once a second when the data changed (live appends), and keeps a 4xx
// answer's message so the pane can say what is wrong instead of drawing nothing.
import { url as pageUrl } from '../../lib/page.js';

export const MIN_GAP_MS = 1000;

/** Read the JSON at `path` (below the base URL): the answer, or {error, status, field}. */
export async function readJSON(path) {
  let resp;
  try {
    resp = await fetch(pageUrl(path), { credentials: 'same-origin' });
  } catch (err) {
    return { error: `the server could not be reached (${err.message || err})`, status: 0 };
  }
  const text = await resp.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (_) {
    /* not JSON: the text says what went wrong */
  }
  if (!resp.ok) {
    const message = (body && body.error) || text || resp.statusText;
    return { error: String(message), status: resp.status, field: body?.field ?? null };
  }
  return { answer: body };
}

/**
 * `onAnswer()` is called (once per read) when a new answer or error is in: the pane
 * then draws again and asks `current(path)`.
 */
export function remoteReader(onAnswer) {
  let path = null; // what is wanted
  let result = null; // {path, answer} or {path, error, status}
  let inflight = null;
  let last = 0;
  let timer = null;
  let dirty = false;
  let alive = true;

  function start() {
    clearTimeout(timer);
    timer = null;
    if (!alive || !path) return;
    if (inflight) {
      dirty = true; // read again once this one is in
      return;
    }
    const wait = last + MIN_GAP_MS - Date.now();
    if (wait > 0) {
      timer = setTimeout(start, wait);
      return;
    }
    const asked = path;
    last = Date.now();
    dirty = false;
    inflight = readJSON(asked).then((got) => {
      inflight = null;
      if (!alive) return;
      if (asked === path) {
        result = { path: asked, ...got };
        onAnswer();
      }
      if (dirty || asked !== path) start();
    });
  }

  return {
    /** The newest result for `p` (null while the first read is on its way); reads it if new. */
    current(p) {
      if (p !== path) {
        path = p;
        if (p) {
          last = 0; // a new question is asked at once
          start();
        }
      }
      return result && result.path === p ? result : null;
    },
    /** The data behind the answer changed: read it again (at most once a second). */
    stale() {
      if (path && !timer) start();
      else if (path && inflight) dirty = true;
    },
    /** Stop reading (nothing wanted any more). */
    clear() {
      path = null;
      clearTimeout(timer);
      timer = null;
    },
    destroy() {
      alive = false;
      clearTimeout(timer);
    },
  };
}
