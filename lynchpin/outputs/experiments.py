"""Experiments-by-outcomes tables: what EMA Workbench users load with one read_csv.

* `worlds_outcomes.parquet` in every run folder: one row per world, the world's drawn
  parameters (when the run has per-world parameters) and its key outcomes at a few dates.
  One run of 100,000 worlds is 100,000 experiments.
* `experiments.csv` in every batch folder: one row per run, the run's inputs (one column per
  varied parameter or shock field) and its key outcomes at the dates, as mean, p05 and p95
  over worlds, or for probabilities as the mean with its 90% confidence interval.

Outcome columns are named `<actor>.<metric>@<quarter>` so they read like `--outcome` values.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lynchpin.outputs.headline import KEY_OUTCOMES, is_probability, mean_interval

if TYPE_CHECKING:
    from lynchpin.model.results import Results

WORLD_OUTCOMES_FILE = "worlds_outcomes.parquet"
EXPERIMENTS_FILE = "experiments.csv"
DEFAULT_AT: tuple[str, ...] = ("2025Q4", "2030Q4", "2035Q4")
RUN_COLUMNS = ["run_id", "scenario", "seed", "worlds"]
STATS = ("mean", "p05", "p95")  # of an ordinary outcome, over worlds
PROBABILITY_STATS = ("mean", "mean_lo", "mean_hi")  # of a probability: mean and its 90% CI


def outcome_name(actor: str, metric: str, period: str) -> str:
    return f"{actor}.{metric}@{period}"


def outcome_dates(periods: Sequence[str], at: Sequence[str] | None = None) -> list[str]:
    """The requested dates the run covers (default: 2025Q4, 2030Q4, 2035Q4), else its last."""
    wanted = [p for p in (at or DEFAULT_AT) if p in periods]
    return wanted or [periods[-1]]


def world_outcomes(
    results: Results,
    at: Sequence[str] | None = None,
    parameters: Mapping[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """One row per world: `world`, then drawn parameters, then key outcomes at the dates.

    `parameters` maps a parameter key (e.g. `JPN.defence_ceiling`) to its per-world values,
    shape (worlds,); a scalar is a fixed parameter and is left out (it explains nothing).
    """
    periods = outcome_dates(results.periods, at)
    rows = [results.periods.index(p) for p in periods]
    columns: dict[str, np.ndarray] = {
        "world": np.arange(results.first_world, results.first_world + results.worlds)
    }
    for name, values in (parameters or {}).items():
        array = np.asarray(values, dtype=float)
        if array.ndim == 1 and array.shape[0] == results.worlds:
            columns[name] = array
    held = set(results.keys)
    for actor, metric in KEY_OUTCOMES:
        if (actor, metric) not in held:
            continue
        grid = results.metric(actor, metric)
        for period, row in zip(periods, rows, strict=True):
            columns[outcome_name(actor, metric, period)] = grid[row]
    return pd.DataFrame(columns)


def world_outcomes_bytes(
    results: Results,
    at: Sequence[str] | None = None,
    parameters: Mapping[str, np.ndarray] | None = None,
) -> bytes:
    buffer = io.BytesIO()
    world_outcomes(results, at, parameters).to_parquet(buffer, index=False)
    return buffer.getvalue()


def parameter_columns(frame: pd.DataFrame) -> list[str]:
    """Columns of a worlds_outcomes or experiments table that are inputs, not outcomes."""
    return [c for c in frame.columns if c not in ("world", *RUN_COLUMNS) and "@" not in c]


def experiments_table(
    index: pd.DataFrame, root: Path, at: Sequence[str] | None = None
) -> pd.DataFrame:
    """One row per finished run of a batch index (see batch_dir.INDEX_COLUMNS).

    Means and quantiles come from each run's summary.csv; the confidence interval of a
    probability's mean needs per-world values and comes from worlds_outcomes.parquet (left
    empty for a run folder without it, or a date it does not hold).
    """
    done = index[index["status"] == "ok"]
    params = [json.loads(text or "{}") for text in done["parameters"]]
    keys = list(dict.fromkeys(key for p in params for key in p))
    records = []
    for (_, row), values in zip(done.iterrows(), params, strict=True):
        record: dict[str, object] = {c: row[c] for c in RUN_COLUMNS}
        record.update({key: values.get(key, np.nan) for key in keys})
        record.update(_run_outcomes(root / row["path"], at))
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    if frame.empty:
        return pd.DataFrame(columns=[*RUN_COLUMNS, *keys])
    for column in ("seed", "worlds"):
        frame[column] = frame[column].astype(int)
    return frame


def _run_outcomes(folder: Path, at: Sequence[str] | None) -> dict[str, float]:
    summary = pd.read_csv(folder / "summary.csv")
    periods = list(dict.fromkeys(summary["period"]))
    dates = outcome_dates(periods, at)
    per_world = folder / WORLD_OUTCOMES_FILE
    worlds = pd.read_parquet(per_world) if per_world.is_file() else pd.DataFrame()
    by_key = summary.set_index(["actor", "metric", "period"])
    out: dict[str, float] = {}
    for actor, metric in KEY_OUTCOMES:
        for period in dates:
            name = outcome_name(actor, metric, period)
            if (actor, metric, period) not in by_key.index:
                continue
            row = by_key.loc[(actor, metric, period)]
            if is_probability(actor, metric):
                lo = hi = np.nan
                if name in worlds:
                    _, low, high = mean_interval(worlds[name].to_numpy())
                    lo, hi = float(np.clip(low, 0, 1)), float(np.clip(high, 0, 1))
                values = (float(row["mean"]), lo, hi)
                out.update(
                    {f"{name}.{s}": v for s, v in zip(PROBABILITY_STATS, values, strict=True)}
                )
            else:
                out.update({f"{name}.{s}": float(row[s]) for s in STATS})
    return out
