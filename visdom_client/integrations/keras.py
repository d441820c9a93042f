"""A Keras 3 callback: per-batch and per-epoch metrics, the model as experiment params.

    from visdom_client.integrations.keras import VisdomCallback
    model.fit(x, y, validation_split=0.2, epochs=5, callbacks=[VisdomCallback(env="mnist")])

Importing this module imports keras (any backend: JAX, TensorFlow or torch).
"""

import math

from ._imports import require
from .tracker import RunWriter, timestamped

keras = require("keras", "keras", "keras")


class VisdomCallback(keras.callbacks.Callback):
    """Draw a Keras training run into env `env` (default `keras_<YYYYmmdd_HHMMSS>`).

    Per epoch: one line window per metric, x = epoch (1, 2, ...), the validation metric on
    the training metric's window (`val_loss` is a second trace of `loss`). Every
    `every_n_batches` batches (None or 0: never), the running metrics on windows
    `batch/<metric>`, x = the batch count since training began. The experiment record gets
    the model's name, size, optimizer settings and fit() parameters as params, `params` on
    top, and the status at the end: "failed" when the last loss is NaN or infinite.
    `vis`: a Visdom client to use (default: a non-blocking one, address from VISDOM_URL, ...).
    """

    def __init__(self, env=None, every_n_batches=10, params=None, vis=None, name=None):
        super().__init__()
        if every_n_batches is not None and (
            isinstance(every_n_batches, bool)
            or not isinstance(every_n_batches, int)
            or every_n_batches < 0
        ):
            raise ValueError(
                f"every_n_batches: expected an int >= 0 or None, got {every_n_batches!r}"
            )
        self.every_n_batches = every_n_batches or 0
        self.extra_params = dict(params or {})
        self.run_name = name
        self.writer = RunWriter(env or timestamped("keras"), vis=vis)
        self.env = self.writer.env
        self._batches = 0
        self._last_loss = None
        self._epochs = None

    def on_train_begin(self, logs=None):
        self.writer.start(name=self.run_name or self.model.name, params=self._model_params())

    def _model_params(self):
        params = {"model": self.model.name}
        try:
            params["parameters"] = int(self.model.count_params())
        except ValueError:  # a model not built yet has no size
            pass
        params["layers"] = len(self.model.layers)
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None:
            params["optimizer"] = type(optimizer).__name__
            for key, value in optimizer.get_config().items():
                if isinstance(value, (int, float, str, bool)) and key != "name":
                    params[f"optimizer/{key}"] = value
        for key, value in (self.params or {}).items():
            if isinstance(value, (int, float, str, bool)):
                params[f"fit/{key}"] = value
        params.update(self.extra_params)
        return params

    def on_train_batch_end(self, batch, logs=None):
        self._batches += 1
        if self.every_n_batches and self._batches % self.every_n_batches == 0:
            for key, value in (logs or {}).items():
                self.writer.scalar(
                    f"batch/{key}", value, self._batches, xlabel="batch", window=f"batch/{key}"
                )

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self._epochs = epoch + 1
        self.writer.scalars(logs, epoch + 1, xlabel="epoch")
        if "loss" in logs:
            self._last_loss = float(logs["loss"])

    def on_train_end(self, logs=None):
        failed = self._last_loss is not None and not math.isfinite(self._last_loss)
        summary = {k: v for k, (_, v) in self.writer.last.items() if not k.startswith("batch/")}
        self.writer.finish("failed" if failed else "finished", summary=summary, step=self._epochs)
        self.writer.close(shutdown=False)


VisdomKerasCallback = VisdomCallback
