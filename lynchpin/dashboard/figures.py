"""Matplotlib figures of a running model: fan charts of the main trajectories and a map.

Kept apart from the Solara components so they can be benchmarked and tested without a
browser. Every figure is built fresh from model state (no pyplot, no global figure state).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, MultipleLocator

from lynchpin.model.model import LynchpinModel
from lynchpin.model.periods import decimal_year, format_quarter, parse_quarter
from lynchpin.model.results import Results
from lynchpin.plots.fan import BAND_NOTE, fan
from lynchpin.plots.style import SECOND_SERIES_COLOURS, actor_colour, metric_style

# Smaller type than the projector style: a dashboard panel is a fraction of the screen.
DASHBOARD_RC: dict[str, object] = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "lines.linewidth": 1.8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


@dataclass(frozen=True)
class Panel:
    """One small chart: a title and the (actor, metric) series drawn in it."""

    title: str
    series: tuple[tuple[str, str], ...]
    unit: str


def panels(model: LynchpinModel) -> tuple[Panel, ...]:
    """The eight trajectories a classroom discussion of the article needs most."""
    leader, challenger = model.leader.code, model.challenger.code
    ally = next(spec.code for spec in model.config.actors if spec.role == "treaty_ally")
    partners = tuple(c for c in model.actors if c not in (leader, challenger))
    ally_name = model.actors[ally].name
    return (
        Panel("US attention and commitment", ((leader, "attention"), (leader, "commitment")), ""),
        Panel(f"{ally_name}: defence spending", ((ally, "defence_share_gdp"),), "% of GDP"),
        Panel(
            f"{ally_name}: fear of abandonment / entrapment",
            ((ally, "abandonment_fear"), (ally, "entrapment_fear")),
            "",
        ),
        Panel(
            "Alliance and Quad cohesion",
            (("system", "alliance_cohesion"), ("system", "quad_cohesion")),
            "",
        ),
        Panel(
            f"{model.challenger.name}: gray-zone intensity",
            ((challenger, "gray_zone_intensity"),),
            "",
        ),
        Panel("Alignment with the US", tuple((c, "alignment") for c in partners), ""),
        Panel("Power ratio, challenger / coalition", (("system", "power_ratio"),), "1 = parity"),
        Panel("Armed conflict since start", (("system", "armed_conflict"),), "% of worlds"),
    )


def band_rows(results: Results, actor: str, metric: str) -> pd.DataFrame:
    """Summary-style rows (period, mean, p05..p95) of one series, as plots.fan expects."""
    values = results.metric(actor, metric)
    if values.shape[0] == 0:
        return pd.DataFrame(columns=["period", "mean", "p05", "p25", "p50", "p75", "p95"])
    q = np.percentile(values, [5, 25, 50, 75, 95], axis=1)
    return pd.DataFrame(
        {
            "period": results.periods,
            "mean": values.mean(axis=1),
            "p05": q[0],
            "p25": q[1],
            "p50": q[2],
            "p75": q[3],
            "p95": q[4],
        }
    )


def trajectory_figure(model: LynchpinModel) -> Figure:
    """Fan charts (median, middle 50% and 90% of worlds) of the main trajectories so far."""
    results = model.results(getattr(model, "scenario_name", "custom"))
    first, last = decimal_year(model.config.start), decimal_year(model.config.end)
    with mpl.rc_context(DASHBOARD_RC):
        fig = Figure(figsize=(11, 5.6))
        fig.subplots_adjust(left=0.05, right=0.99, top=0.9, bottom=0.08, wspace=0.28, hspace=0.3)
        axes = fig.subplots(2, 4, sharex=True).ravel()
        for ax, panel in zip(axes, panels(model), strict=True):
            _draw_panel(ax, model, results, panel)
            ax.set_xlim(first, last + 0.25)
            ax.xaxis.set_major_locator(MultipleLocator(5))
            ax.yaxis.set_major_locator(MaxNLocator(4))
        if not results.periods:
            fig.text(0.5, 0.5, "Press Step or ▶ to simulate", ha="center", fontsize=14)
        fig.suptitle(f"{results.worlds} worlds. {BAND_NOTE}", fontsize=9)
    return fig


def _draw_panel(ax, model: LynchpinModel, results: Results, panel: Panel) -> None:
    many_actors = len({actor for actor, _ in panel.series}) > 1
    for i, (actor, metric) in enumerate(panel.series):
        style = metric_style(metric)
        same_actor_again = i > 0 and not many_actors
        colour = SECOND_SERIES_COLOURS[i - 1] if same_actor_again else actor_colour(actor)
        label = model.actors[actor].name if many_actors else style.label
        rows = band_rows(results, actor, metric)
        if len(rows):
            fan(ax, rows, colour=colour, label=label, scale=style.scale)
            now = decimal_year(parse_quarter(rows["period"].iloc[-1]))
            ax.plot([now], [rows["p50"].iloc[-1] * style.scale], "o", color=colour, ms=4)
        else:
            ax.plot([], [], color=colour, label=label)
    if panel.series[0][1] == "defence_share_gdp":
        ceiling = model.config.actor(panel.series[0][0]).params["defence_ceiling"] * 100
        ax.axhline(ceiling, color="black", linestyle=":", linewidth=1)
        ax.annotate("ceiling", (ax.get_xlim()[0], ceiling), fontsize=7, va="bottom")
    ax.set_title(panel.title)
    ax.set_ylabel(panel.unit)
    if len(panel.series) > 1:
        ax.legend(loc="best", frameon=False)


# Approximate positions (longitude east, latitude) for a map-like layout; the leader sits at
# Hawaii, the home of its Indo-Pacific Command. Unknown actors are spread along the bottom.
POSITIONS: dict[str, tuple[float, float]] = {
    "USA": (202.0, 21.0),
    "JPN": (138.0, 36.0),
    "CHN": (104.0, 35.0),
    "AUS": (134.0, -25.0),
    "IND": (79.0, 22.0),
}


def _position(code: str, index: int) -> tuple[float, float]:
    return POSITIONS.get(code, (90.0 + 25.0 * index, -40.0))


def map_figure(model: LynchpinModel) -> Figure:
    """Actors on an approximate map: blue links = alignment, red dashed = tension.

    Link width grows with the median alignment with the leader; the red link to the challenger
    grows with each actor's median threat perception (the leader's link with gray-zone
    intensity). Node area follows each actor's median GDP.
    """
    leader, challenger = model.leader.code, model.challenger.code
    codes = list(model.actors)
    where = {code: _position(code, i) for i, code in enumerate(codes)}
    gdp = {c: float(np.median(model.value(c, "gdp"))) for c in codes}
    biggest = max(gdp.values()) or 1.0
    with mpl.rc_context(DASHBOARD_RC):
        fig = Figure(figsize=(6.4, 4.6))
        fig.subplots_adjust(left=0.1, right=0.98, top=0.92, bottom=0.11)
        ax = fig.subplots()
        for code in codes:
            if code in (leader, challenger):
                continue
            align = float(np.median(model.value(code, "alignment")))
            _link(ax, where[leader], where[code], actor_colour(leader), 1 + 9 * align, "-", 0.8)
            tension = float(np.median(model.value(code, "threat_perception")))
            _link(ax, where[challenger], where[code], "#C0392B", 1 + 9 * tension, "--", 0.7)
        grayzone = float(np.median(model.value(challenger, "gray_zone_intensity")))
        _link(ax, where[challenger], where[leader], "#C0392B", 1 + 9 * grayzone, "--", 0.7)
        for code in codes:
            x, y = where[code]
            size = 250 + 1500 * gdp[code] / biggest
            ax.scatter([x], [y], s=size, color=actor_colour(code), edgecolor="white", zorder=3)
            ax.annotate(
                model.actors[code].name,
                (x, y),
                xytext=(0, -16 - np.sqrt(size) / 2),
                textcoords="offset points",
                ha="center",
                fontsize=9,
                fontweight="bold",
            )
        ax.set_xlim(60, 220)
        ax.set_ylim(-45, 55)
        ax.set_xlabel("longitude (°E, approximate)")
        ax.set_ylabel("latitude (°N)")
        ax.set_facecolor("#EEF4F8")
        ax.set_title(
            f"{quarter_label(model)}   blue: alignment with {model.leader.name}   "
            f"red dashed: tension with {model.challenger.name}"
        )
    return fig


def quarter_label(model: LynchpinModel) -> str:
    """The last quarter simulated, or the start quarter before the first step."""
    return format_quarter(max(model.quarter - 1, model.config.start))


def _link(ax, a, b, colour: str, width: float, style: str, alpha: float) -> None:
    ax.plot([a[0], b[0]], [a[1], b[1]], color=colour, lw=width, ls=style, alpha=alpha, zorder=1)


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG, the way the dashboard sends it to the browser."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()
