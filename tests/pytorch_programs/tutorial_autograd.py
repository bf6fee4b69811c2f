"""The polynomial fit with autograd computing the gradients."""

import math

import torch


def main():
    dtype = torch.float
    device = (
        torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
    )
    torch.set_default_device(device)

    x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
    y = torch.sin(x)

    a = torch.tensor(0.3, dtype=dtype, requires_grad=True)
    b = torch.tensor(-0.2, dtype=dtype, requires_grad=True)
    c = torch.tensor(0.1, dtype=dtype, requires_grad=True)
    d = torch.tensor(0.05, dtype=dtype, requires_grad=True)

    learning_rate = 1e-6
    losses = []
    for t in range(500):
        y_pred = a + b * x + c * x**2 + d * x**3

        loss = (y_pred - y).pow(2).sum()
        if t % 100 == 99:
            losses.append(loss.item())

        loss.backward()

        with torch.no_grad():
            a -= learning_rate * a.grad
            b -= learning_rate * b.grad
            c -= learning_rate * c.grad
            d -= learning_rate * d.grad

            # Manually zero the gradients after updating weights
            a.grad = None
            b.grad = None
            c.grad = None
            d.grad = None

    print(f"Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3")
    return {"losses": losses, "coefficients": [a.item(), b.item(), c.item(), d.item()]}
