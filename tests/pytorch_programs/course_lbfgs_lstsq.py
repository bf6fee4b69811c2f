"""Linear regression solved three ways: torch.linalg.lstsq, the normal equations with
torch.linalg.solve, and L-BFGS with a closure."""

import torch


def main():
    t = torch.linspace(-1, 1, 100, dtype=torch.float64)
    X = torch.stack([torch.ones_like(t), t, t**2, torch.sin(3 * t)], dim=1)
    y = (X @ torch.tensor([1.0, -2.0, 0.5, 0.25], dtype=torch.float64)).unsqueeze(1)
    y = y + 0.01 * torch.cos(11 * t).unsqueeze(1)

    solution = torch.linalg.lstsq(X, y).solution
    normal = torch.linalg.solve(X.T @ X, X.T @ y)
    inverse = torch.linalg.inv(X.T @ X) @ X.T @ y
    condition = torch.linalg.svdvals(X)

    w = torch.zeros(4, 1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([w], lr=1, max_iter=50, line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = ((X @ w - y) ** 2).mean()
        loss.backward()
        return loss

    for _ in range(3):
        loss = optimizer.step(closure)

    return {
        "lstsq": solution.flatten().tolist(),
        "solve": normal.flatten().tolist(),
        "inv": inverse.flatten().tolist(),
        "lbfgs": w.detach().flatten().tolist(),
        "loss": loss.item(),
        "singular_values": condition.tolist(),
        "det": torch.linalg.det(X.T @ X).item(),
    }
