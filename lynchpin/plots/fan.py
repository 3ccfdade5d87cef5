"""Fan chart: the median over worlds as a line, the middle 50% and 90% of worlds as bands."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import MultipleLocator

from lynchpin.model.periods import decimal_year, parse_quarter
from lynchpin.outputs.headline import Z90

BAND_NOTE = "Line: median over worlds.  Dark band: middle 50% of worlds.  Light band: middle 90%."
PROBABILITY_NOTE = (  # two lines: on one, it was wider than the figure and cut at both ends
    "Line: probability = mean over worlds of each world's probability given its crises.\n"
    "Band: Monte Carlo error of that mean (90% confidence interval{extra}), not forecast "
    "uncertainty."
)
# What the spread across worlds contains, by the run's `uncertainty:` mode (issue 10).
CONTENT_NOTES = {
    "priors": "Bands span worlds that each draw their own parameters: ignorance and luck.",
    "none": "Parameters fixed (uncertainty: none): bands show luck only, not ignorance.",
    "table": "Bands span worlds drawing parameters from a table of draws: ignorance and luck.",
}


def content_note(uncertainty: str | None) -> str:
    """The caption's sentence on what the bands contain ('' when the mode is unknown)."""
    if uncertainty is None:
        return ""
    return CONTENT_NOTES.get(uncertainty, CONTENT_NOTES["table"])


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
    """Years on the x axis, labelled every 5 years. No yearly minor ticks: each tick is five
    artists laid out on every draw, and they made up a quarter of a run's charting time."""
    ax.xaxis.set_major_locator(MultipleLocator(5))
    ax.set_xlabel("Year")


def probability_line(
    ax: Axes,
    years: list[float],
    mean: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    *,
    colour: str,
    label: str | None = None,
    scale: float = 1.0,
) -> None:
    """A probability over time: the mean over worlds as a line, its 90% confidence interval as
    a band (never a spread over worlds, which is not a probability)."""
    ax.fill_between(years, low * scale, high * scale, color=colour, alpha=0.25, lw=0)
    ax.plot(years, mean * scale, color=colour, label=label)


def summary_mean_interval(rows: pd.DataFrame, worlds: int) -> tuple[np.ndarray, ...]:
    """Mean and a 90% confidence interval of the mean from summary rows of a quantity in [0, 1].

    The summary has no standard deviation, so the interval uses the largest variance a value
    in [0, 1] with mean m can have, m(1 - m): mean ± 1.645·sqrt(m(1 - m)/n), conservative (at
    least as wide as the exact interval).
    """
    mean = rows["mean"].to_numpy(dtype=float)
    half = Z90 * np.sqrt(np.clip(mean * (1 - mean), 0, None) / max(worlds, 1))
    return mean, np.clip(mean - half, 0, 1), np.clip(mean + half, 0, 1)
