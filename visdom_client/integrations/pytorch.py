"""A logger for plain PyTorch training loops: one line window per metric (torch optional)."""

import datetime
import numbers


class VisdomLogger:
    """Log scalar metrics by name; each gets a line window, created on its first value.

    with VisdomLogger(vis, env="run_1") as tracker:
        for epoch in range(epochs):
            tracker.log("train loss", loss)        # x = 1, 2, 3, ...
            tracker.log("lr", lr, x=step, xlabel="step")

    env defaults to "run_<YYYYmmdd_HHMMSS>". With log_every=N only every Nth value of a
    metric is sent (the first always is); the last held-back value is sent on exit.
    Values with .item() (torch tensors, numpy scalars) are unwrapped; torch is not needed.
    """

    def __init__(self, viz, env=None, log_every=1):
        if isinstance(log_every, bool) or not isinstance(log_every, numbers.Integral):
            raise TypeError(f"log_every: expected an int >= 1, got {log_every!r}")
        if log_every < 1:
            raise ValueError(f"log_every: expected an int >= 1, got {log_every}")
        self.viz = viz
        self.env = env or "run_" + datetime.datetime.now().strftime("%Y%m%d_%H%M%S")
        self.log_every = int(log_every)
        self._wins = {}  # metric name -> window id
        self._counts = {}  # metric name -> values logged
        self._pending = {}  # metric name -> (x, value, xlabel) held back by log_every

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.flush()
        return False

    def flush(self):
        """Send the values held back by log_every."""
        pending, self._pending = self._pending, {}
        for name, (x, value, xlabel) in pending.items():
            self._plot(name, x, value, xlabel)

    def log(self, name, value, x=None, xlabel="epoch"):
        """Record `value` for metric `name` at x (default: 1, 2, 3, ... per metric)."""
        if not isinstance(name, str) or not name:
            raise TypeError(f"name: expected a non-empty string, got {name!r}")
        if hasattr(value, "item"):
            value = value.item()
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"value: expected a number, got {type(value).__name__}")
        count = self._counts[name] = self._counts.get(name, 0) + 1
        x = count if x is None else x
        if name in self._wins and count % self.log_every != 0:
            self._pending[name] = (x, value, xlabel)
            return
        self._pending.pop(name, None)
        self._plot(name, x, value, xlabel)

    def _plot(self, name, x, value, xlabel):
        if name not in self._wins:
            opts = {"title": name, "xlabel": xlabel, "ylabel": name}
            self._wins[name] = self.viz.line(X=[x], Y=[value], env=self.env, opts=opts)
        else:
            self.viz.line(X=[x], Y=[value], win=self._wins[name], env=self.env, update="append")
