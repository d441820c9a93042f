"""visdom_client: a drop-in replacement for the upstream `visdom` Python client."""

from .client import Visdom
from .errors import (
    ArgumentError,
    ArgumentTypeError,
    AuthenticationError,
    ConnectionError,
    ServerError,
    VisdomError,
)

__version__ = "0.1.0"

__all__ = [
    "ArgumentError",
    "ArgumentTypeError",
    "AuthenticationError",
    "ConnectionError",
    "ServerError",
    "Visdom",
    "VisdomError",
]
