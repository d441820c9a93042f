"""visdom_client: a drop-in replacement for the upstream `visdom` Python client."""

from importlib import metadata as _metadata

from .client import Visdom
from .errors import (
    ArgumentError,
    ArgumentTypeError,
    AuthenticationError,
    ConnectionError,
    ServerError,
    VisdomError,
)

try:  # the one home of the version is pyproject.toml (see app/version.py)
    __version__ = _metadata.version("visdom-flask")
except _metadata.PackageNotFoundError:  # a checkout that was never pip-installed
    __version__ = "0+unknown"

__all__ = [
    "ArgumentError",
    "ArgumentTypeError",
    "AuthenticationError",
    "ConnectionError",
    "ServerError",
    "Visdom",
    "VisdomError",
]
