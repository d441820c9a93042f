"""The loggers' old path: they live in visdom_client.integrations (kept for existing code)."""

from ..integrations.pytorch import VisdomLogger
from ..integrations.sklearn import VisdomSklearnLogger

__all__ = ["VisdomLogger", "VisdomSklearnLogger"]
