"""The PyTorch logger's old path: it lives in visdom_client.integrations.pytorch."""

from .integrations.pytorch import VisdomLogger

__all__ = ["VisdomLogger"]
