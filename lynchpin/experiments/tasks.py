"""The units of work shipped to executors: one block-aligned chunk of worlds of one run.

Functions here are top level so every backend can pickle them by reference. Model
configurations pickle as they are (their parameters are plain dicts).
"""

from __future__ import annotations

import numpy as np

from lynchpin.model.config import ModelConfig
from lynchpin.model.results import Results
from lynchpin.model.run import simulate


def run_chunk(config: ModelConfig, seed: int, first_world: int, worlds: int) -> Results:
    """Full trajectories of the worlds [first_world, first_world + worlds)."""
    return simulate(config, worlds=worlds, seed=seed, first_world=first_world)


def outcome_chunk(
    config: ModelConfig, seed: int, first_world: int, worlds: int, outcome: tuple[str, str, str]
) -> np.ndarray:
    """One output at one period for each world of the chunk: small to ship back, exact to join."""
    actor, metric, period = outcome
    results = simulate(config, worlds=worlds, seed=seed, first_world=first_world)
    return results.metric(actor, metric)[results.periods.index(period)]


def mean_of_chunks(job: object, parts: list[np.ndarray]) -> float:
    """Mean over all worlds of a run's per-world outcomes, joined in world order."""
    return float(np.concatenate(parts).mean())
