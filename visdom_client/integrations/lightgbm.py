"""A LightGBM callback: every metric of every validation set, per boosting round.

    from visdom_client.integrations.lightgbm import visdom_callback
    lightgbm.train(params, train_set, 100, valid_sets=[train_set, valid_set],
                   valid_names=["train", "valid"], callbacks=[visdom_callback(env="boston")])

Importing this module imports lightgbm (`pip install lightgbm`).
"""

import atexit
import weakref

from ._imports import require
from .tracker import RunWriter, timestamped

require("lightgbm", "lightgbm", "lightgbm")


class VisdomLightGBMCallback:
    """The callable that `visdom_callback` returns (LightGBM calls it after each round).

    One line window per metric, one trace per validation set, x = the round. The
    parameters LightGBM trains with (and `params`) are the experiment's params. The run is
    finished after the last round; a training stopped early (early_stopping) is finished
    by `finish()`, or at the latest when the interpreter exits.
    """

    order = 25  # before early stopping (30), so the last round is drawn too
    before_iteration = False

    def __init__(self, env=None, vis=None, name=None, params=None):
        self.writer = RunWriter(env or timestamped("lightgbm"), vis=vis)
        self.env = self.writer.env
        self.run_name = name
        self.extra_params = dict(params or {})
        atexit.register(_finish_at_exit, weakref.ref(self))

    def __call__(self, env):
        if not self.writer.started:
            params = dict(env.params or {})
            params.update(self.extra_params)
            self.writer.start(name=self.run_name, params=params)
        for item in env.evaluation_result_list or []:
            data_name, metric, value = item[0], item[1], item[2]
            if data_name == "cv_agg":  # lightgbm.cv: "valid l2" under one name
                data_name, _, metric = metric.partition(" ")
            self.writer.scalar(
                f"{data_name}-{metric}",
                value,
                env.iteration + 1,
                xlabel="round",
                window=metric,
                trace=data_name,
            )
        if env.iteration + 1 >= env.end_iteration:
            self.finish()

    def finish(self, status="finished"):
        """Finish the run (the last round does it; call it after an early stop)."""
        if not self.writer.finished:
            self.writer.finish(status)
        self.writer.close(shutdown=False)


def _finish_at_exit(ref):
    callback = ref()
    if callback is not None and callback.writer.started:
        callback.finish()


def visdom_callback(env=None, vis=None, name=None, params=None):
    """Return a LightGBM callback drawing the run into env `env` (default
    `lightgbm_<YYYYmmdd_HHMMSS>`); see VisdomLightGBMCallback."""
    return VisdomLightGBMCallback(env=env, vis=vis, name=name, params=params)


visdom_lightgbm_callback = visdom_callback
