"""Who may change things: readonly servers and viewer accounts are refused."""

from flask import current_app

from ..common import VisdomError


def check_can_edit():
    """Raise a 403 VisdomError when the current caller may not change anything."""
    if current_app.config.get("READONLY"):
        raise VisdomError("the server is readonly: changes are refused", None, 403)
    hook = current_app.extensions.get("visdom_can_edit")
    if hook is not None and not hook():
        raise VisdomError("your account may view but not change anything", None, 403)
