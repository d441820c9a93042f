"""Pure functions over window objects: build a window, apply an update, compare envs."""

from .errors import PaneError
from .update import apply_update
from .window import build_window, new_content_id

__all__ = ["PaneError", "apply_update", "build_window", "new_content_id"]
