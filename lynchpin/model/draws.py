"""Per-world parameter values: each drawn parameter from its own stream.

A parameter's draws are uniforms of the purpose "parameter.<key>" (lynchpin/model/rng.py,
hashed_uniform), one per group of worlds_per_draw consecutive worlds (the group's global index
is the counter), pushed through its distribution's inverse CDF. So the draws are bit-identical
under any chunking or executor, scenarios with the same seed share them (common random
numbers), and changing one parameter's distribution never shifts another's.
"""

from __future__ import annotations

import numpy as np

from lynchpin.model.config import ModelConfig
from lynchpin.model.rng import BLOCK_SIZE, hashed_uniform

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
    group = spec.worlds_per_draw
    if group < 1 or BLOCK_SIZE % group:
        raise ValueError(f"worlds per draw must divide {BLOCK_SIZE}, got {group}")
    world = first_world + np.arange(worlds)
    # The inverse CDF is evaluated once per group, then repeated for its worlds.
    ids, where = np.unique(world // group, return_inverse=True)
    draws = {
        key: spec.distributions[key].ppf(hashed_uniform(seed, f"parameter.{key}", ids))[where]
        for key in sorted(spec.distributions)
    }
    if spec.table is not None:
        columns, rows = spec.table
        pick = (hashed_uniform(seed, TABLE_PURPOSE, ids) * len(rows)).astype(int)[where]
        chosen = np.asarray(rows, dtype=float)[np.minimum(pick, len(rows) - 1)]
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
