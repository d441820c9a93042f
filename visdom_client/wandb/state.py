"""A run's state a user reads and writes: its config, its summary, its metrics' statistics."""

import math


class Config:
    """The run's settings: attribute and item access; every change is sent as experiment params."""

    def __init__(self, run):
        object.__setattr__(self, "_items", {})
        object.__setattr__(self, "_run", run)

    def update(self, values=None, allow_val_change=None, **more):
        """Merge a dict, an argparse.Namespace or keyword arguments; send the changes."""
        if values is not None and not isinstance(values, dict):
            if hasattr(values, "__dict__"):
                values = vars(values)
            else:
                try:
                    values = dict(values)
                except (TypeError, ValueError):
                    raise TypeError(
                        "wandb.config.update: expected a dict or an argparse.Namespace, got "
                        f"{type(values).__name__}"
                    ) from None
        values = {**(values or {}), **more}
        self._items.update(values)
        if values and self._run is not None:
            self._run._writer.log_params(values)

    def setdefaults(self, values):
        """Set the keys not set yet; return the config."""
        self.update({k: v for k, v in values.items() if k not in self._items})
        return self

    def as_dict(self):
        return dict(self._items)

    def keys(self):
        return self._items.keys()

    def items(self):
        return self._items.items()

    def values(self):
        return self._items.values()

    def get(self, key, default=None):
        return self._items.get(key, default)

    def __getattr__(self, key):
        try:
            return self._items[key]
        except KeyError:
            raise AttributeError(f"wandb.config has no key {key!r}") from None

    def __setattr__(self, key, value):
        self.update({key: value})

    def __getitem__(self, key):
        return self._items[key]

    def __setitem__(self, key, value):
        self.update({key: value})

    def __contains__(self, key):
        return key in self._items

    def __iter__(self):
        return iter(self._items)

    def __len__(self):
        return len(self._items)

    def __repr__(self):
        return f"wandb.Config({self._items!r})"


class Summary(dict):
    """The run's final values: the last of each metric (or what define_metric asks for),
    and whatever is set here by hand. Sent as the experiment's metrics at finish."""

    def __init__(self):
        super().__init__()
        self.explicit = set()

    def __setitem__(self, key, value):
        self.explicit.add(key)
        super().__setitem__(key, value)

    def update(self, values=None, **more):
        for key, value in {**(values or {}), **more}.items():
            self[key] = value

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(f"wandb.summary has no key {key!r}") from None

    def __setattr__(self, key, value):
        if key == "explicit":
            object.__setattr__(self, key, value)
        else:
            self[key] = value


class Stats:
    """Running min, max, mean, first and last of one metric."""

    def __init__(self, value):
        self.first = self.last = value
        self.min = self.max = value
        self.total, self.count = value, 1

    def add(self, value):
        self.last = value
        if math.isfinite(value):
            self.min = value if not math.isfinite(self.min) else min(self.min, value)
            self.max = value if not math.isfinite(self.max) else max(self.max, value)
        self.total += value
        self.count += 1

    def get(self, mode, goal):
        if mode == "best":
            mode = "max" if goal in ("max", "maximize") else "min"
        if mode == "mean":
            return self.total / self.count
        return getattr(self, "last" if mode == "copy" else mode)
