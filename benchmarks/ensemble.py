"""Ensemble speed: Mesa's batch_run over single-world models vs one vectorised run.

Both run the baseline for 64 quarters (2020Q1-2035Q4). A further line times the same 10,000
worlds with per-world parameters drawn from their priors (issue 10; target <= 1.0 s) and the
peak memory of such runs at 2,500 and 10,000 worlds (should be linear in worlds). The last line
is machine-readable: speedup_vs_batch_run=<x> seconds_10k_worlds=<s>
seconds_10k_worlds_priors=<p>, where x = (batch_run seconds per world * 10,000) / seconds for
one 10,000-world run on one core.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
import tracemalloc

import mesa

from lynchpin.data import default_config
from lynchpin.model import LynchpinModel, simulate
from lynchpin.model.priors import with_priors

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

    drawn = with_priors(config)
    prior_times = []
    for repeat in range(args.repeats + 1):
        start = time.perf_counter()
        simulate(drawn, worlds=WORLDS, seed=repeat)
        prior_times.append(time.perf_counter() - start)
    priors = min(prior_times[1:]) if args.repeats else prior_times[0]
    peaks = {}
    for worlds in (WORLDS // 4, WORLDS):
        tracemalloc.start()
        simulate(drawn, worlds=worlds, seed=0)
        peaks[worlds] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    print(
        f"per-world parameters ({len(drawn.uncertainty.distributions)} drawn): {WORLDS} worlds "
        f"in {priors:.3f} s ({priors / ensemble:.2f} x fixed); peak memory "
        + ", ".join(f"{w:,} worlds {m:.0f} MiB" for w, m in peaks.items())
        + f" (ratio {peaks[WORLDS] / peaks[WORLDS // 4]:.2f} for 4 x the worlds)"
    )
    print(
        f"speedup_vs_batch_run={speedup:.0f} seconds_10k_worlds={ensemble:.3f} "
        f"seconds_10k_worlds_priors={priors:.3f}"
    )


if __name__ == "__main__":
    main()
