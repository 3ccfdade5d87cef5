"""Per-world parameter values: each drawn parameter from its own stream, by world block.

A parameter's draws come from the stream "parameter.<key>" (lynchpin/model/rng.py), one
uniform per group of worlds_per_draw worlds pushed through its distribution's inverse CDF. So
the draws are bit-identical under any chunking or executor, scenarios with the same seed share
them (common random numbers), and changing one parameter's distribution never shifts another's.
"""

from __future__ import annotations

import numpy as np

from lynchpin.model.config import ModelConfig
from lynchpin.model.rng import WorldStreams

TABLE_PURPOSE = "parameter.__table__"


def parameter_draws(
    config: ModelConfig, worlds: int, seed: int, first_world: int = 0
) -> dict[str, np.ndarray]:
    """{key: values over worlds} for every drawn parameter ("name" or "CODE.name"), by key.

    Empty when the config has no uncertainty (every parameter fixed).
    """
    spec = config.uncertainty
    if spec is None:
        return {}
    streams = WorldStreams(seed, worlds, first_world)
    group = spec.worlds_per_draw
    draws = {
        key: spec.distributions[key].ppf(streams(f"parameter.{key}").grouped_uniform(group))
        for key in sorted(spec.distributions)
    }
    if spec.table is not None:
        columns, rows = spec.table
        pick = streams(TABLE_PURPOSE).grouped_uniform(group) * len(rows)
        chosen = np.asarray(rows, dtype=float)[np.minimum(pick.astype(int), len(rows) - 1)]
        for j, column in enumerate(columns):
            draws[column] = chosen[:, j].copy()
    return dict(sorted(draws.items()))


def draw_groups(config: ModelConfig, worlds: int, first_world: int = 0) -> np.ndarray:
    """Index of each world's parameter draw (worlds sharing one draw share the index).

    Without uncertainty every world shares the single fixed parameter vector (group 0).
    """
    world = first_world + np.arange(worlds)
    if config.uncertainty is None:
        return np.zeros(worlds, dtype=np.int64)
    return world // config.uncertainty.worlds_per_draw
