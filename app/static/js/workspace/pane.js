// One window: the grid item element, its title bar (title, download, close) and a body
// rendered by the pane module registered for the window's type. The body is drawn when the
// host's drawer says the window came near the viewport; until then live changes only
// update the window object (winstate.js), which is drawn whole when its turn comes.
import { paneType } from '../panes/registry.js';
import { CommentBox } from './comments.js';
import { applyWindow } from './winstate.js';

const TYPING = new Set(['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON', 'OPTION']);

export class Pane {
  /**
   * @param {object} win the window object (upstream §3)
   * @param {object} host {readonly, canClose(), canSend(), send(win, extra),
   *   close(win), emit(event, payload), eid(), drawer?} (no drawer: drawn at once)
   */
  constructor(win, host) {
    this.host = host;
    this.win = win;
    this.module = null;
    this.view = null;
    this.el = document.createElement('div');
    this.el.className = 'grid-stack-item';
    this.el.dataset.win = win.id;
    this.el.visdomPane = this;
    this.frame = document.createElement('div');
    this.frame.className = 'grid-stack-item-content pane';
    this.frame.tabIndex = 0;
    this.bar = document.createElement('div');
    this.bar.className = 'pane-bar';
    this.titleEl = document.createElement('span');
    this.titleEl.className = 'pane-title';
    this.buttons = document.createElement('span');
    this.buttons.className = 'pane-buttons';
    this.bar.append(this.titleEl, this.buttons);
    this.body = document.createElement('div');
    this.body.className = 'pane-body';
    this.frame.append(this.bar, this.body);
    this.el.append(this.frame);
    this.comments = new CommentBox(this, host);

    this.frame.addEventListener('mousedown', () => this.focus());
    this.frame.addEventListener('keydown', (ev) => this.onKey(ev));
    this.size = '';
    bodies.observe(this.body);
    this.render(win);
    if (host.drawer) host.drawer.observe(this);
    else this.draw();
  }

  /** Draw the body now; resolve once it is drawn (a plot: when plotly.js has drawn it). */
  draw() {
    if (!this.view && !this.destroyed) this.mount();
    return Promise.resolve(this.view?.ready).catch(() => null);
  }

  /** Mount the pane module on the body (data-drawn="true" on the element until released). */
  mount() {
    this.host.drawer?.forget(this);
    this.module = paneType(this.win.type);
    this.body.replaceChildren();
    this.view = this.module.mount(this.body, this.win, this.context());
    // Not read here (a read after the mount lays the page out once per window): observed
    // anew, the body is reported after the next layout with the size it was drawn at.
    this.size = null;
    bodies.unobserve(this.body);
    bodies.observe(this.body);
    this.el.dataset.drawn = 'true';
    this.renderButtons();
    this.host.drawer?.drawn(this);
  }

  /**
   * Give the drawing back (the window went far from the viewport): only views that say
   * they can be drawn again from the window object alone (a plot the user has not zoomed
   * or panned). The window object stays, live changes keep updating it, and the pane is
   * drawn anew when it comes near. Return whether it was released.
   */
  release() {
    if (!this.view?.releasable?.() || this.destroyed) return false;
    if (this.frame.contains(document.activeElement)) return false;
    this.view.destroy?.();
    this.view = null;
    this.body.replaceChildren();
    delete this.el.dataset.drawn;
    return true;
  }

  /** The body changed size: redraw to fit, only when it really did (not on observe). */
  bodyResized() {
    if (!this.view) return; // not drawn: it is drawn at its size when its turn comes
    const size = sizeKey(this.body);
    const first = this.size === null;
    if (size === this.size) return;
    this.size = size;
    // The first report after a mount: the view is drawing at this size already.
    if (!first) this.view.resize?.();
  }

  get id() {
    return this.win.id;
  }

  get title() {
    return typeof this.win.title === 'string' ? this.win.title : String(this.win.title ?? '');
  }

  focus() {
    if (document.activeElement && this.frame.contains(document.activeElement)) return;
    this.frame.focus({ preventScroll: true });
  }

  /** Show a full window object; reuse the body when the type did not change. */
  render(win) {
    const mod = paneType(win.type);
    this.win = win;
    this.el.dataset.type = win.type;
    this.showTitle();
    if (!this.view) {
      // Not drawn yet: the window object is all there is to update.
    } else if (this.module === mod) {
      this.view.update(win);
    } else {
      this.view.destroy?.();
      this.view = null;
      this.mount();
      return;
    }
    this.comments.update(win);
    this.renderButtons();
  }

  /** Apply a window_update delta; return false when the pane cannot (caller resyncs). */
  applyDelta(delta) {
    if (!this.view) {
      // Not drawn yet: the window object grows, and is drawn whole when its turn comes.
      if (this.change(delta)) return true;
      this.mount(); // a delta only the pane module knows: draw, then apply
    }
    if (!this.view?.applyDelta) return false;
    const formats = String(this.view.downloads || []);
    // A drawn plot's traces grow as plotly.js draws them; other views draw the changed window.
    const ok = this.view.extendsContent
      ? this.view.applyDelta(delta) && this.change(delta, { content: false })
      : this.change(delta) && this.view.applyDelta(delta);
    if (ok && String(this.view.downloads || []) !== formats) this.renderButtons();
    return ok;
  }

  /** Change the window object (winstate.js); false when the change does not apply to it. */
  change(change, options) {
    if (!applyWindow(this.win, change, options)) return false;
    if (change.props && 'title' in change.props) this.showTitle();
    return true;
  }

  showTitle() {
    this.titleEl.textContent = this.title;
    this.titleEl.title = this.title;
  }

  context() {
    return {
      readonly: this.host.readonly,
      win: () => this.win,
      send: (extra) => {
        if (this.host.canSend()) this.host.send(this.win.id, extra);
      },
      emit: (event, payload) => this.host.emit(event, payload),
      canEdit: () => this.host.canSend(),
      // The view's title bar buttons or download formats changed (e.g. after a deferred draw).
      buttonsChanged: () => this.renderButtons(),
      focus: () => this.focus(),
      title: () => this.title || this.win.id,
      // The env the window is stored in (null in a compare view: merged windows).
      eid: () => this.host.eid?.() ?? null,
      // Every env shown (several in a compare view), and the windows on the page.
      eids: () => this.host.eids?.() ?? [],
      windows: () => this.host.windows?.() ?? [],
    };
  }

  renderButtons() {
    this.buttons.replaceChildren();
    for (const el of this.view?.titleButtons?.(button) || []) this.buttons.append(el);
    for (const format of this.view?.downloads || []) {
      const b = button(`pane-button pane-download`, format.toUpperCase(), `Download as ${format}`, () =>
        this.view.download(format),
      );
      b.dataset.format = format;
      this.buttons.append(b);
    }
    const comment = this.comments.button(button);
    if (comment) this.buttons.append(comment);
    if (this.host.canClose()) {
      const close = button('pane-button pane-close', '\u00d7', 'Close window', () =>
        this.host.close(this.win.id),
      );
      close.dataset.action = 'close';
      this.buttons.append(close);
    }
  }

  onKey(ev) {
    if (TYPING.has(ev.target.tagName) || ev.target.isContentEditable) return;
    if (this.view?.keys === false) return;
    const event = { event_type: 'KeyPress', key: ev.key, key_code: ev.keyCode };
    // Upstream's embeddings pane sends its key presses without the (large) window.
    if (this.view?.keyPaneData === false) event.pane_data = false;
    if (this.host.canSend()) this.host.send(this.win.id, event);
    if (ev.key.startsWith('Arrow') || ev.key === ' ') ev.preventDefault();
  }

  resize() {
    this.view?.resize?.();
  }

  destroy() {
    this.destroyed = true;
    this.host.drawer?.drop(this);
    bodies.unobserve(this.body);
    this.view?.destroy?.();
    this.view = null;
  }
}

// One observer for every pane body (a window that changes size is redrawn to fit).
const bodies = new ResizeObserver((entries) => {
  for (const entry of entries) entry.target.closest('.grid-stack-item')?.visdomPane?.bodyResized();
});

function sizeKey(el) {
  return `${el.clientWidth}x${el.clientHeight}`;
}

function button(className, label, title, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = label;
  b.title = title;
  b.addEventListener('mousedown', (ev) => ev.stopPropagation());
  b.addEventListener('click', (ev) => {
    ev.stopPropagation();
    onClick();
  });
  return b;
}
