"""Observed 2015-2024 history shipped with lynchpin for backtests and calibration.

Each table is a small tidy CSV in this package. Every row names its source and carries a
confidence mark: ``F`` (read in the named source) or ``D`` (derived from ``F`` figures, the
source column says how). Recalled, unchecked figures are not shipped; see
``docs/data-sources.md`` for units, sources, licences and the list of omitted values.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd

__all__ = ["HISTORY_NAMES", "load_history"]

HISTORY_NAMES: tuple[str, ...] = ("milex", "gdp", "grayzone", "events", "japan_plans")
"""Names accepted by :func:`load_history`, one per CSV file in this package."""


def load_history(name: str) -> pd.DataFrame:
    """Load one shipped history table as a DataFrame.

    Args:
        name: one of ``milex``, ``gdp``, ``grayzone``, ``events``, ``japan_plans``.

    Returns:
        The table exactly as shipped (empty cells become NaN); for ``events`` the ``date``
        column is parsed to ``datetime64``.

    Raises:
        ValueError: if ``name`` is not one of the shipped tables.
    """
    if name not in HISTORY_NAMES:
        valid = ", ".join(HISTORY_NAMES)
        raise ValueError(f"unknown history table {name!r}; valid names: {valid}")
    resource = resources.files(__name__).joinpath(f"{name}.csv")
    with resource.open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle)
    if name == "events":
        frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    return frame
