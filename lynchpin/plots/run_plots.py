"""The standard figures of a run, drawn from its summary table (so they can be redrawn later)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from lynchpin.model.periods import decimal_year, parse_quarter
from lynchpin.outputs import atomic_write_bytes, mean_interval
from lynchpin.plots.charts import CHART_NAMES, CHARTS, EVERY_ACTOR, Chart, Panel
from lynchpin.plots.export import render
from lynchpin.plots.fan import (
    BAND_NOTE,
    PROBABILITY_NOTE,
    content_note,
    fan,
    probability_line,
    series_rows,
    summary_mean_interval,
    year_axis,
)
from lynchpin.plots.png import to_png
from lynchpin.plots.style import RC_PARAMS, SECOND_SERIES_COLOURS, actor_colour, metric_style

if TYPE_CHECKING:
    from lynchpin.model.results import Results


def plot_run(
    summary: pd.DataFrame,
    out_dir: str | Path,
    scenario: str,
    worlds: int,
    results: Results | None = None,
    formats: tuple[str, ...] = ("png",),
    uncertainty: str | None = None,
) -> list[Path]:
    """Write every standard chart the summary has data for (PNG, or `formats`); return the
    paths written.

    With the run's `results` a probability's band is the exact 90% confidence interval of the
    mean over worlds; from the summary alone it is a conservative one (see
    `summary_mean_interval`). Figures come from this process's FigurePool, so the charts of a
    run, and of later runs drawn in the same (worker) process, reuse one figure per layout.
    """
    out = Path(out_dir)
    files = chart_bytes(summary, scenario, worlds, results, formats, uncertainty)
    return [atomic_write_bytes(out / name, data) for name, data in files]


def chart_bytes(
    summary: pd.DataFrame,
    scenario: str,
    worlds: int,
    results: Results | None = None,
    formats: tuple[str, ...] = ("png",),
    uncertainty: str | None = None,
    names: Sequence[str] | None = None,
) -> list[tuple[str, bytes]]:
    """(file name, bytes) of the standard charts (those named in `names`, default all) that
    the summary has data for, in chart order: what plot_run writes."""
    wanted = set(CHART_NAMES if names is None else names)
    files = []
    with matplotlib.rc_context(CHART_RC_PARAMS):
        for chart in CHARTS:
            if chart.filename not in wanted:
                continue
            figure = draw_chart(
                chart,
                summary,
                f"scenario {scenario} · {worlds:,} worlds",
                worlds=worlds,
                results=results,
                pool=_POOL,
                uncertainty=uncertainty,
            )
            if figure is None:
                continue
            for fmt in formats:
                name = chart.filename if fmt == "png" else chart.filename[:-3] + fmt
                files.append((name, to_png(figure) if fmt == "png" else render(figure, fmt)))
    return files


# Unhinted glyphs: at these type sizes they look the same on screen and a projector, and the
# autohinter ran for every glyph of every draw (~15 ms of a chart's render). Set around both
# the layout and the drawing (chart_bytes), so text is measured as it is drawn.
CHART_RC_PARAMS: dict[str, object] = {**RC_PARAMS, "text.hinting": "no_hinting"}


class FigurePool:
    """One figure per panel grid, emptied and reused for every chart of that grid.

    Building a figure (axes, axis ticks, the Agg canvas) costs about as much as drawing it;
    the nine charts of a run need only three grids. Figures are created inside the caller's
    rc_context, so they keep RC_PARAMS' sizes. Not shared between threads. A reused figure
    draws the bytes a new one would: every chart sets all of its layout (`fixed_layout`).
    """

    def __init__(self) -> None:
        self._figures: dict[tuple[int, int], tuple[Figure, list[Axes], Text]] = {}

    def get(self, rows: int, columns: int) -> tuple[Figure, list[Axes], Text]:
        """(figure, axes, note) of the grid, every axes empty, visible and autoscaling."""
        key = (rows, columns)
        if key not in self._figures:
            self._figures[key] = _new_figure(rows, columns)
        figure, axes, note = self._figures[key]
        for ax in axes:
            _empty(ax)
        return figure, axes, note


def _new_figure(rows: int, columns: int) -> tuple[Figure, list[Axes], Text]:
    size = RC_PARAMS["figure.figsize"] if rows == 1 else (13.33, 9.5)
    figure = Figure(figsize=size, dpi=RC_PARAMS["savefig.dpi"])  # laid out at the dpi it is saved
    FigureCanvasAgg(figure)
    axes = list(figure.subplots(rows, columns, squeeze=False).ravel())
    figure.suptitle("")  # before the note, which stays the figure's last text
    note = figure.text(0.5, 0.01, "", ha="center", va="bottom", fontsize="small", color="#444444")
    return figure, axes, note


def _empty(ax: Axes) -> None:
    """Remove what a chart drew on `ax` but keep the axes and its ticks for the next chart."""
    for artist in [*ax.lines, *ax.collections, *ax.patches, *ax.texts]:
        artist.remove()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.set_title("")
    ax.set_ylabel("")
    ax.set_visible(True)
    ax.ignore_existing_data_limits = True
    ax.set_autoscale_on(True)


_POOL = FigurePool()


def draw_chart(
    chart: Chart,
    summary: pd.DataFrame,
    subtitle: str,
    worlds: int = 1,
    results: Results | None = None,
    pool: FigurePool | None = None,
    uncertainty: str | None = None,
) -> Figure | None:
    """One chart as a figure, or None if the run has none of its series.

    With a `pool` the figure is one of the pool's, valid until the pool's next chart of the
    same grid; without, a new figure.
    """
    panels = [(panel, _panel_series(panel, summary)) for panel in chart.panels]
    panels = [(panel, series) for panel, series in panels if series]
    if not panels:
        return None
    columns = 1 if len(panels) == 1 else 2
    rows = (len(panels) + columns - 1) // columns
    figure, axes, note = (pool or FigurePool()).get(rows, columns)
    for ax, (panel, series) in zip(axes, panels, strict=False):
        _draw_panel(ax, panel, series, alone=len(panels) == 1, worlds=worlds, results=results)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    figure.suptitle(f"{chart.title}\n{subtitle}")
    if all(p.probability for p, _ in panels):
        note.set_text(
            PROBABILITY_NOTE.format(extra="" if results is not None else " (conservative)")
        )
    else:
        note.set_text(BAND_NOTE)
    extra = content_note(uncertainty)
    if extra:
        note.set_text(f"{note.get_text()}\n{extra}")
    fixed_layout(
        figure,
        rows,
        columns,
        titled=any(p.title for p, _ in panels),
        note_lines=note.get_text().count("\n") + 1,
    )
    return figure


# Margins and gaps in inches, at RC_PARAMS' type sizes: room for y tick labels of up to about
# seven characters and the axis label beside them, the two-line figure title, panel titles,
# the x axis and the note below. Fixed rather than tight_layout's fit to each chart's text,
# which measured every text of the figure and cost a quarter of a chart's time (issue 17); a
# chart's layout then depends on its structure alone, never on its values or on the chart
# drawn before it on the same figure.
LEFT_IN = 1.25  # also the gap between columns: the right column's tick labels and axis label
RIGHT_IN = 0.4  # the last x tick label sticks out half its width
TOP_IN = 1.35  # the figure title (chart title and subtitle)
TOP_TITLED_IN = 1.6  # ... with panel titles under it
BOTTOM_IN = 0.85  # x tick labels and "Year", above the note
NOTE_LINE_IN = 0.3  # per line of the note at the bottom
ROW_GAP_IN = 1.35  # x axis of the upper panel and title of the lower one
LEGEND_PAD_IN = 0.35  # between the axes and a legend beside it, and after the legend


def fixed_layout(figure: Figure, rows: int, columns: int, titled: bool, note_lines: int) -> None:
    """Place the axes with the fixed margins above; a legend beside a lone panel (see
    `_draw_panel`) widens the right margin by its own width, which depends on its labels only."""
    width, height = figure.get_size_inches()
    right = RIGHT_IN
    legend = figure.axes[0].get_legend() if rows * columns == 1 else None
    if legend is not None:
        box = legend.get_window_extent(figure.canvas.get_renderer())
        right = box.width / figure.dpi + LEGEND_PAD_IN
    top = TOP_TITLED_IN if titled else TOP_IN
    bottom = BOTTOM_IN + NOTE_LINE_IN * note_lines
    panel_width = (width - LEFT_IN - right - LEFT_IN * (columns - 1)) / columns
    panel_height = (height - top - bottom - ROW_GAP_IN * (rows - 1)) / rows
    figure.subplots_adjust(
        left=LEFT_IN / width,
        right=1 - right / width,
        top=1 - top / height,
        bottom=bottom / height,
        wspace=LEFT_IN / panel_width,
        hspace=ROW_GAP_IN / panel_height,
    )


def _panel_series(panel: Panel, summary: pd.DataFrame) -> list[tuple[str, str, pd.DataFrame]]:
    """(actor, metric, rows) the run actually has, expanding EVERY_ACTOR."""
    found = []
    for actor, metric in panel.series:
        if actor == EVERY_ACTOR:
            reporting = summary.loc[summary["metric"] == metric, "actor"].unique()
            found += [
                (a, metric, series_rows(summary, a, metric)) for a in reporting if a != "system"
            ]
        else:
            rows = series_rows(summary, actor, metric)
            if not rows.empty:
                found.append((actor, metric, rows))
    return found


def _draw_panel(
    ax,
    panel: Panel,
    series: list[tuple[str, str, pd.DataFrame]],
    alone: bool,
    worlds: int = 1,
    results: Results | None = None,
) -> None:
    actors = {actor for actor, _, _ in series}
    by_metric = len(actors) == 1 and len(series) > 1  # one actor, several metrics
    for index, (actor, metric, rows) in enumerate(series):
        style = metric_style(metric)
        if by_metric:
            colour = actor_colour(actor) if index == 0 else SECOND_SERIES_COLOURS[index - 1]
            label = style.label
        elif len(series) > 1:
            colour, label = actor_colour(actor), actor
        else:
            colour, label = actor_colour(actor), ("median world" if panel.mean_label else None)
            if panel.probability:
                label = "probability (mean over worlds) with 90% CI"
        if panel.probability:
            years = [decimal_year(parse_quarter(p)) for p in rows["period"]]
            if results is not None:
                grid = results.metric(actor, metric)
                grid = grid[[results.periods.index(p) for p in rows["period"]]]
                mean, low, high = mean_interval(grid, axis=1)
            else:
                mean, low, high = summary_mean_interval(rows, worlds)
            probability_line(
                ax, years, mean, low, high, colour=colour, label=label, scale=style.scale
            )
        else:
            scale = style.scale
            if metric in ANNUAL_COUNTS and results is not None:
                rows, scale = annual_sums(results, actor, metric), 1.0
            fan(ax, rows, colour=colour, label=label, scale=scale, mean_label=panel.mean_label)
    first = metric_style(series[0][1])
    # A panel title or legend already names the quantity; then the axis only needs the unit.
    named = bool(panel.title) or by_metric
    ax.set_ylabel(first.unit if named and first.unit else first.axis_label)
    if panel.title:
        ax.set_title(panel.title)
    year_axis(ax)
    _keep_flat_lines_flat(ax)
    if ax.get_legend_handles_labels()[0]:
        if alone:  # beside the plot, where it never hides a line
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
        else:
            ax.legend(loc="best")


# Counts per quarter (Poisson draws): quantiles of quarterly counts are jagged staircases, so
# with per-world results they are drawn as each world's count per calendar year instead.
ANNUAL_COUNTS = frozenset(
    {"gray_zone_incidents", "incidents_maritime", "incidents_air", "incidents_cyber", "crises"}
)


def annual_sums(results: Results, actor: str, metric: str) -> pd.DataFrame:
    """Summary-like rows (period, mean, p05..p95) of each world's sum over every full calendar
    year, placed mid-year (period YYYYQ2)."""
    from lynchpin.model.results import QUANTILES

    grid = results.metric(actor, metric)
    years = [p[:4] for p in results.periods]
    rows = []
    for year in dict.fromkeys(years):
        index = [i for i, y in enumerate(years) if y == year]
        if len(index) < 4:
            continue
        totals = grid[index].sum(axis=0)
        row = {"period": f"{year}Q2", "mean": float(totals.mean())}
        row.update(zip(QUANTILES, np.quantile(totals, list(QUANTILES.values())), strict=True))
        rows.append(row)
    return pd.DataFrame(rows)


def _keep_flat_lines_flat(ax) -> None:
    """Autoscaling blows a change of 0.1% up to full height; keep the span >= 20% of the level."""
    low, high = ax.get_ylim()
    needed = 0.2 * max(abs(low), abs(high))
    if high - low < needed:
        middle = (low + high) / 2
        ax.set_ylim(middle - needed / 2, middle + needed / 2)
