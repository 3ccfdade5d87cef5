"""Trajectories over worlds, and the tidy tables users read.

A Results holds one (periods x worlds) array per (actor, metric). Chunks of worlds merge by
concatenation in world order, so quantiles computed after a merge equal those of one big run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

QUANTILES = {"p05": 0.05, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p95": 0.95}
SUMMARY_COLUMNS = ["scenario", "period", "actor", "metric", "mean", *QUANTILES]


def quantiles_of_sorted(ordered: np.ndarray, q: np.ndarray) -> np.ndarray:
    """np.quantile(x, q, axis=1) (method "linear") for rows already sorted: np.sort(x, axis=1).

    The same arithmetic as NumPy's (virtual index (n-1)q, then its two-sided lerp), so the
    numbers are bit-identical, and a row holding a NaN gives NaN as there. Why not np.quantile:
    it partitions around the ten order statistics one after another, which costs about four
    times one (SIMD) sort of each row at 10,000 worlds.
    """
    n = ordered.shape[1]
    virtual = (n - 1) * np.asarray(q, dtype=float)
    below = np.floor(virtual)
    lower = below.astype(np.intp)
    upper = np.minimum(lower + 1, n - 1)
    gamma = (virtual - below)[:, None]
    a, b = ordered[:, lower].T, ordered[:, upper].T  # (quantiles, rows)
    diff = b - a
    result = a + diff * gamma
    np.subtract(b, diff * (1 - gamma), out=result, where=gamma >= 0.5)
    result[:, np.isnan(ordered[:, -1])] = np.nan
    return result


def summarise(
    scenario: str,
    periods: list[str],
    series: Iterable[tuple[tuple[str, str], np.ndarray]],
) -> pd.DataFrame:
    """The summary table from ((actor, metric), array(periods, worlds)) pairs, one at a time.

    One output is in memory at once besides the table, so a caller may load the arrays lazily
    (e.g. from chunks on disk); the numbers equal np.mean / np.quantile over worlds exactly.
    """
    q = np.array(list(QUANTILES.values()))
    keys, means, quantiles = [], [], []
    for key, array in series:
        keys.append(key)
        means.append(array.mean(axis=1))
        quantiles.append(quantiles_of_sorted(np.sort(array, axis=1), q))
    n_periods = len(periods)
    stacked = np.stack(quantiles, axis=1)  # (quantiles, outputs, periods)
    frame = pd.DataFrame(
        {
            "scenario": scenario,
            "period": np.tile(periods, len(keys)),
            "actor": np.repeat([k[0] for k in keys], n_periods),
            "metric": np.repeat([k[1] for k in keys], n_periods),
            "mean": np.concatenate(means),
            **{name: stacked[i].ravel() for i, name in enumerate(QUANTILES)},
        }
    )
    return frame[SUMMARY_COLUMNS]


@dataclass
class Results:
    """Per-world trajectories of every output of one scenario."""

    scenario: str
    periods: list[str]
    values: dict[tuple[str, str], np.ndarray]
    first_world: int = 0

    @property
    def worlds(self) -> int:
        return next(iter(self.values.values())).shape[1]

    @property
    def keys(self) -> list[tuple[str, str]]:
        """The (actor, metric) outputs held, in recording order (as SpilledResults.keys)."""
        return list(self.values)

    def metric(self, actor: str, metric: str) -> np.ndarray:
        """Array (periods, worlds) of one output; KeyError names what exists."""
        try:
            return self.values[(actor, metric)]
        except KeyError:
            known = sorted({m for _, m in self.values})
            raise KeyError(f"no output {actor}.{metric}; metrics are: {', '.join(known)}") from None

    def summary(self) -> pd.DataFrame:
        """Tidy table: one row per (period, actor, metric) with mean and quantiles over worlds."""
        return summarise(self.scenario, self.periods, self.values.items())

    def pieces(self) -> Iterator[tuple[tuple[str, str], int, np.ndarray]]:
        """((actor, metric), first world, array (periods, worlds)) per output, for writers that
        stream (lynchpin.outputs.worlds) instead of building `per_world`'s table at once."""
        for key, array in self.values.items():
            yield key, self.first_world, array

    def per_world(self) -> pd.DataFrame:
        """Long table: scenario, period, actor, metric, world, value (world = global index)."""
        frames = []
        world_ids = np.arange(self.first_world, self.first_world + self.worlds)
        n_periods = len(self.periods)
        for (actor, metric), array in self.values.items():
            frames.append(
                pd.DataFrame(
                    {
                        "period": np.repeat(self.periods, self.worlds),
                        "actor": actor,
                        "metric": metric,
                        "world": np.tile(world_ids, n_periods),
                        "value": array.ravel(),
                    }
                )
            )
        frame = pd.concat(frames, ignore_index=True)
        frame.insert(0, "scenario", self.scenario)
        return frame

    @staticmethod
    def merge(parts: Iterable[Results]) -> Results:
        """Join chunks of worlds of the same scenario, in world order."""
        ordered = sorted(parts, key=lambda r: r.first_world)
        if not ordered:
            raise ValueError("nothing to merge")
        first = ordered[0]
        expected = first.first_world
        for part in ordered:
            if part.first_world != expected:
                raise ValueError(f"chunks are not contiguous at world {expected}")
            expected += part.worlds
        values = {
            key: np.concatenate([p.values[key] for p in ordered], axis=1) for key in first.values
        }
        return Results(first.scenario, first.periods, values, first.first_world)
