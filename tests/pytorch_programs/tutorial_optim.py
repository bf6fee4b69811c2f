"""The fit with an optimizer from torch.optim: RMSprop."""

import math

import torch


def main():
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)

    p = torch.tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)

    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[0.2, -0.1, 0.05]]))
        model[0].bias.fill_(0.1)
    loss_fn = torch.nn.MSELoss(reduction="sum")

    learning_rate = 1e-3
    optimizer = torch.optim.RMSprop(model.parameters(), lr=learning_rate)
    losses = []
    for t in range(500):
        y_pred = model(xx)

        loss = loss_fn(y_pred, y)
        if t % 100 == 99:
            losses.append(loss.item())

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    linear_layer = model[0]
    return {
        "losses": losses,
        "coefficients": [linear_layer.bias.item(), *linear_layer.weight[0].tolist()],
    }
