// Save a URL or a string as a file through a temporary <a download>.

export function downloadURL(href, filename) {
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

export function downloadText(text, filename, mime) {
  const href = URL.createObjectURL(new Blob([text], { type: mime }));
  downloadURL(href, filename);
  setTimeout(() => URL.revokeObjectURL(href), 10000);
}

/** A file name from a window title: letters, digits, dash, underscore and dot only. */
export function fileName(title, ext) {
  const stem = String(title || 'visdom').replace(/[^\w.-]+/g, '_').slice(0, 80) || 'visdom';
  return `${stem}.${ext}`;
}
