"""The fit with the nn package: polynomial features, Linear, Flatten, MSELoss(reduction="sum")."""

import math

import torch


def main():
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)

    # y is a linear function of (x, x^2, x^3): prepare the tensor (x, x^2, x^3).
    p = torch.tensor([1, 2, 3])
    xx = x.unsqueeze(-1).pow(p)

    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    with torch.no_grad():  # fixed initial values where the tutorial keeps Linear's random ones
        model[0].weight.copy_(torch.tensor([[0.2, -0.1, 0.05]]))
        model[0].bias.fill_(0.1)

    loss_fn = torch.nn.MSELoss(reduction="sum")

    learning_rate = 1e-6
    losses = []
    for t in range(500):
        y_pred = model(xx)

        loss = loss_fn(y_pred, y)
        if t % 100 == 99:
            losses.append(loss.item())

        model.zero_grad()
        loss.backward()

        with torch.no_grad():
            for param in model.parameters():
                param -= learning_rate * param.grad

    linear_layer = model[0]
    print(
        f"Result: y = {linear_layer.bias.item()} + {linear_layer.weight[:, 0].item()} x + "
        f"{linear_layer.weight[:, 1].item()} x^2 + {linear_layer.weight[:, 2].item()} x^3"
    )
    return {
        "losses": losses,
        "coefficients": [linear_layer.bias.item(), *linear_layer.weight[0].tolist()],
    }
