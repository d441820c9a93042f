"""Train XGBoost for real on a small dataset with VisdomCallback (env from argv[1])."""

import sys

import numpy as np
import xgboost

from visdom_client.integrations.xgboost import VisdomCallback

rng = np.random.default_rng(0)
x = rng.normal(size=(300, 5))
y = x[:, 0] * 3 + np.sin(x[:, 1]) + 0.1 * rng.normal(size=300)
dtrain = xgboost.DMatrix(x[:200], label=y[:200])
dvalid = xgboost.DMatrix(x[200:], label=y[200:])
params = {"max_depth": 3, "eta": 0.3, "eval_metric": ["rmse", "mae"]}
xgboost.train(
    params,
    dtrain,
    12,
    evals=[(dtrain, "train"), (dvalid, "valid")],
    callbacks=[VisdomCallback(env=sys.argv[1])],
    verbose_eval=False,
)
print("DONE")
