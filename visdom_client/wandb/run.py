"""A wandb-style run: its config, its summary, `log` with wandb's step rules, `define_metric`.

What a key logged with `log` becomes (one window per key, window id from the key):
numbers (and tensors or numpy scalars) a line window appended at the run's step (or the
value of the key's `define_metric(step_metric=)`); an Image (or a list of them) a frame of
an image-history window; a Histogram (or an array of many numbers) a frame of a histogram
window; a Table a table window; an Html a text window; a string a line of a text window.
"""

import fnmatch
import logging
import math
import numbers
import os
import tempfile
import warnings

from ..errors import VisdomError
from ..integrations.tracker import as_number, flatten, window_id
from .media import Histogram, Html, Image, Table, text_line
from .state import Config, Stats, Summary

logger = logging.getLogger("visdom_client")

SUMMARY_MODES = ("min", "max", "mean", "last", "first", "best", "none", "copy")


class Run:
    """One run, drawn into env `env`; made by `wandb.init`, ended by `finish`."""

    def __init__(
        self, writer, *, project, name, run_id, group, tags, notes, start_step=0, directory=None
    ):
        self._writer = writer
        self._dir = directory
        self.project = project
        self.name = name
        self.id = run_id
        self.group = group
        self.tags = tuple(tags)
        self.notes = notes
        self.entity = None
        self.config = Config(self)
        self.summary = Summary()
        self._step = start_step
        self._last_at = None  # the step of the last log (the summary's step)
        self._metrics = []  # [(pattern, {"step_metric", "summary", "goal", "hidden"})]
        self._stats = {}
        self._texts = set()  # keys whose text window this run has created
        self._watched = []  # [(models, "gradients" | "parameters" | "all", log_freq)]
        self._commits = 0  # committed log calls (wandb.watch's clock)
        self._warned = set()
        self._finished = False
        self.on_finish = None  # called with the run once it has finished (wandb.run forgets it)
        self.url = writer.vis.page_url(writer.env) if hasattr(writer.vis, "page_url") else None

    @property
    def env(self):
        """The env this run draws into."""
        return self._writer.env

    @property
    def step(self):
        """The step the next `log` without `step=` goes to."""
        return self._step

    @property
    def dir(self):
        """A local folder for the run's files (`init(dir=)`, else a temporary one); nothing
        in it is sent to the server."""
        path = os.path.join(self._dir or tempfile.gettempdir(), "visdom-wandb", self.id)
        os.makedirs(path, exist_ok=True)
        return path

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        self.finish(exit_code=0 if exc_type is None else 1)
        return False

    def __repr__(self):
        return f"<Run {self.name} env={self.env!r} step={self._step}>"

    # -- define_metric -----------------------------------------------------------------------

    def define_metric(
        self,
        name,
        step_metric=None,
        step_sync=None,
        hidden=None,
        summary=None,
        goal=None,
        overwrite=None,
        **kwargs,
    ):
        """Set how metric `name` (a glob such as "val/*" allowed) is drawn and summarized:
        `step_metric` its x axis, `summary` "min", "max", "mean", "last", "first", "best"
        (with goal "minimize"/"maximize") or "none" (several joined by ","), `hidden`."""
        self._unknown("define_metric", kwargs)
        if not isinstance(name, str) or not name:
            raise TypeError(f"wandb.define_metric: name must be a non-empty string, got {name!r}")
        modes = None
        if summary is not None:
            modes = [m.strip() for m in str(summary).split(",") if m.strip()]
            bad = [m for m in modes if m not in SUMMARY_MODES]
            if bad:
                raise ValueError(
                    f"wandb.define_metric(summary={summary!r}): unknown {bad}; "
                    f"expected some of {SUMMARY_MODES}"
                )
        if goal is not None and goal not in ("min", "max", "minimize", "maximize"):
            raise ValueError(
                f"wandb.define_metric(goal={goal!r}): expected 'minimize' or 'maximize'"
            )
        rule = {"step_metric": step_metric, "summary": modes, "goal": goal, "hidden": hidden}
        self._metrics.insert(0, (name, rule))
        return rule

    def _rule(self, key):
        for pattern, rule in self._metrics:
            if pattern == key or ("*" in pattern and fnmatch.fnmatchcase(key, pattern)):
                return rule
        return {}

    # -- log ---------------------------------------------------------------------------------

    def log(self, data, step=None, commit=None, sync=None):
        """Log a dict of values (nested dicts flattened with "/") at the run's step.

        `step`: the step these values belong to (it never goes back; a smaller one is
        drawn where it says, with a warning). `commit=False` keeps the step open for more
        values; by default a `log` without `step` ends its step.
        """
        if self._finished:
            raise VisdomError("wandb.log: the run has finished; call wandb.init() for a new one")
        if not isinstance(data, dict):
            raise TypeError(f"wandb.log: expected a dict of values, got {type(data).__name__}")
        if step is not None:
            number = as_number(step)
            if number is None or not float(number).is_integer():
                raise TypeError(f"wandb.log(step={step!r}): expected an integer step")
            step = int(number)
            if step < self._step:
                self._warn_once(
                    "step",
                    f"wandb.log: step {step} is before the run's step {self._step}; "
                    "the values are drawn at the step given",
                )
            else:
                self._step = step
        at = self._step if step is None else step
        self._last_at = at
        items = self._checked(flatten(data))
        numbers_now = {k: v for k, (kind, v) in items.items() if kind == "number"}
        for key, (kind, value) in items.items():
            self._draw(key, kind, value, at, numbers_now)
        if commit or (commit is None and step is None):
            self._step = max(self._step, at) + 1
            if self._watched:
                self._draw_watched(at)

    def _checked(self, flat):
        """Return {key: (kind, value)} for every value, or raise naming the first bad one."""
        out = {}
        for key, value in flat.items():
            number = as_number(value)
            if number is not None and not isinstance(value, str):
                out[key] = ("number", number)
            elif isinstance(value, Image):
                out[key] = ("images", [value])
            elif (
                isinstance(value, (list, tuple))
                and value
                and all(isinstance(v, Image) for v in value)
            ):
                out[key] = ("images", list(value))
            elif isinstance(value, (Histogram, Table, Html)):
                out[key] = ("media", value)
            elif isinstance(value, str):
                out[key] = ("text", value)
            elif value is None:
                self._warn_once(f"none:{key}", f"wandb.log: {key!r} is None; nothing drawn for it")
            elif _is_array(value):
                out[key] = ("media", Histogram(value))
            else:
                raise TypeError(
                    f"wandb.log: cannot log {key!r} of type {type(value).__name__}; "
                    "visdom_client.wandb logs numbers, strings, arrays (as histograms), "
                    "wandb.Image, wandb.Histogram, wandb.Table and wandb.Html"
                )
        return out

    def _draw(self, key, kind, value, at, numbers_now):
        rule = self._rule(key)
        vis, env, win = self._writer.vis, self._writer.env, window_id(key)
        if kind == "number":
            stats = self._stats.get(key)
            if stats is None:
                self._stats[key] = Stats(value)
            else:
                stats.add(value)
            if rule.get("hidden"):
                return
            step_metric = rule.get("step_metric")
            x = at
            if step_metric:
                x = numbers_now.get(step_metric)
                if x is None and step_metric in self._stats:
                    x = self._stats[step_metric].last
                if x is None:
                    x = at
            self._writer.scalar(key, value, x, xlabel=step_metric or "step", window=key, trace=key)
        elif kind == "images":
            Image.draw_all(value, vis, env, win, key, at)
        elif kind == "text":
            # the first line creates the window (an append needs one to exist)
            append = key in self._texts
            self._texts.add(key)
            vis.text(text_line(value, at), win=win, env=env, opts={"title": key}, append=append)
        else:
            value.draw(vis, env, win, key, at)

    # -- summary and finish ------------------------------------------------------------------

    def _summary_values(self):
        """Return the summary as {name: number}: each metric's value(s) by its rule, then the
        keys set by hand ("loss.min" for a summary of "min" other than "last")."""
        out = {}
        for key, stats in self._stats.items():
            rule = self._rule(key)
            modes = rule.get("summary") or ["last"]
            if "none" in modes:
                continue
            if modes in (["last"], ["copy"]):
                value = stats.last
                dict.__setitem__(
                    self.summary, key, value
                ) if key not in self.summary.explicit else None
                out[key] = value
                continue
            values = {mode: stats.get(mode, rule.get("goal")) for mode in modes}
            if key not in self.summary.explicit:
                dict.__setitem__(self.summary, key, values)
            out.update({f"{key}.{mode}": v for mode, v in values.items()})
        for key in self.summary.explicit:
            value = self.summary[key]
            if isinstance(value, dict):
                out.update({f"{key}.{k}": v for k, v in flatten(value, sep=".").items()})
            else:
                out[key] = value
        return {
            k: n for k, v in out.items() if (n := as_number(v)) is not None and math.isfinite(n)
        }

    def finish(self, exit_code=None, quiet=None):
        """End the run: send the summary as final metrics and the status ("failed" when
        exit_code is not 0), then the points still queued."""
        if self._finished:
            return
        self._finished = True
        status = "finished" if not exit_code else "failed"
        try:
            self._writer.finish(status, summary=self._summary_values(), step=self._last_at)
        finally:
            self._writer.close()
        if self.on_finish is not None:
            self.on_finish(self)

    # -- calls of wandb's API this client does not have --------------------------------------

    def _unknown(self, call, kwargs):
        if kwargs:
            self._warn_once(
                f"{call}:{sorted(kwargs)}",
                f"wandb.{call}: ignoring arguments visdom_client.wandb does not use: "
                f"{', '.join(sorted(kwargs))}",
            )

    def _warn_once(self, what, message):
        if what not in self._warned:
            self._warned.add(what)
            warnings.warn(message, stacklevel=3)

    def watch(
        self, models=None, criterion=None, log="gradients", log_freq=1000, idx=None, log_graph=False
    ):
        """Draw histograms of a torch model's gradients and/or parameters every `log_freq`
        committed `log` calls: windows `gradients/<name>` and `parameters/<name>`.

        `models`: a torch.nn.Module or a list of them (anything with named_parameters());
        `log`: "gradients" (default), "parameters", "all" or None. torch is not imported.
        """
        if log not in ("gradients", "parameters", "all", None):
            raise ValueError(
                f"wandb.watch(log={log!r}): expected 'gradients', 'parameters', 'all' or None"
            )
        if isinstance(log_freq, bool) or not isinstance(log_freq, int) or log_freq < 1:
            raise ValueError(f"wandb.watch(log_freq={log_freq!r}): expected an int >= 1")
        models = list(models) if isinstance(models, (list, tuple)) else [models]
        for model in models:
            if not hasattr(model, "named_parameters"):
                raise TypeError(
                    "wandb.watch: expected a torch.nn.Module (with named_parameters()), got "
                    f"{type(model).__name__}"
                )
        if log_graph:
            self._warn_once("graph", "wandb.watch(log_graph=True): the graph is not drawn")
        if log is not None:
            self._watched.append((models, log, log_freq))

    def unwatch(self, models=None):
        """Stop drawing the histograms of `models` (of every watched model when None)."""
        if models is None:
            self._watched = []
            return
        gone = {id(m) for m in (models if isinstance(models, (list, tuple)) else [models])}
        self._watched = [
            (kept, log, freq)
            for kept, log, freq in (
                ([m for m in ms if id(m) not in gone], log, freq) for ms, log, freq in self._watched
            )
            if kept
        ]

    def _draw_watched(self, at):
        """After the n-th committed log: each watched model's histograms due at n."""
        self._commits += 1
        for models, log, freq in self._watched:
            if self._commits % freq:
                continue
            for n, model in enumerate(models):
                prefix = "" if len(models) == 1 else f"{n}/"
                for name, param in model.named_parameters():
                    wanted = [("parameters", param)] if log in ("parameters", "all") else []
                    grad = getattr(param, "grad", None)
                    if log in ("gradients", "all") and grad is not None:
                        wanted.append(("gradients", grad))
                    for kind, values in wanted:
                        key = f"{kind}/{prefix}{name}"
                        try:
                            histogram = Histogram(values)
                        except ValueError:  # all NaN or empty: nothing to bin
                            self._warn_once(
                                f"watch:{key}", f"wandb.watch: {key} has no finite value"
                            )
                            continue
                        histogram.draw(self._writer.vis, self._writer.env, window_id(key), key, at)

    def save(self, *args, **kwargs):
        raise NotImplementedError("wandb.save: visdom_client.wandb does not upload files")

    def log_artifact(self, *args, **kwargs):
        raise NotImplementedError("wandb.log_artifact: visdom_client.wandb has no artifacts")

    def use_artifact(self, *args, **kwargs):
        raise NotImplementedError("wandb.use_artifact: visdom_client.wandb has no artifacts")

    def alert(self, *args, **kwargs):
        raise NotImplementedError("wandb.alert: visdom_client.wandb does not send alerts")


def _is_array(value):
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        return True
    return (
        isinstance(value, (list, tuple))
        and bool(value)
        and all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in value)
    )
