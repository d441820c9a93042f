"""Train a small Keras 3 model for real on JAX with VisdomCallback (env from argv[1])."""

import sys

import keras
import numpy as np

from visdom_client.integrations.keras import VisdomCallback

assert keras.backend.backend() == "jax", keras.backend.backend()
rng = np.random.default_rng(0)
x = rng.normal(size=(256, 8)).astype("float32")
y = (x[:, :1] * 2 - x[:, 1:2] + 0.1 * rng.normal(size=(256, 1))).astype("float32")
model = keras.Sequential(
    [keras.Input((8,)), keras.layers.Dense(16, activation="relu"), keras.layers.Dense(1)],
    name="tiny_regressor",
)
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mse", metrics=["mae"])
callback = VisdomCallback(env=sys.argv[1], every_n_batches=2)
history = model.fit(
    x, y, validation_split=0.25, epochs=4, batch_size=32, verbose=0, callbacks=[callback]
)
print("LOSS", history.history["loss"][-1], "VAL", history.history["val_loss"][-1])
