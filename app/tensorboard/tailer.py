"""Follow a logdir: find run directories and event files, read what is new, remember where.

Every `interval` seconds the tailer walks the logdir; a file whose size did not change
since the last pass costs one stat. New complete records are read (at most `chunk`
bytes per file and pass, so that every run shows up quickly on a big logdir; a pass that
left data behind is followed by another at once), decoded and handed to the Mirror.

How far each file was read is kept in `<env_path>/.tensorboard/<logdir key>.json` (with
the env id chosen for each run directory), written atomically after each file's new
records are stored: a restart resumes there and appends nothing twice. The window of
doubt is one file's batch between the store's acknowledgement and that write (a kill -9
exactly then re-reads that batch).

One tailer per logdir and env path: an exclusive lock on `<logdir key>.lock` beside the
state. Several gunicorn workers sharing one Redis store and one env path all start a
tailer; the one holding the lock reads, the others retry the lock every few seconds
(and take over if its process dies).
"""

import errno
import fcntl
import hashlib
import json
import logging
import os
import stat
import threading

from ..common import VisdomError
from .events import BadEvent, decode, parse_event
from .mirror import Mirror, Once
from .names import env_name
from .records import CorruptRecord, read_records

log = logging.getLogger("app.tensorboard")

EVENTS_MARK = "tfevents"  # events.out.tfevents.<time>.<host>[.<pid>.<n>][.suffix]
LOCK_RETRY = 5.0  # seconds between tries of a lock another process holds


def is_event_file(name):
    return name.startswith("events.out.") and EVENTS_MARK in name


class Tailer:
    """Mirror the runs under `logdir` into the store of `app`, once or continuously."""

    def __init__(self, app, logdir, prefix="", interval=0.5, chunk=1 << 20):
        self.app = app
        self.logdir = os.path.realpath(os.path.expanduser(logdir))
        self.prefix = prefix or ""
        self.interval = interval
        self.chunk = chunk
        self.store = app.extensions["visdom_store"]
        self.once = Once()
        self.mirror = Mirror(self.store, self.once)
        key = hashlib.sha1(f"{self.logdir}\0{self.prefix}".encode("utf-8", "replace")).hexdigest()
        folder = os.path.join(app.config["ENV_PATH"], ".tensorboard")
        self.state_path = os.path.join(folder, key[:16] + ".json")
        self.lock_path = os.path.join(folder, key[:16] + ".lock")
        self.state = {"logdir": self.logdir, "prefix": self.prefix, "envs": {}, "files": {}}
        self._lock_file = None
        self._stop = threading.Event()
        self._thread = None
        self.passes = 0

    # -- lifecycle ------------------------------------------------------------------------

    def start(self):
        """Follow the logdir in a background thread (until `stop`)."""
        self._thread = threading.Thread(target=self._run, name="visdom-tensorboard", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout=10.0):
        """Stop following: finish the file being read, keep its offset, release the lock."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._release()

    def _run(self):
        with self.app.app_context():
            while not self._stop.is_set():
                try:
                    held = self.acquire()
                except OSError as exc:  # e.g. an env path that cannot be written
                    self.once(
                        ("lock-error",), "tensorboard: cannot lock %s: %s", self.lock_path, exc
                    )
                    held = False
                if not held:
                    self._stop.wait(LOCK_RETRY)
                    continue
                try:
                    more = self.poll()
                except Exception:  # a bug must not end the mirror: say so, try again later
                    log.exception("tensorboard: reading %s failed; retrying", self.logdir)
                    more = False
                if not more:
                    self._stop.wait(self.interval)

    def acquire(self):
        """Take the lock of this logdir; return False when another process holds it."""
        if self._lock_file is not None:
            return True
        os.makedirs(os.path.dirname(self.lock_path), exist_ok=True)
        handle = open(self.lock_path, "a+")  # noqa: SIM115 - held until _release
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            handle.close()
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                self.once(("lock",), "tensorboard: %s is mirrored by another process", self.logdir)
                return False
            raise
        self._lock_file = handle
        self._load_state()
        log.info("tensorboard: mirroring %s", self.logdir)
        return True

    def _release(self):
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None

    # -- state --------------------------------------------------------------------------

    def _load_state(self):
        try:
            with open(self.state_path, encoding="utf-8") as f:
                state = json.load(f)
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.error(
                "tensorboard: %s cannot be read (%s): reading every file again",
                self.state_path,
                exc,
            )
            return
        if isinstance(state.get("files"), dict) and isinstance(state.get("envs"), dict):
            self.state.update(files=state["files"], envs=state["envs"])

    def _save_state(self):
        tmp = self.state_path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self.state, f, ensure_ascii=False)
        os.replace(tmp, self.state_path)  # a kill leaves the old state or the new, whole

    def env_of(self, rel):
        """Return the env id of run directory `rel`, chosen once and kept in the state."""
        envs = self.state["envs"]
        if rel not in envs:
            base = env_name(rel, self.logdir, self.prefix)
            taken = set(envs.values())
            eid, n = base, 2
            while eid in taken:  # two directories whose names map alike ("a/b", "a_b")
                eid, n = f"{base}~{n}", n + 1
            envs[rel] = eid
        return envs[rel]

    # -- reading ------------------------------------------------------------------------

    def files(self):
        """Return [(run dir relative to the logdir, file path relative to it)], sorted."""
        found = []

        def unreadable(exc):
            self.once(
                ("dir", exc.filename),
                "tensorboard: %s cannot be read (%s); skipped",
                exc.filename,
                exc.strerror,
            )

        for root, dirs, names in os.walk(self.logdir, onerror=unreadable, followlinks=True):
            dirs.sort()
            rel = os.path.relpath(root, self.logdir)
            for name in sorted(names):
                if is_event_file(name):
                    found.append((rel, os.path.normpath(os.path.join(rel, name))))
        return found

    def poll(self):
        """Read what is new in every event file once; return True if data was left behind."""
        if not os.path.isdir(self.logdir):
            self.once(("logdir",), "tensorboard: logdir %s does not exist (yet)", self.logdir)
            return False
        more = False
        for rel, relfile in self.files():
            if self._stop.is_set():
                break
            more = self._read_file(rel, relfile) or more
        self.passes += 1
        return more

    def _read_file(self, rel, relfile):
        path = os.path.join(self.logdir, relfile)
        entry = self.state["files"].get(relfile) or {"offset": 0}
        try:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode):  # a FIFO or a device would block the reader
                self.once(("kind", relfile), "tensorboard: %s is not a regular file; skipped", path)
                return False
            size = info.st_size
        except OSError as exc:
            self.once(
                ("stat", relfile),
                "tensorboard: %s cannot be read (%s); skipped",
                path,
                exc.strerror,
            )
            return False
        if entry.get("corrupt") is not None or size == entry["offset"]:
            return False
        if size < entry["offset"]:
            self.once(
                ("shrunk", relfile), "tensorboard: %s is shorter than what was read; skipped", path
            )
            return False
        items, end, corrupt = [], entry["offset"], None
        try:
            for data, offset in read_records(path, entry["offset"], self.chunk):
                end = offset
                try:
                    items.extend(decode(parse_event(data)))
                except (BadEvent, ValueError, TypeError) as exc:
                    self.once(
                        ("event", relfile, str(exc)), "tensorboard: %s: %s; skipped", path, exc
                    )
        except CorruptRecord as exc:
            corrupt = exc.offset
            log.error(
                "tensorboard: %s is damaged (%s); what came before is kept, the rest of the "
                "file is skipped",
                path,
                exc,
            )
        except OSError as exc:
            self.once(
                ("open", relfile),
                "tensorboard: %s cannot be read (%s); skipped",
                path,
                exc.strerror,
            )
            return False
        if end == entry["offset"] and corrupt is None:
            return False  # only a partial record so far (a writer mid-flush)
        try:
            self.mirror.apply(self.env_of(rel), items, path)
        except VisdomError as exc:  # the store refuses changes now (503): retry later
            self.once(
                ("store", relfile),
                "tensorboard: %s: the store refused (%s); retrying",
                path,
                exc.message,
            )
            return False
        self.state["files"][relfile] = {"offset": end, "corrupt": corrupt}
        self._save_state()
        return size - end > 0 and corrupt is None and end - entry["offset"] >= self.chunk

    def run_until_idle(self):
        """Read everything there is now (the one-shot import); return the bytes read."""
        before = sum(e.get("offset", 0) for e in self.state["files"].values())
        with self.app.app_context():
            while self.poll():
                pass
        return sum(e.get("offset", 0) for e in self.state["files"].values()) - before
