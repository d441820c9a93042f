// The env hierarchy of upstream's selector: the root of a name is the text before its
// first "_"; names with a "_" are children of their root; names are sorted.

/**
 * @param {string[]} envs env ids
 * @param {string} query case-insensitive substring filter ('' keeps everything)
 * @returns {{root: string, isEnv: boolean, children: string[]}[]} sorted by root
 */
export function buildTree(envs, query = '') {
  const q = query.trim().toLowerCase();
  const names = [...new Set(envs.map(String))].sort();
  const roots = new Map();
  for (const name of names) {
    const cut = name.indexOf('_');
    const root = cut === -1 ? name : name.slice(0, cut);
    if (!roots.has(root)) roots.set(root, { root, isEnv: false, children: [] });
    const node = roots.get(root);
    if (cut === -1) node.isEnv = true;
    else node.children.push(name);
  }
  const out = [];
  for (const node of roots.values()) {
    if (!q) {
      out.push(node);
      continue;
    }
    const rootHit = node.root.toLowerCase().includes(q);
    const children = rootHit ? node.children : node.children.filter((c) => c.toLowerCase().includes(q));
    if (rootHit || children.length) out.push({ ...node, children });
  }
  return out;
}

/** The envs of a page path (after the base_url): /env/<eid>, /compare/<a+b>, or null. */
export function envsFromPath(path) {
  const env = /^\/env\/(.+)$/.exec(path);
  if (env) return [decodeURIComponent(env[1])];
  const cmp = /^\/compare\/(.+)$/.exec(path);
  if (cmp) return cmp[1].split('+').map(decodeURIComponent).filter(Boolean);
  return null;
}
