"""Outcome-versus-input views of a sweep: what `compare` draws beyond a handful of runs.

Overlaying seventeen fans answers nothing; these views answer "which inputs produce which
outcomes": scatter with a smoother for sampled designs, a heat map for a two-way grid, and
small multiples (runs on an axis, not in a legend) otherwise.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from lynchpin.plots.style import RC_PARAMS

POINT_COLOUR = "#0072B2"
SMOOTH_COLOUR = "#D55E00"


def sweep_kind(inputs: pd.DataFrame) -> str:
    """'grid' (two inputs, every combination once), 'sampled' (numeric inputs with mostly
    distinct values, as a Latin hypercube gives) or 'runs' (anything else)."""
    numeric = [c for c in inputs.columns if pd.api.types.is_numeric_dtype(inputs[c])]
    if not numeric or inputs[numeric].isna().any().any():
        return "runs"
    n = len(inputs)
    levels = [inputs[c].nunique() for c in numeric]
    full_grid = len(numeric) == 2 == len(inputs.columns) and levels[0] * levels[1] == n > 3
    if full_grid and not inputs.duplicated().any():
        return "grid"
    if len(numeric) == len(inputs.columns) and min(levels) >= 0.8 * n:
        return "sampled"
    return "runs"


def smoother(x: np.ndarray, y: np.ndarray, points: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Local linear regression with a Gaussian kernel (bandwidth a fifth of the range): the
    trend of y in x, without a library (a LOWESS stand-in that is deterministic)."""
    grid = np.linspace(x.min(), x.max(), points)
    width = (x.max() - x.min()) / 5 or 1.0
    fitted = np.empty_like(grid)
    for i, at in enumerate(grid):
        w = np.exp(-0.5 * ((x - at) / width) ** 2)
        xm, ym = np.average(x, weights=w), np.average(y, weights=w)
        var = np.average((x - xm) ** 2, weights=w)
        slope = np.average((x - xm) * (y - ym), weights=w) / var if var > 0 else 0.0
        fitted[i] = ym + slope * (at - xm)
    return grid, fitted


def scatter_figure(inputs: pd.DataFrame, values: pd.DataFrame, label: str, title: str) -> Figure:
    """One panel per input: the outcome of every run against the input, with a smoother.

    `values` has columns mean, low, high (the run's interval, drawn as a thin bar).
    """
    names = list(inputs.columns)
    columns = min(len(names), 3)
    rows = -(-len(names) // columns)
    with matplotlib.rc_context(RC_PARAMS):
        fig = Figure(figsize=(5.4 * columns + 0.6, 4.6 * rows + 1.2), layout="constrained")
        axes = fig.subplots(rows, columns, squeeze=False, sharey=True).ravel()
        for ax, name in zip(axes, names, strict=False):
            x = inputs[name].to_numpy(dtype=float)
            ax.vlines(x, values["low"], values["high"], color=POINT_COLOUR, alpha=0.25, lw=2)
            ax.scatter(x, values["mean"], s=40, color=POINT_COLOUR, zorder=3)
            gx, gy = smoother(x, values["mean"].to_numpy(dtype=float))
            ax.plot(gx, gy, color=SMOOTH_COLOUR, lw=2.5)
            ax.set_xlabel(name)
            ax.xaxis.set_major_locator(MaxNLocator(5))
        for ax in axes[::columns]:
            ax.set_ylabel(label)
        for ax in axes[len(names) :]:
            ax.set_visible(False)
        fig.suptitle(title)
        return fig


def heatmap_figure(inputs: pd.DataFrame, values: pd.Series, label: str, title: str) -> Figure:
    """Mean outcome over a two-way grid, each cell annotated with its value."""
    first, second = inputs.columns
    table = (
        pd.DataFrame({first: inputs[first], second: inputs[second], "v": values.to_numpy()})
        .pivot(index=second, columns=first, values="v")
        .sort_index()
        .sort_index(axis=1)
    )
    with matplotlib.rc_context(RC_PARAMS):
        fig = Figure(
            figsize=(max(7.0, 1.6 * table.shape[1] + 4), max(5.0, 1.0 * table.shape[0] + 3)),
            layout="constrained",
        )
        ax = fig.subplots()
        image = ax.imshow(table.to_numpy(), cmap="viridis", aspect="auto", origin="lower")
        ax.set_xticks(range(table.shape[1]), [f"{v:.3g}" for v in table.columns])
        ax.set_yticks(range(table.shape[0]), [f"{v:.3g}" for v in table.index])
        ax.set_xlabel(first)
        ax.set_ylabel(second)
        ax.grid(False)
        middle = np.nanmean(table.to_numpy())
        for (i, j), v in np.ndenumerate(table.to_numpy()):
            colour = "black" if v > middle else "white"
            ax.text(j, i, f"{v:.3g}", ha="center", va="center", color=colour, fontsize=13)
        fig.colorbar(image, ax=ax).set_label(label)
        ax.set_title(title, loc="left", wrap=True)
        return fig


def runs_figure(panels: list[tuple[str, pd.DataFrame]], title: str) -> Figure:
    """Small multiples: one panel per outcome, the runs on the y axis (labels as tick labels,
    never a legend), each with its mean and interval."""
    n_runs = max(len(frame) for _, frame in panels)
    columns = min(3, len(panels))
    rows = -(-len(panels) // columns)
    with matplotlib.rc_context({**RC_PARAMS, "font.size": 13, "ytick.labelsize": 11}):
        fig = Figure(
            figsize=(6.0 * columns + 2.5, rows * max(3.5, 0.32 * n_runs + 1.6)),
            layout="constrained",
        )
        axes = fig.subplots(rows, columns, squeeze=False, sharey=True).ravel()
        for ax, (label, frame) in zip(axes, panels, strict=False):
            y = np.arange(len(frame))[::-1]
            ax.hlines(y, frame["low"], frame["high"], color=POINT_COLOUR, alpha=0.5, lw=3)
            ax.scatter(frame["mean"], y, color=POINT_COLOUR, zorder=3, s=30)
            ax.set_yticks(y, frame["run"])
            ax.set_title(label, loc="left", fontsize=13, wrap=True)
            ax.grid(axis="y", visible=False)
        for ax in axes[len(panels) :]:
            ax.set_visible(False)
        fig.suptitle(title)
        return fig
