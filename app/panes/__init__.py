"""Pure functions over window objects: build a window, apply an update, compare envs."""

from .update import apply_update
from .window import build_window, new_content_id

__all__ = ["apply_update", "build_window", "new_content_id"]
