"""A training loop that logs the way people do: losses, accuracy, sample images, a text log.

The "model" is a toy logistic regression in numpy; the visdom calls are the point.
Run a server (`make run`), then `python example/training_loop.py`.
"""

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from visdom_client import Visdom  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="http://localhost")
    parser.add_argument("--port", type=int, default=8097)
    parser.add_argument("--base_url", default="/")
    parser.add_argument("--env", default="training")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=50, help="batches per epoch")
    parser.add_argument(
        "--blocking",
        action="store_true",
        help="wait for every request (default: non-blocking sending)",
    )
    return parser.parse_args(argv)


def make_data(rng, n=2000, size=8):
    """Tiny 8x8 'images': class 1 has a bright diagonal."""
    labels = rng.integers(0, 2, n)
    images = rng.random((n, size, size)) * 0.5
    diagonal = np.eye(size, dtype=bool)
    images[labels == 1] += diagonal * 0.5
    return images, labels


def main(argv=None):
    args = parse_args(argv)
    rng = np.random.default_rng(0)
    images, labels = make_data(rng)
    train_x, train_y = images[:1600].reshape(1600, -1), labels[:1600]
    val_x, val_y = images[1600:].reshape(400, -1), labels[1600:]
    weights, bias, lr, batch = np.zeros(train_x.shape[1]), 0.0, 0.5, 32

    with Visdom(
        server=args.server,
        port=args.port,
        base_url=args.base_url,
        env=args.env,
        nonblocking=not args.blocking,
    ) as vis:
        vis.close(env=args.env)  # start from a clean env
        vis.text(f"run started {time.strftime('%H:%M:%S')}", win="log", opts={"title": "log"})
        loss_opts = {"title": "loss", "xlabel": "step", "ylabel": "BCE", "showlegend": True}
        step = 0
        for epoch in range(args.epochs):
            for _ in range(args.steps):
                idx = rng.integers(0, len(train_x), batch)
                x, y = train_x[idx], train_y[idx]
                p = 1 / (1 + np.exp(-(x @ weights + bias)))
                loss = -np.mean(y * np.log(p + 1e-9) + (1 - y) * np.log(1 - p + 1e-9))
                weights -= lr * x.T @ (p - y) / batch
                bias -= lr * float(np.mean(p - y))
                vis.line([loss], [step], win="loss", name="train", update="append", opts=loss_opts)
                step += 1
            p_val = 1 / (1 + np.exp(-(val_x @ weights + bias)))
            val_loss = -np.mean(
                val_y * np.log(p_val + 1e-9) + (1 - val_y) * np.log(1 - p_val + 1e-9)
            )
            accuracy = float(np.mean((p_val > 0.5) == val_y))
            vis.line([val_loss], [step], win="loss", name="val", update="append")
            vis.line(
                [accuracy],
                [epoch],
                win="accuracy",
                update="append",
                opts={"title": "validation accuracy", "xlabel": "epoch", "markers": True},
            )
            vis.images(
                images[1600:1608, None],
                nrow=8,
                win="samples",
                opts={"title": f"validation samples, epoch {epoch}"},
            )
            vis.image(
                weights.reshape(8, 8) / (np.abs(weights).max() + 1e-9) * 0.5 + 0.5,
                win="weights",
                opts={"store_history": True, "caption": f"epoch {epoch}"},
            )
            vis.text(
                f"epoch {epoch}: val loss {val_loss:.3f}, accuracy {accuracy:.1%}",
                win="log",
                append=True,
            )
        vis.text("done", win="log", append=True)
    print(f"logged {step} steps into env {args.env!r}")


if __name__ == "__main__":
    main()
