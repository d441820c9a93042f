"""Log images (numpy, PIL, a file), a histogram, a table and HTML the W&B way."""

import sys

import numpy as np
from PIL import Image as PILImage

import visdom_client.wandb as wandb

path = sys.argv[1]
PILImage.fromarray(np.full((10, 12, 3), (0, 0, 255), np.uint8)).save(path)
run = wandb.init(project="média", name="images and tables", config={"classes": ["cat", "dog"]})
rng = np.random.default_rng(0)
for step in range(3):
    gradient = np.linspace(0, 1, 32 * 48).reshape(32, 48)  # floats in [0, 1]
    wandb.log(
        {
            "examples": [wandb.Image(gradient, caption=f"gray {step}"), wandb.Image(path)],
            "red": wandb.Image(PILImage.new("RGB", (8, 8), (255, 0, 0)), caption="red"),
            "weights": wandb.Histogram(rng.normal(size=1000)),
            "loss": 1.0 / (step + 1),
        }
    )
table = wandb.Table(columns=["id", "label", "score"])
table.add_data(1, "cat <b>", 0.9)
table.add_data(2, "dog", float("nan"))
wandb.log({"predictions": table, "report": wandb.Html("<h3>done</h3>")})
wandb.finish()
print("RUN", run.env)
