"""A Lightning logger: `Trainer(logger=VisdomLogger())` draws every logged metric.

    from visdom_client.integrations.lightning import VisdomLogger
    trainer = lightning.pytorch.Trainer(max_epochs=5, logger=VisdomLogger(name="mnist"))

Importing this module imports lightning (`pip install lightning`).
"""

import argparse
import datetime

from ._imports import require
from .tracker import RunWriter, env_name

require("lightning", "lightning", "lightning")
from lightning.pytorch.loggers.logger import Logger, rank_zero_experiment  # noqa: E402
from lightning.pytorch.utilities import rank_zero_only  # noqa: E402

# Lightning's finalize() statuses -> the experiment's.
STATUSES = {"success": "finished", "finished": "finished", "failed": "failed"}


class VisdomLogger(Logger):
    """Log a Lightning run into env `<name>_<version>` (or `env`).

    name: default "lightning_logs"; version: default the start time `YYYYmmdd_HHMMSS`.
    Each metric of `self.log(...)` is a line window, x = the trainer's global step; a
    validation metric goes on its training metric's window (`val_loss` with `train_loss`
    on window `loss`). `log_hyperparams` (save_hyperparameters) sets the experiment's params
    (nested dicts flattened with "/"); `finalize` sets its status. Only rank zero sends.
    `vis`: a Visdom client (default: non-blocking, address from VISDOM_URL, ...).
    """

    def __init__(self, name="lightning_logs", version=None, env=None, vis=None):
        super().__init__()
        self._name = name or "lightning_logs"
        self._version = version or datetime.datetime.now().strftime("%Y%m%d_%H%M%S")
        self._env = env or env_name(self._name, self._version)
        self._vis = vis
        self._writer = None

    @property
    def name(self):
        return self._name

    @property
    def version(self):
        return self._version

    @property
    def env(self):
        """The env the run is drawn in."""
        return self._env

    @property
    def save_dir(self):
        """None: nothing is written to disk (checkpoints go to the trainer's root dir)."""
        return None

    @property
    def log_dir(self):
        """The address of the run's env page (this logger writes no files)."""
        return self.experiment.page_url(self._env)

    @property
    @rank_zero_experiment
    def experiment(self):
        """The Visdom client drawing the run (rank zero only)."""
        return self._run().vis

    def _run(self):
        if self._writer is None:
            self._writer = RunWriter(self._env, vis=self._vis)
            self._writer.start(name=f"{self._name} {self._version}")
        return self._writer

    @rank_zero_only
    def log_hyperparams(self, params, *args, **kwargs):
        """Merge the hyperparameters (dict or Namespace) into the experiment's params."""
        if isinstance(params, argparse.Namespace):
            params = vars(params)
        self._run().log_params(dict(params or {}))

    @rank_zero_only
    def log_metrics(self, metrics, step=None):
        """Append each metric at `step` (the trainer's global step)."""
        writer = self._run()
        x = 0 if step is None else step
        writer.scalars(metrics, x, xlabel="step")

    @rank_zero_only
    def save(self):
        """Send the queued points."""
        if self._writer is not None:
            self._writer.close(shutdown=False)

    @rank_zero_only
    def finalize(self, status):
        """Send the final metrics and the status ("success" -> finished, "failed")."""
        if self._writer is None:
            return
        self._writer.finish(STATUSES.get(status, "finished"))
        self._writer.close(shutdown=False)


VisdomLightningLogger = VisdomLogger
