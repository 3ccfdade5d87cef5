"""One exploratory experiment two ways: EMA Workbench 3.0 one world at a time, lynchpin in one run.

The experiment: every uncertain parameter of the baseline drawn from its bundled prior (180
of them: lynchpin.model.priors.with_priors), one outcome per experiment, US-Japan alliance
cohesion in 2035Q4 (also P(armed conflict by 2035Q4), the mean of each world's probability).

- EMA Workbench: `perform_experiments` (SequentialEvaluator, Monte Carlo sampling) over a
  Python function that runs a one-world LynchpinModel with the sampled parameter values. The
  uncertainties are `RealParameter.from_dist`: bounds = the prior's support (a triangular's
  ends, the registry bounds a normal, lognormal or beta is truncated to), distribution = a
  scipy `rv_continuous` whose inverse CDF is the prior's own (`Distribution.ppf`), so EMA's
  sampler draws the same shapes, not uniforms over the bounds.
- lynchpin: the same priors with one draw per world (`worlds_per_draw=1`), 100,000 worlds run
  in chunks of 10,000 in this process; each world is one experiment.

Both sides record only the two outcomes (LynchpinModel's `outputs=`, as EMA's outcomes name
what an experiment returns); the state guard still checks every output every quarter, and a
recorded output is bit-identical to the same output of a full run.

Both sides are timed in this process, back to back, as CPU seconds (single-threaded, so equal
to wall seconds on a quiet machine; on a shared one CPU seconds leave out waiting for a core).
The means of the outcome on both sides are printed with their Monte Carlo errors: the two
experiments are the same only if they agree within them.

    .venv/bin/python benchmarks/exploratory.py [--experiments 300] [--worlds 100000]

Last line: experiments_per_s_lynchpin=<x> experiments_per_s_ema=<y> speedup_vs_ema=<x/y>
(target speedup >= 1,000).
"""

from __future__ import annotations

import argparse
import logging
import os
import time
import warnings

import numpy as np

os.environ.setdefault("TQDM_DISABLE", "1")  # EMA's progress bar, before ema_workbench imports tqdm

PERIOD = "2035Q4"
OUTCOME = ("system", "alliance_cohesion")
CONFLICT = ("system", "armed_conflict")
RECORDED = (OUTCOME, CONFLICT)
CHUNK = 10_000


def prior_config(worlds_per_draw: int = 1):
    """The baseline with every world drawing its parameters from the bundled priors."""
    from lynchpin.model.priors import with_priors
    from lynchpin.scenario import load_scenario

    scenario = load_scenario("baseline").with_overrides(uncertainty="none")
    return with_priors(scenario.to_config(), worlds_per_draw=worlds_per_draw), scenario.seed


def support(dist) -> tuple[float, float]:
    """Where a prior puts its mass: a triangular's ends, else the registry bounds it is
    truncated to."""
    if dist.family in ("uniform", "triangular"):
        return float(dist.args[0]), float(dist.args[-1])
    return float(dist.low), float(dist.high)


def scipy_prior(dist, low: float, high: float):
    """A lynchpin prior as a frozen scipy distribution on [low, high]: EMA's samplers push
    uniforms through its ppf, which is the prior's own inverse CDF."""
    from scipy import stats

    class Prior(stats.rv_continuous):
        def _ppf(self, q):
            return dist.ppf(np.asarray(q, dtype=float))

    return Prior(a=low, b=high, name="lynchpin_prior")()


def ema_uncertainties(distributions) -> list:
    """One RealParameter per prior: bounds its support, sampled with its own shape."""
    from ema_workbench import RealParameter

    found = []
    for key, dist in sorted(distributions.items()):
        low, high = support(dist)
        parameter = RealParameter.from_dist(key, scipy_prior(dist, low, high))
        parameter.lower_bound, parameter.upper_bound = low, high
        found.append(parameter)
    return found


def run_ema(config, seed: int, experiments: int) -> tuple[float, np.ndarray, np.ndarray]:
    """CPU seconds of `experiments` EMA experiments, and each experiment's two outcomes."""
    import dataclasses

    from ema_workbench import Model, ScalarOutcome, SequentialEvaluator
    from ema_workbench.em_framework.evaluators import Samplers

    from lynchpin.model import LynchpinModel
    from lynchpin.model.config import ParameterUncertainty

    keys = sorted(config.uncertainty.distributions)
    fixed = dataclasses.replace(config, uncertainty=None)
    counter = iter(range(10**9))

    def one_world(**values: float) -> dict[str, float]:
        """A one-world lynchpin model with these parameter values (a one-row draws table)."""
        row = tuple(float(values[k]) for k in keys)
        table = ParameterUncertainty({}, (tuple(keys), (row,)), worlds_per_draw=1)
        model = LynchpinModel(
            dataclasses.replace(fixed, uncertainty=table),
            worlds=1,
            seed=seed + next(counter),
            outputs=RECORDED,
        )
        results = model.run("ema")
        at = results.periods.index(PERIOD)
        return {
            "cohesion": float(results.metric(*OUTCOME)[at, 0]),
            "conflict": float(results.metric(*CONFLICT)[at, 0]),
        }

    model = Model("lynchpin", function=one_world)
    model.uncertainties = ema_uncertainties(config.uncertainty.distributions)
    model.outcomes = [ScalarOutcome("cohesion"), ScalarOutcome("conflict")]
    start = time.process_time()
    with SequentialEvaluator(model) as evaluator:
        _, outcomes = evaluator.perform_experiments(
            scenarios=experiments, uncertainty_sampling=Samplers.MC
        )
    seconds = time.process_time() - start
    return seconds, np.asarray(outcomes["cohesion"]), np.asarray(outcomes["conflict"])


def run_lynchpin(config, seed: int, worlds: int) -> tuple[float, np.ndarray, np.ndarray]:
    """CPU seconds of one lynchpin run of `worlds` worlds (one experiment each), in chunks."""
    from lynchpin.model import simulate
    from lynchpin.model.run import plan_chunks

    cohesion, conflict = [], []
    start = time.process_time()
    for first, size in plan_chunks(worlds, CHUNK):
        results = simulate(
            config, worlds=size, seed=seed, first_world=first, scenario="x", outputs=RECORDED
        )
        at = results.periods.index(PERIOD)
        cohesion.append(results.metric(*OUTCOME)[at].copy())
        conflict.append(results.metric(*CONFLICT)[at].copy())
        del results
    seconds = time.process_time() - start
    return seconds, np.concatenate(cohesion), np.concatenate(conflict)


def mean_error(values: np.ndarray) -> str:
    return f"{values.mean():.4f} ± {1.645 * values.std(ddof=1) / np.sqrt(len(values)):.4f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--experiments", type=int, default=300, help="EMA experiments")
    parser.add_argument("--worlds", type=int, default=100_000, help="lynchpin worlds")
    options = parser.parse_args()
    warnings.filterwarnings("ignore", message="ipyparallel not installed")
    logging.getLogger("EMA").setLevel(logging.WARNING)
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start")
    config, seed = prior_config()
    print(f"{len(config.uncertainty.distributions)} uncertain parameters from the priors")
    ema_s, ema_cohesion, ema_conflict = run_ema(config, seed, options.experiments)
    lp_s, lp_cohesion, lp_conflict = run_lynchpin(config, seed, options.worlds)
    ema_rate, lp_rate = options.experiments / ema_s, options.worlds / lp_s
    print(
        f"EMA Workbench: {options.experiments} experiments in {ema_s:.1f} CPU s, "
        f"{1000 * ema_s / options.experiments:.1f} ms each"
    )
    print(
        f"lynchpin:      {options.worlds:,} experiments in {lp_s:.1f} CPU s, "
        f"{1e6 * lp_s / options.worlds:.1f} us each"
    )
    print(f"cohesion {PERIOD}, mean ± 90% MC error: EMA {mean_error(ema_cohesion)}, ", end="")
    print(f"lynchpin {mean_error(lp_cohesion)}")
    print(f"P(armed conflict by {PERIOD}): EMA {mean_error(ema_conflict)}, ", end="")
    print(f"lynchpin {mean_error(lp_conflict)}")
    print(f"load average {os.getloadavg()[0]:.1f} at end")
    print(
        f"experiments_per_s_lynchpin={lp_rate:.0f} experiments_per_s_ema={ema_rate:.1f} "
        f"speedup_vs_ema={lp_rate / ema_rate:.0f}"
    )


if __name__ == "__main__":
    main()
