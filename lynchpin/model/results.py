"""Trajectories over worlds, and the tidy tables users read.

A Results holds one (periods x worlds) array per (actor, metric). Chunks of worlds merge by
concatenation in world order, so quantiles computed after a merge equal those of one big run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

QUANTILES = {"p05": 0.05, "p25": 0.25, "p50": 0.50, "p75": 0.75, "p95": 0.95}
SUMMARY_COLUMNS = ["scenario", "period", "actor", "metric", "mean", *QUANTILES]


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

    def metric(self, actor: str, metric: str) -> np.ndarray:
        """Array (periods, worlds) of one output; KeyError names what exists."""
        try:
            return self.values[(actor, metric)]
        except KeyError:
            known = sorted({m for _, m in self.values})
            raise KeyError(f"no output {actor}.{metric}; metrics are: {', '.join(known)}") from None

    def summary(self) -> pd.DataFrame:
        """Tidy table: one row per (period, actor, metric) with mean and quantiles over worlds."""
        keys = list(self.values)
        stacked = np.stack([self.values[k] for k in keys])  # (outputs, periods, worlds)
        mean = stacked.mean(axis=2)
        quantiles = np.quantile(stacked, list(QUANTILES.values()), axis=2)
        n_periods = len(self.periods)
        frame = pd.DataFrame(
            {
                "scenario": self.scenario,
                "period": np.tile(self.periods, len(keys)),
                "actor": np.repeat([k[0] for k in keys], n_periods),
                "metric": np.repeat([k[1] for k in keys], n_periods),
                "mean": mean.ravel(),
                **{name: quantiles[i].ravel() for i, name in enumerate(QUANTILES)},
            }
        )
        return frame[SUMMARY_COLUMNS]

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
