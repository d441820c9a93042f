"""Framework helpers: send a training framework's progress to visdom.

- `pytorch.VisdomLogger`: scalar metrics of a plain PyTorch loop, one line window each
  (torch itself is never imported: values with `.item()` are unwrapped).
- `sklearn.VisdomSklearnLogger`: every scikit-learn `fit()` as a summary window.

Each helper lives in its own module and imports its framework only when it is used, and
this package imports a module only when one of its names is asked for, so no framework
is a dependency of visdom_client. The old paths `visdom_client.pytorch` and
`visdom_client.loggers` still work (docs/client.md and scripts use them).
"""

import importlib

# name -> module of this package that defines it
_HELPERS = {"VisdomLogger": "pytorch", "VisdomSklearnLogger": "sklearn"}

__all__ = sorted(_HELPERS)


def __getattr__(name):
    module = _HELPERS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__():
    return sorted([*globals(), *_HELPERS])
