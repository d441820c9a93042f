// The windows of the open env (or compare view): builds panes from the join ack, applies
// live `window` / `window_update` / `close` / `layout` messages, persists the user's
// layout changes, filters by title and applies views.
import { Grid } from './grid.js';
import { Pane } from './pane.js';
import { paneType } from './panes/registry.js';
import { request } from './socket.js';

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
    this.resyncTimer = null;
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
    };
  }

  get compare() {
    return this.eids.length > 1;
  }

  get eid() {
    return this.eids[0];
  }

  /** Join env(s) and show their windows (also used to resync after a reconnect). */
  async open(eids) {
    const same = eids.length === this.eids.length && eids.every((e, i) => e === this.eids[i]);
    this.eids = eids.slice();
    this.missing = false;
    this.buffer = [];
    const payload = this.joinPayload(eids);
    const pending = request(this.socket, 'join_env', payload);
    this.loading = pending;
    let ack;
    try {
      ack = await pending;
    } catch (err) {
      if (this.loading !== pending) return false;
      this.loading = null;
      // Refused (a bad name): show nothing and retry when env_list has it.
      this.missing = true;
      this.show({ windows: [], reload: {} }, true);
      this.onError(err.message);
      return false;
    }
    if (this.loading !== pending) return false; // a newer open() won
    this.loading = null;
    // An env that does not exist yet is joined all the same: its windows arrive live.
    this.missing = ack.exists === false;
    this.show(ack, !same);
    this.onJoin(ack);
    // Messages that arrived while joining are newer than the ack's snapshot, except
    // those whose change the snapshot already holds (same contentID).
    const buffered = this.buffer;
    this.buffer = [];
    for (const [handler, msg] of buffered) {
      const contentID = msg.window ? msg.window.contentID : msg.contentID;
      const pane = this.panes.get(msg.window ? msg.window.id : msg.win);
      if (contentID && pane && pane.win.contentID === contentID) continue;
      handler.call(this, msg);
    }
    return true;
  }

  /** The join_env payload: one env, or a compare view (with every window if showAll). */
  joinPayload(eids) {
    if (eids.length < 2) return { eid: eids[0] };
    return this.showAll ? { eids, show_all: true } : { eids };
  }

  /** Hold a message for the env being joined until its snapshot is shown. */
  held(handler, msg) {
    if (!this.loading) return false;
    this.buffer.push([handler, msg]);
    return true;
  }

  /** Replace the panes with the windows of a join ack; keep panes whose content is unchanged. */
  show(ack, fresh) {
    const windows = (ack.windows || []).slice().sort((a, b) => (a.i ?? 1e9) - (b.i ?? 1e9));
    this.reload = this.compare ? {} : { ...(ack.reload || {}) };
    const keep = new Set(windows.map((w) => w.id));
    for (const [id, pane] of this.panes) if (fresh || !keep.has(id)) this.drop(id, pane);
    const placed = windows.filter((w) => this.reload[w.id]);
    const rest = windows.filter((w) => !this.reload[w.id]);
    for (const w of [...placed, ...rest]) {
      const pane = this.panes.get(w.id);
      if (!pane) this.add(w);
      else {
        if (pane.win.contentID !== w.contentID || pane.win.type !== w.type) pane.render(w);
        const layout = this.reload[w.id];
        if (layout && !this.filter) this.grid.move(pane.el, layout);
      }
    }
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

  onWindow(msg) {
    if (!this.concerns(msg) || !msg.window || this.held(this.onWindow, msg)) return;
    if (this.compare) return this.resyncSoon();
    const win = msg.window;
    const pane = this.panes.get(win.id);
    if (pane) {
      pane.render(win);
      if (this.filter) this.refilter(); // the title may have changed
    } else this.add(win);
    this.onChange();
  }

  onWindowUpdate(msg) {
    if (!this.concerns(msg) || this.held(this.onWindowUpdate, msg)) return;
    if (this.compare) return this.resyncSoon();
    const pane = this.panes.get(msg.win);
    if (!pane || !pane.applyDelta(msg)) this.resyncSoon();
  }

  onClose(msg) {
    if (!this.concerns(msg) || this.held(this.onClose, msg)) return;
    if (this.compare) return this.resyncSoon();
    this.drop(msg.win);
    delete this.reload[msg.win];
    this.onChange();
  }

  onLayout(msg) {
    if (!this.concerns(msg) || this.compare || !msg.layout || this.held(this.onLayout, msg)) return;
    this.reload[msg.win] = msg.layout;
    const pane = this.panes.get(msg.win);
    if (pane && !this.filter) this.grid.move(pane.el, msg.layout);
  }

  resyncSoon() {
    clearTimeout(this.resyncTimer);
    this.resyncTimer = setTimeout(() => this.eids.length && this.open(this.eids), 150);
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
    if (ack && ack.ok) this.onClose({ eid: this.eid, win });
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
