// Undo of closed windows (visdom 0.3.0): the top bar's Undo button is enabled while the
// open env has closed windows to reopen. The count comes with the join_env ack ("undo")
// and with `undo_state {eid, count}` after every close or undo; pressing the button emits
// `undo {eid}` and the reopened window arrives as a `window` message.

export class Undo {
  /**
   * @param {object} workspace the Workspace (eid, compare, emit)
   * @param {HTMLButtonElement|null} button
   */
  constructor(workspace, button, { readonly }) {
    this.ws = workspace;
    this.button = button;
    this.readonly = readonly;
    this.counts = new Map();
    this.button?.addEventListener('click', () => this.undo());
    this.render();
  }

  /** A join_env ack: remember the env's undo count (none given: nothing to undo). */
  onJoin(ack) {
    if (ack && typeof ack.eid === 'string') this.counts.set(ack.eid, count(ack.undo));
    this.render();
  }

  /** An `undo_state {eid, count}` message. */
  onState(msg) {
    if (!msg || typeof msg.eid !== 'string') return;
    this.counts.set(msg.eid, count(msg.count));
    this.render();
  }

  get count() {
    return this.ws.compare ? 0 : this.counts.get(this.ws.eid) || 0;
  }

  render() {
    if (!this.button) return;
    const n = this.count;
    this.button.disabled = this.readonly || n <= 0;
    this.button.dataset.count = String(n);
    this.button.title =
      n > 0 ? `Undo: reopen the last closed window (${n} to reopen)` : 'Undo: no closed window to reopen';
  }

  async undo() {
    if (this.count <= 0) return;
    this.button.disabled = true; // until undo_state says how many are left
    await this.ws.emit('undo', {});
    this.render(); // undo_state arrives before the ack
  }
}

function count(value) {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}
