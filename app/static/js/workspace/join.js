// Opening one env: its windows over HTTP, the socket only for what changes after.
//
// GET /api/env/<eid> answers the same snapshot a join_env ack carries (windows, layout,
// seq, view settings), but it starts with the page (env.html preloads it, so it travels
// while the modules load), it is gzipped for a remote browser (the socket's frames are
// not compressed) and it does not wait for the socket to connect: the windows are drawn
// from it at once. Meanwhile `join_env {eid, windows: false}` joins the env's room and
// answers only the env's seq. Live messages are held until that answer: if the env
// changed between the read and the join (its seq is past the snapshot's), the snapshot
// is read again (every later change now reaches this page, and held messages the new
// snapshot holds are dropped as stale), else the held messages are applied.
import { envContent } from '../lib/api.js';
import { request } from '../lib/socket.js';

/** The snapshot of an env that does not exist (yet): its windows arrive live. */
const missing = (eid) => ({ eid, windows: [], reload: {}, seq: 0, exists: false });

/**
 * Show env `eid` in `workspace` from an HTTP snapshot and join its room. Resolve true
 * once the page is live, false if a newer open replaced this one (`token`) or it failed.
 */
export async function openOverHttp(workspace, eid, token, fresh) {
  const joining = request(workspace.socket, 'join_env', { eid, windows: false });
  joining.catch(() => {}); // awaited below, unless this open gives way first
  const current = () => workspace.loading === token;
  let content = await envContent(eid).catch(() => undefined);
  if (!current()) return false;
  // Not readable over HTTP (a bad name, an unreadable env file): the socket's full join
  // says why, as before.
  if (content === undefined) return workspace.join([eid], token, fresh);
  performance.mark('visdom:snapshot');
  workspace.take(content || missing(eid), fresh);
  let ack;
  try {
    ack = await joining;
  } catch (err) {
    if (!current()) return false;
    // No answer (the socket does not connect): the windows stay shown; the next connect
    // opens the env again and resyncs.
    workspace.loading = null;
    workspace.buffer = [];
    workspace.onError(err.message);
    return false;
  }
  if (!current()) return false;
  performance.mark('visdom:ack');
  const seq = content ? content.seq : 0;
  if (ack.exists !== Boolean(content) || !(ack.seq <= seq)) {
    content = await envContent(eid).catch(() => undefined);
    if (!current()) return false;
    if (content === undefined) return workspace.join([eid], token, false);
    workspace.take(content || missing(eid), false);
  }
  workspace.onJoin(ack);
  return true;
}
