"""A big run's chunks kept on disk, so memory does not grow with the number of worlds.

Each chunk of worlds is saved, in the worker that simulated it, as one .npy array (outputs,
periods, worlds). `SpilledResults` then reads one output at a time across all chunks, in world
order: the arrays it hands out are the very arrays `Results.merge` would have built, so the
summary (exact quantiles over all worlds, not a sketch), the charts and worlds.parquet of a
spilled run equal those of the same run held in memory, bit for bit. The cost is disk: about
8 bytes x outputs x quarters per world (2.6 GB for 100,000 worlds of the baseline), removed
once the run folder is written.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from lynchpin.model.results import Results, summarise

SPILL_WORLDS = 20_000  # runs of more worlds than this keep their chunks on disk


@dataclass(frozen=True)
class SpilledChunk:
    """Where one chunk of worlds is, and what it holds (all that travels back from a worker)."""

    path: str
    first_world: int
    worlds: int
    keys: tuple[tuple[str, str], ...]
    periods: tuple[str, ...]


WRITE_BYTES = 1 << 20  # per write call: on the reference machine's ext4, one 65 MB write of a
# stacked chunk cost ~170 ms of kernel time, 1 MiB pieces ~25 ms, while little data waits for
# writeback; past ~1.3 GB waiting (about chunk 20 of a 100,000-world run) the kernel makes the
# writer flush and every chunk costs ~200 ms either way (measured 2026-12-02)


def spill(results: Results, folder: str | Path) -> SpilledChunk:
    """Save a chunk's arrays as folder/chunk-<first world>.npy; return its record.

    The file is the .npy of np.stack(arrays), written array by array in pieces of at most
    WRITE_BYTES, so no stacked copy of the chunk is ever made.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"chunk-{results.first_world:012d}.npy"
    arrays = [np.ascontiguousarray(a, dtype=np.float64) for a in results.values.values()]
    shape = (len(arrays), *arrays[0].shape)
    header = {"descr": np.dtype(np.float64).str, "fortran_order": False, "shape": shape}
    with path.open("wb") as handle:
        np.lib.format.write_array_header_1_0(handle, header)
        for array in arrays:
            data = memoryview(array).cast("B")
            for start in range(0, len(data), WRITE_BYTES):
                handle.write(data[start : start + WRITE_BYTES])
    keys = tuple(results.values)
    return SpilledChunk(
        str(path), results.first_world, results.worlds, keys, tuple(results.periods)
    )


class SpilledResults:
    """The `Results` interface that writing a run needs, over chunks saved by `spill`."""

    def __init__(self, scenario: str, chunks: list[SpilledChunk]) -> None:
        self.chunks = sorted(chunks, key=lambda c: c.first_world)
        if not self.chunks:
            raise ValueError("nothing to merge")
        expected = self.chunks[0].first_world
        for chunk in self.chunks:
            if chunk.first_world != expected:
                raise ValueError(f"chunks are not contiguous at world {expected}")
            expected += chunk.worlds
        self.scenario = scenario
        self.periods = list(self.chunks[0].periods)
        self.keys = self.chunks[0].keys
        self.first_world = self.chunks[0].first_world

    @property
    def worlds(self) -> int:
        return sum(chunk.worlds for chunk in self.chunks)

    def _arrays(self) -> list[np.ndarray]:
        return [np.load(chunk.path, mmap_mode="r") for chunk in self.chunks]

    def metric(self, actor: str, metric: str) -> np.ndarray:
        """Array (periods, worlds) of one output, read from every chunk in world order."""
        if (actor, metric) not in self.keys:
            known = sorted({m for _, m in self.keys})
            raise KeyError(f"no output {actor}.{metric}; metrics are: {', '.join(known)}")
        index = self.keys.index((actor, metric))
        return np.concatenate([array[index] for array in self._arrays()], axis=1)

    def summary(self) -> pd.DataFrame:
        """The run's summary table, one output in memory at a time."""
        return summary_rows(self, self.keys)

    def pieces(self) -> Iterator[tuple[tuple[str, str], int, np.ndarray]]:
        """Chunk by chunk, output by output: what lynchpin.outputs.worlds streams to Parquet."""
        for chunk, array in zip(self.chunks, self._arrays(), strict=True):
            for index, key in enumerate(self.keys):
                yield key, chunk.first_world, np.asarray(array[index])

    def remove(self) -> None:
        """Delete the chunk files (and their folder once empty)."""
        folders = {Path(chunk.path).parent for chunk in self.chunks}
        for chunk in self.chunks:
            Path(chunk.path).unlink(missing_ok=True)
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def summary_rows(results: SpilledResults, keys: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """The summary table's rows of some outputs: a second pass over the chunks that workers
    share, one task per group of outputs (the rows of all groups, in key order, concatenate to
    `results.summary()` exactly)."""
    series = ((key, results.metric(*key)) for key in keys)
    return summarise(results.scenario, results.periods, series)
