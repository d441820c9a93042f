"""Login, accounts, roles and browser-safety headers (the team-server issue builds this)."""

from .extensions import login_manager


def init_app(app):
    """Bind flask-login; refuse nothing while login is disabled."""
    login_manager.init_app(app)
