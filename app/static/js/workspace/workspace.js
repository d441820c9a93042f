// The windows of the open env (or compare view): builds panes from the join ack, applies
// the live messages live.js routes to it (`window`, `window_update`, `close`, `layout`,
// `env_reset`, `view_settings`, `experiment`) in sequence order (resyncing an env on a
// gap), persists the user's layout changes, filters by title and applies views. Windows
// are drawn when they come near the viewport (lazy.js).
import { request } from '../lib/socket.js';
import { loadPlotly } from '../panes/plot/plot.js';
import { setViewSettings } from '../panes/plot/viewstate.js';
import { paneType } from '../panes/registry.js';
import { Grid } from './grid.js';
import { openOverHttp } from './join.js';
import { Drawer } from './lazy.js';
import { Pane } from './pane.js';
import { ackSeqs, Sequencer } from './seq.js';

const COMPARE_RESYNC_MS = 150;

export class Workspace {
  constructor(gridEl, socket, { readonly, onError, onChange, onJoin }) {
    this.socket = socket;
    this.onJoin = onJoin || (() => {});
    this.showAll = false;
    this.readonly = readonly;
    this.onError = onError;
    this.onChange = onChange || (() => {});
    this.eids = [];
    this.panes = new Map();
    this.reload = {};
    this.filter = null;
    this.snapshot = {};
    this.loading = null;
    this.buffer = [];
    this.seq = new Sequencer();
    this.resyncs = 0;
    this.resyncTimer = null;
    this.sentLayouts = new Map();
    this.grid = new Grid(gridEl, {
      onUserChange: (items) => this.persist(items),
      onResized: (el) => el.visdomPane?.resize(),
    });
    this.host = {
      readonly,
      canClose: () => !readonly && !this.compare,
      canSend: () => !readonly && !this.compare,
      send: (win, extra) => this.send(win, extra),
      close: (win) => this.closeWindow(win),
      emit: (event, payload) => this.emit(event, payload),
      eid: () => (this.compare ? null : this.eid), // where a pane reads more of its data
      eids: () => this.eids.slice(),
      windows: () => [...this.panes.values()].map((p) => p.win),
      drawer: new Drawer(),
    };
  }

  get compare() {
    return this.eids.length > 1;
  }

  get eid() {
    return this.eids[0];
  }

  /**
   * Join env(s) and show their windows (also the resync after a reconnect or a gap).
   * Live messages that arrive meanwhile are held, then applied if newer than the snapshot.
   * One env: its windows come over HTTP (join.js), drawn without waiting for the socket.
   */
  async open(eids) {
    const same = eids.length === this.eids.length && eids.every((e, i) => e === this.eids[i]);
    this.eids = eids.slice();
    this.missing = false;
    // Held messages of the same env(s) stay held: the new snapshot decides which are new.
    if (!same) this.buffer = [];
    const token = {}; // this open: a newer one replaces it in this.loading
    this.loading = token;
    // Almost every env has plots: fetch and compile plotly.js while the env's windows
    // travel, not after them (its basic bundle, loaded once: lib/plotly.js; a failure shows per plot).
    loadPlotly().catch(() => {});
    performance.mark('visdom:join');
    const ok = eids.length === 1 ? await openOverHttp(this, eids[0], token, !same) : await this.join(eids, token, !same);
    if (!ok || this.loading !== token) return false; // failed, or a newer open() won
    this.loading = null;
    performance.mark('visdom:live');
    const held = this.buffer;
    this.buffer = [];
    for (const [apply, msg] of held) {
      // Without sequence numbers (an older server): skip changes the snapshot holds.
      if (!Number.isFinite(msg.seq) && this.inSnapshot(msg)) continue;
      this.receive(apply, msg, true);
    }
    return true;
  }

  /** Join over the socket, its ack carrying the windows (compare views; the fallback). */
  async join(eids, token, fresh) {
    let ack;
    try {
      ack = await request(this.socket, 'join_env', this.joinPayload(eids));
    } catch (err) {
      if (this.loading === token) this.refused(err);
      return false;
    }
    if (this.loading !== token) return false;
    performance.mark('visdom:ack');
    this.take(ack, fresh);
    this.onJoin(ack);
    return true;
  }

  /** Show a snapshot (a join ack or GET /api/env): its windows, sequence numbers, views. */
  take(content, fresh) {
    // An env that does not exist yet is joined all the same: its windows arrive live.
    this.missing = content.exists === false;
    this.seq.reset(ackSeqs(content, this.eids));
    setViewSettings(this.compare ? null : content.eid, content.view_settings);
    this.show(content, fresh);
    performance.mark('visdom:shown');
  }

  /** The join was refused (a bad name): show nothing and retry when env_list has it. */
  refused(err) {
    this.loading = null;
    this.buffer = [];
    this.seq.reset({});
    this.missing = true;
    this.show({ windows: [], reload: {} }, true);
    this.onError(err.message);
  }

  inSnapshot(msg) {
    const contentID = msg.window ? msg.window.contentID : msg.contentID;
    const pane = this.panes.get(msg.window ? msg.window.id : msg.win);
    return Boolean(contentID && pane && pane.win.contentID === contentID);
  }

  /** The join_env payload: one env, or a compare view (with every window if showAll). */
  joinPayload(eids) {
    if (eids.length < 2) return { eid: eids[0] };
    return this.showAll ? { eids, show_all: true } : { eids };
  }

  /** Re-join the shown env(s) now, holding live messages until the snapshot is shown. */
  resync() {
    if (!this.eids.length) return;
    this.resyncs += 1;
    if (!this.loading) this.open(this.eids);
  }

  /** Compare views merge envs: rebuild at most every COMPARE_RESYNC_MS while changes flow. */
  resyncSoon() {
    if (this.resyncTimer) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = null;
      this.resync();
    }, COMPARE_RESYNC_MS);
  }

  /**
   * Replace the panes with the windows of a join ack. A resync (`fresh` false) keeps the
   * pane elements and redraws each in place: a contentID cannot tell whether a window is
   * unchanged (a /win_data write stores the contentID it is given).
   */
  show(ack, fresh) {
    const windows = (ack.windows || []).slice().sort((a, b) => (a.i ?? 1e9) - (b.i ?? 1e9));
    this.reload = this.compare ? {} : { ...(ack.reload || {}) };
    const keep = new Set(windows.map((w) => w.id));
    for (const [id, pane] of this.panes) if (fresh || !keep.has(id)) this.drop(id, pane);
    const placed = windows.filter((w) => this.reload[w.id]);
    const rest = windows.filter((w) => !this.reload[w.id]);
    this.grid.batch(() => {
      for (const w of [...placed, ...rest]) {
        const pane = this.panes.get(w.id);
        if (!pane) this.add(w);
        else {
          pane.render(w);
          const layout = this.reload[w.id];
          if (layout && !this.filter) this.grid.move(pane.el, layout);
        }
      }
    });
    this.refilter();
    this.onChange();
  }

  add(win) {
    const pane = new Pane(win, this.host);
    this.panes.set(win.id, pane);
    const saved = this.reload[win.id];
    const layout = saved && Number.isFinite(saved.w) ? saved : this.grid.sizeFor(win, paneType(win.type).size);
    if (this.matches(pane)) this.grid.add(pane.el, layout);
    else this.hide(pane);
    return pane;
  }

  drop(id, pane = this.panes.get(id)) {
    if (!pane) return;
    pane.destroy();
    this.grid.remove(pane.el, true);
    pane.el.remove();
    this.panes.delete(id);
  }

  // ---- live messages -------------------------------------------------------------------

  concerns(msg) {
    return msg && this.eids.includes(msg.eid);
  }

  /**
   * Apply a live message in sequence order: hold it while joining, resync on a gap.
   * `replay`: a held message, just after a new snapshot was shown.
   */
  receive(apply, msg, replay = false) {
    if (!this.concerns(msg)) return;
    if (this.loading) {
      this.buffer.push([apply, msg]);
      return;
    }
    const verdict = this.seq.accept(msg.eid, msg.seq);
    if (verdict === 'stale') return; // the snapshot shown already holds it
    if (verdict === 'gap' && replay) {
      // Sent before a snapshot that claims to be older: the server restarted (its numbers
      // started again) or is broken. The snapshot is the truth; resyncing again would loop.
      console.warn(`env ${msg.eid}: dropped message ${msg.seq} (snapshot ${this.seq.get(msg.eid)})`);
      return;
    }
    if (verdict === 'gap') {
      // Messages are missing: take a new snapshot; this one is applied after it if newer.
      this.buffer.push([apply, msg]);
      this.resync();
      return;
    }
    if (apply === numberedOnly) return; // counted, nothing to show
    if (this.compare) this.resyncSoon(); // merged windows: rebuilt from a new snapshot
    else apply.call(this, msg);
  }

  onWindow(msg) {
    this.receive(this.applyWindow, msg);
  }

  onWindowUpdate(msg) {
    this.receive(this.applyWindowUpdate, msg);
  }

  onClose(msg) {
    this.receive(this.applyClose, msg);
  }

  onLayout(msg) {
    this.receive(this.applyLayout, msg);
  }

  onViewSettings(msg) {
    this.receive((m) => setViewSettings(m.eid, m.settings), msg);
  }

  onEnvReset(msg) {
    this.receive(this.resync, msg);
  }

  /** An experiment log (the runs page reads those): numbered, nothing to draw here. */
  onExperiment(msg) {
    this.receive(numberedOnly, msg);
  }

  applyWindow(msg) {
    const win = msg.window;
    if (!win || typeof win !== 'object' || typeof win.id !== 'string') return;
    this.missing = false; // it has a window: the env exists now
    const pane = this.panes.get(win.id);
    if (pane) {
      pane.render(win);
      if (this.filter) this.refilter(); // the title may have changed
    } else this.add(win);
    this.onChange();
  }

  applyWindowUpdate(msg) {
    const pane = this.panes.get(msg.win);
    if (!pane || !pane.applyDelta(msg)) this.resync();
  }

  applyClose(msg) {
    const wins = Array.isArray(msg.wins) ? msg.wins : [msg.win];
    for (const win of wins) {
      if (typeof win !== 'string') continue;
      this.drop(win);
      delete this.reload[win];
      this.sentLayouts.delete(win);
    }
    this.onChange();
  }

  applyLayout(msg) {
    const layout = msg.layout;
    if (!layout || typeof layout !== 'object') return;
    // The echo of a move this page made: if a later move of it is on its way, wait for that.
    const sent = this.sentLayouts.get(msg.win);
    const at = sent ? sent.indexOf(layoutKey(layout)) : -1;
    if (at >= 0) {
      sent.splice(0, at + 1);
      if (sent.length) return;
      this.sentLayouts.delete(msg.win);
    }
    this.reload[msg.win] = layout;
    const pane = this.panes.get(msg.win);
    if (!pane || this.filter) return;
    const now = this.grid.layoutOf(pane.el);
    if (now && layoutKey(now) === layoutKey(layout)) return; // already there: nothing to do
    this.grid.move(pane.el, layout);
  }

  // ---- to the server -------------------------------------------------------------------

  send(win, extra) {
    this.emit('browser_event', { target: win, ...extra });
  }

  emit(event, payload) {
    if (this.readonly) return Promise.resolve(null);
    return request(this.socket, event, { eid: this.eid, ...payload }).catch((err) =>
      this.onError(err.message),
    );
  }

  async closeWindow(win) {
    const ack = await this.emit('close_window', { win });
    if (ack && ack.ok && this.panes.has(win)) this.applyClose({ eid: this.eid, win });
  }

  get canPersist() {
    return !this.readonly && !this.compare && !this.filter;
  }

  persist(items) {
    if (!this.canPersist) return; // filtered, compare or readonly: the change stays local
    // The first change also stores the windows that were placed automatically, so that a
    // reload puts every window back exactly where it was.
    const changed = new Set(items.map((it) => it.el));
    const unplaced = this.grid
      .itemsInOrder()
      .filter((el) => !changed.has(el) && !this.reload[el.dataset.win])
      .map((el) => ({ el, layout: this.grid.layoutOf(el) }));
    for (const { el, layout } of [...items, ...unplaced]) {
      const win = el?.dataset?.win;
      if (!win || !layout) continue;
      this.reload[win] = { ...(this.reload[win] || {}), ...layout };
      // The server sends the move back to every browser of the env, this one included.
      const sent = this.sentLayouts.get(win) || [];
      sent.push(layoutKey(this.reload[win]));
      this.sentLayouts.set(win, sent.slice(-20));
      this.emit('layout_item_update', { win, layout: this.reload[win] });
    }
  }

  // ---- filter, views, repack -----------------------------------------------------------

  matches(pane) {
    return !this.filter || this.filter.test(pane.title);
  }

  hide(pane) {
    this.grid.remove(pane.el, false);
    pane.el.classList.add('filtered');
    if (!pane.el.parentNode) this.grid.el.append(pane.el);
  }

  /** Show only windows whose title matches `text` (a regex; invalid ones match literally). */
  setFilter(text) {
    let re = null;
    if (text) {
      try {
        re = new RegExp(text, 'i');
      } catch (_) {
        re = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
      }
    }
    if (re && !this.filter) {
      // Remember where every window is, so that clearing the filter puts them back.
      this.snapshot = {};
      for (const pane of this.panes.values()) {
        const l = this.grid.layoutOf(pane.el);
        if (l) this.snapshot[pane.id] = l;
      }
    }
    this.filter = re;
    this.refilter(true);
    if (!re) this.snapshot = {};
  }

  refilter(changed = false) {
    const order = this.savedOrder();
    for (const pane of order) {
      const inGrid = this.grid.has(pane.el);
      if (this.matches(pane) && !inGrid) {
        pane.el.classList.remove('filtered');
        const saved = this.savedLayout(pane);
        this.grid.add(pane.el, saved || this.grid.sizeFor(pane.win, paneType(pane.win.type).size));
        pane.resize();
      } else if (!this.matches(pane) && inGrid) this.hide(pane);
    }
    if (!changed) return;
    if (this.filter) {
      const shown = order.filter((p) => this.grid.has(p.el));
      this.grid.pack(shown.map((p) => ({ el: p.el, ...this.grid.layoutOf(p.el) })));
    } else {
      // Clearing the filter puts every window back where the saved layout has it.
      for (const pane of order) {
        const saved = this.savedLayout(pane);
        if (saved) this.grid.move(pane.el, saved);
      }
    }
    this.onChange();
  }

  /** Where a pane belongs when no filter is active (null: nowhere in particular). */
  savedLayout(pane) {
    return this.reload[pane.id] || this.snapshot?.[pane.id] || null;
  }

  /** Panes in the order of their saved layout (top to bottom, left to right), then the rest. */
  savedOrder() {
    const panes = [...this.panes.values()];
    const key = (p) => this.savedLayout(p) || this.grid.layoutOf(p.el) || { x: 1e9, y: 1e9 };
    return panes.sort((a, b) => key(a).y - key(b).y || key(a).x - key(b).x);
  }

  /** The current layout as a view: {win: [order, h, w]}. */
  viewSpec() {
    const spec = {};
    this.grid.itemsInOrder().forEach((el, i) => {
      const l = this.grid.layoutOf(el);
      spec[el.dataset.win] = [i, l.h, l.w];
    });
    return spec;
  }

  /** Arrange windows as a saved view ({win: [order, h, w]}) and persist the result. */
  applyView(spec) {
    const inGrid = this.grid.itemsInOrder();
    const known = inGrid.filter((el) => spec[el.dataset.win]);
    known.sort((a, b) => spec[a.dataset.win][0] - spec[b.dataset.win][0]);
    const rest = inGrid.filter((el) => !spec[el.dataset.win]);
    const entries = [...known, ...rest].map((el) => {
      const l = this.grid.layoutOf(el);
      const s = spec[el.dataset.win];
      return { el, w: s ? Number(s[2]) || l.w : l.w, h: s ? Number(s[1]) || l.h : l.h };
    });
    this.persist(this.grid.pack(entries));
  }

  /** Pack the windows to the top left, keeping their row/column order and sizes. */
  repack() {
    const entries = this.grid.itemsInOrder().map((el) => ({ el, ...this.grid.layoutOf(el) }));
    this.persist(this.grid.pack(entries));
  }
}

/** The `apply` of a message that only advances the env's sequence number. */
function numberedOnly() {}

/** Compare layouts by position and size only. */
function layoutKey(l) {
  return ['x', 'y', 'w', 'h'].map((k) => (Number.isFinite(l[k]) ? l[k] : '')).join(',');
}
