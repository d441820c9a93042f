"""Loggers that send training progress to visdom: PyTorch loops and scikit-learn fits."""

from ..pytorch import VisdomLogger
from .sklearn import VisdomSklearnLogger

__all__ = ["VisdomLogger", "VisdomSklearnLogger"]
