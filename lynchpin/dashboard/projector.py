"""The four big panels of projector mode, each its own SVG so its text scales with its box.

A projector at 1280x800 seen from the back row needs few panels and large type: gray-zone
incidents and intensity (C4, C12), Japan's fears and spending (C8, C9), alliance and Quad
cohesion (C1, C14), armed conflict. Each panel is a small Matplotlib figure saved as SVG with
its text as text (svg.fonttype none), so the browser draws it at the displayed size: crisp at
any size and zoom. Outputs are looked up by name and a curve the model does not report is left
out, so panels survive a model that gains or loses outputs.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import (
    FormatStrFormatter,
    LogLocator,
    MaxNLocator,
    MultipleLocator,
    NullFormatter,
)

from lynchpin.dashboard.reference import MEAN_METRICS, Reference, role_actor
from lynchpin.model.model import LynchpinModel
from lynchpin.model.periods import decimal_year, format_quarter, parse_quarter
from lynchpin.outputs import mean_interval
from lynchpin.plots.style import metric_style

PROJECTOR_RC: dict[str, object] = {
    "font.size": 15,
    "axes.titlesize": 17,
    "axes.titleweight": "bold",
    "axes.labelsize": 14,
    "xtick.labelsize": 15,
    "ytick.labelsize": 15,
    "legend.fontsize": 14,
    "lines.linewidth": 3.0,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "svg.fonttype": "none",  # text stays text: the browser renders it at the shown size
}
FIGSIZE = (5.6, 3.6)  # inches; the browser scales the SVG to its grid cell
GHOST = {"color": "#888888", "linestyle": "--", "linewidth": 2.2, "alpha": 0.9}


@dataclass(frozen=True)
class Curve:
    """One line of a panel: whose output (a role or "system"), how it is summarised."""

    role: str
    metric: str
    label: str
    colour: str
    axis: str = "left"  # "right": the panel's second y axis
    dashed: bool = False


@dataclass(frozen=True)
class BigPanel:
    key: str  # CSS class suffix: lynchpin-panel-<key>
    title: str
    curves: tuple[Curve, ...]
    left_unit: str
    right_unit: str = ""
    limit_role: str = ""  # draw that actor's spending limit on the right axis
    log: bool = False  # a log left axis: counts that differ by orders of magnitude


def projector_panels(model: LynchpinModel) -> tuple[BigPanel, ...]:
    """The four panels; names come from the model's actors."""
    ally = role_actor(model, "treaty_ally") or model.leader.code
    ally_name = model.actors[ally].name
    return (
        BigPanel(
            "grayzone",
            "Gray-zone incidents and intensity",
            (
                Curve("system", "incidents_maritime", "maritime", "#0072B2"),
                Curve("system", "incidents_air", "air", "#009E73"),
                Curve("system", "incidents_cyber", "cyber", "#E69F00"),
                Curve("challenger", "gray_zone_intensity", "intensity", "#CC79A7", "right", True),
            ),
            "incidents per year",
            "intensity 0-1",
            log=True,
        ),
        BigPanel(
            "japan",
            f"{ally_name}: fears and spending",
            (
                Curve("treaty_ally", "abandonment_fear", "abandonment", "#D55E00"),
                Curve("treaty_ally", "entrapment_fear", "entrapment", "#56B4E9"),
                Curve("treaty_ally", "defence_share_gdp", "spending", "#222222", "right", True),
            ),
            "fear 0-1",
            "spending, % of GDP",
            limit_role="treaty_ally",
        ),
        BigPanel(
            "cohesion",
            "Alliance and Quad cohesion",
            (
                Curve("system", "alliance_cohesion", "US-Japan alliance", "#0072B2"),
                Curve("system", "quad_cohesion", "Quad", "#009E73"),
            ),
            "cohesion 0-1",
        ),
        BigPanel(
            "conflict",
            f"Armed conflict since {format_quarter(model.config.start)[:4]}",
            (
                Curve("system", "armed_conflict", "probability (mean)", "#C0392B"),
                Curve("system", "at_war", "worlds at war", "#222222", dashed=True),
            ),
            "%",
        ),
    )


class PanelFigure:
    """One big panel, redrawn in full each time (an SVG has no cached background)."""

    def __init__(
        self, model: LynchpinModel, panel: BigPanel, reference: Reference | None = None
    ) -> None:
        self.panel = panel
        outputs = set(model.output_names())
        self.curves = [
            (curve, actor)
            for curve in panel.curves
            if (actor := role_actor(model, curve.role)) and (actor, curve.metric) in outputs
        ]
        self.reference = reference
        self.start = decimal_year(model.config.start)
        self.end = decimal_year(model.config.end)

    def svg(self, model: LynchpinModel) -> str:
        """The panel as SVG text for the quarters `model` has simulated."""
        # One salt per panel: inline SVGs share a document, so their clip-path ids must
        # differ; a fixed salt keeps an unchanged panel's bytes unchanged.
        with mpl.rc_context({**PROJECTOR_RC, "svg.hashsalt": f"lynchpin-{self.panel.key}"}):
            fig = self.figure(model)
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg")
        return buffer.getvalue()

    def figure(self, model: LynchpinModel) -> Figure:
        """A fresh figure (call inside PROJECTOR_RC for projector type sizes)."""
        results = model.results("now")
        steps = len(results.periods)
        years = np.array([decimal_year(parse_quarter(p)) for p in results.periods])
        fig = Figure(figsize=FIGSIZE, dpi=100)
        fig.subplots_adjust(left=0.16, right=0.85, top=0.68, bottom=0.09)
        ax = fig.subplots()
        right = ax.twinx() if any(c.axis == "right" for c, _ in self.curves) else None
        handles = []
        for curve, actor in self.curves:
            target = right if curve.axis == "right" else ax
            scale = metric_style(curve.metric).scale
            style = "--" if curve.dashed else "-"
            if steps:
                low, mid, high = _summary(results.metric(actor, curve.metric), curve.metric)
                target.fill_between(
                    years, low * scale, high * scale, color=curve.colour, alpha=0.18
                )
                (line,) = target.plot(years, mid * scale, style, color=curve.colour)
                target.plot(years[-1:], mid[-1:] * scale, "o", color=curve.colour, ms=7)
            else:  # the 2020Q1 state, before the first step
                now = np.asarray(model.value(actor, curve.metric), dtype=float)
                value = (now.mean() if curve.metric in MEAN_METRICS else np.median(now)) * scale
                (line,) = target.plot([self.start], [value], "o", color=curve.colour, ms=9)
            line.set_label(curve.label)
            handles.append(line)
            ghost = self.reference.centre(actor, curve.metric) if self.reference else None
            if ghost is not None:
                target.plot(self.reference.years, ghost * scale, **GHOST)
        limit = limit_line(model, years) if self.panel.limit_role and right else None
        if limit is not None:
            x, shown, label = limit
            (drawn,) = right.step(x, shown, where="mid", color="#222222", lw=1.8, ls=":")
            drawn.set_label(label)
            handles.append(drawn)
            right.annotate(
                f"{label} {shown[-1]:.2f}%",
                (x[-1], shown[-1]),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=12,
            )
        if self.reference is not None:
            (ghost_key,) = ax.plot([], [], **GHOST)
            ghost_key.set_label("reference")
            handles.append(ghost_key)
        fig.suptitle(self.panel.title, x=0.02, y=0.985, ha="left", fontweight="bold")
        ax.set_ylabel(self.panel.left_unit)
        ax.set_xlim(self.start - 0.2, self.end + 0.3)
        ax.xaxis.set_major_locator(MultipleLocator(5))
        ax.yaxis.set_major_locator(MaxNLocator(4))
        if self.panel.log and steps:
            ax.set_yscale("log")
            ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))
            ax.yaxis.set_minor_formatter(NullFormatter())
        else:
            _floor_at_zero(ax)
        if right is not None:
            right.set_ylabel(self.panel.right_unit)
            right.yaxis.set_major_locator(MaxNLocator(4))
            right.grid(False)
            _floor_at_zero(right)
        fig.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.0, 0.9),
            frameon=False,
            ncols=3,
            handlelength=1.5,
            columnspacing=0.8,
        )
        if not steps:
            ax.text(
                0.98,
                0.05,
                f"{format_quarter(model.config.start)}: press Step or ▶",
                transform=ax.transAxes,
                ha="right",
                fontsize=13,
                color="#555555",
            )
        return fig


def limit_line(
    model: LynchpinModel, years: np.ndarray
) -> tuple[np.ndarray, np.ndarray, str] | None:
    """(years, limit in % of GDP, label) of the spending limit the model used each quarter
    (see DashboardModel.limits), or its value for the first quarter before the run."""
    limit_now = getattr(model, "limit_now", None)
    value = limit_now() if limit_now else None
    if value is None:
        return None
    limits = np.asarray(model.limits, dtype=float)
    if len(years) and len(limits) == len(years):
        return years, limits * 100, model.limit_label
    start = decimal_year(model.config.start)
    return (
        np.array([years[-1] if len(years) else start]),
        np.array([value * 100]),
        model.limit_label,
    )


def _summary(values: np.ndarray, metric: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(low, centre, high) over worlds: 90% of worlds around the median, or for a probability
    or expected count its mean with a 90% confidence interval."""
    if metric in MEAN_METRICS:
        mean, low, high = mean_interval(values, axis=1)
        return low, mean, high
    low, mid, high = np.percentile(values, (5, 50, 95), axis=1)
    return low, mid, high


def _floor_at_zero(ax) -> None:
    bottom, top = ax.get_ylim()
    if bottom < 0 <= top or (bottom >= 0 and bottom < 0.3 * (top - bottom)):
        ax.set_ylim(0, top if top > 0 else 1)


class ProjectorCharts:
    """The four panels of one model (make a new one for a new model or reference)."""

    def __init__(self, model: LynchpinModel, reference: Reference | None = None) -> None:
        self.figures = [PanelFigure(model, p, reference) for p in projector_panels(model)]

    def svgs(self, model: LynchpinModel) -> list[tuple[str, str]]:
        """(panel key, SVG text) for each panel."""
        return [(f.panel.key, f.svg(model)) for f in self.figures]
