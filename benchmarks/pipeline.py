"""The whole job, not just the kernel: `lynchpin run baseline --worlds 10000` end to end.

Measured in one process tree: the simulation alone (in this process), the same run through
the CLI with all charts (a child process, start-up included), `lynchpin --help`, and the peak
resident memory of a run with `--keep-worlds`. Each timing is the best of `--repeats`; the
in-process breakdown shows where the rest of a run goes (summary, charts, worlds.parquet).

Seconds are CPU seconds (user + system) by default: every step is single-threaded, so on a
quiet machine they equal wall seconds, and on a shared one they do not count the time spent
waiting for a core. `--wall` reports wall-clock seconds instead (both are printed).

    .venv/bin/python benchmarks/pipeline.py [--worlds 10000] [--repeats 3]

Last line (machine-readable; targets ratio <= 4, help_s <= 0.3, keep_peak_mib <= 1536):
sim_s=<s> run_s=<s> ratio=<run/sim> help_s=<s> keep_peak_mib=<m>
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

os.environ.setdefault("MPLBACKEND", "Agg")

LYNCHPIN = [sys.executable, "-m", "lynchpin"]


class Timing(NamedTuple):
    wall: float
    cpu: float
    peak_mib: float = 0.0


def child(args: list[str]) -> Timing:
    """Wall and CPU seconds and peak resident memory (MiB) of one command (kernel rusage)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"failed: {' '.join(args)}\n{proc.stderr.read().decode()}")
    return Timing(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)  # KiB


def clock() -> Timing:
    return Timing(time.perf_counter(), time.process_time())


def breakdown(worlds: int, tmp: Path) -> dict[str, Timing]:
    """Seconds of each step of a run, in this process (warm imports): where the time goes."""
    from lynchpin.model import simulate
    from lynchpin.plots import plot_run
    from lynchpin.scenario import load_scenario

    try:
        from lynchpin.outputs.worlds import write_worlds
    except ImportError:  # lynchpin before the streamed writer, to measure "before" figures

        def write_worlds(path, scenario, periods, pieces):
            results.per_world().to_parquet(path, index=False)

    scenario = load_scenario("baseline").with_overrides(worlds=worlds)
    config = scenario.to_config()
    marks = {"start": clock()}
    results = simulate(config, worlds=worlds, seed=scenario.seed, scenario=scenario.name)
    marks["sim"] = clock()
    summary = results.summary()
    marks["summary"] = clock()
    plot_run(summary, tmp / "plots", scenario.name, worlds, results)
    marks["charts"] = clock()
    pieces = results.pieces() if hasattr(results, "pieces") else None
    write_worlds(tmp / "worlds.parquet", results.scenario, results.periods, pieces)
    marks["parquet"] = clock()
    return {
        b: Timing(marks[b].wall - marks[a].wall, marks[b].cpu - marks[a].cpu)
        for a, b in itertools.pairwise(marks)
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worlds", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--wall", action="store_true", help="last line in wall-clock seconds")
    options = parser.parse_args()
    worlds, repeats = options.worlds, max(1, options.repeats)
    pick = (lambda t: t.wall) if options.wall else (lambda t: t.cpu)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory(prefix="lynchpin-pipeline-") as name:
        tmp = Path(name)
        helps = [child([*LYNCHPIN, "--help"]) for _ in range(max(5, repeats))]
        steps: dict[str, list[Timing]] = {}
        runs = []
        for i in range(repeats):  # interleaved, so load changes hit both sides alike
            for step, timing in breakdown(worlds, tmp / f"steps-{i}").items():
                steps.setdefault(step, []).append(timing)
            run = [*LYNCHPIN, "run", "baseline", "--worlds", str(worlds), "--overwrite"]
            runs.append(child([*run, "--out", str(tmp / "run")]))
        keep = [*LYNCHPIN, "run", "baseline", "--worlds", str(worlds), "--keep-worlds"]
        kept = child([*keep, "--no-plots", "--out", str(tmp / "keep")])
        size = (tmp / "keep" / "worlds.parquet").stat().st_size / 2**20
    sim = min(pick(t) for t in steps["sim"])
    print("in-process steps, best of", repeats, "(cpu s / wall s):")
    for step, timings in steps.items():
        cpu, wall = min(t.cpu for t in timings), min(t.wall for t in timings)
        print(f"  {step:8} {cpu:7.3f} / {wall:7.3f}   ({min(map(pick, timings)) / sim:5.2f}x sim)")
    run_s, help_s = min(map(pick, runs)), min(map(pick, helps))
    print(
        f"lynchpin run baseline --worlds {worlds:,} (all charts): "
        f"cpu {min(t.cpu for t in runs):.2f}"
        f" s, wall {min(t.wall for t in runs):.2f} s"
    )
    print(
        f"lynchpin --help: cpu {min(t.cpu for t in helps):.3f} s, wall "
        f"{min(t.wall for t in helps):.3f} s"
    )
    print(
        f"--keep-worlds --no-plots: cpu {kept.cpu:.2f} s, wall {kept.wall:.2f} s, "
        f"peak {kept.peak_mib:.0f} MiB, worlds.parquet {size:.0f} MiB"
    )
    print(
        f"load average {os.getloadavg()[0]:.1f} at end; last line in "
        f"{'wall' if options.wall else 'cpu'} seconds"
    )
    print(
        f"sim_s={sim:.3f} run_s={run_s:.3f} ratio={run_s / sim:.2f} help_s={help_s:.3f} "
        f"keep_peak_mib={kept.peak_mib:.0f}"
    )


if __name__ == "__main__":
    main()
