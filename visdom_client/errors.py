"""Exceptions raised by the client; every one derives from VisdomError."""

import builtins


class VisdomError(Exception):
    """Base class of every error this package raises; carries the HTTP response if any."""

    def __init__(self, message, response=None, request=None):
        super().__init__(message)
        self.response = response
        self.request = request

    @property
    def status_code(self):
        """Return the HTTP status of the response, or None."""
        return None if self.response is None else self.response.status_code


class ConnectionError(VisdomError, builtins.ConnectionError):  # noqa: A001 - mirrors upstream
    """The server could not be reached (refused, timed out, DNS failure)."""


class ServerError(VisdomError):
    """The server answered with an HTTP error status."""


class AuthenticationError(ServerError, RuntimeError):
    """Login failed, or the server refused the request for lack of credentials."""


class ArgumentError(VisdomError, ValueError):
    """An argument has the right type but an unusable value (shape, range, length)."""


class ArgumentTypeError(VisdomError, TypeError):
    """An argument has a type the client cannot use."""


def describe(value):
    """Return a short description of a value for error messages."""
    shape = getattr(value, "shape", None)
    if shape is not None:
        return f"{type(value).__name__} of shape {tuple(shape)}"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__} of length {len(value)}"
    if isinstance(value, str) and len(value) > 40:
        return f"str {value[:40]!r}..."
    return f"{type(value).__name__} {value!r}"


def bad_value(argument, expected, received):
    """Build an ArgumentError naming the argument, what was expected and what was received."""
    return ArgumentError(f"{argument}: expected {expected}, got {received}")


def bad_type(argument, expected, value):
    """Build an ArgumentTypeError naming the argument, expected type and received value."""
    return ArgumentTypeError(f"{argument}: expected {expected}, got {describe(value)}")
