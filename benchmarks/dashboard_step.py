"""How fast the dashboard advances: model step (with the event log) and full redraw.

Target: a model step at 300 worlds within 50 ms, so Play is limited by drawing, not by the
model. A "render step" is what one press of Step costs the server: the step plus both figures
encoded as PNG (the browser's own work is not included). It is timed twice: with the charts the
dashboard keeps (TrajectoryChart / MapChart: built once, cached background, only new quarters'
quantiles computed) and, for comparison, with both figures built from scratch each time.

    .venv/bin/python benchmarks/dashboard_step.py [--worlds 300] [--scenario baseline]

The last line is machine-readable: ms_per_step_300_worlds=<median ms>.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("MPLBACKEND", "Agg")

from lynchpin.dashboard.adapter import DashboardModel
from lynchpin.dashboard.figures import (
    MapChart,
    TrajectoryChart,
    map_figure,
    png_bytes,
    trajectory_figure,
)


def time_steps(scenario: str, worlds: int, runs: int) -> list[float]:
    """Milliseconds per step over whole runs (every quarter of the scenario)."""
    times = []
    for _ in range(runs):
        model = DashboardModel(scenario, worlds=worlds)
        while model.running:
            start = time.perf_counter()
            model.step()
            times.append((time.perf_counter() - start) * 1000)
    return times


def time_renders(scenario: str, worlds: int, renders: int, fresh: bool) -> list[float]:
    """Milliseconds per step plus redraw of both figures, from half the quarters done."""
    model = DashboardModel(scenario, worlds=worlds)
    fans, geography = TrajectoryChart(model), MapChart(model)
    for _ in range(model.config.periods // 2):
        model.step()
        if not fresh:
            fans.update(model)
    times = []
    for _ in range(renders):
        start = time.perf_counter()
        model.step()
        if fresh:
            png_bytes(trajectory_figure(model))
            png_bytes(map_figure(model))
        else:
            fans.png(model)
            geography.png(model)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worlds", type=int, default=300)
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--renders", type=int, default=9)
    args = parser.parse_args()

    steps = time_steps(args.scenario, args.worlds, args.runs)
    renders = time_renders(args.scenario, args.worlds, args.renders, fresh=False)
    fresh = time_renders(args.scenario, args.worlds, args.renders, fresh=True)
    step_ms = statistics.median(steps)
    print(f"scenario={args.scenario} worlds={args.worlds} steps_timed={len(steps)}")
    print(f"model step: median {step_ms:.2f} ms, max {max(steps):.2f} ms (target <= 50 ms)")
    print(f"render step (step + both figures as PNG): median {statistics.median(renders):.0f} ms")
    print(f"  ... with figures built from scratch: median {statistics.median(fresh):.0f} ms")
    print(f"ms_per_step_{args.worlds}_worlds={step_ms:.2f}")


if __name__ == "__main__":
    main()
