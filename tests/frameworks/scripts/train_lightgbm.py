"""Train LightGBM for real on a small dataset with visdom_callback (env from argv[1])."""

import sys

import lightgbm
import numpy as np

from visdom_client.integrations.lightgbm import visdom_callback

rng = np.random.default_rng(0)
x = rng.normal(size=(300, 5))
y = x[:, 0] * 3 + np.sin(x[:, 1]) + 0.1 * rng.normal(size=300)
train = lightgbm.Dataset(x[:200], label=y[:200])
valid = lightgbm.Dataset(x[200:], label=y[200:], reference=train)
params = {"objective": "regression", "metric": ["l2", "l1"], "num_leaves": 7, "verbose": -1}
lightgbm.train(
    params,
    train,
    10,
    valid_sets=[train, valid],
    valid_names=["train", "valid"],
    callbacks=[visdom_callback(env=sys.argv[1])],
)
print("DONE")
