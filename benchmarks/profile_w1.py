"""Where the microseconds of one W1 step go: a breakdown by phase, and optionally cProfile.

The W1 step of ``tinygrad_scratch.py`` is split into its phases (gather the batch, forward,
backward, SGD update), and each phase is timed separately over all 300 steps of W1, repeated
``--repeats`` times (the minimum of the repeats is reported: the least disturbed by other
processes). The same phases are timed for torch and for hand-written NumPy.

    python benchmarks/profile_w1.py               # the phase table
    python benchmarks/profile_w1.py --cprofile    # plus tinygrad_lr's top functions by own time
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

import numpy as np
from common import WORKLOADS, import_tinygrad_lr, make_data

PHASES = ("gather batch", "forward + loss", "backward", "SGD update")


def phases_autograd(module, data, repeats: int) -> dict[str, float]:
    """µs per step of each phase of the from-scratch loop, for tinygrad_lr or torch."""
    wl = data.workload
    X, y, order = (module.from_numpy(a) for a in (data.X, data.y, data.order))
    best = dict.fromkeys(PHASES, float("inf"))
    for _ in range(repeats):
        w = module.from_numpy(data.w0.copy()).requires_grad_()
        b = module.from_numpy(data.b0.copy()).requires_grad_()
        totals = dict.fromkeys(PHASES, 0.0)
        clock = time.perf_counter
        for epoch in range(wl.epochs):
            for start in range(0, wl.samples, wl.batch_size):
                t0 = clock()
                indices = order[epoch, start : start + wl.batch_size]
                Xb, yb = X[indices], y[indices]
                t1 = clock()
                loss = ((Xb @ w + b - yb) ** 2).mean() / 2
                t2 = clock()
                loss.backward()
                t3 = clock()
                with module.no_grad():
                    for param in (w, b):
                        param -= wl.lr * param.grad
                        param.grad.zero_()
                t4 = clock()
                for phase, seconds in zip(PHASES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                    totals[phase] += seconds
        for phase in PHASES:
            best[phase] = min(best[phase], totals[phase] / wl.steps * 1e6)
    return best


def phases_numpy(data, repeats: int) -> dict[str, float]:
    """The same phases for hand-written NumPy (backward: the two analytic gradients)."""
    wl = data.workload
    X, y, order = data.X, data.y, data.order
    best = dict.fromkeys(PHASES, float("inf"))
    for _ in range(repeats):
        w, b = data.w0.copy(), data.b0.copy()
        totals = dict.fromkeys(PHASES, 0.0)
        clock = time.perf_counter
        for epoch in range(wl.epochs):
            for start in range(0, wl.samples, wl.batch_size):
                t0 = clock()
                indices = order[epoch, start : start + wl.batch_size]
                Xb, yb = X[indices], y[indices]
                t1 = clock()
                r = Xb @ w + b - yb
                _loss = 0.5 * np.mean(r * r)
                t2 = clock()
                m = len(r)
                grad_w, grad_b = Xb.T @ r / m, r.sum(axis=0) / m
                t3 = clock()
                w -= wl.lr * grad_w
                b -= wl.lr * grad_b
                t4 = clock()
                for phase, seconds in zip(PHASES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                    totals[phase] += seconds
        for phase in PHASES:
            best[phase] = min(best[phase], totals[phase] / wl.steps * 1e6)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--cprofile", action="store_true", help="also profile tinygrad_lr")
    args = parser.parse_args()
    data = make_data(WORKLOADS["W1"])
    tg = import_tinygrad_lr()
    columns = {"NumPy": phases_numpy(data, args.repeats)}
    columns["tinygrad_lr"] = phases_autograd(tg, data, args.repeats)
    try:
        import torch

        columns["torch"] = phases_autograd(torch, data, args.repeats)
    except ImportError:
        pass
    print(f"| phase (µs per step, best of {args.repeats}) | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for phase in (*PHASES, "total"):
        cells = [sum(c.values()) if phase == "total" else c[phase] for c in columns.values()]
        print(f"| {phase} | " + " | ".join(f"{cell:.1f}" for cell in cells) + " |")
    if args.cprofile:
        profiler = cProfile.Profile()
        profiler.enable()
        phases_autograd(tg, data, 1)
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
