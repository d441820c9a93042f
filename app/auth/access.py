"""May this request change anything? The one answer, for routes, services, sockets and pages.

A readonly server refuses every change; with login on, only a signed-in account whose
role may edit (not a viewer) may change things. Every mutation asks `check_can_edit`
(the service functions, and the routes' `mutating` mark before they parse anything); the
pages hide their editing controls when `may_edit` is false.
"""

from flask import current_app
from flask_login import current_user

from ..common import VisdomError

READONLY = "readonly"
VIEWER = "viewer"
MESSAGES = {
    READONLY: "the server is readonly: changes are refused",
    VIEWER: "your account may view but not change anything",
}


def edit_refusal():
    """Return why the current caller may not change anything (READONLY: the server,
    VIEWER: the account), or None when they may."""
    config = current_app.config
    if config.get("READONLY"):
        return READONLY
    if config.get("ENABLE_LOGIN") and not (current_user.is_authenticated and current_user.can_edit):
        return VIEWER
    return None


def may_edit():
    """True when the current caller may change envs, windows and views."""
    return edit_refusal() is None


def check_can_edit():
    """Raise a 403 VisdomError when the current caller may not change anything."""
    reason = edit_refusal()
    if reason is not None:
        raise VisdomError(MESSAGES[reason], None, 403)
