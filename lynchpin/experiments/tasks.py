"""The units of work shipped to executors: one block-aligned chunk of worlds of one run.

Functions here are top level so every backend can pickle them by reference.
"""

from __future__ import annotations

import copyreg
from types import MappingProxyType

import numpy as np

from lynchpin.model.config import ModelConfig
from lynchpin.model.results import Results
from lynchpin.model.run import simulate


# ModelConfig freezes its parameters in a mappingproxy, which pickle refuses; rebuilding it from
# a plain dict lets configs travel to worker processes and Dask workers unchanged.
def _mapping_proxy(items: dict) -> MappingProxyType:
    return MappingProxyType(items)


copyreg.pickle(MappingProxyType, lambda proxy: (_mapping_proxy, (dict(proxy),)))


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
