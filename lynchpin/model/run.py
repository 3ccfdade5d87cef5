"""Run a configuration over many worlds, in one piece or in chunks of worlds."""

from __future__ import annotations

from collections.abc import Iterable

from lynchpin.model.config import ModelConfig
from lynchpin.model.model import LynchpinModel
from lynchpin.model.results import Results
from lynchpin.model.rng import BLOCK_SIZE


def simulate(
    config: ModelConfig,
    worlds: int = 1000,
    seed: int = 0,
    first_world: int = 0,
    scenario: str = "custom",
    outputs: Iterable[tuple[str, str] | str] | None = None,
) -> Results:
    """Run the worlds [first_world, first_world + worlds) to the end and return trajectories
    (of every output, or only of `outputs`: see LynchpinModel)."""
    model = LynchpinModel(
        config, worlds=worlds, seed=seed, first_world=first_world, outputs=outputs
    )
    return model.run(scenario)


def plan_chunks(worlds: int, chunk_worlds: int) -> list[tuple[int, int]]:
    """(first_world, worlds) pieces aligned on random-stream blocks, so merging is exact."""
    size = max(BLOCK_SIZE, (chunk_worlds // BLOCK_SIZE) * BLOCK_SIZE)
    return [(first, min(size, worlds - first)) for first in range(0, worlds, size)]
