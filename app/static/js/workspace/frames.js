// Draw live changes once per animation frame: a burst of messages for a window costs one
// draw, not one per message. A hidden tab gets no frames: its windows draw once, with
// everything merged, when it becomes visible again.

const FALLBACK_MS = 250; // when frames do not come although the tab is said to be visible

const pending = new Set();
let frame = 0;
let timer = 0;

/** Call `fn` once at the next frame (scheduling it again before then is a no-op). */
export function onFrame(fn) {
  pending.add(fn);
  if (document.hidden) return;
  frame ||= requestAnimationFrame(run);
  timer ||= setTimeout(run, FALLBACK_MS);
}

/** Forget a scheduled `fn` (its window was closed or redrawn). */
export function cancelFrame(fn) {
  pending.delete(fn);
}

function run() {
  cancelAnimationFrame(frame);
  clearTimeout(timer);
  frame = 0;
  timer = 0;
  const fns = [...pending];
  pending.clear();
  for (const fn of fns) {
    try {
      fn();
    } catch (err) {
      console.error('live update failed:', err);
    }
  }
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && pending.size) run();
});
