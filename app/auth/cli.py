"""`flask --app wsgi users ...` and `python -m app users ...`: manage accounts and API tokens."""

import sys

import click
from flask import current_app, has_app_context
from flask.cli import ScriptInfo

from .startup import users_file
from .users import ROLES, UserError, UserStore


def _store(ctx):
    if isinstance(ctx.obj, UserStore):
        return ctx.obj
    app = current_app if has_app_context() else ctx.ensure_object(ScriptInfo).load_app()
    return UserStore(users_file(app.config), app.config.get("PASSWORD_HASH_METHOD"))


def _read_password(from_stdin):
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _run(action):
    try:
        return action()
    except UserError as exc:
        raise click.ClickException(str(exc)) from None


@click.group("users")
@click.pass_context
def users_cli(ctx):
    """Manage the accounts that may sign in when login is enabled."""
    ctx.obj = _store(ctx)


@users_cli.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="editor", show_default=True)
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
@click.pass_obj
def add(store, name, role, password_stdin):
    """Create account NAME (asks for the password)."""
    password = _read_password(password_stdin)
    _run(lambda: store.add(name, password, role))
    click.echo(f"added {role} {name!r} to {store.path}")


@users_cli.command("remove")
@click.argument("name")
@click.pass_obj
def remove(store, name):
    """Delete account NAME and its API tokens (its sessions end at once)."""
    _run(lambda: store.remove(name))
    click.echo(f"removed {name!r}")


@users_cli.command("list")
@click.pass_obj
def list_users(store):
    """List the accounts, their roles and how many API tokens each has."""
    rows = store.describe()
    if not rows:
        click.echo(f"no accounts in {store.path}")
    for row in rows:
        click.echo(f"{row['name']}\t{row['role']}\ttokens={row['tokens']}\t{row['created']}")


@users_cli.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
@click.pass_obj
def passwd(store, name, password_stdin):
    """Change the password of NAME (ends every session of that user)."""
    password = _read_password(password_stdin)
    _run(lambda: store.set_password(name, password))
    click.echo(f"password of {name!r} changed")


@users_cli.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
@click.pass_obj
def role(store, name, role):
    """Make NAME a viewer or an editor."""
    _run(lambda: store.set_role(name, role))
    click.echo(f"{name!r} is now {role}")


@users_cli.group("token")
def token():
    """API tokens: our client's `Visdom(token=...)` instead of a password."""


@token.command("add")
@click.argument("name")
@click.option("--label", default="", help="a note to recognise the token by")
@click.pass_obj
def token_add(store, name, label):
    """Create an API token for NAME and print it (it is shown only this once)."""
    value = _run(lambda: store.create_token(name, label))
    click.echo(value)


@token.command("list")
@click.argument("name")
@click.pass_obj
def token_list(store, name):
    """List NAME's tokens (ids and labels; the tokens themselves are not stored)."""
    for row in _run(lambda: store.tokens(name)):
        click.echo(f"{row['id']}\t{row['label']}\t{row['created']}")


@token.command("revoke")
@click.argument("name")
@click.argument("token_id")
@click.pass_obj
def token_revoke(store, name, token_id):
    """Revoke token TOKEN_ID of NAME."""
    _run(lambda: store.revoke_token(name, token_id))
    click.echo(f"revoked token {token_id} of {name!r}")


def main(argv, settings):
    """Run `python -m app users ...` with `settings`, the ones the server would use
    (app.load_settings(), passed in by app.__main__)."""
    store = UserStore(users_file(settings), settings.get("PASSWORD_HASH_METHOD"))
    return users_cli.main(args=list(argv), prog_name="python -m app users", obj=store)
