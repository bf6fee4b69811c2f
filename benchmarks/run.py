"""Run every benchmark script, interleaved, each run in a fresh process; print one table.

    python benchmarks/run.py                 # 5 rounds of W1, W2, W3: about 8 minutes
    python benchmarks/run.py --repeats 9 --workload W1
    python benchmarks/run.py --quick         # small sizes, one round: a smoke test

A round runs each workload once with every implementation, in an order that rotates from round
to round, so that a slow spell of a shared machine hits all implementations alike. The table
shows medians over the rounds, the spread ((max − min) / median of µs per step), and ratios
computed within this one run: to hand-written NumPy, to torch on the same path (from scratch or
builtins), and, for the builtins, to the same framework from scratch.

A full run starts the scripts with ``OPENBLAS_CORETYPE`` and ``OPENBLAS_L2_SIZE`` removed from
their environment, so that OpenBLAS picks its kernel for this CPU as it does for a user; the
table's header names the kernel that ran. ``--quick`` (what the tests run) leaves the environment
as it is.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# name: (script, path, framework); numpy is the reference of both paths.
IMPLEMENTATIONS = {
    "numpy": ("numpy_analytic.py", "scratch", "numpy"),
    "bare autograd": ("bare_autograd.py", "scratch", "bare"),
    "tinygrad_lr scratch": ("tinygrad_scratch.py", "scratch", "tinygrad_lr"),
    "torch scratch": ("torch_scratch.py", "scratch", "torch"),
    "tinygrad_lr builtins": ("tinygrad_builtins.py", "builtins", "tinygrad_lr"),
    "torch builtins": ("torch_builtins.py", "builtins", "torch"),
    "tinygrad_lr compiled scratch": (
        "tinygrad_compiled_scratch.py",
        "scratch",
        "tinygrad_lr compiled",
    ),
    "tinygrad_lr compiled builtins": (
        "tinygrad_compiled_builtins.py",
        "builtins",
        "tinygrad_lr compiled",
    ),
}
WORKLOAD_NAMES = ("W1", "W2", "W3")
REMOVED_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def benchmark_environment(quick: bool) -> dict[str, str]:
    """The scripts' environment: tinygrad_lr from this tree; for a full run, OpenBLAS chooses
    its own kernel."""
    removed = () if quick else REMOVED_VARIABLES
    env = {k: v for k, v in os.environ.items() if k not in removed}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [ROOT, env.get("PYTHONPATH")]))
    return env


def run_script(name: str, workloads: list[str], quick: bool, timeout: float) -> list[dict]:
    """Run one implementation's script in a new process; return its JSON records."""
    script = os.path.join(HERE, IMPLEMENTATIONS[name][0])
    command = [sys.executable, script, "--workload", *workloads] + (["--quick"] if quick else [])
    completed = subprocess.run(
        command,
        env=benchmark_environment(quick),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if completed.returncode != 0:
        raise RuntimeError(
            f"{name} failed on {' '.join(workloads)} (exit {completed.returncode}):\n"
            f"{completed.stderr.strip()[-3000:]}"
        )
    records = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]
    for record in records:
        record["implementation"] = name
    return records


def machine_description(quick: bool) -> dict[str, str]:
    """CPU, cores, versions and the BLAS that NumPy uses under the benchmark environment."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            cpu = next(line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line)
    except (OSError, StopIteration):
        pass
    probe = (
        "import json, numpy\n"
        "info = {'numpy': numpy.__version__}\n"
        "try:\n"
        "    import torch\n"
        "    info['torch'] = f'{torch.__version__} ({torch.get_num_threads()} threads)'\n"
        "except ImportError:\n"
        "    info['torch'] = 'not installed'\n"
        "try:\n"
        "    from threadpoolctl import threadpool_info\n"
        "    blas = [p for p in threadpool_info() if p['user_api'] == 'blas']\n"
        "    info['blas'] = '; '.join(\n"
        "        f\"{p['internal_api']} {p['version']}, kernel {p.get('architecture')}, \"\n"
        "        f\"{p['num_threads']} threads\" for p in blas)\n"
        "except ImportError:\n"
        "    try:\n"
        "        config = numpy.show_config(mode='dicts')['Build Dependencies']['blas']\n"
        "        info['blas'] = f\"{config['name']} {config['version']} (kernel: pip install \"\n"
        "        info['blas'] += 'threadpoolctl to see it)'\n"
        "    except Exception:  # NumPy before 1.25 has no mode='dicts'\n"
        "        info['blas'] = 'unknown (pip install threadpoolctl to see it)'\n"
        "print(json.dumps(info))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe],
        env=benchmark_environment(quick),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    info = json.loads(output)
    removed = [name for name in REMOVED_VARIABLES if name in os.environ and not quick]
    return {
        "cpu": f"{cpu}, {os.cpu_count()} logical cores",
        "python": platform.python_version(),
        **info,
        "removed from the environment": ", ".join(removed) or "nothing (neither was set)",
    }


def summarize(records: list[dict]) -> dict[tuple[str, str], dict]:
    """Medians per (workload, implementation) over the rounds."""
    grouped: dict[tuple[str, str], list[dict]] = {}
    for record in records:
        grouped.setdefault((record["workload"], record["implementation"]), []).append(record)
    summary = {}
    for key, runs in grouped.items():
        times = [run["us_per_step"] for run in runs]
        median = statistics.median(times)
        summary[key] = {
            "runs": len(runs),
            "us_per_step": median,
            "spread": (max(times) - min(times)) / median if median else 0.0,
            "peak_mb": statistics.median(run["peak_mb"] for run in runs),
            "final_loss": statistics.median(run["final_loss"] for run in runs),
            "param_error": statistics.median(run["param_error"] for run in runs),
        }
    return summary


def _ratio(a: dict | None, b: dict | None, field: str = "us_per_step") -> float | None:
    if a is None or b is None or not b[field]:
        return None
    return a[field] / b[field]


def _memory_ratio(row: dict, numpy_row: dict | None) -> float | None:
    """Peak memory relative to NumPy's, where NumPy's is large enough to compare (1 MB)."""
    if numpy_row is None or numpy_row["peak_mb"] < 1.0:
        return None
    return row["peak_mb"] / numpy_row["peak_mb"]


def quick_table(summary: dict[tuple[str, str], dict]) -> str:
    """What a quick run shows: that everything ran, and agrees. Its sizes are too small for
    timings, spreads or peak memory to mean anything, so it shows none."""
    lines = [
        "| workload | implementation | final loss | × NumPy's loss | param error |",
        "|---|---|---|---|---|",
    ]
    for workload in WORKLOAD_NAMES:
        numpy_row = summary.get((workload, "numpy"))
        for name in IMPLEMENTATIONS:
            row = summary.get((workload, name))
            if row is None:
                continue
            ratio = _ratio(row, numpy_row, "final_loss")
            shown = "–" if ratio is None else f"{ratio:.4f}"
            lines.append(
                f"| {workload} | {name} | {row['final_loss']:.4e} | {shown} "
                f"| {row['param_error']:.2e} |"
            )
    return "\n".join(lines)


def table(summary: dict[tuple[str, str], dict]) -> str:
    """The results as a Markdown table."""
    header = (
        "| workload | implementation | µs/step | spread | × NumPy | × torch | × scratch "
        "| peak MB | mem × NumPy | final loss | param error |"
    )
    lines = [header, "|" + "|".join(["---"] * 11) + "|"]

    def fmt(value: float | None, spec: str = ".2f", suffix: str = "×") -> str:
        return "–" if value is None else f"{value:{spec}}{suffix}"

    for workload in WORKLOAD_NAMES:
        numpy_row = summary.get((workload, "numpy"))
        for name, (_, path, framework) in IMPLEMENTATIONS.items():
            row = summary.get((workload, name))
            if row is None:
                continue
            torch_row = summary.get((workload, f"torch {path}"))
            scratch_row = summary.get((workload, f"{framework} scratch"))
            lines.append(
                f"| {workload} | {name} | {row['us_per_step']:,.1f} | {row['spread']:.0%} "
                f"| {fmt(_ratio(row, numpy_row))} "
                f"| {fmt(None if framework == 'torch' else _ratio(row, torch_row))} "
                f"| {fmt(_ratio(row, scratch_row) if path == 'builtins' else None)} "
                f"| {row['peak_mb']:.1f} | {fmt(_memory_ratio(row, numpy_row))} "
                f"| {row['final_loss']:.4e} | {row['param_error']:.2e} |"
            )
    return "\n".join(lines)


# (description, workload, implementation, reference, field, limit)
TARGETS = [
    ("W1 scratch ≤ 0.5× torch scratch", "W1", "tinygrad_lr scratch", "torch scratch", 0.5),
    ("W1 scratch ≤ 3× NumPy", "W1", "tinygrad_lr scratch", "numpy", 3.0),
    ("W2 scratch ≤ 1.5× NumPy", "W2", "tinygrad_lr scratch", "numpy", 1.5),
    ("W3 scratch ≤ 1.15× NumPy (time)", "W3", "tinygrad_lr scratch", "numpy", 1.15),
    ("W3 scratch ≤ 1.25× NumPy (peak memory)", "W3", "tinygrad_lr scratch", "numpy", 1.25),
    ("W1 builtins ≤ 1.5× scratch", "W1", "tinygrad_lr builtins", "tinygrad_lr scratch", 1.5),
    ("W2 builtins ≤ 1.5× scratch", "W2", "tinygrad_lr builtins", "tinygrad_lr scratch", 1.5),
    ("W3 builtins ≤ 1.10× scratch", "W3", "tinygrad_lr builtins", "tinygrad_lr scratch", 1.10),
    ("W1 compiled scratch ≤ 2.5× NumPy", "W1", "tinygrad_lr compiled scratch", "numpy", 2.5),
    ("W2 compiled builtins ≤ 1.3× NumPy", "W2", "tinygrad_lr compiled builtins", "numpy", 1.3),
    (
        "W3 compiled scratch ≤ 1.05× NumPy (time)",
        "W3",
        "tinygrad_lr compiled scratch",
        "numpy",
        1.05,
    ),
]


def targets(summary: dict[tuple[str, str], dict]) -> str:
    """One line per target of the performance issue: the ratio measured and whether it is met."""
    lines = []
    for description, workload, name, reference, limit in TARGETS:
        field = "peak_mb" if "memory" in description else "us_per_step"
        ratio = _ratio(summary.get((workload, name)), summary.get((workload, reference)), field)
        if ratio is None:
            lines.append(f"- {description}: not measured")
        else:
            verdict = "met" if ratio <= limit else "NOT met"
            lines.append(f"- {description}: {ratio:.2f}× — {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--workload", nargs="+", default=list(WORKLOAD_NAMES))
    parser.add_argument("--impl", nargs="+", default=None, help="implementations (default all)")
    parser.add_argument("--quick", action="store_true", help="small sizes, one round")
    parser.add_argument("--json", help="also write every run's record and the medians here")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per script run")
    args = parser.parse_args(argv)

    names = args.impl or list(IMPLEMENTATIONS)
    unknown = sorted(set(names) - set(IMPLEMENTATIONS))
    if unknown:
        parser.error(f"unknown implementations {unknown}; choose from {list(IMPLEMENTATIONS)}")
    if importlib.util.find_spec("torch") is None:
        print("torch is not installed: its implementations are left out", file=sys.stderr)
        names = [name for name in names if IMPLEMENTATIONS[name][2] != "torch"]

    machine = machine_description(args.quick)
    load_before = os.getloadavg()
    started = time.time()
    records: list[dict] = []
    if args.quick:  # one process per implementation runs every workload
        for name in names:
            records += run_script(name, args.workload, quick=True, timeout=args.timeout)
    else:
        for round_index in range(args.repeats):
            shift = round_index % len(names)
            rotated = names[shift:] + names[:shift]
            for workload in args.workload:
                for name in rotated:
                    records += run_script(name, [workload], quick=False, timeout=args.timeout)
            print(f"round {round_index + 1}/{args.repeats} done", file=sys.stderr, flush=True)
    load_after = os.getloadavg()

    summary = summarize(records)
    rounds = 1 if args.quick else args.repeats
    print(f"# {'quick ' if args.quick else ''}benchmark, {rounds} round(s), medians\n")
    for key, value in machine.items():
        print(f"- {key}: {value}")
    print(
        f"- load average (1 min) before/after: {load_before[0]:.2f}/{load_after[0]:.2f}; "
        f"wall time {time.time() - started:.0f} s\n"
    )
    if args.quick:  # a smoke test: no timings and no verdicts at sizes the targets are not for
        print(quick_table(summary))
        print("\nQuick sizes: timings and targets are left out; run without --quick for them.")
    else:
        print(table(summary))
        print("\nTargets:\n" + targets(summary))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(
                {
                    "machine": machine,
                    "records": records,
                    "summary": [
                        {"workload": w, "implementation": i, **v} for (w, i), v in summary.items()
                    ],
                },
                out,
                indent=1,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
