"""Random streams over blocks of worlds, so results never depend on how worlds are chunked.

Worlds are cut into fixed blocks of BLOCK_SIZE. Block b draws from its own generator seeded by
SeedSequence(seed, spawn_key=(b,)), and every draw is made block by block with the block's own
size. A chunk that starts on a block boundary therefore sees exactly the numbers the same
worlds see in one big run: 10 chunks of 1,000 worlds equal one run of 10,000, bit for bit.
"""

from __future__ import annotations

import numpy as np

BLOCK_SIZE = 250


def block_sizes(worlds: int) -> list[int]:
    """Sizes of the blocks covering `worlds` worlds (the last may be partial)."""
    full, rest = divmod(worlds, BLOCK_SIZE)
    return [BLOCK_SIZE] * full + ([rest] if rest else [])


class WorldStreams:
    """Per-block generators for the worlds [first_world, first_world + worlds)."""

    def __init__(self, seed: int, worlds: int, first_world: int = 0) -> None:
        if worlds < 1:
            raise ValueError("worlds must be at least 1")
        if first_world % BLOCK_SIZE:
            raise ValueError(f"first_world must be a multiple of {BLOCK_SIZE}, got {first_world}")
        first_block = first_world // BLOCK_SIZE
        self.sizes = block_sizes(worlds)
        self._bounds = np.cumsum([0, *self.sizes])
        self._generators = [
            np.random.Generator(
                np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(first_block + i,)))
            )
            for i in range(len(self.sizes))
        ]

    def normal(self, rows: int) -> np.ndarray:
        """Standard normal draws, shape (rows, worlds)."""
        parts = [
            g.standard_normal((rows, n)) for g, n in zip(self._generators, self.sizes, strict=True)
        ]
        return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)

    def uniform(self, rows: int) -> np.ndarray:
        """Uniform [0, 1) draws, shape (rows, worlds)."""
        parts = [g.random((rows, n)) for g, n in zip(self._generators, self.sizes, strict=True)]
        return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)

    def poisson(self, lam: np.ndarray) -> np.ndarray:
        """Poisson counts with per-world rates; lam has shape (rows, worlds)."""
        parts = [
            g.poisson(lam[:, lo:hi]).astype(float)
            for g, lo, hi in zip(self._generators, self._bounds[:-1], self._bounds[1:], strict=True)
        ]
        return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)
