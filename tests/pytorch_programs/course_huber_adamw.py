"""A regression course's next steps: standardised features, a DataLoader, AdamW with a step
schedule, the Huber loss against outliers, gradient clipping, evaluation under no_grad."""

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def make_data(n=200):
    t = torch.linspace(0, 1, n, dtype=torch.float64)
    X = torch.stack([100 * t, torch.cos(7 * t), torch.exp(t)], dim=1)
    y = X @ torch.tensor([0.03, -2.0, 1.5], dtype=torch.float64) + 0.5
    y = y + 0.05 * torch.sin(37 * t)
    y[::25] += 4.0  # outliers
    return X, y.unsqueeze(1)


def main():
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    X, y = make_data()
    X, y = X.to(device), y.to(device)
    mean, std = X.mean(dim=0, keepdim=True), X.std(dim=0, keepdim=True)
    Xs = (X - mean) / std

    loader = DataLoader(TensorDataset(Xs, y), batch_size=20, shuffle=False)
    model = nn.Sequential(nn.Linear(3, 1)).double().to(device)
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[0.1, 0.2, -0.1]]))
        model[0].bias.zero_()

    loss_fn = nn.HuberLoss(delta=1.0)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.05, weight_decay=1e-3)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)
    norms, lrs = [], []
    for _ in range(30):
        model.train()
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            norms.append(float(nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)))
            optimizer.step()
        scheduler.step()
        lrs.append(scheduler.get_last_lr()[0])

    model.eval()
    with torch.no_grad():
        residuals = model(Xs) - y
        mse = nn.functional.mse_loss(model(Xs), y).item()
        worst = residuals.abs().max().item()
        inliers = torch.where(residuals.abs() < 1.0, residuals, torch.zeros_like(residuals))
        clipped = residuals.clamp(-1.0, 1.0)

    return {
        "weights": model[0].weight.flatten().tolist(),
        "bias": model[0].bias.item(),
        "mse": mse,
        "worst": worst,
        "inlier_sum": inliers.sum().item(),
        "clipped_sum": clipped.sum().item(),
        "norms": norms[::15],
        "lrs": lrs,
        "max_index": residuals.flatten().argmax().item(),
        "std": std.flatten().tolist(),
    }
