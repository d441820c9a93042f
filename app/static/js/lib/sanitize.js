// The one way HTML from windows reaches the DOM: DOMPurify, never raw innerHTML.
import DOMPurify from '../../vendor/purify.es.js';

const CONFIG = {
  // Media panes (audio, video) carry data: URIs; DOMPurify allows those on media tags.
  ADD_TAGS: ['source'],
  ADD_ATTR: ['controls', 'autoplay', 'loop', 'muted', 'target'],
  FORBID_TAGS: ['form'],
  RETURN_DOM_FRAGMENT: true,
};

/** A sanitized DocumentFragment of `html` (a string; anything else is shown as text). */
export function sanitizedFragment(html) {
  if (typeof html !== 'string') html = html == null ? '' : String(html);
  return DOMPurify.sanitize(html, CONFIG);
}

/** The sanitized `html` as a string (for files the user downloads). */
export function sanitizedHTML(html) {
  const box = document.createElement('div');
  box.append(sanitizedFragment(html));
  return box.innerHTML;
}
