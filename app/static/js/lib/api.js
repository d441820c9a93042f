// HTTP calls to the server: upstream's env endpoints (JSON text bodies) and /api/views.
import { page, url } from './page.js';

async function request(method, path, body) {
  const init = { method, credentials: 'same-origin', headers: {} };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers['Content-Type'] = 'application/json';
  }
  const resp = await fetch(url(path), init);
  const text = await resp.text();
  if (!resp.ok) {
    let message = text;
    try {
      message = JSON.parse(text).error || text;
    } catch (_) {
      /* not JSON: keep the text */
    }
    throw new Error(`${method} ${path} failed (${resp.status}): ${message || resp.statusText}`);
  }
  return text;
}

function parse(text) {
  return text ? JSON.parse(text) : null;
}

export const api = {
  envList: async () => parse(await request('POST', '/env_state', {})),
  fork: (prevEid, eid) => request('POST', '/fork_env', { prev_eid: prevEid, eid }),
  save: async (eid) => parse(await request('POST', '/save', { data: [eid] })),
  deleteEnv: (eid) => request('POST', '/delete_env', { eid }),
  clearEnv: (eid) => request('POST', '/close', { eid, win: null }),
  getViews: async () => parse(await request('GET', '/api/views')),
  putViews: async (views) => parse(await request('POST', '/api/views', { views })),
};

/**
 * GET an env's snapshot ({eid, windows, reload, seq, view_settings}, big plots decimated);
 * null when the env does not exist. The page's own env is read from the URL env.html
 * preloads (page.env_data), so that the request started with the page is the one used.
 */
export async function envContent(eid) {
  const path = page.env_data && eid === page.active_env ? page.env_data : url('/api/env/' + encodeURIComponent(eid));
  const resp = await fetch(path, { credentials: 'same-origin' });
  if (resp.status === 404) return null;
  if (!resp.ok) throw new Error(`GET ${path} failed (${resp.status})`);
  return resp.json();
}
