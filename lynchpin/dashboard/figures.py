"""Matplotlib figures of a running model: fan charts of the main trajectories and a map.

The armed-conflict panel is no fan: each world's value is the probability of conflict given
that world's crises, so the spread over worlds is not a spread of outcomes. It shows the mean
over worlds (the probability of armed conflict) with a 90% confidence interval of that mean.

Kept apart from the Solara components so they can be benchmarked and tested without a
browser. Every figure is built fresh from model state (no pyplot, no global figure state).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib as mpl
import numpy as np
import PIL.Image
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import FillBetweenPolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator, MultipleLocator

from lynchpin.dashboard.projector import GHOST, limit_line
from lynchpin.dashboard.reference import Reference
from lynchpin.model.model import LynchpinModel
from lynchpin.model.periods import decimal_year, format_quarter, parse_quarter
from lynchpin.outputs import mean_interval
from lynchpin.plots.fan import BAND_NOTE
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
    legend: str = "best"  # legend position (Matplotlib `loc`)
    summary: str = "fan"  # "fan": median and bands over worlds; "mean": mean and its 90% CI
    note: str = ""  # small text in the panel's top-left corner


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
        Panel(
            "Gray-zone incidents per year",
            tuple(("system", f"incidents_{domain}") for domain in ("maritime", "air", "cyber")),
            "mean over worlds",
            summary="mean",
        ),
        Panel(
            f"Armed conflict since {format_quarter(model.config.start)[:4]}",
            (("system", "armed_conflict"),),
            "probability, %",
            summary="mean",
            note=CONFLICT_NOTE,
        ),
    )


CONFLICT_NOTE = "probability, mean over worlds\nband: 90% confidence interval"


def mean_band(values: np.ndarray) -> np.ndarray:
    """Rows (low, mean, mean, mean, high) over worlds (axis 1): the mean and its 90% CI.

    Laid out like the quantile rows of a fan so one set of artists draws both: the outer band
    is the confidence interval, the inner band is empty and the line is the mean.
    """
    mean, low, high = mean_interval(values, axis=1)
    return np.vstack([low, mean, mean, mean, high])


GHOST_STYLE = {**GHOST, "linewidth": 1.4}  # a kept reference run, grey and dashed
QUANTILES = (5, 25, 50, 75, 95)
MIN_SPAN, MIN_SPAN_ABS = 0.1, 0.02  # y span at least 10% of the value (and 0.02)
PNG_COMPRESSION = 1  # zlib level: 1 encodes several times faster than the default 6
HEADROOM = 0.3  # share of the span added when a band outgrows its chart
DPI = 100  # the PNG the browser gets: 1100 x 560 px for the fan charts


@dataclass
class _Series:
    """The artists of one fan (90% band, 50% band, median line, today's dot) and its data.

    A "mean" series uses the same artists: the outer band is the 90% confidence interval of
    the mean, the inner band is empty and the line is the mean (see `mean_band`).
    """

    actor: str
    metric: str
    scale: float
    outer: FillBetweenPolyCollection
    inner: FillBetweenPolyCollection
    line: Line2D
    dot: Line2D
    quantiles: np.ndarray  # (5, quarters recorded so far), display units
    summary: str = "fan"

    def redraw(self, years: np.ndarray) -> None:
        p05, p25, p50, p75, p95 = self.quantiles
        self.outer.set_data(years, p05, p95)
        self.inner.set_data(years, p25, p75)
        self.line.set_data(years, p50)
        self.dot.set_data(years[-1:], p50[-1:])


class TrajectoryChart:
    """The fan charts of one model, built once and updated in place as the model steps.

    Building eight panels from scratch took about half of each redraw; here the axes, titles
    and legends are made once, each step only adds the new quarters' quantiles (earlier ones
    are kept, not recomputed) and moves the artists' data. Make a new chart for a new model.
    """

    def __init__(self, model: LynchpinModel, reference: Reference | None = None) -> None:
        self.recorded = 0
        self.reference = reference
        self.limit_artist: Line2D | None = None
        self.years = np.empty(0)
        first, last = decimal_year(model.config.start), decimal_year(model.config.end)
        with mpl.rc_context(DASHBOARD_RC):
            fig = Figure(figsize=(11, 5.6), dpi=DPI)
            fig.subplots_adjust(
                left=0.05, right=0.99, top=0.9, bottom=0.08, wspace=0.28, hspace=0.3
            )
            axes = fig.subplots(2, 4, sharex=True).ravel()
            self.panels = panels(model)
            self.series: list[list[_Series]] = []
            for ax, panel in zip(axes, self.panels, strict=True):
                self.series.append(self._panel(ax, model, panel))
                ax.set_xlim(first, last + 0.25)
                ax.xaxis.set_major_locator(MultipleLocator(5))
                ax.yaxis.set_major_locator(MaxNLocator(4))
            self.hint = fig.text(
                0.5,
                0.5,
                f"{format_quarter(model.config.start)}: the starting state. "
                "Press Step or ▶ to simulate",
                ha="center",
                fontsize=13,
                color="#555555",
            )
            fig.suptitle(f"{model.worlds} worlds. {BAND_NOTE}", fontsize=9)
        self.figure = fig
        self.axes = axes
        moving: list[Artist] = [self.hint]
        for ax, drawn in zip(axes, self.series, strict=True):
            for s in drawn:
                moving += [s.outer, s.inner, s.line, s.dot]
            if ax.get_legend() is not None:
                moving.append(ax.get_legend())
        if self.limit_artist is not None:
            moving += [self.limit_artist, self.limit_text]
        self._frames = _FastPng(fig, moving)

    def png(self, model: LynchpinModel) -> bytes:
        """`update`, then the figure as PNG, redrawing only the moving parts when it can."""
        self.update(model)
        return self._frames.png(tuple(ax.get_ylim() for ax in self.axes))

    def _panel(self, ax, model: LynchpinModel, panel: Panel) -> list[_Series]:
        many_actors = len({actor for actor, _ in panel.series}) > 1
        drawn = []
        for i, (actor, metric) in enumerate(panel.series):
            style = metric_style(metric)
            same_actor_again = i > 0 and not many_actors
            colour = SECOND_SERIES_COLOURS[i - 1] if same_actor_again else actor_colour(actor)
            label = model.actors[actor].name if many_actors else style.label
            empty = np.empty(0)
            outer = ax.fill_between(empty, empty, empty, color=colour, alpha=0.15, lw=0)
            inner = ax.fill_between(empty, empty, empty, color=colour, alpha=0.35, lw=0)
            (line,) = ax.plot([], [], color=colour, label=label)
            (dot,) = ax.plot([], [], "o", color=colour, ms=4)
            ghost = self.reference.centre(actor, metric) if self.reference else None
            if ghost is not None:  # static: part of the cached background
                ax.plot(self.reference.years, ghost * style.scale, **GHOST_STYLE)
            quantiles = np.empty((len(QUANTILES), 0))
            drawn.append(
                _Series(
                    actor, metric, style.scale, outer, inner, line, dot, quantiles, panel.summary
                )
            )
        if panel.series[0][1] == "defence_share_gdp" and getattr(model, "limit_name", ""):
            (self.limit_artist,) = ax.plot(
                [], [], color="black", linestyle=":", linewidth=1.2, drawstyle="steps-mid"
            )
            self.limit_text = ax.text(
                decimal_year(model.config.start), 0.0, "", fontsize=7, va="bottom"
            )
        ax.set_title(panel.title)
        ax.set_ylabel(panel.unit)
        if panel.note:
            ax.text(0.03, 0.97, panel.note, transform=ax.transAxes, fontsize=7, va="top")
        if len(panel.series) > 1:
            ax.legend(loc=panel.legend, frameon=False)
        return drawn

    def update(self, model: LynchpinModel) -> Figure:
        """Bring the chart up to the quarters the model has recorded; returns the figure."""
        results = model.results(getattr(model, "scenario_name", "custom"))
        steps = len(results.periods)
        if steps < self.recorded:
            raise ValueError("this chart belongs to a model that has run further; make a new one")
        if steps > self.recorded:
            new = results.periods[self.recorded :]
            self.years = np.concatenate([self.years, [decimal_year(parse_quarter(p)) for p in new]])
            for drawn in self.series:
                for s in drawn:
                    values = results.metric(s.actor, s.metric)[self.recorded : steps]
                    if s.summary == "mean":
                        q = mean_band(values) * s.scale
                    else:
                        q = np.percentile(values, QUANTILES, axis=1) * s.scale
                    s.quantiles = np.concatenate([s.quantiles, q], axis=1)
                    s.redraw(self.years)
            self.recorded = steps
        if steps == 0:  # the state the run starts from, one dot per series
            for drawn in self.series:
                for s in drawn:
                    now = np.asarray(model.value(s.actor, s.metric), dtype=float)
                    centre = now.mean() if s.summary == "mean" else np.median(now)
                    s.dot.set_data([decimal_year(model.config.start)], [centre * s.scale])
                    s.quantiles = np.full((len(QUANTILES), 0), np.nan)
        limit_top = None
        limit = limit_line(model, self.years) if self.limit_artist is not None else None
        if limit is not None:  # the limit the model used each quarter (levers, shocks)
            x, shown, label = limit
            if len(x) == 1:  # before the first step: one quarter, drawn over its width
                x, shown = np.array([x[0] - 0.125, x[0] + 0.125]), np.repeat(shown, 2)
            self.limit_artist.set_data(x, shown)
            limit_top = float(shown.max())
            self.limit_text.set_text(f"{label} {shown[-1]:.2f}%")
            self.limit_text.set_position(
                (max(x[-1] - 4, float(self.years[:1].sum() or x[0])), shown[-1])
            )
        for ax, drawn in zip(self.axes, self.series, strict=True):
            extra = limit_top if drawn[0].metric == "defence_share_gdp" else None
            _fit_y(ax, drawn, extra)
            if steps == 0:
                _fit_y_to_dots(ax, drawn, extra)
        self.hint.set_visible(steps == 0)
        return self.figure


def _fit_y(ax, drawn: list[_Series], extra: float | None) -> None:
    """Y limits that hold every band drawn so far (and the norm or goal line).

    Limits only widen, and then with some headroom, so a chart does not jump at every quarter
    and its cached background (see _FastPng) stays valid for many quarters.
    """
    lows = [s.quantiles[0].min() for s in drawn if s.quantiles.shape[1]]
    highs = [s.quantiles[-1].max() for s in drawn if s.quantiles.shape[1]]
    if extra is not None:
        lows.append(extra)
        highs.append(extra)
    if not lows:
        return
    low, high = min(lows), max(highs)
    if ax.get_autoscaley_on():  # first data: start from the data, at least a readable span
        span = max(high - low, MIN_SPAN * max(abs(low), abs(high)), MIN_SPAN_ABS)
        middle = (low + high) / 2
        ax.set_ylim(middle - 0.6 * span, middle + 0.6 * span)  # turns autoscaling off
        return
    bottom, top = ax.get_ylim()
    if low >= bottom and high <= top:
        return
    headroom = HEADROOM * (max(high, top) - min(low, bottom))
    ax.set_ylim(low - headroom if low < bottom else bottom, high + headroom if high > top else top)


def _fit_y_to_dots(ax, drawn: list[_Series], extra: float | None = None) -> None:
    """Before the first step: a readable span around the starting values (and the norm or
    goal line, so a goal set before the run is on the chart)."""
    values = [float(s.dot.get_ydata()[0]) for s in drawn if len(s.dot.get_ydata())]
    if values and extra is not None:
        values.append(extra)
    if values:
        low, high = min(values), max(values)
        span = max(high - low, MIN_SPAN * max(abs(low), abs(high)), MIN_SPAN_ABS)
        ax.set_ylim((low + high) / 2 - 0.8 * span, (low + high) / 2 + 0.8 * span)


def trajectory_figure(model: LynchpinModel) -> Figure:
    """Fan charts (median, middle 50% and 90% of worlds) of the main trajectories so far."""
    return TrajectoryChart(model).update(model)


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


class MapChart:
    """Actors on an approximate map: blue links = alignment, red dashed = tension.

    Link width grows with the median alignment with the leader; the red link to the challenger
    grows with each actor's median threat perception (the leader's link with gray-zone
    intensity). Node area follows each actor's median GDP. Built once; `update` only changes
    widths, sizes and the title.
    """

    def __init__(self, model: LynchpinModel) -> None:
        leader, challenger = model.leader.code, model.challenger.code
        codes = list(model.actors)
        where = {code: _position(code, i) for i, code in enumerate(codes)}
        # (line, actor, metric): the line's width follows the actor's median of the metric.
        self.links: list[tuple[Line2D, str, str]] = []
        with mpl.rc_context(DASHBOARD_RC):
            fig = Figure(figsize=(6.4, 4.6), dpi=DPI)
            fig.subplots_adjust(left=0.1, right=0.98, top=0.92, bottom=0.11)
            ax = fig.subplots()
            for code in codes:
                if code in (leader, challenger):
                    continue
                blue = _link(ax, where[leader], where[code], actor_colour(leader), "-", 0.8)
                self.links.append((blue, code, "alignment"))
                red = _link(ax, where[challenger], where[code], "#C0392B", "--", 0.7)
                self.links.append((red, code, "threat_perception"))
            red = _link(ax, where[challenger], where[leader], "#C0392B", "--", 0.7)
            self.links.append((red, challenger, "gray_zone_intensity"))
            self.nodes = {}
            for code in codes:
                x, y = where[code]
                dot = ax.scatter([x], [y], s=250, color=actor_colour(code), edgecolor="white")
                dot.set_zorder(3)
                name = ax.annotate(
                    model.actors[code].name,
                    (x, y),
                    xytext=(0, -24),
                    textcoords="offset points",
                    ha="center",
                    fontsize=9,
                    fontweight="bold",
                )
                self.nodes[code] = (dot, name)
            ax.set_xlim(60, 220)
            ax.set_ylim(-45, 55)
            ax.set_xlabel("longitude (°E, approximate)")
            ax.set_ylabel("latitude (°N)")
            ax.set_facecolor("#EEF4F8")
            self.title = ax.set_title("")
        self.figure = fig
        moving: list[Artist] = [line for line, _, _ in self.links]
        for dot, name in self.nodes.values():
            moving += [dot, name]
        self._frames = _FastPng(fig, [*moving, self.title])

    def png(self, model: LynchpinModel) -> bytes:
        """`update`, then the figure as PNG; only links, nodes and title are redrawn."""
        self.update(model)
        return self._frames.png(None)

    def update(self, model: LynchpinModel) -> Figure:
        """Widths and sizes from the model's current state; returns the figure."""
        for line, code, metric in self.links:
            line.set_linewidth(1 + 9 * float(np.median(model.value(code, metric))))
        gdp = {c: float(np.median(model.value(c, "gdp"))) for c in self.nodes}
        biggest = max(gdp.values()) or 1.0
        for code, (dot, name) in self.nodes.items():
            size = 250 + 1500 * gdp[code] / biggest
            dot.set_sizes([size])
            name.xyann = (0, -16 - np.sqrt(size) / 2)
        self.title.set_text(
            f"{quarter_label(model)}   blue: alignment with {model.leader.name}   "
            f"red dashed: tension with {model.challenger.name}"
        )
        return self.figure


def map_figure(model: LynchpinModel) -> Figure:
    """The map of the model's current state (see MapChart)."""
    return MapChart(model).update(model)


def quarter_label(model: LynchpinModel) -> str:
    """The last quarter simulated, or the start quarter before the first step."""
    return format_quarter(max(model.quarter - 1, model.config.start))


def _link(ax, a, b, colour: str, style: str, alpha: float) -> Line2D:
    (line,) = ax.plot([a[0], b[0]], [a[1], b[1]], color=colour, ls=style, alpha=alpha, zorder=2)
    return line


class _FastPng:
    """PNG frames of a figure whose moving parts are drawn over a cached background.

    The first frame, and any frame whose `key` (e.g. the axes limits) differs from the last,
    draws the whole figure without the moving artists and keeps that picture; other frames
    restore it and draw only the moving artists (Matplotlib's "blitting"). The PNG is encoded
    with light compression: it travels over the local websocket, size matters little.
    """

    def __init__(self, fig: Figure, moving: list[Artist]) -> None:
        self.figure = fig
        self.canvas = FigureCanvasAgg(fig)
        self.moving = moving
        self._key: object = None
        self._background = None

    def png(self, key: object) -> bytes:
        with mpl.rc_context(DASHBOARD_RC):
            if self._background is None or key != self._key:
                # Animated artists are left out of a full draw; only while taking the
                # background, so that savefig of the figure still shows everything.
                for artist in self.moving:
                    artist.set_animated(True)
                try:
                    self.canvas.draw()
                finally:
                    for artist in self.moving:
                        artist.set_animated(False)
                self._background = self.canvas.copy_from_bbox(self.figure.bbox)
                self._key = key
            else:
                self.canvas.restore_region(self._background)
            renderer = self.canvas.get_renderer()
            for artist in self.moving:
                if artist.get_visible():
                    artist.draw(renderer)
        width, height = self.canvas.get_width_height()
        image = PIL.Image.frombuffer("RGBA", (width, height), self.canvas.buffer_rgba())
        buffer = io.BytesIO()
        image.save(buffer, format="png", compress_level=PNG_COMPRESSION)
        return buffer.getvalue()


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG, the way the dashboard sends it to the browser."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
