"""Train a small torch model with the wandb-style API and wandb.watch (project from argv)."""

import sys

import torch

import visdom_client.wandb as wandb

torch.manual_seed(0)
model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(64, 4)
y = x.sum(dim=1, keepdim=True)
with wandb.init(project=sys.argv[1], name="watch", config={"lr": 0.1}) as run:
    wandb.watch(model, log="all", log_freq=2)
    for _ in range(6):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        wandb.log({"loss": loss})  # a 0-d tensor
print("RUN", run.env)
