"""Ensemble speed: Mesa's object model one world at a time vs one vectorised run of 10,000.

Everything runs the baseline for 64 quarters (2020Q1-2035Q4) with data collection on (Mesa's
DataCollector records every output every quarter, as in every lynchpin run). Single-world runs
are measured two ways: through `mesa.batch_run` (Mesa 3; removed in Mesa 4) and as a plain
loop of `LynchpinModel(config, worlds=1, seed=s).run()`, which stays meaningful after Mesa 4
(see docs/dev/mesa4.md); Mesa 4's `mesa.experimental.scenarios.run_scenarios` is reported when
the installed Mesa has it. Seconds are CPU seconds of this process (one core), best of repeats.

World-agent-steps per second per core = worlds x agents x quarters / CPU seconds: the unit of
the mesa-frames Sugarscape benchmark, whose anchors are about 5.6e7 for a hand-written
NumPy/Numba kernel and about 2e5 for Mesa's object model.

A further line times the same 10,000 worlds with per-world parameters drawn from their priors
(issue 10; target <= 1.0 s) and the peak memory of such runs at 2,500 and 10,000 worlds (should
be linear in worlds).

Last line (machine-readable): speedup_vs_batch_run=<x> seconds_10k_worlds=<s>
seconds_10k_worlds_priors=<p> agent_steps_per_s_per_core=<n>, where
x = (batch_run seconds per world * 10,000) / seconds for one 10,000-world run.
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
QUARTERS = 64
SUGARSCAPE_KERNEL, SUGARSCAPE_MESA = 5.6e7, 2e5


def cpu_seconds(work, repeats: int) -> float:
    """Best CPU time of `repeats` calls of work()."""
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-seeds", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    base = default_config()
    config = dataclasses.replace(base, end=base.start + QUARTERS - 1)
    agents = len(config.actors)
    seeds = list(range(args.batch_seeds))
    print(f"mesa {mesa.__version__}; {agents} agents; {QUARTERS} quarters; data collection on")

    def loop() -> None:
        for seed in seeds:
            LynchpinModel(config, worlds=1, seed=seed).run()

    per_world_loop = cpu_seconds(loop, 1) / len(seeds)
    print(f"plain loop: {per_world_loop * 1e3:.1f} ms per single-world run")
    per_world = per_world_loop
    if hasattr(mesa, "batch_run"):
        batch = cpu_seconds(
            lambda: mesa.batch_run(
                LynchpinModel,
                parameters={"config": config, "worlds": 1},
                rng=seeds,
                number_processes=1,
                data_collection_period=-1,
                display_progress=False,
            ),
            1,
        )
        per_world = batch / len(seeds)
        print(f"batch_run: {len(seeds)} single-world runs, {per_world * 1e3:.1f} ms per world")
    else:
        print(f"mesa {mesa.__version__} has no batch_run: the plain loop stands in for it")
    from mesa.experimental import scenarios

    if not hasattr(scenarios, "run_scenarios"):
        print(f"mesa {mesa.__version__} has no experimental.scenarios.run_scenarios (Mesa 4)")

    cold = cpu_seconds(lambda: simulate(config, worlds=WORLDS, seed=0), 1)
    ensemble = cpu_seconds(lambda: simulate(config, worlds=WORLDS, seed=1), args.repeats)
    print(
        f"ensemble: {WORLDS:,} worlds x {QUARTERS} quarters, "
        f"cold {cold:.3f} s, best {ensemble:.3f} s"
    )
    steps = agents * QUARTERS
    vector_rate = WORLDS * steps / ensemble
    object_rate = steps / per_world_loop
    print(
        f"world-agent-steps per second per core: vectorised {vector_rate:.2e}, "
        f"Mesa object model (one world per model) {object_rate:.2e}; "
        f"Sugarscape anchors: kernel {SUGARSCAPE_KERNEL:.1e}, Mesa {SUGARSCAPE_MESA:.1e}"
    )
    speedup = per_world * WORLDS / ensemble

    drawn = with_priors(config)
    priors = cpu_seconds(lambda: simulate(drawn, worlds=WORLDS, seed=1), args.repeats)
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
        f"seconds_10k_worlds_priors={priors:.3f} agent_steps_per_s_per_core={vector_rate:.3g}"
    )


if __name__ == "__main__":
    main()
