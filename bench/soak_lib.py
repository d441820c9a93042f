"""The parts of bench/soak.py: writer processes, their logs, page checks, health samples.

A writer process (bench/soak_writer.py) appends with a real client (upstream visdom
0.2.4 or visdom_client) and writes one line per call to its log file: `key x t0 t1 ok
status`, where `key` names what was written (own / shared line point, img / txt content,
reset_own / reset_shared), `x` the point's x (or the content's sequence number), t0/t1 the
wall-clock start and end of the call, ok 1 when the call was acknowledged (the client
answered the window id), and status the last HTTP status the call saw (or the exception's
name: neither client tells it otherwise, and upstream's swallows errors). Before each
reset it reads the window (/win_data) and writes `S key t0 t1 xs` (xs comma-separated,
"-" when the read failed).
"""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict

import psutil

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

WRITER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "soak_writer.py")


def upstream_python():
    return os.environ.get("VISDOM_UPSTREAM_PYTHON") or os.path.join(
        ROOT, ".venv-upstream", "bin", "python"
    )


class Writers:
    """Writer processes: start them, release them at once, wait, and read their logs.

    `plans` is a list of dicts: kind, own, shared, media ("-" for none), count (0: until
    the deadline).
    """

    def __init__(self, port, eid, plans, folder, reset_every=0.0, media_every=20):
        self.plans, self.procs, self.logs, self.errs = plans, [], [], []
        env = dict(os.environ, PYTHONPATH=ROOT)  # our client from this checkout
        os.makedirs(folder, exist_ok=True)
        for wid, plan in enumerate(plans):
            python = upstream_python() if plan["kind"] == "upstream" else sys.executable
            log = os.path.join(folder, f"writer{wid}.log")
            err = open(os.path.join(folder, f"writer{wid}.err"), "w")  # noqa: SIM115
            args = [python, WRITER, plan["kind"], str(port), eid, plan["own"]]
            args += [plan["shared"], plan.get("media", "-"), str(wid), str(plan["count"]), log]
            args += [str(reset_every), str(media_every)]
            proc = subprocess.Popen(
                args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True, env=env
            )
            self.procs.append(proc)
            self.logs.append(log)
            self.errs.append(err)
        for wid, proc in enumerate(self.procs):
            if proc.stdout.readline().strip() != "ready":
                proc.wait()
                raise SystemExit(f"writer {wid} did not start:\n{self.stderr(wid)}")

    def stderr(self, wid, limit=2000):
        self.errs[wid].flush()
        with open(self.errs[wid].name, encoding="utf-8", errors="replace") as f:
            return f.read()[-limit:]

    def go(self, seconds):
        self.start = time.time()
        self.deadline = self.start + seconds
        for proc in self.procs:
            proc.stdin.write(f"go {self.start} {self.deadline}\n")
            proc.stdin.flush()

    def running(self):
        return any(proc.poll() is None for proc in self.procs)

    def finish(self, grace):
        """Wait up to `grace` s past the deadline; kill the hung ones; return their count."""
        hung = 0
        for wid, proc in enumerate(self.procs):
            try:
                proc.wait(timeout=max(1.0, self.deadline + grace - time.time()))
            except subprocess.TimeoutExpired:
                hung += 1
                proc.send_signal(signal.SIGKILL)
                proc.wait()
            else:
                if proc.returncode != 0:
                    raise SystemExit(
                        f"writer {wid} failed ({proc.returncode}):\n{self.stderr(wid)}"
                    )
        for err in self.errs:
            err.close()
        return hung

    def records(self):
        """Return per writer (its plan, its call records, its error samples, its snapshots).

        A snapshot is (key, t0, t1, set of x or None when the read failed).
        """
        out = []
        for plan, path in zip(self.plans, self.logs, strict=True):
            calls, samples, snaps = [], [], []
            with open(path, encoding="utf-8") as f:
                for row in f:
                    if row.startswith("# "):
                        samples.append(row[2:].rstrip("\n"))
                        continue
                    if row.startswith("S "):
                        parts = row.split()
                        if len(parts) == 5 and (parts[4] == "-" or row.endswith("\n")):
                            xs = (
                                None if parts[4] == "-" else {float(x) for x in parts[4].split(",")}
                            )
                            snaps.append((parts[1], float(parts[2]), float(parts[3]), xs))
                        continue
                    parts = row.split()
                    if len(parts) != 6:
                        continue  # a line cut short by a kill
                    key, x, t0, t1, ok, status = parts
                    # Interned: a 30-minute run on a quiet machine logs over a million calls.
                    key, status = sys.intern(key), sys.intern(status)
                    calls.append((key, float(x), float(t0), float(t1), ok == "1", status))
            out.append((plan, calls, samples, snaps))
        return out


def line_integrity(records, stored):
    """Count acked points missing from the store and unacked points stored anyway.

    Each line window's life is cut into epochs by its resets: epoch k holds the points
    whose call started after reset k-1 answered and answered before the read that
    preceded reset k began (the snapshot); the last epoch is checked against `stored`
    ({win: set of x} read after the writers stopped). A point in flight across a reset
    (only possible in the shared window) is not checked. A writer whose read fails
    (Redis down) reads again before it resets, so every epoch is checked.
    """
    epochs = defaultdict(list)  # win -> [(lo, hi, xs)]
    for plan, calls, _samples, snaps in records:
        resets = {k: sorted(c[3] for c in calls if c[0] == f"reset_{k}") for k in ("own", "shared")}
        for key, t0, _t1, xs in snaps:
            if xs is None:
                continue  # a failed read: the writer reads again before it resets
            later = [t for t in resets[key] if t > t0]  # the reset that followed this read
            epochs[plan[key]].append((t0, later[0] if later else float("inf"), xs))
    bounds = {}
    for win in set(epochs) | set(stored):
        rows, lo = [], float("-inf")
        for t_read, t_reset, xs in sorted(epochs.get(win, [])):
            rows.append((lo, t_read, xs))
            lo = t_reset
        rows.append((lo, float("inf"), stored.get(win)))
        bounds[win] = rows
    missing = lost_answers = acked = unchecked = 0
    for plan, calls, _samples, _snaps in records:
        for key, x, t0, t1, ok, _status in calls:
            if key not in ("own", "shared"):
                continue
            xs = next((xs for lo, hi, xs in bounds.get(plan[key], ()) if lo < t0 and t1 < hi), None)
            if xs is None:
                unchecked += 1
                continue
            if ok:
                acked += 1
                missing += x not in xs
            else:
                lost_answers += x in xs
    epochs_n = sum(len(rows) for rows in bounds.values())
    return dict(
        checked=acked,
        missing=missing,
        answer_lost=lost_answers,
        unchecked=unchecked,
        epochs=epochs_n,
    )


def media_integrity(records, windows):
    """Image and text windows: the stored sequence number against the writer's calls.

    The store must hold at least the last acknowledged write (else it is missing); a
    stored write that was answered with an error was committed with its answer lost.
    """
    missing = lost_answers = checked = 0
    for plan, calls, *_ in records:
        if plan.get("media", "-") == "-":
            continue
        win = plan["media"].split(":", 1)[1]
        mine = [c for c in calls if c[0] in ("img", "txt")]
        if not mine:
            continue
        checked += 1
        acked = [c[1] for c in mine if c[4]]
        seq = stored_seq(windows.get(win))
        if acked and (seq is None or seq < max(acked)):
            missing += 1
        outcome = {c[1]: c[4] for c in mine}
        if seq is not None and outcome.get(seq) is False:
            lost_answers += 1
    return dict(checked=checked, missing=missing, answer_lost=lost_answers)


def stored_seq(window):
    """The sequence number of a stored image (caption "wid:seq") or text (<i>seq</i>)."""
    if not window:
        return None
    content = window.get("content")
    try:
        if window.get("type") == "image":
            return float(str(content["caption"]).split(":")[1])
        return float(str(content).split("<i>")[1].split("</i>")[0])
    except (IndexError, KeyError, TypeError, ValueError):
        return None


def appends_per_quarter(records, start, seconds):
    """Acknowledged line appends/s in each quarter of the run."""
    counts = [0, 0, 0, 0]
    for _plan, calls, *_ in records:
        for key, _x, _t0, t1, ok, _status in calls:
            if ok and key in ("own", "shared"):
                q = int((t1 - start) / (seconds / 4))
                counts[min(max(q, 0), 3)] += 1
    return [c / (seconds / 4) for c in counts]


# ---- pages -----------------------------------------------------------------------------

# Is the window drawn as `want` says? want: {type: line, xs, ys} | {type: image, src,
# caption} | {type: text, html}. A window not drawn yet is scrolled to (windows are drawn
# as they come near the screen, and given back far from it).
PANE_EQUALS = """([win, want]) => {
  const item = document.querySelector(`.grid-stack-item[data-win="${CSS.escape(win)}"]`);
  if (!item) return {ok: false, why: 'no window'};
  const undrawn = (why) => { item.scrollIntoView(); return {ok: false, why}; };
  if (want.type === 'line') {
    const t = item.querySelector('.plot-pane')?.data?.[0];
    if (!t || !t.x || !t.y) return undrawn('not drawn');
    const n = t.x.length;
    if (n !== want.xs.length || t.y.length !== want.ys.length)
      return {ok: false, why: `drawn ${n} / stored ${want.xs.length} points`};
    for (let i = 0; i < n; i++)
      if (t.x[i] !== want.xs[i] || t.y[i] !== want.ys[i])
        return {ok: false, why: `first difference at point ${i}`};
    return {ok: true};
  }
  if (want.type === 'image') {
    const img = item.querySelector('.image-img');
    if (!img) return undrawn('not drawn');
    const caption = item.querySelector('.image-caption')?.textContent;
    if (img.getAttribute('src') !== want.src) return {ok: false, why: `other image (${caption})`};
    if (caption !== want.caption) return {ok: false, why: `caption ${caption} / ${want.caption}`};
    return {ok: true};
  }
  const el = item.querySelector('.text-pane');
  if (!el) return undrawn('not drawn');
  const t = document.createElement('template');
  t.innerHTML = want.html;
  if (el.textContent !== t.content.textContent)
    return {ok: false, why: `text "${el.textContent.slice(0, 40)}"`};
  return {ok: true};
}"""

PAGE_WINDOWS = (
    "() => Array.from(document.querySelectorAll('.grid-stack-item[data-win]'), e => e.dataset.win)"
)


def expected_view(window):
    """What a page must show for a stored window (PANE_EQUALS' `want`), or None."""
    content = window.get("content")
    if window.get("type") == "image":
        return {"type": "image", "src": content.get("src"), "caption": str(content.get("caption"))}
    if window.get("type") == "text":
        return {"type": "text", "html": str(content)}
    if isinstance(content, dict) and content.get("data"):
        trace = content["data"][0]
        return {"type": "line", "xs": trace["x"], "ys": trace["y"]}
    return None


def settle_all(pages, windows, timeout):
    """Poll until every page shows every stored window as stored; return what differs.

    Each (page, window) is settled once it was seen equal (the writers have stopped): a
    page gives far windows' plots back, so they are never all drawn at the same moment.
    Returns {page number: [(win, why)]}, including windows the page lacks or has extra.
    """
    wants = {win: expected_view(w) for win, w in windows.items()}
    wants = {win: want for win, want in wants.items() if want is not None}
    todo = {n: dict.fromkeys(wants, "not checked") for n in range(len(pages))}
    deadline = time.monotonic() + timeout
    while True:
        for n, page in enumerate(pages):
            for win in list(todo[n]):
                result = page.evaluate(PANE_EQUALS, [win, wants[win]])
                if result["ok"]:
                    del todo[n][win]
                else:
                    todo[n][win] = result["why"]
        if not any(todo.values()) or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    differing = {}
    for n, page in enumerate(pages):
        shown = set(page.evaluate(PAGE_WINDOWS))
        rows = sorted(todo[n].items())
        rows += [(w, "missing on the page") for w in sorted(set(windows) - shown)]
        rows += [(w, "on the page, not in the store") for w in sorted(shown - set(windows))]
        if rows:
            differing[n] = rows
    return differing


# Chromium flags for HeapSampler: gc() in the page and a performance.memory that is exact.
HEAP_ARGS = ["--js-flags=--expose-gc", "--enable-precise-memory-info"]

# Every `ms`: a full GC, then the JS heap the page keeps, [wall-clock ms, MB].
HEAP_TIMER = """(ms) => {
  const samples = window.__soakHeap = [];
  const take = () => { gc(); samples.push([Date.now(), performance.memory.usedJSHeapSize / 1e6]); };
  take();
  window.__soakHeapTimer = setInterval(take, ms);
}"""


class HeapSampler:
    """The JS heap each page keeps, in MB, sampled by a timer in the page itself.

    A full GC first, or the figure saws up and down with garbage not yet collected. Not
    through CDP from here: a page busy drawing on a busy machine answers each command
    seconds late, so five pages took ~40 s per round. Needs the HEAP_ARGS flags.
    """

    def __init__(self, pages, every):
        self.pages = pages
        for page in pages:
            page.evaluate(HEAP_TIMER, int(every * 1000))
        self.samples = None  # per page: [(t, MB)]

    def collect(self, until):
        """Stop the timers and read the samples taken up to `until` (wall clock)."""
        self.samples = []
        for page in self.pages:
            rows = page.evaluate(
                "() => { clearInterval(window.__soakHeapTimer); return window.__soakHeap; }"
            )
            self.samples.append([(t / 1000, mb) for t, mb in rows if t / 1000 <= until])
        return self.samples

    def at(self, t):
        """Per page, the sample nearest to time t (MB, or None when it has none)."""
        return [nearest(rows, t)[1] if rows else None for rows in self.samples]


# ---- the server process ----------------------------------------------------------------


POOL_PREFIX = "ThreadPoolExecutor-"  # the names of gunicorn gthread's request threads


def py_spy():
    """The py-spy next to this interpreter (the venv's), else the one on PATH, else None."""
    here = os.path.join(os.path.dirname(sys.executable), "py-spy")
    return here if os.path.exists(here) else shutil.which("py-spy")


def pool_threads(pids):
    """How many threads of the processes `pids` are gunicorn's request pool, read from
    their names with `py-spy dump` (without pausing them); None when py-spy cannot tell.

    The pool grows to its peak concurrency (at most -threads) and stays there: the rest
    of the threads (ours: sockets, alerts, liveness, pub/sub) are what must not grow."""
    spy = py_spy()
    if not spy:
        return None
    count = 0
    for pid in pids:
        for _attempt in range(3):  # a dump read while threads come and go may fail
            try:
                out = subprocess.run(
                    [spy, "dump", "--nonblocking", "--pid", str(pid)],
                    capture_output=True,
                    text=True,
                    timeout=20,
                )
            except (OSError, subprocess.TimeoutExpired):
                continue
            if out.returncode == 0:
                count += out.stdout.count(f'"{POOL_PREFIX}')
                break
        else:
            return None
    return count


class HealthSampler:
    """RSS, open fds and threads of a process and its children (gunicorn master + worker),
    how many of those threads are gunicorn's request pool (pool_threads), and how many of
    the fds are connections to Redis (`redis_port`; its pool's size changes when Redis
    dies and comes back, which is not a leak)."""

    def __init__(self, pid, redis_port=None):
        self.root = psutil.Process(pid)
        self.redis_port = redis_port
        # (t, rss MB, fds, threads, processes, connections to Redis, pool threads or None)
        self.samples = []

    def sample(self):
        rss = fds = threads = to_redis = 0
        procs = [self.root] + self.root.children(recursive=True)
        pool = pool_threads([p.pid for p in procs])
        for proc in procs:
            try:
                with proc.oneshot():
                    rss += proc.memory_info().rss
                    fds += proc.num_fds()
                    threads += proc.num_threads()
                if self.redis_port:
                    conns = proc.net_connections(kind="tcp")
                    to_redis += sum(1 for c in conns if c.raddr and c.raddr[1] == self.redis_port)
            except psutil.Error:
                continue
        self.samples.append((time.time(), rss / 1e6, fds, threads, len(procs), to_redis, pool))


def nearest(samples, t):
    """The sample taken nearest to time t."""
    return min(samples, key=lambda s: abs(s[0] - t))


def marks(start, seconds):
    """The table's rows: start, end of warm-up, the quarters and the end (name, time)."""
    warm = min(0.1 * seconds, 60.0)
    rows = [("start", start), (f"warm-up ({warm:g} s)", start + warm)]
    rows += [(f"{q}/4", start + seconds * q / 4) for q in (1, 2, 3)]
    return rows + [("end", start + seconds)]


# ---- Redis and the monitor thread -----------------------------------------------------------------------------


class RedisKiller:
    """SIGKILL redis-server every `kill_redis_every` s of the run (as a crash or the OOM
    killer would) and start it again on its port and folder `outage` s later."""

    def __init__(self, cluster, start, args):
        self.cluster, self.start = cluster, start
        self.every, self.outage, self.seconds = args.kill_redis_every, args.outage, args.seconds
        self.next_kill, self.down = self.every, None
        self.outages = []  # (killed at, started again at, answering PING at)

    def tick(self, now):
        elapsed = now - self.start
        if not self.every:
            return
        if self.down is None:
            # No kill so late that the outage and its recovery do not fit in the run.
            if self.next_kill <= elapsed < self.seconds - self.outage - 5:
                self.cluster.redis.send_signal(signal.SIGKILL)
                self.cluster.redis.wait()
                self.down = time.time()
        elif now >= self.down + self.outage:
            self.up()

    def up(self):
        if self.down is None:
            return
        spawned = time.time()
        self.cluster.start_redis()  # returns once redis-server answers PING
        self.outages.append((self.down, spawned, time.time()))
        self.down = None
        self.next_kill = time.time() - self.start + self.every


class Monitor(threading.Thread):
    """Sample the server every `every` s and let the Redis killer act, until stop()."""

    def __init__(self, health, every, kills=None):
        super().__init__(daemon=True)
        self.health, self.every, self.kills = health, every, kills
        self.done = threading.Event()
        self.start()

    def run(self):
        next_sample = 0.0
        while not self.done.is_set():
            now = time.time()
            if now >= next_sample:
                self.health.sample()
                next_sample = now + self.every
            if self.kills:
                self.kills.tick(now)
            self.done.wait(0.05)
        if self.kills:
            self.kills.up()  # the run ended during an outage

    def stop(self):
        self.done.set()
        self.join()


def outage_figures(records, down, spawned, up):
    """Figures of one Redis outage from the writers' calls.

    statuses: the answers given while redis-server was dead (SIGKILL until it was started
    again; an acknowledgement there was committed before the kill, its answer in flight);
    slowest: the longest call that overlapped the outage or was in flight when Redis
    answered PING again; first_ack / all_acked: from that PING to the first acknowledged
    call, and to every writer's first one.
    """
    statuses = defaultdict(int)
    slowest = 0.0
    first_ack = {}
    for wid, (_plan, calls, *_) in enumerate(records):
        for _key, _x, t0, t1, ok, status in calls:
            if down <= t1 <= spawned:
                statuses["200 acked" if ok else str(status)] += 1
            if t0 <= up and t1 >= down:
                slowest = max(slowest, t1 - t0)
            if ok and t1 >= up and (wid not in first_ack or t1 < first_ack[wid]):
                first_ack[wid] = t1
    return dict(
        statuses=dict(statuses),
        slowest=slowest,
        first_ack=(min(first_ack.values()) - up) if first_ack else None,
        all_acked=(max(first_ack.values()) - up) if len(first_ack) == len(records) else None,
    )
