// Draw windows when they come near the viewport, the ones on screen first: an env of fifty
// plots shows its first screen without waiting for the other forty to be drawn, and a
// window far below the fold costs nothing until it is scrolled to. A drawn window that
// goes far away again gives its drawing back (a plot: Plotly.purge, its SVG and plotly's
// copies of the data) and is drawn anew from its window object when it comes near: an env
// of 500 windows scrolled through holds the plots of a few screens, not of all 500.

// How near counts as near: one screen above and below the viewport.
const MARGIN = '100% 0px 100% 0px';
// How far counts as far: three screens away, so that scrolling back and forth a little
// does not draw the same windows again and again.
const RELEASE_MARGIN = '300% 0px 300% 0px';

/** Resolve after the browser had a chance to paint and handle input (also in a hidden tab). */
function breathe() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function onScreen(rect) {
  return (
    rect.bottom > 0 &&
    rect.top < window.innerHeight &&
    rect.right > 0 &&
    rect.left < window.innerWidth &&
    rect.height > 0
  );
}

export class Drawer {
  constructor() {
    this.queue = new Set();
    this.running = false;
    const observes = typeof IntersectionObserver === 'function';
    this.io = observes ? new IntersectionObserver((entries) => this.seen(entries), { rootMargin: MARGIN }) : null;
    this.far = observes
      ? new IntersectionObserver((entries) => this.gone(entries), { rootMargin: RELEASE_MARGIN })
      : null;
    // Counts the tests and benches read (window.visdomPage.workspace.host.drawer.stats).
    this.stats = { draws: 0, releases: 0 };
  }

  /** A pane was drawn: watch for it going far away. */
  drawn(pane) {
    this.stats.draws += 1;
    this.far?.observe(pane.el);
  }

  /** Panes that went far away give their drawing back and wait to come near again. */
  gone(entries) {
    for (const entry of entries) {
      const pane = entry.target.visdomPane;
      if (!pane || entry.isIntersecting || !entry.target.isConnected) continue;
      // Hidden by the filter (no box at all): not far, just not shown.
      if (!entry.boundingClientRect.height) continue;
      if (!pane.release()) continue;
      this.far.unobserve(pane.el);
      this.stats.releases += 1;
      this.observe(pane);
    }
  }

  /** Draw `pane` (it has a `draw()` returning a promise) once it comes near the viewport. */
  observe(pane) {
    if (!this.io) {
      pane.draw();
      return;
    }
    this.io.observe(pane.el);
  }

  /** Stop watching a pane (drawn, or taken away). */
  forget(pane) {
    this.io?.unobserve(pane.el);
    this.queue.delete(pane);
  }

  /** A pane taken away: stop watching it at all. */
  drop(pane) {
    this.forget(pane);
    this.far?.unobserve(pane.el);
  }

  seen(entries) {
    for (const entry of entries) {
      const pane = entry.target.visdomPane;
      if (!pane) continue;
      if (entry.isIntersecting) this.queue.add(pane);
      else this.queue.delete(pane); // went away again before its turn
    }
    this.drain();
  }

  /**
   * Draw the queued panes: every one on screen at once (one paint shows the whole first
   * screen), then the near ones one at a time, nearest first, yielding between them so
   * that scrolling and live updates stay smooth.
   */
  async drain() {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.size) {
        const byDistance = [...this.queue]
          .map((pane) => ({ pane, rect: pane.el.getBoundingClientRect() }))
          .sort((a, b) => distance(a.rect) - distance(b.rect) || a.rect.left - b.rect.left);
        const visible = byDistance.filter((p) => onScreen(p.rect)).map((p) => p.pane);
        const batch = visible.length ? visible : [byDistance[0].pane];
        for (const pane of batch) this.forget(pane);
        await Promise.all(batch.map((pane) => pane.draw()));
        if (visible.length) performance.mark('visdom:screen-drawn');
        await breathe();
      }
    } finally {
      this.running = false;
    }
  }
}

/** How far an element is from the viewport, in pixels (0: on screen). */
function distance(rect) {
  if (rect.bottom < 0) return -rect.bottom;
  if (rect.top > window.innerHeight) return rect.top - window.innerHeight;
  return 0;
}
