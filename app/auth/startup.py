"""Upstream's -enable_login start-up: the login from VISDOM_* variables or a terminal prompt."""

import getpass
import os
import sys

from werkzeug.security import generate_password_hash

from .users import UserError, UserStore, check_name, client_hash

ENV_FLAG = "VISDOM_USE_ENV_CREDENTIALS"


def users_file(config):
    """Return the accounts file: USERS_FILE, or users.json in the instance folder."""
    return config.get("USERS_FILE") or os.path.join(config.root_path, "users.json")


def startup_user(name, password, method=None):
    """Return the STARTUP_USER setting for a clear password (only a salted hash is kept)."""
    check_name(name)
    secret = client_hash(password)
    hashed = generate_password_hash(secret, method) if method else generate_password_hash(secret)
    return {"name": name, "password_hash": hashed}


def from_environ(environ=None, method=None):
    """Return STARTUP_USER from VISDOM_USERNAME/VISDOM_PASSWORD when VISDOM_USE_ENV_CREDENTIALS
    is set (any non-empty value, as upstream), None when it is not set.

    Raises UserError when the flag is set but a variable is missing.
    """
    environ = os.environ if environ is None else environ
    if not environ.get(ENV_FLAG):
        return None
    name, password = environ.get("VISDOM_USERNAME"), environ.get("VISDOM_PASSWORD")
    if not (name and password):
        raise UserError(
            f"{ENV_FLAG} is set but VISDOM_USERNAME and/or VISDOM_PASSWORD is empty: set both, "
            f"or unset {ENV_FLAG} to type the credentials at a prompt"
        )
    return startup_user(name, password, method)


def prompt(stdin=None, method=None):
    """Ask for the login on the terminal, like upstream (the password is not echoed)."""
    stdin = stdin or sys.stdin
    if not stdin.isatty():
        raise UserError(
            "-enable_login: no accounts exist and there is no terminal to ask for a login. "
            f"Add one with `python -m app users add NAME`, or set {ENV_FLAG}=1, "
            "VISDOM_USERNAME and VISDOM_PASSWORD."
        )
    name = input("Please input your username: ").strip()
    password = getpass.getpass(prompt="Please input your password: ")
    if not password:
        raise UserError("the password must not be empty")
    return startup_user(name, password, method)


def startup_login(settings):
    """Return the settings for `python -m app -enable_login` (exit 1 on bad credentials).

    Order: VISDOM_USE_ENV_CREDENTIALS (no prompt); else the accounts file when it has
    accounts (no prompt); else a terminal prompt. The start-up login is an editor that
    lives as long as the process, like upstream's single user.
    """
    try:
        method = settings.get("PASSWORD_HASH_METHOD")
        user = from_environ(method=method)
        if user is None and not UserStore(users_file(settings)).has_accounts():
            user = prompt(method=method)
    except (UserError, EOFError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    return {"STARTUP_USER": user} if user else {}
