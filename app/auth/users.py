"""Accounts: users with salted password hashes, roles and API tokens, in the instance folder.

A password is stored as a salted werkzeug hash of sha256hex(clear password): that hex
digest is what the upstream visdom client sends at login, so browsers (which post the
clear password) and upstream clients check against the same stored hash. API tokens are
stored as their sha256 digest only; the clear token is shown once, when it is created.
"""

import contextlib
import datetime
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import threading

from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from . import files

ROLES = ("viewer", "editor")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
TOKEN_RE = re.compile(r"^vt_([0-9a-f]{12})_([A-Za-z0-9_-]{20,})$")
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class UserError(ValueError):
    """A bad account operation (unknown user, bad name or role, duplicate)."""


def client_hash(password):
    """Return sha256hex(password): what the upstream client sends instead of the password."""
    # surrogatepass: a lone surrogate (JSON allows "\ud800") hashes instead of failing.
    return hashlib.sha256(password.encode("utf-8", "surrogatepass")).hexdigest()


def login_secret(value, prehashed):
    """Return the value to check against the stored hash for a submitted password.

    `prehashed` is true for the upstream JSON login, whose password field is already
    sha256hex(password); a JSON value that is not 64 hex digits is taken as clear text.
    """
    if prehashed and _HEX64.match(value):
        return value
    return client_hash(value)


def _now():
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat()


def _digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class User(UserMixin):
    """A signed-in account; `id` is the user name, `role` is viewer or editor."""

    def __init__(self, name, role, password_hash):
        self.id = name
        self.role = role
        # Part of the session id: changing the password ends every session of the user.
        self.fingerprint = _digest(password_hash)[:16]

    @property
    def can_edit(self):
        return self.role == "editor"

    def get_id(self):
        return f"{self.id}:{self.fingerprint}"


def check_role(role):
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    return role


def check_name(name):
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise UserError(
            "user name must be 1-64 characters: letters, digits and _ . @ - "
            f"(starting with a letter or digit), got {name!r}"
        )
    return name


class UserStore:
    """The accounts file (`users.json` in the instance folder) plus in-memory accounts.

    The file is re-read when it changes, so `users add/remove/passwd` from the command
    line take effect in a running server without a restart.
    """

    def __init__(self, path, method=None):
        self.path = path
        # None: werkzeug's default (scrypt). Tests use a cheap one.
        self.method = method
        self._dummy = None
        self._lock = threading.Lock()
        self._stamp = None
        self._data = {"users": {}}
        self._memory = {}  # name -> record: the -enable_login start-up account

    # reading ------------------------------------------------------------------------------

    def _records(self):
        stamp = files.mtime(self.path)
        if stamp != self._stamp:
            with self._lock:
                data = files.read_json(self.path, {"users": {}})
                self._data = data if isinstance(data.get("users"), dict) else {"users": {}}
                self._stamp = stamp
        users = dict(self._data["users"])
        users.update(self._memory)
        return users

    def _user(self, name, record):
        return User(name, record.get("role", "viewer"), record["password"])

    def get(self, name):
        """Return the User called `name`, or None."""
        record = self._records().get(name) if isinstance(name, str) else None
        return self._user(name, record) if record else None

    def names(self):
        return sorted(self._records())

    def describe(self):
        """Return [{"name", "role", "tokens", "created", "source"}] for `users list`."""
        rows = []
        for name, record in sorted(self._records().items()):
            rows.append(
                {
                    "name": name,
                    "role": record.get("role", "viewer"),
                    "tokens": len(record.get("tokens", {})),
                    "created": record.get("created", ""),
                    "source": "start-up" if name in self._memory else "file",
                }
            )
        return rows

    def has_accounts(self):
        return bool(self._records())

    def verify(self, name, secret):
        """Return the User if `secret` (sha256hex of the password) matches, else None.

        The time taken does not reveal whether the user exists.
        """
        record = self._records().get(name) if isinstance(name, str) else None
        if record is None and self._dummy is None:
            # A real hash to check when the user does not exist, so that an unknown name
            # costs as much time as a wrong password.
            self._dummy = self._hash("not a password")
        stored = record["password"] if record else self._dummy
        ok = check_password_hash(stored, secret if isinstance(secret, str) else "")
        return self._user(name, record) if ok and record else None

    def user_for_token(self, token):
        """Return the User owning API token `token`, or None (constant-time comparison)."""
        match = TOKEN_RE.match(token or "")
        if not match:
            return None
        token_id = match.group(1)
        digest = _digest(token)
        for name, record in self._records().items():
            entry = record.get("tokens", {}).get(token_id)
            if entry and hmac.compare_digest(entry["hash"], digest):
                return self._user(name, record)
        return None

    def _hash(self, secret):
        if self.method:
            return generate_password_hash(secret, method=self.method)
        return generate_password_hash(secret)

    # in-memory accounts -----------------------------------------------------------------------

    def add_memory_user(self, name, password_hash, role="editor"):
        """Add an account that lives only in this process (upstream's start-up login).

        `password_hash` is a werkzeug hash of sha256hex(password), see startup_user.
        """
        check_name(name)
        self._memory[name] = {
            "password": password_hash,
            "role": check_role(role),
            "created": _now(),
            "tokens": {},
        }

    # writing (the CLI) ------------------------------------------------------------------------

    @contextlib.contextmanager
    def _editing(self):
        files.ensure_dir(os.path.dirname(self.path))
        with open(self.path + ".lock", "a", encoding="utf-8") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data = files.read_json(self.path, {"users": {}})
            data.setdefault("users", {})
            yield data["users"]
            data["version"] = 1
            files.write_private(self.path, json.dumps(data, indent=2, sort_keys=True) + "\n")
        self._stamp = None

    def add(self, name, password, role="editor"):
        """Create an account; `password` is the clear password."""
        check_name(name)
        check_role(role)
        if not password:
            raise UserError("the password must not be empty")
        with self._editing() as users:
            if name in users:
                raise UserError(f"user {name!r} already exists")
            users[name] = {
                "password": self._hash(client_hash(password)),
                "role": role,
                "created": _now(),
                "tokens": {},
            }

    def _existing(self, users, name):
        if name not in users:
            raise UserError(f"no such user: {name!r}")
        return users[name]

    def remove(self, name):
        """Delete an account and its tokens; its sessions end at their next request."""
        with self._editing() as users:
            self._existing(users, name)
            del users[name]

    def set_password(self, name, password):
        """Change the password; every session of the user ends."""
        if not password:
            raise UserError("the password must not be empty")
        with self._editing() as users:
            self._existing(users, name)["password"] = self._hash(client_hash(password))

    def set_role(self, name, role):
        check_role(role)
        with self._editing() as users:
            self._existing(users, name)["role"] = role

    def create_token(self, name, label=""):
        """Create an API token for `name`; return the clear token (shown only once)."""
        token_id = secrets.token_hex(6)
        token = f"vt_{token_id}_{secrets.token_urlsafe(32)}"
        with self._editing() as users:
            record = self._existing(users, name)
            record.setdefault("tokens", {})[token_id] = {
                "hash": _digest(token),
                "label": label or "",
                "created": _now(),
            }
        return token

    def tokens(self, name):
        """Return [{"id", "label", "created"}] of the user's tokens."""
        record = self._records().get(name)
        if record is None:
            raise UserError(f"no such user: {name!r}")
        return [
            {"id": tid, "label": entry.get("label", ""), "created": entry.get("created", "")}
            for tid, entry in sorted(record.get("tokens", {}).items())
        ]

    def revoke_token(self, name, token_id):
        with self._editing() as users:
            tokens = self._existing(users, name).get("tokens", {})
            if token_id not in tokens:
                raise UserError(f"user {name!r} has no token {token_id!r}")
            del tokens[token_id]
