"""Ensemble speed: Mesa's batch_run over single-world models vs one vectorised run.

Both run the baseline for 64 quarters (2020Q1-2035Q4). The last line is machine-readable:
speedup_vs_batch_run=<x> seconds_10k_worlds=<s>, where x = (batch_run seconds per world *
10,000) / seconds for one 10,000-world run on one core.
"""

from __future__ import annotations

import argparse
import dataclasses
import time

import mesa

from lynchpin.data import default_config
from lynchpin.model import LynchpinModel, simulate

WORLDS = 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-seeds", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    base = default_config()
    config = dataclasses.replace(base, end=base.start + 63)

    start = time.perf_counter()
    mesa.batch_run(
        LynchpinModel,
        parameters={"config": config, "worlds": 1},
        rng=list(range(args.batch_seeds)),
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    batch = time.perf_counter() - start
    per_world = batch / args.batch_seeds
    print(
        f"batch_run: {args.batch_seeds} single-world runs in {batch:.2f} s "
        f"({per_world * 1e3:.1f} ms per world)"
    )

    times = []
    for repeat in range(args.repeats + 1):
        start = time.perf_counter()
        simulate(config, worlds=WORLDS, seed=repeat)
        times.append(time.perf_counter() - start)
    print(
        f"ensemble: {WORLDS} worlds x 64 quarters, first (cold) run {times[0]:.3f} s, "
        f"then {', '.join(f'{t:.3f}' for t in times[1:])} s"
    )
    ensemble = min(times[1:]) if args.repeats else times[0]
    speedup = per_world * WORLDS / ensemble
    print(f"speedup_vs_batch_run={speedup:.0f} seconds_10k_worlds={ensemble:.3f}")


if __name__ == "__main__":
    main()
