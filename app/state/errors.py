"""Errors the store raises for requests it cannot serve."""


class StoreError(ValueError):
    """A request the store refuses: `field` names the request field, `status` the HTTP code."""

    def __init__(self, message, field=None, status=400, plain=False):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
        # Upstream clients read some refusals literally ("win does not exist"):
        # those are answered as plain text rather than the JSON error object.
        self.plain = plain
