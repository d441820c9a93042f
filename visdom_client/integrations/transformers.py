"""A Hugging Face transformers callback: `Trainer(callbacks=[VisdomCallback()])`.

    from visdom_client.integrations.transformers import VisdomCallback
    trainer = Trainer(model=model, args=args, train_dataset=ds, callbacks=[VisdomCallback()])

Importing this module imports transformers (`pip install transformers`).
"""

from ._imports import require
from .tracker import RunWriter, param_value, timestamped

transformers = require("transformers", "transformers", "transformers")

# TrainingArguments worth keeping as params (the others are paths, devices and flags).
ARGS = (
    "learning_rate",
    "num_train_epochs",
    "max_steps",
    "per_device_train_batch_size",
    "per_device_eval_batch_size",
    "gradient_accumulation_steps",
    "weight_decay",
    "warmup_steps",
    "warmup_ratio",
    "lr_scheduler_type",
    "optim",
    "seed",
    "max_grad_norm",
    "adam_beta1",
    "adam_beta2",
    "adam_epsilon",
)


class VisdomCallback(transformers.TrainerCallback):
    """Draw a Trainer run into env `env` (default `transformers_<YYYYmmdd_HHMMSS>`).

    Every value the Trainer logs is a line window, x = the global step; evaluation metrics
    go on the training metric's window (`eval_loss` with `loss`). The training arguments
    and the model's config are the experiment's params; the run is finished at the end of
    training with the last value of each metric. Only the main process sends.
    `vis`: a Visdom client (default: non-blocking, address from VISDOM_URL, ...).
    """

    def __init__(self, env=None, vis=None, name=None, params=None):
        self.env = env or timestamped("transformers")
        self.run_name = name
        self.extra_params = dict(params or {})
        self._vis = vis
        self.writer = None
        self._sent = set()  # (step, metric) already drawn, so on_evaluate adds only the rest

    def _run(self):
        if self.writer is None:
            self.writer = RunWriter(self.env, vis=self._vis)
        return self.writer

    def on_train_begin(self, args, state, control, model=None, **kwargs):
        if not state.is_world_process_zero:
            return
        params = {f"args/{key}": getattr(args, key) for key in ARGS if hasattr(args, key)}
        config = getattr(model, "config", None)
        if config is not None:
            for key, value in config.to_dict().items():
                value = param_value(value)
                if isinstance(value, (int, float, str, bool)) and len(str(value)) <= 200:
                    params[f"model/{key}"] = value
        if model is not None:
            params["model/parameters"] = sum(p.numel() for p in model.parameters())
        params.update(self.extra_params)
        self._run().start(name=self.run_name or args.run_name, params=params)

    def _draw(self, state, metrics):
        step = state.global_step
        fresh = {k: v for k, v in (metrics or {}).items() if (step, k) not in self._sent}
        drawn = self._run().scalars(fresh, step, xlabel="step")
        self._sent.update((step, k) for k in drawn)

    def on_log(self, args, state, control, logs=None, **kwargs):
        if state.is_world_process_zero:
            self._draw(state, logs)

    def on_evaluate(self, args, state, control, metrics=None, **kwargs):
        if state.is_world_process_zero:
            self._draw(state, metrics)

    def on_train_end(self, args, state, control, **kwargs):
        if state.is_world_process_zero and self.writer is not None:
            self.writer.finish("finished", step=state.global_step)
            self.writer.close(shutdown=False)


VisdomTrainerCallback = VisdomCallback
