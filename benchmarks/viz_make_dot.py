"""How long make_dot takes to turn a large graph into DOT text, and Graphviz to draw the capped one.

    python benchmarks/viz_make_dot.py               # 10,000 ops, 5 rounds
    python benchmarks/viz_make_dot.py --ops 100000 --rounds 3

The graph is a chain ``h = h * 1.0001 + d`` (two ops per step, a data tensor ``d`` used by every
``Add``, one parameter at the start), the shape of an unrolled loop. Timed: ``make_dot`` with
``max_nodes=None`` (every op) plus reading ``.source``, best of the rounds; then ``make_dot``
with the default cap, and the Graphviz program laying that out as SVG (when it is installed).
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import time

import tinygrad_lr as tg
from tinygrad_lr.viz import DEFAULT_MAX_NODES, make_dot


def chain(ops: int) -> tuple[tg.Tensor, dict[str, tg.Tensor]]:
    x = tg.ones(3, requires_grad=True)
    d = tg.ones(3)
    h = x
    for _ in range(ops // 2):
        h = h * 1.0001 + d
    return h.sum(), {"x": x, "d": d}


def best_of(rounds: int, work) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=10_000, help="ops in the graph (default 10000)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds (default 5)")
    args = parser.parse_args(argv)
    loss, params = chain(args.ops)
    every = best_of(args.rounds, lambda: make_dot(loss, params, max_nodes=None).source)
    capped = make_dot(loss, params)
    result = {
        "ops": args.ops + 1,
        "make_dot_all_ops_s": round(every, 4),
        "make_dot_default_cap_s": round(best_of(args.rounds, lambda: make_dot(loss, params)), 4),
        "default_max_nodes": DEFAULT_MAX_NODES,
    }
    if shutil.which("dot"):
        start = time.perf_counter()
        subprocess.run(["dot", "-Tsvg"], input=capped.source.encode(), capture_output=True)
        result["graphviz_svg_of_capped_s"] = round(time.perf_counter() - start, 3)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
