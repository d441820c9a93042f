// A window's comment (visdom 0.3.0): shown under the window's body, edited in place (the
// "Comment" button or a click on the text), sent as `update_comment {eid, win, comment}`.
// Other pages get the change live as a full `window` message carrying `comment`.
import { applyWindow } from './winstate.js';

export class CommentBox {
  /**
   * @param {object} pane the Pane (its frame gets the comment area)
   * @param {object} host the pane host: canSend(), emit(event, payload)
   */
  constructor(pane, host) {
    this.pane = pane;
    this.host = host;
    this.value = '';
    this.input = null;
    this.el = document.createElement('div');
    this.el.className = 'pane-comment';
    this.el.hidden = true;
    this.text = document.createElement('div');
    this.text.className = 'comment-text';
    this.el.append(this.text);
    this.text.addEventListener('click', () => this.edit());
    pane.frame.append(this.el);
  }

  get editable() {
    return this.host.canSend();
  }

  get editing() {
    return Boolean(this.input);
  }

  /** Show the comment of a (new) window object, unless the user is typing one. */
  update(win) {
    this.value = typeof win.comment === 'string' ? win.comment : String(win.comment ?? '');
    if (!this.editing) this.render();
  }

  render() {
    this.text.textContent = this.value;
    this.text.title = this.editable ? 'Click to edit the comment' : '';
    this.el.classList.toggle('editable', this.editable);
    this.el.hidden = !this.value && !this.editing;
    this.pane.resize();
  }

  /** The title-bar button that opens the editor (null when the comment cannot change). */
  button(make) {
    if (!this.editable) return null;
    const b = make('pane-button pane-comment-button', '\u270e', 'Comment on this window', () =>
      this.edit(),
    );
    b.dataset.action = 'comment';
    return b;
  }

  edit() {
    if (!this.editable || this.editing) {
      this.input?.focus();
      return;
    }
    const input = document.createElement('textarea');
    input.className = 'comment-input';
    input.rows = 2;
    input.placeholder = 'Comment (Enter saves, Shift+Enter new line, Esc cancels)';
    input.value = this.value;
    input.addEventListener('keydown', (ev) => {
      ev.stopPropagation();
      if (ev.key === 'Enter' && !ev.shiftKey) {
        ev.preventDefault();
        this.finish(true);
      } else if (ev.key === 'Escape') {
        ev.preventDefault();
        this.finish(false);
      }
    });
    input.addEventListener('blur', () => this.finish(true));
    input.addEventListener('mousedown', (ev) => ev.stopPropagation());
    this.input = input;
    this.text.hidden = true;
    this.el.append(input);
    this.el.hidden = false;
    this.pane.resize();
    input.focus();
  }

  finish(save) {
    const input = this.input;
    if (!input) return;
    this.input = null;
    const next = input.value;
    input.remove();
    this.text.hidden = false;
    if (save && next !== this.value) {
      this.value = next;
      applyWindow(this.pane.win, { props: { comment: next } });
      this.host.emit('update_comment', { win: this.pane.id, comment: next });
    }
    this.render();
  }
}
