"""Train a tiny LightningModule for real with VisdomLogger (name, version from argv)."""

import sys

import lightning
import torch
from torch.utils.data import DataLoader, TensorDataset

from visdom_client.integrations.lightning import VisdomLogger


class Tiny(lightning.pytorch.LightningModule):
    def __init__(self, lr=0.05, hidden=8):
        super().__init__()
        self.save_hyperparameters()
        self.net = torch.nn.Sequential(
            torch.nn.Linear(4, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 1)
        )

    def training_step(self, batch, _):
        x, y = batch
        loss = torch.nn.functional.mse_loss(self.net(x), y)
        self.log("train_loss", loss, on_step=True, on_epoch=False)
        return loss

    def validation_step(self, batch, _):
        x, y = batch
        self.log("val_loss", torch.nn.functional.mse_loss(self.net(x), y))

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=self.hparams.lr)


torch.manual_seed(0)
x = torch.randn(128, 4)
y = x.sum(dim=1, keepdim=True)
train = DataLoader(TensorDataset(x[:96], y[:96]), batch_size=16)
val = DataLoader(TensorDataset(x[96:], y[96:]), batch_size=16)
logger = VisdomLogger(name=sys.argv[1], version=sys.argv[2])
trainer = lightning.pytorch.Trainer(
    max_epochs=3,
    logger=logger,
    log_every_n_steps=2,
    enable_checkpointing=False,
    enable_progress_bar=False,
    enable_model_summary=False,
    accelerator="cpu",
    devices=1,
)
trainer.fit(Tiny(), train, val)
print("ENV", logger.env, "STEPS", trainer.global_step)
