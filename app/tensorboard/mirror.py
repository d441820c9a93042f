"""Store the items of a run's events in its env, through the same store calls as the API.

Scalars are appended as /update appends are (`store.update_window`, columnar, decimated
for browsers, zoomable to raw points, CSV), stamped with the events' own wall times.
Histograms become a line window of TensorBoard's distribution percentiles over steps,
appended the same way. Images go to an image-history window (one frame per step), text
to a text window (markdown rendered to HTML; the page sanitizes it as any text), and the
hparams plugin's session info to the env's experiment record (params, the final value of
each metric, the status), which the runs table reads.

The mirror is the server itself, not a caller: it does not ask `check_can_edit` (a
readonly server still mirrors its logdir; readonly refuses changes from clients).
"""

import base64
import html
import io
import logging
from collections import OrderedDict

from ..common import VisdomError
from ..services.windows import announce_env
from .events import PERCENTILE_NAMES
from .names import group_of, title_problem, window_id

log = logging.getLogger("app.tensorboard")

# An append of many points is split where wall time moves on, into at most this many
# appends, so that each point keeps a wall time close to its own (app.panes.walltime
# keeps one stamp per append).
MAX_WALL_CHUNKS = 8
KIND_ORDER = {"scalar": 0, "histogram": 1, "image": 2, "text": 3}
_BAND_FILL = "rgba(31, 119, 180, 0.15)"


class Once:
    """Log each (file, problem) once, however often it is met."""

    def __init__(self):
        self.seen = set()

    def __call__(self, key, message, *args):
        if key not in self.seen:
            self.seen.add(key)
            log.warning(message, *args)


class Mirror:
    """Apply decoded items (app.tensorboard.events) to env ids of one store."""

    def __init__(self, store, once=None):
        self.store = store
        self.once = once or Once()
        self.known = set()  # (eid, win) windows known to exist
        self.metric_tags = {}  # eid -> the hparams metrics declared (None: not an hparams run)
        self.last = {}  # (eid, tag) -> (step, value): the last scalar, for final metrics

    def apply(self, eid, items, source):
        """Store `items` (in file order) in env `eid`; `source` names the file in log lines.

        A store refusal of one window or record is logged and the rest goes on; a store
        that cannot store anything now (503) raises, so the caller retries the batch.
        """
        if not items:
            return
        if self.store.ensure_env(eid):
            announce_env(True)
        by_window = OrderedDict()
        hparams = []
        for item in items:
            if item[0] == "hparams":
                hparams.append(item)
            else:
                by_window.setdefault((item[0], item[1]), []).append(item)
        for kind, tag in list(by_window):
            problem = title_problem(tag)
            if problem is not None:
                del by_window[(kind, tag)]
                self.once(
                    (source, "tag", tag), "%s: %s is skipped (%s)", source, repr(tag)[:80], problem
                )
        order = sorted(by_window, key=lambda k: (group_of(k[1]), KIND_ORDER[k[0]], k[1]))
        for kind, tag in order:
            try:
                getattr(self, "_" + kind)(eid, tag, by_window[(kind, tag)], source)
            except VisdomError as exc:
                if exc.status >= 500:
                    raise
                self.once(
                    (source, kind, tag), "%s: %s %r not stored: %s", source, kind, tag, exc.message
                )
        if hparams:
            self._hparams(eid, hparams, source)
        elif any(kind == "scalar" for kind, _tag in by_window):
            self.refresh_metrics(eid, source)

    # -- scalars and histograms: appends to line windows ---------------------------------

    def _scalar(self, eid, tag, items, source):
        win = window_id("scalar", tag)
        for chunk in _wall_chunks(items):
            trace = {
                "x": [it[2] for it in chunk],
                "y": [it[4] for it in chunk],
                "name": tag,
                "type": "scatter",
                "mode": "lines",
            }
            self._append(eid, win, tag, [trace], chunk[-1][3])
        last = items[-1]
        self.last[(eid, tag)] = (last[2], last[4])

    def _histogram(self, eid, tag, items, source):
        win = window_id("histogram", tag)
        for chunk in _wall_chunks(items):
            steps = [it[2] for it in chunk]
            traces = []
            for k, name in enumerate(PERCENTILE_NAMES):
                trace = {
                    "x": steps,
                    "y": [it[4][k] for it in chunk],
                    "name": name,
                    "type": "scatter",
                    "mode": "lines",
                    "line": {"width": 2 if name == "p50" else 0.5, "color": "#1f77b4"},
                }
                if k:
                    trace.update(fill="tonexty", fillcolor=_BAND_FILL)
                traces.append(trace)
            self._append(eid, win, tag, traces, chunk[-1][3])

    def _append(self, eid, win, title, traces, wall):
        args = {
            "eid": eid,
            "win": win,
            "append": True,
            "data": traces,
            "layout": {
                "title": title,
                "showlegend": len(traces) > 1,
                "xaxis": {"title": "step"},
                "margin": {"l": 60, "r": 60, "t": 60, "b": 60},
            },
            "opts": {"title": title},
        }
        self.store.update_window(eid, args, now=wall)
        self.known.add((eid, win))

    # -- images and text: one window per tag, created by the first event ----------------

    def _image(self, eid, tag, items, source):
        win = window_id("image", tag)
        for _kind, _tag, step, wall, (data, _caption) in items:
            src = _image_uri(data)
            if src is None:
                self.once(
                    (source, "image", tag),
                    "%s: image %r at step %s is not a readable image; skipped",
                    source,
                    tag,
                    step,
                )
                continue
            frame = {"content": {"src": src, "caption": f"step {step}"}, "type": "image_history"}
            self._put_or_append(eid, win, {"title": tag, "store_history": True}, frame, wall)

    def _text(self, eid, tag, items, source):
        win = window_id("text", tag)
        for _kind, _tag, step, wall, text in items:
            body = f"<p><small>step {step}</small></p>{_markdown(text)}"
            self._put_or_append(eid, win, {"title": tag}, {"content": body, "type": "text"}, wall)

    def _put_or_append(self, eid, win, opts, data, wall):
        args = {"eid": eid, "win": win, "data": [data], "opts": opts}
        if (eid, win) in self.known or self.store.window_exists(eid, win):
            self.store.update_window(eid, dict(args, append=True), now=wall)
        else:
            self.store.put_window(eid, args)
        self.known.add((eid, win))

    # -- hparams: the experiment record -------------------------------------------------

    def _hparams(self, eid, items, source):
        """Log params, then the final metrics, then the status (tensorboardX writes the
        session's end before the metric values)."""
        params, status = {}, None
        for _kind, _tag, _step, _wall, payload in items:
            params.update(payload.get("params", {}))
            status = payload.get("status", status)
            if "metrics" in payload:
                self.metric_tags[eid] = payload["metrics"]
        self.metric_tags.setdefault(eid, [])
        requests = []
        if params:
            requests.append({"action": "log", "params": params})
        metrics = self.final_metrics(eid)
        if metrics:
            requests.append({"action": "metrics", "metrics": metrics})
        if status:
            requests.append({"action": "finish", "status": status})
        for args in requests:
            self._log(eid, args, source)

    def final_metrics(self, eid):
        """Return {tag: last value} of the run's declared metrics (every scalar if none)."""
        declared = self.metric_tags.get(eid) or None
        return {
            tag: value
            for (e, tag), (_step, value) in self.last.items()
            if e == eid and (declared is None or tag in declared)
        }

    def refresh_metrics(self, eid, source):
        """After a batch of scalars: log the final metrics of a run that has hparams."""
        if eid in self.metric_tags:
            metrics = self.final_metrics(eid)
            if metrics:
                self._log(eid, {"action": "metrics", "metrics": metrics}, source)

    def _log(self, eid, args, source):
        try:
            self.store.log_experiment(eid, args)
        except VisdomError as exc:
            if exc.status >= 500:
                raise
            self.once(
                (source, "hparams", args["action"]),
                "%s: hparams not stored: %s",
                source,
                exc.message,
            )


def _wall_chunks(items):
    """Split items (in order) where wall time moves on, into at most MAX_WALL_CHUNKS runs
    (one per stretch of at least 1 s, or of 1/MAX_WALL_CHUNKS of the items' span)."""
    first, last = items[0][3], items[-1][3]
    span = max((last - first) / MAX_WALL_CHUNKS, 1.0)
    if last - first < span:
        return [items]
    chunks, start = [], 0
    for n in range(1, len(items)):
        if items[n][3] - items[start][3] >= span and len(chunks) < MAX_WALL_CHUNKS - 1:
            chunks.append(items[start:n])
            start = n
    chunks.append(items[start:])
    return chunks


def _image_uri(data):
    """Return a data URI of an encoded image (PNG, JPEG, GIF, WebP), or None if unreadable."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as img:
            kind = (img.format or "").lower()
            img.verify()
    except Exception:  # PIL raises many kinds for bytes that are not an image
        return None
    if kind not in ("png", "jpeg", "gif", "webp"):
        return None
    return f"data:image/{kind};base64," + base64.b64encode(data).decode("ascii")


def _markdown(text):
    """Render TensorBoard text (markdown) to HTML; escaped plain text without the library."""
    try:
        import markdown  # tensorboard's own dependency, as its text plugin renders with it
    except ImportError:
        return "<pre>" + html.escape(text) + "</pre>"
    return markdown.markdown(text, extensions=["tables", "fenced_code"])
