"""What the workloads share: the worker's side (GC mode, timing, one JSON line out) and the runner's.

Each measurement runs in a fresh process (``python -m benchmarks.<workload> ARGS``), so that
no run inherits another's heap, garbage or warmed caches; the runner starts the processes
one after another, interleaving implementations, and takes medians.
"""

from __future__ import annotations

import gc
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["GC_MODES", "Result", "WorkerFailed", "set_gc", "emit", "time_calls", "run_worker", "median"]

Result = dict[str, Any]
"""What a worker measured: a JSON object, e.g. ``{"seconds": [0.031, 0.029]}``."""

GC_MODES = ("on", "off")
"""``on``: Python's default cyclic garbage collector; ``off``: ``gc.disable()`` for the whole process."""


class WorkerFailed(RuntimeError):
    """A worker process exited with an error (its stderr is the message)."""


def set_gc(mode: str) -> None:
    """Leave the collector as Python starts it (``"on"``) or disable it for the process (``"off"``)."""
    if mode not in GC_MODES:
        raise SystemExit(f"GC mode must be one of {GC_MODES}, got {mode!r}")
    if mode == "off":
        gc.disable()


def emit(result: Result) -> None:
    """Print a worker's result: one JSON line, the last thing it writes to stdout."""
    print(json.dumps(result), flush=True)


def time_calls(call: Callable[[int], object], budget: float, least: int = 3, most: int = 30) -> list[float]:
    """Seconds taken by ``call(k)`` for k = 0, 1, ...: at least ``least`` calls, then more until
    ``budget`` seconds have passed or ``most`` calls are done."""
    seconds: list[float] = []
    while len(seconds) < least or (sum(seconds) < budget and len(seconds) < most):
        started = time.perf_counter()
        call(len(seconds))
        seconds.append(time.perf_counter() - started)
    return seconds


def run_worker(workload: str, args: Sequence[str] = (), timeout: float = 1800.0) -> Result:
    """Run ``python -m benchmarks.<workload> ARGS`` in a fresh process and return its result."""
    command = [sys.executable, "-m", f"benchmarks.{workload}", *args]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        last = completed.stderr.strip().splitlines()[-1:] or [f"exit status {completed.returncode}"]
        raise WorkerFailed(f"{' '.join(command[1:])}: {last[0]}")
    result: Result = json.loads(lines[-1])
    return result


def median(xs: Sequence[float]) -> float:
    """The median (the middle of an odd count, the mean of the two middles of an even one)."""
    return statistics.median(xs)
