// Env files in and out from the top bar: "Export HTML" (a standalone file of the open env,
// GET {base}/export/<eid>.html), "Upload" (an env JSON file, POST {base}/upload_env as
// multipart field `file`), and "Save all" (socket `save_all`).
import { url } from '../lib/page.js';
import { notify } from '../lib/status.js';

export class EnvIO {
  /**
   * @param {object} workspace the Workspace (eid, compare, emit)
   * @param {{open: (eids: string[]) => void, refreshEnvs: () => Promise<void>}} nav
   */
  constructor(workspace, nav) {
    this.ws = workspace;
    this.nav = nav;
    this.exportLink = document.getElementById('env-export');
    this.fileInput = document.getElementById('env-upload-file');
    document.getElementById('env-upload')?.addEventListener('click', () => this.fileInput?.click());
    this.fileInput?.addEventListener('change', () => {
      const file = this.fileInput.files?.[0];
      this.fileInput.value = '';
      if (file) this.upload(file);
    });
    document.getElementById('save-all')?.addEventListener('click', () => this.saveAll());
  }

  /** Point the export link at the open env (hidden in compare views). */
  render() {
    if (!this.exportLink) return;
    const eid = this.ws.compare ? null : this.ws.eid;
    this.exportLink.hidden = !eid;
    if (!eid) return;
    this.exportLink.href = url('/export/' + encodeURIComponent(eid) + '.html');
    this.exportLink.download = `${eid.replace(/[^\w.-]+/g, '_') || 'visdom'}.html`;
  }

  /** Upload an env JSON file; the server names the new env, which is then opened. */
  async upload(file) {
    const form = new FormData();
    form.append('file', file, file.name);
    let reply = null;
    let status = 0;
    try {
      const resp = await fetch(url('/upload_env'), {
        method: 'POST',
        body: form,
        credentials: 'same-origin',
      });
      status = resp.status;
      const text = await resp.text();
      try {
        reply = text ? JSON.parse(text) : null;
      } catch (_) {
        reply = { error: text };
      }
      if (!resp.ok || !reply || reply.success === false || !reply.eid) {
        throw new Error(reply?.error || resp.statusText || 'no answer');
      }
    } catch (err) {
      notify(`Upload of "${file.name}" failed${status ? ` (${status})` : ''}: ${err.message}`, 'error');
      return null;
    }
    await this.nav.refreshEnvs();
    notify(reply.message || `Uploaded "${file.name}" as env "${reply.eid}"`, 'success');
    this.nav.open([String(reply.eid)]);
    return reply.eid;
  }

  async saveAll() {
    const ack = await this.ws.emit('save_all', {});
    if (ack) notify('Saved every env', 'success');
  }
}
