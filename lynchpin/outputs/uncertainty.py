"""Ignorance versus luck: the law of total variance over the nested design.

Worlds come in groups that share one parameter draw (worlds_per_draw). For an outcome Y,
Var(Y) = Var(E[Y | parameters]) + E[Var(Y | parameters)]: the first part is parametric
(ignorance about the model's numbers), the second stochastic (luck: shocks, crises, elections).
The between-group variance of group means overstates the first part by the within-group
variance / group size, so that is subtracted (the one-way random-effects ANOVA estimator).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lynchpin.outputs.headline import KEY_OUTCOMES

if TYPE_CHECKING:
    from lynchpin.model.config import ModelConfig
    from lynchpin.model.results import Results

UNCERTAINTY_FILE = "uncertainty.csv"
PARAMETERS_FILE = "parameters.parquet"
UNCERTAINTY_COLUMNS = ["metric", "actor", "period", "total_variance", "parametric_share"]


def decompose(values: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(total variance, parametric share) over the last axis (worlds) of `values`.

    `groups[w]` is the parameter draw of world w. The share is 0 when every world shares one
    draw (fixed parameters), NaN when each draw has a single world (nothing separates luck
    from ignorance). The share is parametric / (parametric + within-draw variance).
    """
    values = np.asarray(values, dtype=float)
    total = values.var(axis=-1)
    labels, index, counts = np.unique(groups, return_inverse=True, return_counts=True)
    if len(labels) == 1:
        return total, np.zeros_like(total)
    if counts.max() == 1:
        return total, np.full_like(total, np.nan)
    means = _sums(values, index, counts) / counts
    within = values - means[..., index]
    dof_within = max(len(groups) - len(labels), 1)
    within_var = (within * within).sum(axis=-1) / dof_within
    between_var = means.var(axis=-1, ddof=1)
    size = counts.mean()
    parametric = np.maximum(between_var - within_var / size, 0.0)
    modelled = parametric + within_var  # both parts estimated, so the share lies in [0, 1]
    share = np.where(modelled > 0, parametric / np.where(modelled > 0, modelled, 1.0), 0.0)
    return total, share


def _sums(values: np.ndarray, index: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Sums of values (..., worlds) per group index, shape (..., groups)."""
    order = np.argsort(index, kind="stable")
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    return np.add.reduceat(values[..., order], starts, axis=-1)


def group_means(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Mean of `values` (..., worlds) within each parameter draw: shape (..., draws)."""
    values = np.asarray(values, dtype=float)
    _, index, counts = np.unique(groups, return_inverse=True, return_counts=True)
    return _sums(values, index, counts) / counts


def uncertainty_table(results: Results, groups: np.ndarray) -> pd.DataFrame:
    """uncertainty.csv: every period of every key outcome the run has, decomposed."""
    frames = []
    held = set(results.keys)
    for actor, metric in KEY_OUTCOMES:
        if (actor, metric) not in held:
            continue
        total, share = decompose(results.metric(actor, metric), groups)
        frames.append(
            pd.DataFrame(
                {
                    "metric": metric,
                    "actor": actor,
                    "period": results.periods,
                    "total_variance": total,
                    "parametric_share": share,
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=UNCERTAINTY_COLUMNS)
    return pd.concat(frames, ignore_index=True)[UNCERTAINTY_COLUMNS]


def parameters_frame(config: ModelConfig, worlds: int, seed: int) -> pd.DataFrame:
    """parameters.parquet: `world`, `draw` (the world's parameter draw) and one column per
    drawn parameter. The draws are recomputed from config and seed (they are a pure function
    of them), so chunked and parallel runs write the same table."""
    from lynchpin.model.draws import draw_groups, parameter_draws

    columns = {"world": np.arange(worlds), "draw": draw_groups(config, worlds)}
    return pd.DataFrame({**columns, **parameter_draws(config, worlds, seed)})


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as Parquet bytes (for atomic writing)."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()
