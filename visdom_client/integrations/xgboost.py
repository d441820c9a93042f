"""An XGBoost training callback: every metric of every eval set, per boosting round.

    from visdom_client.integrations.xgboost import VisdomCallback
    xgboost.train(params, dtrain, 100, evals=[(dtrain, "train"), (dvalid, "valid")],
                  callbacks=[VisdomCallback(env="boston")])

Importing this module imports xgboost (`pip install xgboost` or `xgboost-cpu`).
"""

import json

from ._imports import require
from .tracker import RunWriter, timestamped

xgboost = require("xgboost", "xgboost", "xgboost")


class VisdomCallback(xgboost.callback.TrainingCallback):
    """Draw an XGBoost run into env `env` (default `xgboost_<YYYYmmdd_HHMMSS>`).

    One line window per evaluation metric, one trace per eval set (window `rmse`, traces
    `train` and `valid`), x = the boosting round (1, 2, ...). The booster's training parameters (and
    `params`) are the experiment's params; the run is finished after training.
    Works with xgboost.train and the scikit-learn API (XGBRegressor(callbacks=[...])).
    `vis`: a Visdom client (default: non-blocking, address from VISDOM_URL, ...).
    """

    def __init__(self, env=None, vis=None, name=None, params=None):
        super().__init__()
        self.writer = RunWriter(env or timestamped("xgboost"), vis=vis)
        self.env = self.writer.env
        self.run_name = name
        self.extra_params = dict(params or {})

    def before_training(self, model):
        params = _booster_params(model)
        params.update(self.extra_params)
        self.writer.start(name=self.run_name, params=params)
        return model

    def after_iteration(self, model, epoch, evals_log):
        for data_name, metrics in evals_log.items():
            for metric, values in metrics.items():
                if values:
                    value = values[-1]
                    if isinstance(value, tuple):  # xgboost.cv: (mean, std)
                        value = value[0]
                    self.writer.scalar(
                        f"{data_name}-{metric}",
                        value,
                        epoch + 1,
                        xlabel="round",
                        window=metric,
                        trace=data_name,
                    )
        return False  # never stop the training

    def after_training(self, model):
        self.writer.finish("finished")
        self.writer.close(shutdown=False)
        return model


def _booster_params(model):
    """Return the booster's training parameters, flattened from its saved config."""
    try:
        config = json.loads(model.save_config())["learner"]
    except (AttributeError, KeyError, ValueError, TypeError):
        return {}
    params = {}

    def walk(node, name):
        for key, value in node.items():
            if isinstance(value, dict):
                walk(value, key)
            elif isinstance(value, str) and name.endswith("_param"):
                params.setdefault(key, _number(value))

    walk(config, "")
    return params


def _number(text):
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


VisdomXGBoostCallback = VisdomCallback
