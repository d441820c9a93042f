"""The alert engine: evaluate rules off the write path, fire, rate-limit, deliver.

Appends only enqueue (`observe`: a dict lookup and a deque append, no lock and no
wake-up while the worker is busy); one worker thread per server process drains what
arrived every TICK seconds in one batch (sleeping while nothing arrives), scans it
(app.alerts.evaluate) against the env's rules and the server-wide NaN rule, and every
few seconds sweeps the rules that fire on the
absence of something (stalled windows, crashed or failed runs). A rule that matches
claims its rate-limit key in the store (app.state claim_alert: on Redis shared by every
process), so it fires once per ALERT_INTERVAL however many appends match; the fired alert
is stored (history), sent to every open page and queued for the webhooks
(app.alerts.delivery), whose threads a slow host cannot hold up this one.

The state of smoothed rules (the moving average) lives in the process that evaluates:
with several processes on Redis each one smooths the appends it received.
"""

import collections
import logging
import secrets
import threading
import time
from urllib.parse import quote

from ..panes.experiment import with_liveness
from ..panes.walltime import KEY as WALL_KEY
from ..state.redis_conn import UNREACHABLE
from .delivery import Delivery
from .evaluate import Smoother, crossed, finite_points, first_nonfinite, traces
from .rules import DEFAULT_NAN_ID, VALUE_KINDS, describe

log = logging.getLogger(__name__)

QUEUE_MAX = 100_000
# While appends arrive, the worker drains the queue this often. Waking it per append (a Queue's notify) cost
# 20-40% of appends/s on 2 cores in bench/alerts.py: every wake-up forced a GIL hand-over
# from a request thread. A batch per tick costs a few wake-ups a second whatever the rate;
# an alert leaves at most TICK later.
TICK = 0.05
RULES_TTL = 1.0  # seconds a process trusts its copy of the rules (others may change them)
ONCE = 30 * 24 * 3600.0  # "once per episode" keys (a stall, a crash) live this long
EXPLICIT_INTERVAL = 60.0  # vis.alert: at most one per env and title per minute


def _default_nan(eid):
    return {
        "id": DEFAULT_NAN_ID,
        "eid": eid,
        "kind": "nan",
        "win": None,
        "trace": None,
        "builtin": True,
    }


class AlertEngine:
    """One per app (app.extensions["visdom_alerts"]); its worker thread starts with it."""

    def __init__(
        self, store, emit, *, nan=True, interval=600.0, run_timeout=60.0, webhooks=(), public_url=""
    ):
        self.store = store
        self.emit = emit
        self.nan = nan
        self.interval = float(interval)
        self.run_timeout = float(run_timeout)
        self.public_url = public_url.rstrip("/")
        self.delivery = Delivery(webhooks, quiet=self.interval)
        self.pending = collections.deque()  # (eid, win, args); append/popleft are atomic
        self.smoother = Smoother()
        self._by_env = {}
        self._rules_at = -float("inf")
        self._dropped_at = -float("inf")
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="visdom-alerts", daemon=True)
        self._thread.start()

    # -- the write path's side: enqueue only ---------------------------------------------

    def observe(self, eid, win, args):
        """Queue an /events or /update body that was stored, for the worker to evaluate."""
        if not self.nan and eid not in self._by_env:
            return
        if len(self.pending) < QUEUE_MAX:
            self.pending.append((eid, win, args))
            # Wake an idle worker. Under load the flag is already set (the worker clears
            # it once per tick), so this is one attribute read per append, no lock.
            if not self._wake.is_set():
                self._wake.set()
        else:
            now = time.monotonic()
            if now - self._dropped_at > self.interval:
                self._dropped_at = now
                log.warning("alert queue full: some appends were not checked against rules")

    # -- rules ---------------------------------------------------------------------------

    def rules_changed(self):
        """Reload the rules before the next evaluation (this process changed them)."""
        self._rules_at = -float("inf")  # the worker reloads them on its next tick
        self._wake.set()

    def _refresh(self):
        now = time.monotonic()
        if now - self._rules_at < RULES_TTL:
            return
        by_env = {}
        for rule in self.store.alert_rules():
            by_env.setdefault(rule.get("eid"), []).append(rule)
        known = {r["id"] for rules in by_env.values() for r in rules}
        for rules in self._by_env.values():
            for rule in rules:
                if rule["id"] not in known:
                    self.smoother.forget(rule["id"])
        self._by_env = by_env
        self._rules_at = now

    # -- the worker ------------------------------------------------------------------------

    def _sweep_every(self):
        every = min(5.0, self.run_timeout / 4)
        for rules in self._by_env.values():
            for rule in rules:
                if rule.get("kind") == "stalled":
                    every = min(every, rule["minutes"] * 60 / 4)
        return max(0.1, every)

    def _run(self):
        # Idle, the worker sleeps until an append or the next sweep; busy, it collects
        # appends for TICK and evaluates them in one batch (at most 1/TICK wake-ups a second).
        next_sweep = time.monotonic()
        while not self._stop.is_set():
            self._wake.wait(max(0.0, next_sweep - time.monotonic()))
            if self._stop.wait(TICK):
                return
            self._wake.clear()
            try:
                self._refresh()
                # a new stalled rule may need a sooner sweep than the one planned
                next_sweep = min(next_sweep, time.monotonic() + self._sweep_every())
                self.drain()
                if time.monotonic() >= next_sweep:
                    self.sweep()
                    next_sweep = time.monotonic() + self._sweep_every()
            except UNREACHABLE as exc:  # Redis away: the store's liveness loop says so once
                log.debug("alert evaluation skipped: Redis cannot be reached (%s)", exc)
                next_sweep = time.monotonic() + 1.0
            except Exception:  # a bad rule or an unreachable store must not stop the worker
                log.exception("alert evaluation failed")
                next_sweep = time.monotonic() + 1.0

    def drain(self):
        """Evaluate everything queued so far (the worker's batch)."""
        pending = self.pending
        while pending:
            try:
                item = pending.popleft()
            except IndexError:
                return
            try:
                self.evaluate(*item)
            except Exception:  # one odd body must not cost the rest of the batch
                log.exception("alert evaluation failed")

    def evaluate(self, eid, win, args):
        """Fire the value rules (nan, above, below) that the points of `args` match.

        The server-wide NaN rule covers the traces no NaN rule of the env names. Each
        trace's values are scanned once, whatever the number of rules.
        """
        rules = [
            r
            for r in self._by_env.get(eid, ())
            if r.get("kind") in VALUE_KINDS and r.get("win") in (None, win)
        ]
        covered = {r.get("trace") for r in rules if r["kind"] == "nan"}
        if self.nan and None not in covered:
            rules.append(_default_nan(eid))
        if not rules:
            return
        for name, xs, ys in traces(args):
            hit = points = None
            for rule in rules:
                if rule.get("trace") not in (None, name):
                    continue
                if rule["kind"] == "nan":
                    if rule.get("builtin") and name in covered:
                        continue
                    if hit is None:
                        hit = first_nonfinite(xs, ys) or ()
                    if hit:
                        self._fire_value(rule, eid, win, name, *hit)
                    continue
                if points is None:
                    points = finite_points(xs, ys)
                for step, value in points:
                    key = (rule["id"], eid, win, name)
                    smooth = self.smoother.add(key, value, rule.get("smoothing") or 0.0)
                    if crossed(rule["kind"], smooth, rule["threshold"]):
                        self._fire_value(rule, eid, win, name, step, smooth)
                        break

    def sweep(self, now=None):
        """Fire the stalled and run rules whose condition holds now."""
        now = time.time() if now is None else now
        rules = [r for rs in self._by_env.values() for r in rs]
        runs = [r for r in rules if r.get("kind") == "run"]
        if runs:
            beats = self.store.liveness()
            records = {
                e["eid"]: with_liveness(e["experiment"], beats.get(e["eid"]), now, self.run_timeout)
                for e in self.store.experiments()
            }
            for rule in runs:
                record = records.get(rule["eid"])
                if record and record.get("status") in ("crashed", "failed"):
                    status = record["status"]
                    key = f"{rule['id']}:{status}:{record.get('created_at')}"
                    self.fire(
                        rule,
                        key,
                        ONCE,
                        eid=rule["eid"],
                        level="error",
                        title=f"Run {record.get('name') or rule['eid']} {status}",
                        text=f"env {rule['eid']}: the run {status}"
                        + (
                            f" (last seen {time.ctime(record['last_seen'])})"
                            if record.get("last_seen")
                            else ""
                        ),
                        value=status,
                    )
        for rule in rules:
            if rule.get("kind") == "stalled":
                self._check_stalled(rule, now)

    def _check_stalled(self, rule, now):
        eid, win = rule["eid"], rule["win"]
        try:
            window = self.store.window(eid, win)
        except Exception:  # the window or env is gone: nothing can stall
            return
        last = rule.get("created_at") or 0.0
        stamps_of = window.get(WALL_KEY) or []
        for stamps in stamps_of.values() if isinstance(stamps_of, dict) else stamps_of:
            times = stamps.get("t") if isinstance(stamps, dict) else None
            if times is not None and len(times):
                last = max(last, float(times[len(times) - 1]))
        idle = now - last
        if idle > rule["minutes"] * 60:
            self.fire(
                rule,
                f"{rule['id']}:stall:{last:.3f}",
                ONCE,
                eid=eid,
                win=win,
                level="warn",
                title=f"Stalled: {win} in {eid}",
                text=f"env {eid}, window {win}: no new point for {idle / 60:.1f} min "
                f"(rule: {describe(rule)})",
                value=round(idle, 1),
            )

    # -- firing ----------------------------------------------------------------------------

    def _fire_value(self, rule, eid, win, trace, step, value):
        key = rule["id"] if not rule.get("builtin") else f"{rule['id']}:{eid}"
        what = "NaN or ±Inf" if rule["kind"] == "nan" else f"{rule['kind']} {rule['threshold']:g}"
        self.fire(
            rule,
            key,
            self.interval,
            eid=eid,
            win=win,
            trace=trace,
            step=step,
            value=value,
            level="error" if rule["kind"] == "nan" else "warn",
            title=f"{trace} {'got ' + str(value) if rule['kind'] == 'nan' else what}",
            text=f"env {eid}, window {win}, trace {trace}: value {value} at step {step} "
            f"(rule: {describe(rule)})",
        )

    def link(self, eid, win=None):
        """Return the URL of a window (or of the env) for an alert's readers."""
        if win and "/" not in eid:
            return f"{self.public_url}/window/{quote(eid, safe='')}/{quote(str(win), safe='')}"
        return f"{self.public_url}/env/{quote(eid, safe='/')}"

    def fire(
        self,
        rule,
        key,
        seconds,
        *,
        eid,
        title,
        text,
        level,
        win=None,
        trace=None,
        step=None,
        value=None,
    ):
        """Claim `key` for `seconds`; if this is the first claim, store, show and send an alert.

        Return the alert, or None when the rate limit held it back.
        """
        if not self.store.claim_alert(key, seconds):
            return None
        alert = {
            "id": "alert_" + secrets.token_hex(6),
            "time": time.time(),
            "eid": eid,
            "win": win,
            "trace": trace,
            "step": step,
            "value": value,
            "level": level,
            "title": title,
            "text": text,
            "url": self.link(eid, win),
            "rule": None if rule is None else dict(rule, description=describe(rule)),
        }
        self.store.add_alert(alert)
        try:
            self.emit(alert)
        except Exception:  # no socket server (a bare test app): the history still has it
            log.debug("could not broadcast an alert", exc_info=True)
        self.delivery.send(alert, (rule or {}).get("webhook"))
        return alert

    def explicit(self, eid, title, text, level):
        """Fire vis.alert(): at most one per env and title per minute (or ALERT_INTERVAL)."""
        seconds = min(self.interval, EXPLICIT_INTERVAL)
        return self.fire(
            None, f"explicit:{eid}:{title}", seconds, eid=eid, title=title, text=text, level=level
        )

    def stop(self):
        self._stop.set()
        self._wake.set()
        self.delivery.stop()
