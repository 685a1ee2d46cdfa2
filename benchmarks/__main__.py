"""``python -m benchmarks`` (``make bench``): every workload, one table of medians and ratios.

Each row is measured in ``--rounds`` fresh processes (3 by default), started one after
another with the implementations interleaved, so that a burst of load on the machine lands
on all of them alike; a row shows the median. The targets at the end are ratios taken
within this one run. ``--only moons chain`` runs some workloads; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from benchmarks import chain, memory, moons, rendering
from benchmarks.harness import GC_MODES, Result, WorkerFailed, median, run_worker

__all__ = ["WORKLOADS", "Target", "main"]

WORKLOADS = ("moons", "memory", "chain", "finite_differences", "rendering")

Row = list[str]

_MOONS_NAMES = {
    "ours": "glassgrad: nn.MLP, a fused dot node per neuron",
    "elementwise": "glassgrad: micrograd's elementwise graph",
    "micrograd": "micrograd 0.1.0",
    "torch": "PyTorch 0-d float64 tensors, same graph",
    "compiled": "glassgrad: autograd.compile of nn.MLP's graph",
}


@dataclass(frozen=True)
class Target:
    """One of the issue's targets: a measured number against what it must be at least (or most)."""

    name: str
    measured: float
    bound: float
    at_least: bool  # True: measured >= bound; False: measured <= bound
    unit: str = "x"

    @property
    def holds(self) -> bool:
        """Whether the measurement meets the bound."""
        return self.measured >= self.bound if self.at_least else self.measured <= self.bound

    def row(self) -> Row:
        """Name, measured, needed, and "holds" or by how much it falls short."""
        sign = ">=" if self.at_least else "<="
        verdict = "holds" if self.holds else f"short by {abs(self.measured - self.bound) / self.bound:.0%}"
        needed = f"{sign} {_number(self.bound, self.unit)}"
        return [f"  {self.name}", _number(self.measured, self.unit), needed, verdict]


def _number(x: float, unit: str) -> str:
    if unit == "x":
        return f"{x:.1f}x" if x < 10 else f"{x:.0f}x"
    if unit == "":
        return f"{x:.2f}"
    return f"{x:.0f} {unit}"


def _seconds(x: float) -> str:
    """A duration with three significant digits, in s, ms or µs."""
    for scale, unit in ((1.0, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if x >= scale:
            return f"{x / scale:.3g} {unit}"
    return f"{x / 1e-6:.3g} µs"


def _times(x: float) -> str:
    return f"{x:.2f}x" if x < 1 else f"{x:.1f}x" if x < 10 else f"{x:.0f}x"


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            names = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
        model = names[0] if names else model
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"


Runs = dict[tuple[str, ...], list[Result]]
"""Each worker's arguments and the results of its runs."""


def _interleaved(runs: Sequence[tuple[str, ...]], rounds: int, workload: str) -> Runs:
    """Run ``workload`` with each argument tuple once per round, rotating the order each round."""
    results: Runs = {args: [] for args in runs}
    for round_ in range(rounds):
        for i in range(len(runs)):
            args = runs[(i + round_) % len(runs)]
            _progress(f"  {workload} {' '.join(args)} (round {round_ + 1} of {rounds})")
            try:
                results[args].append(run_worker(workload, args))
            except WorkerFailed as error:
                results[args].append({"failed": str(error)})
    return results


def _problem(results: list[Result]) -> str | None:
    """Why a row has no numbers (all its runs skipped or failed), else None."""
    for result in results:
        if "seconds" in result or "bytes_per_node" in result or "forward" in result:
            return None
    return str(results[0].get("skipped") or results[0].get("failed"))


def _moons(rounds: int, table: list[Row], targets: list[Target]) -> None:
    title = "1. moons: one step of micrograd's demo (MLP 2-16-16-1 relu, 100 points,"
    table.append([title, "GC on", "GC off", "time / ours' (on / off)"])
    table.append(["   hinge loss + 1e-4 L2, zero_grad, backward, SGD); median seconds per step", "", "", ""])
    runs = [(variant, gc_mode) for variant in moons.VARIANTS for gc_mode in GC_MODES]
    results = _interleaved(runs, rounds, "moons")
    step: dict[tuple[str, str], float] = {}
    losses: dict[str, float] = {}
    setup: list[float] = []
    for (variant, gc_mode), outcomes in results.items():
        measured = [r for r in outcomes if "seconds" in r]
        if measured:
            step[variant, gc_mode] = median([median(r["seconds"]) for r in measured])
            losses[variant] = measured[0]["first_loss"]
            setup += [r["setup"] for r in measured if variant == "compiled"]
    for variant in moons.VARIANTS:
        problem = _problem(results[variant, "on"] + results[variant, "off"])
        if problem is not None:
            table.append([f"   {_MOONS_NAMES[variant]}", "-", "-", problem])
            continue
        on, off = step[variant, "on"], step[variant, "off"]
        ratios = ""
        if variant != "ours":
            ratios = f"{_times(on / step['ours', 'on'])} / {_times(off / step['ours', 'off'])}"
        table.append([f"   {_MOONS_NAMES[variant]}", _seconds(on), _seconds(off), ratios])
    if setup and ("ours", "on") in step and ("compiled", "on") in step:
        faster = step["ours", "on"] / step["compiled", "on"]
        note = f"   (compiled: {faster:.1f}x faster per step; tracing it once took {_seconds(median(setup))})"
        table.append([note, "", "", ""])
    if "ours" in losses:
        reference = losses["ours"]
        if any(abs(loss - reference) > 1e-9 * abs(reference) for loss in losses.values()):
            table.append([f"   (first losses differ: {losses})", "", "", ""])
    goals = [
        ("micrograd", "on", 10.0, "moons step vs micrograd, default GC"),
        ("micrograd", "off", 2.5, "moons step vs micrograd, GC off in both"),
        ("torch", "on", 4.0, "moons step vs PyTorch 0-d tensors, default GC"),
    ]
    for variant, gc_mode, bound, name in goals:
        if (variant, gc_mode) in step and ("ours", gc_mode) in step:
            targets.append(Target(name, step[variant, gc_mode] / step["ours", gc_mode], bound, at_least=True))


def _memory(rounds: int, table: list[Row], targets: list[Target]) -> None:
    title = f"2. live memory per node: {memory.NODES:,} +/* nodes (tracemalloc)"
    table.append([title, "bytes", "", "size / ours'"])
    results = _interleaved([(engine,) for engine in memory.ENGINES], rounds, "memory")
    per_node: dict[str, float] = {}
    for (engine,), outcomes in results.items():
        problem = _problem(outcomes)
        if problem is None:
            per_node[engine] = median([r["bytes_per_node"] for r in outcomes if "bytes_per_node" in r])
    for engine, label in (("ours", "glassgrad"), ("micrograd", "micrograd 0.1.0")):
        if engine not in per_node:
            table.append([f"   {label}", "-", "", str(_problem(results[(engine,)]))])
            continue
        ratio = _times(per_node[engine] / per_node["ours"]) if engine != "ours" and "ours" in per_node else ""
        table.append([f"   {label}", f"{per_node[engine]:.0f}", "", ratio])
    if "ours" in per_node:
        targets.append(Target("bytes per live node", per_node["ours"], 200.0, at_least=False, unit="B"))


def _chain(rounds: int, table: list[Row], targets: list[Target]) -> None:
    results = _interleaved([(gc_mode,) for gc_mode in GC_MODES], rounds, "chain")
    limit = next((r["recursion_limit"] for rs in results.values() for r in rs if "recursion_limit" in r), "?")
    title = f"3. {2 * chain.STEPS:,}-node chain, y = w*y + b (recursion limit {limit})"
    table.append([title, "GC on", "GC off", ""])
    medians: dict[str, dict[str, float]] = {}
    for (gc_mode,), outcomes in results.items():
        measured = [r for r in outcomes if "forward" in r]
        if measured:
            medians[gc_mode] = {
                "forward": median([r["forward"] for r in measured]),
                "backward": median([r["backward"] for r in measured]),
                "ratio": median([r["backward"] / r["forward"] for r in measured]),
            }
    if len(medians) < len(GC_MODES):
        table.append(["   (failed)", "", "", str(_problem([r for rs in results.values() for r in rs]))])
        return
    table.append(["   forward: building the graph", _seconds(medians["on"]["forward"]),
                  _seconds(medians["off"]["forward"]), ""])
    table.append(["   backward (topological order included)", _seconds(medians["on"]["backward"]),
                  _seconds(medians["off"]["backward"]), ""])
    on, off = medians["on"]["ratio"], medians["off"]["ratio"]
    table.append(["   backward / forward", f"{on:.2f}", f"{off:.2f}", ""])
    targets.append(Target("chain backward / forward, default GC", on, 1.5, at_least=False, unit=""))
    targets.append(Target("chain backward / forward, GC off", off, 1.5, at_least=False, unit=""))


def _finite_differences(rounds: int, table: list[Row], targets: list[Target]) -> None:
    table.append(["4. one gradient of MLP(4, [w, w, 1]) (tanh, MSE over 4 points): params,",
                  "backward", "FD", "FD / backward"])
    table.append(["   forward, backward; central finite differences, 2 forward passes per param", "", "", ""])
    _progress("  finite_differences (once: it is not a comparison)")
    try:
        rows = run_worker("finite_differences")["rows"]
    except WorkerFailed as error:
        table.append(["   (failed)", "", "", str(error)])
        return
    for row in rows:
        label = f"   w = {row['width']:<3} {row['params']:>5} params, forward {_seconds(row['forward'])}"
        backward, finite = row["backward"], row["finite_differences"]
        table.append([label, _seconds(backward), _seconds(finite), f"{finite / backward:,.0f}x"])


def _rendering(rounds: int, table: list[Row], targets: list[Target]) -> None:
    table.append([f"5. drawing {rendering.NODES:,}-node graphs", "seconds", "", ""])
    _progress("  rendering (once each: a WebAssembly layout takes seconds)")
    try:
        result = run_worker("rendering")
    except WorkerFailed as error:
        table.append(["   (failed)", "", "", str(error)])
        return
    if "skipped" in result:
        table.append(["   (skipped)", "", "", result["skipped"]])
        return
    renderer = result["renderer"]
    table.append(["   an MLP's loss, draw: the DOT source, our code", _seconds(result["draw"]), "", ""])
    cut = f"   its to_svg by Graphviz ({renderer}), cut by default to {result['drawn']:,} drawn shapes"
    table.append([cut, _seconds(result["to_svg"]), "", ""])
    sparse = f"   a sum of tanh terms, to_svg uncut ({renderer})"
    table.append([sparse, _seconds(result["tree_to_svg"]), "", ""])
    for name, seconds in result.get("cases", {}).items():
        table.append([f"   {name}", _seconds(seconds), "", ""])


_RUNNERS: dict[str, Callable[[int, list[Row], list[Target]], None]] = {
    "moons": _moons, "memory": _memory, "chain": _chain,
    "finite_differences": _finite_differences, "rendering": _rendering,
}


def _print(rows: Sequence[Row]) -> None:
    """Rows as aligned columns: the first left-aligned, the rest right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]
        print("  ".join(cells).rstrip())


def main(argv: Sequence[str] | None = None) -> None:
    """Run the chosen workloads and print the table, then each target and whether it holds."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="glassgrad's benchmarks")
    parser.add_argument("--rounds", type=int, default=3, help="fresh processes per row (default 3)")
    parser.add_argument("--only", nargs="+", choices=WORKLOADS, default=WORKLOADS, help="workloads to run")
    args = parser.parse_args(argv)
    load_before = _load()
    _progress(f"benchmarks: {', '.join(args.only)}; {args.rounds} rounds")
    table: list[Row] = []
    targets: list[Target] = []
    for workload in WORKLOADS:
        if workload in args.only:
            _RUNNERS[workload](args.rounds, table, targets)
    print(f"glassgrad benchmarks: Python {platform.python_version()}, {_machine()}")
    print(f"micrograd {_version('micrograd')}, PyTorch {_version('torch')}; medians of {args.rounds} fresh "
          f"processes per row, interleaved; load average {load_before} before, {_load()} after\n")
    _print(table)
    if targets:
        print()
        _print([["targets", "measured", "needed", ""], *(target.row() for target in targets)])


if __name__ == "__main__":
    main()
