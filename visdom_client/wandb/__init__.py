"""A wandb-style API over visdom_client: `import visdom_client.wandb as wandb`.

    run = wandb.init(project="mnist", name="baseline", config={"lr": 0.01})
    for step in range(100):
        wandb.log({"loss": loss, "acc": acc})
    wandb.finish()

A run is the env `<project>_<name>` (docs/client.md "A wandb-style API"): one window per
logged key and the env's experiment record (config -> params; tags, group, project and
run id -> tags; notes -> description; status running, then finished or failed). It talks
only to the visdom server, found from VISDOM_URL / VISDOM_SERVER / VISDOM_PORT /
VISDOM_BASE_URL (visdom_client.names.server_address), and sends from a background thread.
"""

import datetime
import logging
import os
import secrets
import warnings

from ..client import Visdom
from ..errors import VisdomError
from ..integrations.tracker import RunWriter, env_name
from .media import Histogram, Html, Image, Table
from .run import Run
from .state import Config, Summary

logger = logging.getLogger("visdom_client")

__all__ = [
    "Config",
    "Histogram",
    "Html",
    "Image",
    "Run",
    "Summary",
    "Table",
    "config",
    "define_metric",
    "finish",
    "init",
    "log",
    "login",
    "run",
    "summary",
    "watch",
]

RESUME_MODES = (None, False, True, "allow", "must", "never", "auto")
MODES = ("online", "offline", "disabled", "shared")


class _NotStarted:
    """What wandb.config and wandb.summary are before wandb.init(): any use says so."""

    def __init__(self, name):
        object.__setattr__(self, "_name", name)

    def _fail(self, *args, **kwargs):
        raise VisdomError(f"{self._name}: call wandb.init() first")

    __getattr__ = __getitem__ = __setitem__ = __setattr__ = __iter__ = __contains__ = _fail

    def __repr__(self):
        return f"<{self._name} before wandb.init()>"


run = None
config = _NotStarted("wandb.config")
summary = _NotStarted("wandb.summary")


def login(*args, **kwargs):
    """Do nothing and return True: the visdom server needs no W&B account (a token for the
    server goes to Visdom(token=...))."""
    return True


def init(
    project=None,
    name=None,
    config=None,  # noqa: A002 - wandb's name
    tags=None,
    notes=None,
    group=None,
    id=None,  # noqa: A002 - wandb's name
    resume=None,
    dir=None,  # noqa: A002 - wandb's name
    mode=None,
    reinit=None,
    system_metrics=False,
    **kwargs,
):
    """Start a run and return it (also as wandb.run; wandb.config and wandb.summary are its own).

    The env is `<project>_<name>`; without a name, `<project>_<id>` when an id is given,
    else `<project>_run-<YYYYmmdd_HHMMSS>`. An env that already exists is continued with
    `resume` "allow", "auto", "must" or True (at the step after its last point); with
    "never" it is an error, and without `resume` the run takes the next free name
    `<env>_2`, `<env>_3`, ... . `mode`: "online" (default), "offline" (requests written
    to `<dir or .>/visdom-offline/<env>.log`, replay with Visdom.replay_log), "disabled"
    (nothing sent). `system_metrics=True` (online) samples CPU, memory, disk, network and
    GPU figures every 2 s into the run's `system/` windows until the run finishes (W&B
    does this by default). Other wandb arguments are accepted with a warning.
    """
    global run
    unknown = sorted(k for k in kwargs if kwargs[k] is not None)
    if unknown:
        warnings.warn(
            "wandb.init: ignoring arguments visdom_client.wandb does not use: "
            + ", ".join(unknown),
            stacklevel=2,
        )
    if resume not in RESUME_MODES:
        raise ValueError(f"wandb.init(resume={resume!r}): expected one of {RESUME_MODES}")
    mode = mode or os.environ.get("WANDB_MODE") or "online"
    if mode not in MODES:
        raise ValueError(f"wandb.init(mode={mode!r}): expected one of {MODES}")
    if tags is not None and (isinstance(tags, str) or not all(isinstance(t, str) for t in tags)):
        raise TypeError(f"wandb.init(tags=...): expected a list of strings, got {tags!r}")
    if run is not None:
        if reinit == "return_previous":
            return run
        run.finish()
    project = project or os.environ.get("WANDB_PROJECT") or "uncategorized"
    run_id = str(id or os.environ.get("WANDB_RUN_ID") or secrets.token_hex(4))
    if name is None:
        name = os.environ.get("WANDB_NAME") or (
            str(id) if id else "run-" + datetime.datetime.now().strftime("%Y%m%d_%H%M%S")
        )
    env = env_name(project, name)
    vis = _client(env, mode, dir)
    continuing = resume not in (None, False, "never")
    start_step = 0
    if mode == "online":
        env, start_step = _claim_env(vis, env, resume)
    if system_metrics and mode == "online":
        vis.system_metrics(env=env)
    writer = RunWriter(env, vis=vis, own_client=True)
    new = Run(
        writer,
        project=project,
        name=name,
        run_id=run_id,
        group=group,
        tags=tags or (),
        notes=notes,
        start_step=start_step,
        directory=dir,
    )
    if config is not None:
        new.config._items.update(vars(config) if hasattr(config, "__dict__") else dict(config))
    record_tags = {t: "" for t in tags or ()}
    record_tags.update({"project": project, "run_id": run_id})
    if group is not None:
        record_tags["group"] = str(group)
    record = writer.start(
        name=name,
        params=new.config.as_dict() or None,
        tags=record_tags,
        description=notes,
    )
    if continuing and start_step and record is False:
        # the server answered a moment ago (_claim_env): it refused the record, which a
        # finished or failed run does (it takes no more writes)
        warnings.warn(
            f"wandb.init: env {env!r} holds a finished run; its windows go on, its record "
            "keeps its status",
            stacklevel=2,
        )
    _activate(new)
    return new


def _client(env, mode, directory):
    """Return the run's Visdom client: non-blocking, never raising into the training loop."""
    if mode == "disabled":
        return Visdom(env=env, send=False, use_incoming_socket=False)
    if mode == "offline":
        folder = os.path.join(directory or ".", "visdom-offline")
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, env + ".log")
        return Visdom(env=env, offline=True, log_to_filename=path, use_incoming_socket=False)
    return Visdom(env=env, nonblocking=True, raise_exceptions=False, use_incoming_socket=False)


def _claim_env(vis, env, resume):
    """Return (the env this run uses, its first step) given what the server holds."""
    state = vis.get_env_state(env)
    exists = bool(state)
    if resume == "must" and not exists:
        raise VisdomError(f"wandb.init(resume='must'): there is no run in env {env!r} to resume")
    if resume == "never" and exists:
        raise VisdomError(f"wandb.init(resume='never'): env {env!r} already holds a run")
    if not exists:
        return env, 0
    if resume in ("allow", "must", "auto", True):
        return env, _next_step(state)
    base = env
    for n in range(2, 10_000):
        env = f"{base}_{n}"
        if not vis.get_env_state(env):
            warnings.warn(
                f"wandb.init: env {base!r} holds a run; this one is {env!r}", stacklevel=3
            )
            return env, 0
    raise VisdomError(f"wandb.init: no free env name after {base!r}_9999")


def _next_step(state):
    """Return 1 + the largest x of the line windows of an env's window map (0 if none)."""
    last = -1
    for window in state.values():
        content = window.get("content") if isinstance(window, dict) else None
        if window.get("type") != "plot" or not isinstance(content, dict):
            continue
        for trace in content.get("data") or []:
            xs = [x for x in trace.get("x") or [] if isinstance(x, (int, float))]
            if xs:
                last = max(last, int(max(xs)))
    return last + 1


def _activate(new):
    global run, config, summary
    run, config, summary = new, new.config, new.summary
    new.on_finish = _forget


def _forget(finished):
    """Stop the module-level names pointing at a run that has finished."""
    global run, config, summary
    if run is finished:
        run = None
        config = _NotStarted("wandb.config")
        summary = _NotStarted("wandb.summary")


def _active(call):
    if run is None:
        raise VisdomError(f"wandb.{call}: call wandb.init() first")
    return run


def log(data, step=None, commit=None, sync=None):
    """Log a dict of values to the active run (see Run.log)."""
    return _active("log").log(data, step=step, commit=commit)


def define_metric(
    name, step_metric=None, step_sync=None, hidden=None, summary=None, goal=None, **kwargs
):  # noqa: A002
    """Set a metric's x axis and summary on the active run (see Run.define_metric)."""
    return _active("define_metric").define_metric(
        name,
        step_metric=step_metric,
        step_sync=step_sync,
        hidden=hidden,
        summary=summary,
        goal=goal,
        **kwargs,
    )


def finish(exit_code=None, quiet=None):
    """Finish the active run (nothing to do without one)."""
    if run is not None:
        run.finish(exit_code=exit_code)


def watch(models=None, criterion=None, log="gradients", log_freq=1000, idx=None, log_graph=False):  # noqa: A002
    """Draw a torch model's gradient/parameter histograms on the active run (see Run.watch)."""
    return _active("watch").watch(models, criterion, log, log_freq, idx, log_graph)


def unwatch(models=None):
    """Stop wandb.watch for `models` (every model when None)."""
    if run is not None:
        run.unwatch(models)


def _unsupported(name):
    def call(*args, **kwargs):
        raise NotImplementedError(
            f"wandb.{name}: not supported by visdom_client.wandb (it has init, log, config, "
            "summary, define_metric, finish, Image, Histogram, Table and Html)"
        )

    call.__name__ = name
    return call


_UNSUPPORTED = (
    "save",
    "log_artifact",
    "use_artifact",
    "Artifact",
    "Video",
    "Audio",
    "Object3D",
    "Molecule",
    "Plotly",
    "plot",
    "sweep",
    "agent",
    "alert",
    "Api",
    "restore",
    "log_model",
    "use_model",
    "link_model",
    "mark_preempting",
)


def __getattr__(name):
    if name in _UNSUPPORTED:
        return _unsupported(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
