"""The one error the pane layer raises for bad input."""


class PaneError(ValueError):
    """Bad input for a window: `field` names the request field at fault."""

    def __init__(self, message, field=None, status=400):
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
