"""Random streams over blocks of worlds and named purposes.

Two guarantees rest on this module:

* Chunking is exact. Worlds are cut into fixed blocks of BLOCK_SIZE and every draw is made block
  by block with the block's own size, so a chunk that starts on a block boundary sees exactly
  the numbers the same worlds see in one big run (10 chunks of 1,000 worlds = one run of 10,000).
* Scenarios share common random numbers. Each purpose ("USA.growth", "incidents", "crises", ...)
  has its own generator per block, seeded by SeedSequence(seed, spawn_key=(block, purpose id)).
  A policy change that alters, say, Poisson incident counts (which consume a state-dependent
  amount of randomness) cannot shift the growth shocks or crisis draws of the other purposes,
  so two scenarios run with the same seed are paired world by world.
"""

from __future__ import annotations

import zlib

import numpy as np

BLOCK_SIZE = 250


def block_sizes(worlds: int) -> list[int]:
    """Sizes of the blocks covering `worlds` worlds (the last may be partial)."""
    full, rest = divmod(worlds, BLOCK_SIZE)
    return [BLOCK_SIZE] * full + ([rest] if rest else [])


def purpose_id(purpose: str) -> int:
    """A stable integer for a purpose name (independent of Python's hash randomisation)."""
    return zlib.crc32(purpose.encode("utf-8"))


class Stream:
    """One purpose's generators, one per block of worlds."""

    def __init__(self, seed: int, first_block: int, sizes: list[int], purpose: str) -> None:
        self.sizes = sizes
        self._bounds = np.cumsum([0, *sizes])
        key = purpose_id(purpose)
        self._generators = [
            np.random.Generator(
                np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(first_block + i, key)))
            )
            for i in range(len(sizes))
        ]

    def normal(self, rows: int = 1) -> np.ndarray:
        """Standard normal draws, shape (rows, worlds)."""
        parts = [
            g.standard_normal((rows, n)) for g, n in zip(self._generators, self.sizes, strict=True)
        ]
        return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)

    def uniform(self, rows: int = 1) -> np.ndarray:
        """Uniform [0, 1) draws, shape (rows, worlds)."""
        parts = [g.random((rows, n)) for g, n in zip(self._generators, self.sizes, strict=True)]
        return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)

    def poisson(self, lam: np.ndarray) -> np.ndarray:
        """Poisson counts with per-world rates (as floats); lam has shape (rows, worlds)."""
        counts = np.empty(np.shape(lam))
        for g, lo, hi in zip(self._generators, self._bounds[:-1], self._bounds[1:], strict=True):
            counts[:, lo:hi] = g.poisson(lam[:, lo:hi])
        return counts


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(z: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: a bijective avalanche of 64-bit words (wrapping arithmetic)."""
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


def hashed_uniform(seed: int, purpose: str, index: np.ndarray) -> np.ndarray:
    """Uniform [0, 1) numbers that are a pure function of (seed, purpose, index).

    For draws made once per run, such as per-world parameters (one per group of worlds,
    index = world // worlds_per_draw): a counter-based generator needs no per-block state, so
    any chunk of worlds computes exactly its own numbers, the same seed gives every scenario the
    same numbers (common random numbers), and another purpose never shifts them.
    """
    with np.errstate(over="ignore"):
        key = _mix(np.array([seed & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64) + _GOLDEN)
        key = _mix(key ^ np.uint64(purpose_id(purpose)) * _GOLDEN)
        words = _mix(key ^ (np.asarray(index, dtype=np.uint64) + np.uint64(1)) * _GOLDEN)
    return (words >> np.uint64(11)).astype(float) * 2.0**-53


class WorldStreams:
    """All random streams of the worlds [first_world, first_world + worlds), by purpose."""

    def __init__(self, seed: int, worlds: int, first_world: int = 0) -> None:
        if worlds < 1:
            raise ValueError("worlds must be at least 1")
        if first_world % BLOCK_SIZE:
            raise ValueError(f"first_world must be a multiple of {BLOCK_SIZE}, got {first_world}")
        self.seed = seed
        self.first_block = first_world // BLOCK_SIZE
        self.sizes = block_sizes(worlds)
        self._streams: dict[str, Stream] = {}

    def __call__(self, purpose: str) -> Stream:
        """The stream reserved for `purpose`, created on first use."""
        stream = self._streams.get(purpose)
        if stream is None:
            stream = Stream(self.seed, self.first_block, self.sizes, purpose)
            self._streams[purpose] = stream
        return stream
