"""Ensemble speed: Mesa's object model one world at a time vs one vectorised run of 10,000.

Everything runs the baseline for 64 quarters (2020Q1-2035Q4) with data collection on (Mesa's
DataCollector records every output every quarter, as in every lynchpin run). Single-world runs
are measured two ways: through `mesa.batch_run` (Mesa 3; removed in Mesa 4) and as a plain
loop of `LynchpinModel(config, worlds=1, seed=s).run()`, which stays meaningful after Mesa 4
(see docs/dev/mesa4.md); Mesa 4's `mesa.experimental.scenarios.run_scenarios` is reported when
the installed Mesa has it. Seconds are CPU seconds of this process (one core, user + system),
best of repeats; the ensemble lines also give user and system time apart, since the system time
(the kernel zeroing the ~350 MiB of fresh trajectory memory a 10,000-world run writes) depends on
the machine more than on the model.

World-agent-steps per second per core = worlds x agents x quarters / CPU seconds: the unit of
the mesa-frames Sugarscape benchmark, whose anchors are about 5.6e7 for a hand-written
NumPy/Numba kernel and about 2e5 for Mesa's object model.

A further line times the same 10,000 worlds with per-world parameters drawn from their priors
(issues 10-12; target <= 1.0 s) and the peak resident memory of a fresh process running such a
run at 2,500 and 10,000 worlds (should be linear in worlds; resident memory counts the
trajectory buffer, which lives in its own mapping that tracemalloc does not see).

Last line (machine-readable): speedup_vs_batch_run=<x> seconds_10k_worlds=<s>
seconds_10k_worlds_priors=<p> agent_steps_per_s_per_core=<n> target_1s_met=<yes|no>, where
x = (batch_run seconds per world * 10,000) / seconds for one 10,000-world run, n counts the
priors run (the target's configuration) with data collection on, and the target is met when
the priors run takes <= 1.0 s.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import subprocess
import sys

import mesa

from lynchpin.data import default_config
from lynchpin.model import LynchpinModel, simulate
from lynchpin.model.priors import with_priors

WORLDS = 10_000
QUARTERS = 64
SUGARSCAPE_KERNEL, SUGARSCAPE_MESA = 5.6e7, 2e5
TARGET_SECONDS = 1.0  # issues 11 and 12: 10,000 worlds x 64 quarters, per-world parameters


def cpu_seconds(work, repeats: int) -> float:
    """Best CPU time of `repeats` calls of work()."""
    return cpu_split(work, repeats)[0]


def cpu_split(work, repeats: int) -> tuple[float, float, float]:
    """(user + system, user, system) CPU seconds of the best of `repeats` calls of work()."""
    best = (float("inf"), 0.0, 0.0)
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_SELF)
        work()
        after = resource.getrusage(resource.RUSAGE_SELF)
        user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
        best = min(best, (user + system, user, system))
    return best


PEAK_SCRIPT = """
import dataclasses
from lynchpin.data import default_config
from lynchpin.model import simulate
from lynchpin.model.priors import with_priors
def kib(field):  # this process's memory (Linux); VmHWM starts afresh at exec, ru_maxrss does not
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field))
base = default_config()
config = with_priors(dataclasses.replace(base, end=base.start + {quarters} - 1))
before = kib("VmRSS:")
simulate(config, worlds={worlds}, seed=0)
print((kib("VmHWM:") - before) / 1024)
"""


def peak_mib(worlds: int) -> float:
    """Peak resident memory (MiB) that one run with per-world parameters adds to a fresh
    process (its high-water mark less what it held before the run)."""
    script = PEAK_SCRIPT.format(quarters=QUARTERS, worlds=worlds)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    return float(done.stdout.split()[-1])


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
    ensemble, user, system = cpu_split(
        lambda: simulate(config, worlds=WORLDS, seed=1), args.repeats
    )
    print(
        f"ensemble: {WORLDS:,} worlds x {QUARTERS} quarters, "
        f"cold {cold:.3f} s, best {ensemble:.3f} s (user {user:.3f} s, system {system:.3f} s)"
    )
    steps = agents * QUARTERS
    object_rate = steps / per_world_loop
    speedup = per_world * WORLDS / ensemble

    drawn = with_priors(config)
    priors, priors_user, priors_system = cpu_split(
        lambda: simulate(drawn, worlds=WORLDS, seed=1), args.repeats
    )
    vector_rate = WORLDS * steps / priors
    print(
        f"world-agent-steps per second per core (per-world parameters, data collection on): "
        f"vectorised {vector_rate:.2e}, Mesa object model (one world per model) "
        f"{object_rate:.2e}; Sugarscape anchors: kernel {SUGARSCAPE_KERNEL:.1e}, "
        f"Mesa {SUGARSCAPE_MESA:.1e}"
    )
    peaks = {worlds: peak_mib(worlds) for worlds in (WORLDS // 4, WORLDS)}
    print(
        f"per-world parameters ({len(drawn.uncertainty.distributions)} drawn): {WORLDS} worlds "
        f"in {priors:.3f} s (user {priors_user:.3f} s, system {priors_system:.3f} s; "
        f"{priors / ensemble:.2f} x fixed); peak resident memory added "
        + ", ".join(f"{w:,} worlds {m:.0f} MiB" for w, m in peaks.items())
        + f" (ratio {peaks[WORLDS] / peaks[WORLDS // 4]:.2f} for 4 x the worlds)"
    )
    met = "yes" if priors <= TARGET_SECONDS else "no"
    print(
        f"speedup_vs_batch_run={speedup:.0f} seconds_10k_worlds={ensemble:.3f} "
        f"seconds_10k_worlds_priors={priors:.3f} agent_steps_per_s_per_core={vector_rate:.3g} "
        f"target_1s_met={met}"
    )


if __name__ == "__main__":
    main()
