"""The whole job, not just the kernel: `lynchpin run baseline --worlds 10000` end to end.

Measured in one process tree: the simulation alone (in this process), the same run through
the CLI with all charts (a child process, start-up included), `lynchpin --help`, and the peak
resident memory of a run with `--keep-worlds`. Each timing is the best of `--repeats`; the
in-process breakdown shows where the rest of a run goes (summary, charts, worlds.parquet).

`ratio` is in CPU seconds (user + system of the whole process tree, chart workers included):
on a shared machine CPU seconds do not count the time spent waiting for a core. A run of
10,000 worlds draws its charts in two worker processes while it writes its tables, which saves
wall time on a machine with a free core and no CPU time; `wall_ratio` (wall seconds) shows
that, and means something only on a quiet machine.

    .venv/bin/python benchmarks/pipeline.py [--worlds 10000] [--repeats 3]

Last line (machine-readable; targets ratio <= 4, help_s <= 0.3, keep_peak_mib <= 1536):
sim_s=<s> run_s=<s> ratio=<run/sim> help_s=<s> keep_peak_mib=<m> wall_ratio=<run/sim>
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
    """Seconds of each step of a run, in this process (warm imports, charts drawn here, one
    after another): what each step costs, whichever process runs it in the CLI."""
    from lynchpin.model import simulate
    from lynchpin.model.draws import draw_groups, parameter_draws
    from lynchpin.outputs.experiments import world_outcomes_bytes
    from lynchpin.outputs.headline import key_outcomes
    from lynchpin.outputs.run_dir import derived_file
    from lynchpin.outputs.uncertainty import PARAMETERS_FILE, UNCERTAINTY_FILE
    from lynchpin.outputs.worlds import write_worlds
    from lynchpin.plots import plot_run
    from lynchpin.scenario import load_scenario

    scenario = load_scenario("baseline").with_overrides(worlds=worlds)
    config = scenario.to_config()
    tmp.mkdir(parents=True, exist_ok=True)
    marks = {"start": clock()}
    results = simulate(config, worlds=worlds, seed=scenario.seed, scenario=scenario.name)
    marks["sim"] = clock()
    summary = results.summary()
    (tmp / "summary.csv").write_text(summary.to_csv(index=False))
    marks["summary"] = clock()
    draws = parameter_draws(config, worlds, scenario.seed)
    (tmp / "outcomes.parquet").write_bytes(world_outcomes_bytes(results, None, draws))
    marks["outcomes"] = clock()
    for name in (UNCERTAINTY_FILE, PARAMETERS_FILE):
        (tmp / name).write_bytes(derived_file(name, results, scenario))
    marks["uncert"] = clock()
    plot_run(summary, tmp / "plots", scenario.name, worlds, results, uncertainty="priors")
    marks["charts"] = clock()
    from lynchpin.cli.scenario_cmds import _write_report

    _write_report(tmp, summary, results, scenario, {})
    marks["report"] = clock()
    key_outcomes(summary, results=results, groups=draw_groups(config, worlds))
    marks["headline"] = clock()
    write_worlds(tmp / "worlds.parquet", results.scenario, results.periods, results.pieces())
    marks["keep"] = clock()
    return {
        b: Timing(marks[b].wall - marks[a].wall, marks[b].cpu - marks[a].cpu)
        for a, b in itertools.pairwise(marks)
    }


def import_seconds() -> Timing:
    """A fresh interpreter importing what `lynchpin run` imports (model, outputs, charts)."""
    code = "import lynchpin.cli.scenario_cmds, lynchpin.model, lynchpin.outputs, " + (
        "lynchpin.plots.run_plots"
    )
    return child([sys.executable, "-c", code])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worlds", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    worlds, repeats = options.worlds, max(1, options.repeats)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory(prefix="lynchpin-pipeline-") as name:
        tmp = Path(name)
        helps = [child([*LYNCHPIN, "--help"]) for _ in range(max(5, repeats))]
        imports = [import_seconds() for _ in range(repeats)]
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
    sim_cpu = min(t.cpu for t in steps["sim"])
    sim_wall = min(t.wall for t in steps["sim"])
    print(f"in-process steps, best of {repeats} (cpu s / wall s):")
    cpu, wall = min(t.cpu for t in imports), min(t.wall for t in imports)
    print(f"  {'imports':8} {cpu:7.3f} / {wall:7.3f}   (a fresh interpreter)")
    for step, timings in steps.items():
        cpu, wall = min(t.cpu for t in timings), min(t.wall for t in timings)
        print(f"  {step:8} {cpu:7.3f} / {wall:7.3f}   ({cpu / sim_cpu:5.2f}x sim, cpu)")
    run_cpu, run_wall = min(t.cpu for t in runs), min(t.wall for t in runs)
    help_s = min(t.cpu for t in helps)
    print(
        f"lynchpin run baseline --worlds {worlds:,} (all charts, whole process tree): "
        f"cpu {run_cpu:.2f} s, wall {run_wall:.2f} s"
    )
    print(f"lynchpin --help: cpu {help_s:.3f} s, wall {min(t.wall for t in helps):.3f} s")
    print(
        f"--keep-worlds --no-plots: cpu {kept.cpu:.2f} s, wall {kept.wall:.2f} s, "
        f"peak {kept.peak_mib:.0f} MiB, worlds.parquet {size:.0f} MiB"
    )
    print(
        f"load average {os.getloadavg()[0]:.1f} at end; ratio in CPU seconds (on a shared "
        "machine wall seconds include waiting for a core), wall_ratio in wall seconds"
    )
    print(
        f"sim_s={sim_cpu:.3f} run_s={run_cpu:.3f} ratio={run_cpu / sim_cpu:.2f} "
        f"help_s={help_s:.3f} keep_peak_mib={kept.peak_mib:.0f} "
        f"wall_ratio={run_wall / sim_wall:.2f}"
    )


if __name__ == "__main__":
    main()
