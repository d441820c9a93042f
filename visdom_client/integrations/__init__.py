"""Framework helpers: send a training framework's progress to visdom.

- `pytorch.VisdomLogger`: scalar metrics of a plain PyTorch loop, one line window each
  (torch itself is never imported: values with `.item()` are unwrapped).
- `sklearn.VisdomSklearnLogger`: every scikit-learn `fit()` as a summary window.
- `keras.VisdomCallback`: a Keras 3 callback (per-batch and per-epoch metrics).
- `lightning.VisdomLogger`: a `lightning.pytorch.loggers.Logger`.
- `transformers.VisdomCallback`: a Hugging Face `TrainerCallback`.
- `xgboost.VisdomCallback`: an `xgboost.callback.TrainingCallback`.
- `lightgbm.visdom_callback()`: a LightGBM callback.

They share `tracker.RunWriter` (one run: an env, its metric windows, its experiment
record) with the wandb-style API (visdom_client.wandb). A framework that is missing raises
ImportError naming the pip package to install.

Each helper lives in its own module and imports its framework only when it is used, and
this package imports a module only when one of its names is asked for, so no framework
is a dependency of visdom_client. The old paths `visdom_client.pytorch` and
`visdom_client.loggers` still work (docs/client.md and scripts use them).
"""

import importlib

# name -> module of this package that defines it
# (names shared by two frameworks, VisdomCallback and VisdomLogger, are imported from
# their module; here each has a unique alias)
_HELPERS = {
    "VisdomLogger": "pytorch",
    "VisdomSklearnLogger": "sklearn",
    "VisdomKerasCallback": "keras",
    "VisdomLightningLogger": "lightning",
    "VisdomTrainerCallback": "transformers",
    "VisdomXGBoostCallback": "xgboost",
    "visdom_lightgbm_callback": "lightgbm",
}

__all__ = sorted(_HELPERS)


def __getattr__(name):
    module = _HELPERS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def __dir__():
    return sorted([*globals(), *_HELPERS])
