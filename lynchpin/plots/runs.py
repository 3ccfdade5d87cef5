"""compare_runs: several runs of the same quarters on shared axes, for notebooks and lessons.

A notebook that compares "baseline" with "cost plus 50" needs one call, not plotting code:
each run gets its line (the median world) and its 90% band of worlds; a probability per world
(armed conflict) or an expected count (incidents) gets its mean over worlds and the 90%
confidence interval of that mean instead, because the spread over worlds of a probability is
not a spread of outcomes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from lynchpin.model.periods import decimal_year, parse_quarter
from lynchpin.model.results import Results
from lynchpin.outputs import mean_interval
from lynchpin.plots.fan import year_axis
from lynchpin.plots.style import metric_style

MEAN_METRICS = frozenset(
    {"armed_conflict", "incidents_maritime", "incidents_air", "incidents_cyber", "crises"}
)
RUN_COLOURS = ("#222222", "#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00")
BAND_TEXT = "line: median world, band: middle 90% of worlds"
MEAN_TEXT = "line: mean over worlds, band: 90% confidence interval of the mean"


def compare_runs(
    runs: Mapping[str, Results],
    series: Sequence[tuple[str, str]],
    bands: bool = True,
    panel_size: tuple[float, float] = (5.0, 3.6),
) -> Figure:
    """One panel per (actor, metric), one colour per run; returns the Figure (shown inline
    by Jupyter). Runs must cover the same quarters."""
    if not runs:
        raise ValueError("compare_runs needs at least one run")
    if len({tuple(r.periods) for r in runs.values()}) != 1:
        raise ValueError("the runs cover different quarters; compare runs of the same period")
    first = next(iter(runs.values()))
    x = np.array([decimal_year(parse_quarter(p)) for p in first.periods])
    width, height = panel_size
    fig = Figure(figsize=(width * len(series), height), layout="constrained")
    axes = fig.subplots(1, len(series), squeeze=False)[0]
    for ax, (actor, metric) in zip(axes, series, strict=True):
        style = metric_style(metric)
        for (label, results), colour in zip(runs.items(), RUN_COLOURS * 4, strict=False):
            values = results.metric(actor, metric)
            if metric in MEAN_METRICS:
                centre, low, high = mean_interval(values, axis=1)
            else:
                low, centre, high = np.percentile(values, (5, 50, 95), axis=1)
            if bands:
                ax.fill_between(x, low * style.scale, high * style.scale, color=colour, alpha=0.15)
            ax.plot(x, centre * style.scale, color=colour, label=label)
        ax.set_title(f"{actor}: {style.label}" if actor != "system" else style.label, fontsize=10)
        ax.set_ylabel(style.unit)
        ax.text(
            0.01,
            0.99,
            MEAN_TEXT if metric in MEAN_METRICS else BAND_TEXT,
            transform=ax.transAxes,
            fontsize=7,
            va="top",
            color="#555555",
        )
        year_axis(ax)
    axes[0].legend(fontsize=8, loc="lower left")
    return fig
