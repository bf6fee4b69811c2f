"""Learning-rate schedules in a training loop: OneCycleLR with SGD and momentum, then
ReduceLROnPlateau on a validation loss; polynomial features by broadcasting powers."""

import math

import torch
import torch.nn as nn


def main():
    x = torch.linspace(-1, 1, 400)
    y = torch.sin(math.pi * x) + 0.1 * torch.cos(13 * x)
    features = x.unsqueeze(-1) ** torch.arange(1, 4)
    train, val = slice(0, 400, 2), slice(1, 400, 2)

    model = nn.Linear(3, 1)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[0.5, 0.0, -0.5]]))
        model.bias.fill_(0.0)
    criterion = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    steps = 60
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.5, total_steps=steps)
    lrs = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = criterion(model(features[train]).squeeze(-1), y[train])
        loss.backward()
        optimizer.step()
        scheduler.step()
        lrs.append(scheduler.get_last_lr()[0])

    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=2)
    val_losses = []
    for _ in range(40):
        optimizer.zero_grad()
        loss = criterion(model(features[train]).squeeze(-1), y[train])
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            val_loss = criterion(model(features[val]).squeeze(-1), y[val])
        plateau.step(val_loss)
        val_losses.append(val_loss.item())

    return {
        "one_cycle_lrs": lrs[::5],
        "val_losses": val_losses[::5],
        "final_lr": optimizer.param_groups[0]["lr"],
        "weights": model.weight.flatten().tolist(),
        "bias": model.bias.item(),
    }
