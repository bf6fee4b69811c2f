"""What every benchmark script shares: the workloads, their data, the initial parameters, and the
harness that times the training loop and measures its peak memory.

Each implementation script (``numpy_analytic.py``, ``tinygrad_scratch.py``, ...) defines one
function, ``setup(data)``, that turns the NumPy arrays of :class:`Data` into its own tensors and
returns two closures: ``loop()``, the training loop (the only code that is timed), and
``result()``, the learned ``(w, b)`` as NumPy arrays. :func:`main` does the rest, identically for
every implementation, and prints one JSON line per workload. The loop is timed ``--loops`` times
(5 by default), each from the same fresh start, and the median is reported.

Data and parameters come from NumPy's PCG64 generator with a fixed seed, so every implementation
trains the same model from the same start on the same data. The from-scratch scripts and the NumPy
one also visit the mini-batches in the same shuffled order (:attr:`Data.order`), so they reach the
same final loss up to float32 rounding; the builtins scripts shuffle with their own DataLoader, so
they agree only as well as two shuffles of the same data do.

Peak memory of the loop is measured from the operating system, because ``tracemalloc`` only sees
Python's allocator (not torch's): before the loop, writing ``5`` to ``/proc/self/clear_refs``
resets the kernel's high-water mark of the resident set (``VmHWM``) to the current resident set
(``VmRSS``); after the loop, ``VmHWM`` minus that baseline is the most memory the loop held at
once beyond what was already there (data, parameters, imported libraries). Where the reset is not
available (not Linux), the baseline is the current resident set and the peak is the process's
lifetime maximum (``resource.getrusage(...).ru_maxrss``), which over-counts if the setup ever held
more than the loop; the JSON says which method was used.
"""

from __future__ import annotations

import argparse
import ctypes
import dataclasses
import gc
import json
import math
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

SEED = 0
NOISE_STD = 0.01


@dataclasses.dataclass(frozen=True)
class Workload:
    """One training problem: y = X w + b + noise, fitted by SGD on loss = mean((ŷ − y)²) / 2."""

    name: str
    samples: int
    features: int
    batch_size: int
    epochs: int  # passes over the data; with batch_size == samples, one pass is one step
    lr: float
    shuffle: bool
    description: str

    @property
    def steps(self) -> int:
        """SGD steps in the whole loop (the last batch of an epoch may be smaller)."""
        return self.epochs * math.ceil(self.samples / self.batch_size)

    def warmup(self) -> Workload:
        """The same code path on two small batches: imports, caches and thread pools warm up."""
        samples = 2 * min(self.batch_size, 64)
        batch = samples if self.batch_size == self.samples else samples // 2
        return dataclasses.replace(self, samples=samples, batch_size=batch, epochs=1)


WORKLOADS = {
    "W1": Workload("W1", 1000, 2, 10, 3, 0.03, True, "tutorial: 1000 x 2, batch 10, 3 epochs"),
    "W2": Workload("W2", 100_000, 64, 256, 1, 0.1, True, "wide: 100,000 x 64, batch 256, 1 epoch"),
    "W3": Workload("W3", 1_000_000, 64, 1_000_000, 20, 0.5, False, "full batch: 1M x 64, 20 steps"),
}

# --quick: the same three shapes of problem, small enough for a test (seconds, not minutes).
QUICK_WORKLOADS = {
    "W1": WORKLOADS["W1"],
    "W2": Workload("W2", 20_000, 16, 256, 1, 0.1, True, "wide (quick): 20,000 x 16, batch 256"),
    "W3": Workload("W3", 20_000, 16, 20_000, 20, 0.5, False, "full batch (quick): 20,000 x 16"),
}


@dataclasses.dataclass
class Data:
    """A workload's arrays, all float32 except the int64 visiting order."""

    workload: Workload
    X: np.ndarray  # (samples, features)
    y: np.ndarray  # (samples, 1)
    true_w: np.ndarray  # (features,)
    true_b: float
    w0: np.ndarray  # initial weights, (features, 1)
    b0: np.ndarray  # initial bias, (1,)
    order: np.ndarray | None  # (epochs, samples) sample indices per epoch; None: in order


def make_data(workload: Workload) -> Data:
    """The workload's data and initial parameters, the same on every call (fixed seed).

    W1 uses the tutorial's true parameters; the wide workloads draw theirs from N(0, 1).
    The initial weights are N(0, 0.01²) and the bias 0, as in the tutorial.
    """
    rng = np.random.default_rng(SEED)
    n, d = workload.samples, workload.features
    if d == 2:
        true_w, true_b = np.array([3.0, -1.2], dtype=np.float32), 2.0
    else:
        true_w, true_b = rng.standard_normal(d, dtype=np.float32), 2.0
    # Drawn directly in float32: 1,000,000 x 64 in float64 would need 512 MB on the way.
    X = rng.standard_normal((n, d), dtype=np.float32)
    y = X @ true_w[:, None] + np.float32(true_b)
    y += NOISE_STD * rng.standard_normal((n, 1), dtype=np.float32)
    w0 = 0.01 * rng.standard_normal((d, 1), dtype=np.float32)
    b0 = np.zeros(1, dtype=np.float32)
    order = None
    if workload.shuffle:
        order = np.stack([rng.permutation(n) for _ in range(workload.epochs)])
    return Data(workload, X, y, true_w, true_b, w0, b0, order)


def full_loss(data: Data, w: np.ndarray, b: np.ndarray) -> float:
    """mean((X w + b − y)²) / 2 over all the data, accumulated in float64."""
    residual = (data.X @ np.asarray(w, np.float32).reshape(-1, 1) + b) - data.y
    return float(0.5 * np.mean(np.square(residual, dtype=np.float64)))


def parameter_error(data: Data, w: np.ndarray, b: np.ndarray) -> float:
    """‖(w, b) − (true_w, true_b)‖₂: how far training got from the parameters that made y."""
    learned = np.append(np.asarray(w, np.float64).ravel(), float(np.asarray(b).ravel()[0]))
    truth = np.append(data.true_w.astype(np.float64), data.true_b)
    return float(np.linalg.norm(learned - truth))


# ---------------------------------------------------------------------------- peak memory
def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _release_free_heap() -> None:
    """Give memory that is free but still resident back to the OS (glibc's malloc_trim).

    Without it, a 4 MB array freed during setup stays resident in the heap, the loop reuses it,
    and the loop's own allocations look free of charge.
    """
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to release this way
        pass


def reset_peak_memory() -> tuple[int, str]:
    """Start a new peak-memory window; return the baseline (KiB) and the method's name."""
    gc.collect()
    _release_free_heap()
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")  # "5" resets the peak resident set size to the current one
        baseline = _status_kib("VmRSS")
        if baseline is not None:
            return baseline, "VmHWM after clear_refs"
    except OSError:
        pass
    rss = _status_kib("VmRSS")
    if rss is None:  # no /proc (macOS): the peak so far is the best baseline there is
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if _BYTES_RSS else 1)
    return rss, "ru_maxrss"


_BYTES_RSS = sys.platform == "darwin"  # macOS reports ru_maxrss in bytes, Linux in KiB


def peak_memory_kib(method: str) -> int:
    """The peak resident set size (KiB) since :func:`reset_peak_memory`, or of the process."""
    if method.startswith("VmHWM"):
        return _status_kib("VmHWM") or 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if _BYTES_RSS else 1)


# ---------------------------------------------------------------------------- the harness
Setup = Callable[[Data], tuple[Callable[[], None], Callable[[], tuple[np.ndarray, np.ndarray]]]]


def measure(setup: Setup, workload: Workload, loops: int = 1) -> dict:
    """Warm up, then time ``loop()`` ``loops`` times from the same start; return the results.

    Each time starts from fresh parameters and a trimmed heap, so every loop repeats the same
    work; the median of the loops is reported, which a busy moment of a shared machine moves
    less than a single timing. Peak memory is the highest of the loops.
    """
    warm_loop, _ = setup(make_data(workload.warmup()))
    warm_loop()
    data = make_data(workload)
    times, peak_kib = [], 0
    for _ in range(loops):
        loop, result = setup(data)
        baseline, method = reset_peak_memory()
        start = time.perf_counter()
        loop()
        times.append(time.perf_counter() - start)
        peak_kib = max(peak_kib, peak_memory_kib(method) - baseline)
    seconds = statistics.median(times)
    w, b = result()
    return {
        "workload": workload.name,
        "steps": workload.steps,
        "loops": loops,
        "us_per_step": seconds / workload.steps * 1e6,
        "seconds": seconds,
        "final_loss": full_loss(data, w, b),
        "param_error": parameter_error(data, w, b),
        "peak_mb": peak_kib / 1024,
        "memory_method": method,
    }


def main(implementation: str, setup: Setup, argv: list[str] | None = None) -> list[dict]:
    """Command line of every implementation script: run the named workloads, print JSON lines."""
    parser = argparse.ArgumentParser(description=f"benchmark: {implementation}")
    parser.add_argument("--workload", nargs="+", default=list(WORKLOADS), choices=list(WORKLOADS))
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--loops", type=int, default=5, help="timed loops; the median is kept")
    args = parser.parse_args(argv)
    table = QUICK_WORKLOADS if args.quick else WORKLOADS
    results = []
    for name in args.workload:
        loops = 1 if args.quick else args.loops
        record = {"implementation": implementation, **measure(setup, table[name], loops)}
        record["pid"] = os.getpid()
        record["python"] = platform.python_version()
        print(json.dumps(record), flush=True)
        results.append(record)
    return results


def import_tinygrad_lr():
    """Import tinygrad_lr: the one on the path (PYTHONPATH), else the one of this checkout."""
    try:
        import tinygrad_lr
    except ImportError:
        sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        import tinygrad_lr
    return tinygrad_lr
