"""Fan chart: the median over worlds as a line, the middle 50% and 90% of worlds as bands."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MultipleLocator

from lynchpin.model.periods import decimal_year, parse_quarter

BAND_NOTE = "Line: median over worlds.  Dark band: middle 50% of worlds.  Light band: middle 90%."


def series_rows(summary: pd.DataFrame, actor: str, metric: str) -> pd.DataFrame:
    """The summary rows of one (actor, metric), in time order (empty if the run lacks it)."""
    rows = summary[(summary["actor"] == actor) & (summary["metric"] == metric)]
    return rows.sort_values("period", key=lambda p: p.map(parse_quarter))


def fan(
    ax: Axes,
    rows: pd.DataFrame,
    *,
    colour: str,
    label: str | None = None,
    scale: float = 1.0,
    mean_label: str | None = None,
) -> None:
    """Draw one fan on `ax` from summary rows; values are multiplied by `scale` for display.

    With `mean_label` the mean over worlds is drawn too (dashed), for quantities such as a
    probability where the mean, not the median world, is the answer.
    """
    years = [decimal_year(parse_quarter(p)) for p in rows["period"]]
    ax.fill_between(years, rows["p05"] * scale, rows["p95"] * scale, color=colour, alpha=0.15, lw=0)
    ax.fill_between(years, rows["p25"] * scale, rows["p75"] * scale, color=colour, alpha=0.35, lw=0)
    ax.plot(years, rows["p50"] * scale, color=colour, label=label)
    if mean_label:
        ax.plot(years, rows["mean"] * scale, color=colour, linestyle="--", label=mean_label)


def year_axis(ax: Axes) -> None:
    """Years on the x axis: labelled every 5 years, ticked every year."""
    ax.xaxis.set_major_locator(MultipleLocator(5))
    ax.xaxis.set_minor_locator(MultipleLocator(1))
    ax.set_xlabel("Year")
