"""Files on disk: env snapshots in upstream's format, per-env journals, saved views.

This is the only module that touches the file system. Layout under env_path:

    <eid>.json             snapshot, upstream's {"jsons", "reload"} (+ "visdom_seq",
                           0.3.0's "experiment", and any other key found there)
    hash_<sha256>.json     the same for an env id too long for a file name, with the
                           real id in "name" (upstream 0.3.0's format)
    view/layouts.json      saved views, a raw JSON string as upstream stores it
    view/alert_rules.json  alert rules (a JSON list), rewritten atomically on each change
    view/alerts.log        fired alerts, one JSON line each (trimmed to the last few)
    view/liveness.json     the last heartbeat of each run {eid: beat}
    .journal/<eid>.log     one JSON line per change since the snapshot (seq-numbered)
    .journal/<eid>.old     the previous journal while a snapshot is being written
    .undo/<eid>.json       closed windows that `undo` can restore: [[win_id, window], ...],
                           oldest first (0.3.0's format)

Everywhere, <eid> is `names.file_stem(eid)`: the id, or hash_<sha256> for long ids.

A change is appended to the journal before the request is answered, so it survives a
crash of the server process; journals are fsynced on the autosave tick. Snapshots are
written atomically (temp file, fsync, rename) and replace the journal.
"""

import json
import logging
import os
import shutil
import threading

from ..common import VisdomError
from ..jsonio import lenient_dumps
from .names import escape_eid, file_stem, is_hashed

log = logging.getLogger(__name__)

SEQ_KEY = "visdom_seq"


def storage_error(problem):
    """Return the 503 refusal of a change that could not be stored."""
    return VisdomError(
        f"the server cannot store changes right now: {problem}; nothing was changed", None, 503
    )


def _fsync_dir(path):
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path, text):
    """Write `text` to `path` so that readers see the old or the new file, never a mix."""
    directory = os.path.dirname(path)
    tmp = os.path.join(directory, f".{os.path.basename(path)}.{threading.get_ident()}.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    _fsync_dir(directory)


class Persistence:
    """Read and write env files, journals and views under one env path."""

    def __init__(self, env_path):
        self.env_path = env_path
        self.journal_dir = os.path.join(env_path, ".journal")
        self.view_dir = os.path.join(env_path, "view")
        self.setaside_dir = os.path.join(env_path, ".setaside")
        self.undo_dir = os.path.join(env_path, ".undo")
        for path in (env_path, self.journal_dir, self.view_dir):
            os.makedirs(path, exist_ok=True)
        self._journals = {}
        self._lock = threading.Lock()
        self.fault = None  # why the last write to disk failed, until a probe succeeds

    def env_file(self, eid):
        return os.path.join(self.env_path, file_stem(eid) + ".json")

    def _plain_file(self, eid):
        return os.path.join(self.env_path, eid + ".json")

    def hashed(self, eid):
        """True when the env is stored under a hash_<sha256> name (its file holds "name")."""
        return file_stem(eid) != eid

    def _journal(self, eid, suffix=".log"):
        return os.path.join(self.journal_dir, file_stem(eid) + suffix)

    def list_eids(self):
        """Return the env ids found on disk: env files first, then journals alone."""
        found = []
        for name in sorted(os.listdir(self.env_path)):
            if name.endswith(".json") and not name.startswith("."):
                eid = self._eid_of(name[: -len(".json")], os.path.join(self.env_path, name))
                if eid is not None and eid not in found:
                    found.append(eid)
        stems = sorted(
            {
                name[: -len(".log")]
                for name in os.listdir(self.journal_dir)
                if name.endswith((".log", ".old"))  # .old alone: a snapshot write failed
            }
        )
        for stem in stems:
            path = self._journal_by_stem(stem)
            eid = self._eid_of(stem, path)
            if eid is not None and eid not in found:
                found.append(eid)
        return found

    def _journal_by_stem(self, stem):
        path = os.path.join(self.journal_dir, stem + ".log")
        return path if os.path.exists(path) else os.path.join(self.journal_dir, stem + ".old")

    def _eid_of(self, stem, path):
        """Return the env id of a file stem (reading "name" from a hashed file), or None."""
        if not is_hashed(stem):
            try:
                eid = escape_eid(stem, default=None)
            except VisdomError:
                return None
            return eid  # (an id longer than our hashing limit, written plain by 0.3.0: kept)
        try:
            with open(path, encoding="utf-8") as f:
                if path.endswith(".json"):
                    name = json.load(f).get("name")
                else:  # a journal: its records of a hashed env carry "eid"
                    name = json.loads(f.readline() or "{}").get("eid")
        except (OSError, ValueError, AttributeError) as exc:
            log.warning("%s: cannot tell which env it holds: %s", path, exc)
            return None
        if not isinstance(name, str):
            log.warning("%s has no 'name': it is not listed", path)
            return None
        try:
            eid = escape_eid(name, default=None)
        except VisdomError:
            return None
        return eid if file_stem(eid) == stem else None

    def load(self, eid):
        """Return (snapshot dict or None, journal records newer than the snapshot)."""
        snapshot, seq = None, 0
        path = self.env_file(eid)
        if not os.path.exists(path) and os.path.exists(self._plain_file(eid)):
            path = self._plain_file(eid)  # 0.3.0 hashes only names the OS refuses
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                snapshot = json.load(f)
            if not isinstance(snapshot, dict):
                raise ValueError(f"{path}: not a JSON object")
            seq = snapshot.get(SEQ_KEY, 0) if isinstance(snapshot.get(SEQ_KEY), int) else 0
        records = []
        for suffix in (".old", ".log"):
            jpath = self._journal(eid, suffix)
            if not os.path.exists(jpath):
                continue
            with open(jpath, "rb") as f:
                for line in f:
                    try:
                        record = json.loads(line)
                    except ValueError:
                        log.warning("%s: skipping a torn journal line", jpath)
                        continue
                    if not isinstance(record, dict) or not isinstance(record.get("seq"), int):
                        log.warning("%s: skipping a journal line without a sequence number", jpath)
                        continue
                    if record["seq"] > seq:
                        records.append(record)
        records.sort(key=lambda r: r["seq"])
        return snapshot, records

    def append(self, eid, record):
        """Append one record to the env's journal, written through to the OS.

        Return the journal's size before the record (a mark for `withdraw`). Raise a
        VisdomError 503 naming the problem when the journal cannot be written; the
        journal is then left as it was.
        """
        if self.hashed(eid):  # the file name does not tell the env: the records do
            record = dict(record, eid=eid)
        line = (lenient_dumps(record) + "\n").encode("utf-8")
        try:
            f, mark = self._open_journal(eid)
        except OSError as exc:
            raise self._storage_error(eid, exc) from None
        try:
            view = memoryview(line)
            while view:
                view = view[f.write(view) :]
        except OSError as exc:
            self.withdraw(eid, mark)
            raise self._storage_error(eid, exc) from None
        return mark

    def _open_journal(self, eid):
        """Return (the env's open journal, its size), reopened if its file was removed
        meanwhile. One fstat tells both: a system call per append is a GIL hand-over
        under load, so the write path makes as few as it can."""
        with self._lock:
            f = self._journals.get(eid)
            if f is not None:
                st = os.fstat(f.fileno())
                if st.st_nlink:
                    return f, st.st_size
                # The file (or its directory) is gone: writing on would lose the records.
                self._journals.pop(eid).close()
            f = open(self._journal(eid), "ab", buffering=0)  # noqa: SIM115
            self._journals[eid] = f
            return f, os.fstat(f.fileno()).st_size

    def withdraw(self, eid, mark):
        """Cut the journal back to `mark` (a change that was refused or changed nothing)."""
        with self._lock:
            f = self._journals.get(eid)
        if f is None:
            return
        try:
            if mark == 0:  # the record was the journal's first: leave no empty file behind
                self._close_journal(eid)
                os.remove(self._journal(eid))
            else:
                f.truncate(mark)
        except OSError as exc:
            # Replaying the record repeats the same refusal, so it is harmless if it stays.
            log.warning("could not withdraw a journal record of env %s: %s", eid, exc)

    def _describe(self, exc, where):
        return f"{exc.strerror or exc} ({getattr(exc, 'filename', None) or where})"

    def _storage_error(self, eid, exc):
        self.fault = self._describe(exc, f"journal of env {eid}")
        log.error("cannot write the journal of env %s: %s", eid, exc)
        return storage_error(self.fault)

    def probe(self):
        """Try writing to the env path and the journal folder; clear the fault on success."""
        try:
            for directory in (self.env_path, self.journal_dir):
                path = os.path.join(directory, ".probe.tmp")
                with open(path, "wb") as f:
                    f.write(b"ok")
                    f.flush()
                    os.fsync(f.fileno())
                os.remove(path)
        except OSError as exc:
            self.fault = self._describe(exc, self.env_path)
            return False
        self.fault = None
        return True

    def sync_journals(self):
        """fsync every open journal (the autosave tick); a failure is a storage fault."""
        with self._lock:
            files = list(self._journals.items())
        for eid, f in files:
            try:
                os.fsync(f.fileno())
            except ValueError:
                pass
            except OSError as exc:
                self.fault = self._describe(exc, f"journal of env {eid}")
                log.error("could not fsync the journal of env %s: %s", eid, exc)

    def _close_journal(self, eid):
        with self._lock:
            f = self._journals.pop(eid, None)
        if f is not None:
            f.close()

    def rotate_journal(self, eid):
        """Move the journal aside before its records are folded into a snapshot.

        Called with the env locked, so no record is appended meanwhile.
        """
        self._close_journal(eid)
        current, old = self._journal(eid), self._journal(eid, ".old")
        if not os.path.exists(current):
            return
        if os.path.exists(old):
            # A previous snapshot failed: keep both sets of records.
            with open(current, "rb") as src, open(old, "ab") as dst:
                dst.write(src.read())
            os.remove(current)
        else:
            os.replace(current, old)

    def env_text(self, eid, data):
        """Return the text of an env file holding `data` (Env.to_file()).

        0.3.0's hash_<sha256>.json carries the env's real id in "name".
        """
        if self.hashed(eid):
            data["name"] = eid
        return lenient_dumps(data)

    def write_snapshot(self, eid, text):
        """Write the env file atomically, then drop the journal it replaces."""
        atomic_write(self.env_file(eid), text)
        if self.hashed(eid) and os.path.exists(self._plain_file(eid)):
            os.remove(self._plain_file(eid))  # read once from 0.3.0's plain long name
        old = self._journal(eid, ".old")
        if os.path.exists(old):
            os.remove(old)

    def set_aside(self, eid):
        """Keep a copy of the env file in .setaside/ (it held windows that were left out)."""
        src = self.env_file(eid)
        dst = os.path.join(self.setaside_dir, file_stem(eid) + ".json")
        try:
            os.makedirs(self.setaside_dir, exist_ok=True)
            if os.path.exists(src) and not os.path.exists(dst):
                shutil.copyfile(src, dst)
            return dst
        except OSError as exc:
            log.error("could not keep a copy of %s: %s", src, exc)
            return None

    def delete(self, eid):
        """Remove the env file and journals; return True if an env file existed."""
        self._close_journal(eid)
        existed = False
        paths = (self.env_file(eid), self._journal(eid), self._journal(eid, ".old"))
        if self.hashed(eid):
            paths += (self._plain_file(eid),)
        for path in (*paths, self._undo_file(eid)):
            if os.path.exists(path):
                os.remove(path)
                existed = existed or path.endswith(".json")
        return existed

    def _undo_file(self, eid):
        return os.path.join(self.undo_dir, file_stem(eid) + ".json")

    def read_undo(self, eid):
        """Return the env's closed windows, [[win_id, window], ...] oldest first."""
        path = self._undo_file(eid)
        try:
            with open(path, encoding="utf-8") as f:
                stack = json.load(f)
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            log.warning("%s cannot be read; undo starts empty: %s", path, exc)
            return []
        if not isinstance(stack, list):
            return []
        return [
            [str(item[0]), item[1]]
            for item in stack
            if isinstance(item, list) and len(item) == 2 and isinstance(item[1], dict)
        ]

    def write_undo(self, eid, stack):
        """Write the env's undo stack (removing the file when it is empty).

        A failure is logged, not raised: the change it follows is already stored.
        """
        path = self._undo_file(eid)
        try:
            if not stack:
                if os.path.exists(path):
                    os.remove(path)
                return
            os.makedirs(self.undo_dir, exist_ok=True)
            atomic_write(path, lenient_dumps(stack))  # numeric columns included
        except OSError as exc:
            log.error("could not write the undo stack of env %s: %s", eid, exc)

    def read_user_css(self):
        """Return the user's CSS: $XDG_CONFIG_HOME/visdom/style.css, then <env_path>/style.css."""
        config_dir = os.environ.get("XDG_CONFIG_HOME") or os.path.join(
            os.path.expanduser("~"), ".config"
        )
        parts = []
        for path in (
            os.path.join(config_dir, "visdom", "style.css"),
            os.path.join(self.env_path, "style.css"),
        ):
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    parts.append(f.read())
            except OSError:
                continue
        return "\n".join(parts)

    def read_views(self):
        path = os.path.join(self.view_dir, "layouts.json")
        if not os.path.exists(path):
            return ""
        with open(path, encoding="utf-8") as f:
            return f.read()

    def write_views(self, text):
        os.makedirs(self.view_dir, exist_ok=True)  # made at start; removed since, made again
        atomic_write(os.path.join(self.view_dir, "layouts.json"), text)

    def read_side(self, name):
        """Return the text of view/<name> ("" when absent): rules, alerts, liveness."""
        path = os.path.join(self.view_dir, name)
        try:
            with open(path, encoding="utf-8") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def write_side(self, name, text):
        """Replace view/<name> atomically."""
        atomic_write(os.path.join(self.view_dir, name), text)

    def append_side(self, name, line):
        """Append one line to view/<name>, on disk (fsynced) before returning."""
        with open(os.path.join(self.view_dir, name), "a", encoding="utf-8") as f:
            f.write(line + "\n")
            f.flush()
            os.fsync(f.fileno())

    def close(self):
        self.sync_journals()
        for eid in list(self._journals):
            self._close_journal(eid)
