"""Import a training framework for one of the integrations, or say which package to install."""

import importlib


def require(module, package, integration):
    """Return the imported `module`, or raise ImportError naming the pip package to install."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise ImportError(
            f"visdom_client.integrations.{integration} needs {module!r}: pip install {package}"
        ) from exc
