"""Browser events on their way to the training code's handlers (protocol section 8)."""

from .. import broadcast
from ..auth.access import check_can_edit
from ..common import VisdomError
from ..state import escape_eid, get_store


def deliver_browser_event(data):
    """Validate a browser event, attach pane_data, and send it to the env's subscribers."""
    check_can_edit()
    eid = escape_eid(data.get("eid"), default=None)
    target = data.get("target")
    if not isinstance(target, str) or not target:
        raise VisdomError("'target' must be a window id", "target")
    event_type = data.get("event_type")
    if not isinstance(event_type, str) or not event_type:
        raise VisdomError("'event_type' must be a string", "event_type")
    payload = dict(data, eid=eid)
    if payload.get("pane_data") is not False:
        payload["pane_data"] = get_store().window(eid, target)
    broadcast.event(eid, payload)
    return payload
