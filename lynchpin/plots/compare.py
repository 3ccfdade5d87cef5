"""Figures of a scenario comparison: overlaid fans with paired differences, end-state boxes.

The runs are whatever `lynchpin.analysis.compare` loaded: objects with `label`, `summary`,
`periods` and `worlds` ({(actor, metric): array (periods, worlds)}); paired differences from
the baseline are computed there and passed in, so this module only draws.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from lynchpin.model.periods import decimal_year, parse_quarter
from lynchpin.outputs import KEY_OUTCOMES, is_probability, mean_interval
from lynchpin.plots.fan import (
    fan,
    probability_line,
    series_rows,
    summary_mean_interval,
    year_axis,
)
from lynchpin.plots.style import RC_PARAMS, SYSTEM_COLOUR, metric_style

# Okabe-Ito without black (the baseline is drawn in near-black), then tab10 for long lists.
RUN_COLOURS = (
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#B8A200",
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
)  # fmt: skip
Outcome = tuple[str, str]


def colours(runs: Sequence[Any], baseline: Any) -> dict[str, str]:
    """One distinct colour per run (never repeated: beyond the fixed palette, evenly spaced
    hues); the baseline near-black."""
    palette = list(RUN_COLOURS)
    if len(runs) > len(palette):
        from matplotlib import colormaps

        hues = colormaps["turbo"](np.linspace(0.05, 0.95, len(runs)))
        palette = [matplotlib.colors.to_hex(c) for c in hues]
    others = iter(palette)
    return {r.label: SYSTEM_COLOUR if r is baseline else next(others) for r in runs}


def _years(periods: Sequence[str]) -> list[float]:
    return [decimal_year(parse_quarter(p)) for p in periods]


def outcome_figure(
    runs: Sequence[Any],
    baseline: Any,
    outcome: Outcome,
    diffs: Mapping[str, np.ndarray | None],
) -> Figure:
    """Left: overlaid fans of every run. Right: paired differences from the baseline
    (`diffs[label]`, array (periods, paired worlds), or None for unpaired runs).

    For a probability (armed conflict) the left shows each run's mean over worlds with its 90%
    confidence interval and the right the mean paired difference with its 90% CI, because the
    spread of per-world probabilities is not a probability.
    """
    actor, metric = outcome
    style = metric_style(metric)
    probability = is_probability(actor, metric)
    palette = colours(runs, baseline)
    title = style.label if actor == "system" else f"{actor}: {style.label}"
    with matplotlib.rc_context(RC_PARAMS):
        fig = Figure(figsize=(16, 7.5), layout="constrained")
        left, right = fig.subplots(1, 2)
        for run in runs:
            colour = palette[run.label]
            if probability:
                if outcome in run.worlds:
                    mean, low, high = mean_interval(run.worlds[outcome], axis=1)
                else:
                    rows = series_rows(run.summary, actor, metric)
                    if rows.empty:
                        continue
                    mean, low, high = summary_mean_interval(rows, run.manifest["worlds"])
                probability_line(
                    left,
                    _years(run.periods),
                    mean,
                    low,
                    high,
                    colour=colour,
                    label=run.label,
                    scale=style.scale,
                )
                continue
            rows = series_rows(run.summary, actor, metric)
            if not rows.empty:
                fan(left, rows, colour=colour, label=run.label, scale=style.scale)
        left.set_title(
            "Probability: mean over worlds, 90% CI of the mean"
            if probability
            else "Level: median, middle 50% and 90% of worlds"
        )
        left.set_ylabel(style.axis_label)
        year_axis(left)
        for run in runs:
            diff = diffs.get(run.label)
            if run is baseline or diff is None:
                continue
            d = diff * style.scale
            colour = palette[run.label]
            if probability:
                mean, lo, hi = mean_interval(d, axis=1)
            else:
                mean = d.mean(axis=1)
                lo, hi = np.quantile(d, [0.05, 0.95], axis=1)
            years = _years(run.periods)
            right.fill_between(years, lo, hi, color=colour, alpha=0.15, lw=0)
            right.plot(years, mean, color=colour)
        right.axhline(0, color=SYSTEM_COLOUR, lw=1.2)
        right.set_title(
            f"Minus {baseline.label}: mean, 90% CI of the mean"
            if probability
            else f"Minus {baseline.label}: mean, 90% of paired worlds"
        )
        right.set_ylabel(f"Difference ({style.unit})" if style.unit else "Difference")
        year_axis(right)
        fig.suptitle(title)
        legend_below(fig, *left.get_legend_handles_labels())
        return fig


def end_state_figure(runs: Sequence[Any], baseline: Any, period: str) -> Figure:
    """Box plots (whiskers: 5th-95th percentile of worlds) of every key outcome at `period`;
    a probability is drawn as its mean with a 90% confidence interval instead."""
    palette = colours(runs, baseline)
    outcomes = [o for o in KEY_OUTCOMES if any(o in r.worlds for r in runs)]
    columns = 3
    rows = -(-len(outcomes) // columns)
    with matplotlib.rc_context(
        {
            **RC_PARAMS,
            "font.size": 14,
            "axes.titlesize": 15,
            "xtick.labelsize": 12,
            "ytick.labelsize": 12,
        }
    ):
        fig = Figure(figsize=(16, 4.2 * rows + 1.5), layout="constrained")
        axes = fig.subplots(rows, columns, squeeze=False).ravel()
        for ax, (actor, metric) in zip(axes, outcomes, strict=False):
            style = metric_style(metric)
            present = [r for r in runs if (actor, metric) in r.worlds and period in r.periods]
            data = [
                r.worlds[(actor, metric)][r.periods.index(period)] * style.scale for r in present
            ]
            if is_probability(actor, metric):
                for x, (values, run) in enumerate(zip(data, present, strict=True), start=1):
                    mean, lo, hi = (float(v) for v in mean_interval(values))
                    ax.errorbar(
                        [x],
                        [mean],
                        yerr=[[mean - lo], [hi - mean]],
                        fmt="D",
                        color=palette[run.label],
                        capsize=8,
                        markersize=9,
                    )
                ax.set_xlim(0.5, len(present) + 0.5)
                name = f"Probability of armed conflict by {period} (mean, 90% CI)"
            else:
                boxes = ax.boxplot(
                    data,
                    whis=(5, 95),
                    showfliers=False,
                    patch_artist=True,
                    medianprops={"color": "white", "lw": 2},
                    showmeans=True,  # a diamond keeps runs with no spread visible
                    meanprops={
                        "marker": "D",
                        "markerfacecolor": "white",
                        "markeredgecolor": "black",
                    },
                )
                for patch, run in zip(boxes["boxes"], present, strict=True):
                    patch.set_facecolor(palette[run.label])
                name = style.label if actor == "system" else f"{actor}: {style.label}"
            ax.set_xticks(range(1, len(present) + 1), [str(runs.index(r) + 1) for r in present])
            ax.set_title(name if len(name) < 38 else re.sub(r"[,(].*", "", name).strip())
            ax.set_ylabel(style.unit)
            ax.grid(axis="x", visible=False)
        for ax in axes[len(outcomes) :]:
            ax.set_visible(False)
        handles = [Patch(color=palette[r.label]) for r in runs]
        legend_below(fig, handles, [f"{i + 1} = {r.label}" for i, r in enumerate(runs)])
        fig.suptitle(
            f"End state at {period} across worlds\n"
            "box: middle 50%, whiskers: 90%, white line: median, diamond: mean;\n"
            "armed conflict: mean with 90% CI"
        )
        return fig


def legend_below(fig: Figure, handles: list, labels: list[str]) -> None:
    """A legend under the panels: one column for long labels, so none is cut off."""
    if not labels:
        return
    columns = 1 if max(map(len, labels)) > 45 else min(3, len(labels))
    fig.legend(handles, labels, loc="outside lower center", ncols=columns, frameon=False)
