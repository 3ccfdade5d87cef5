"""Figures in the formats a paper needs: `--format png,svg,pdf` on every command that draws."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from lynchpin.errors import UserError

if TYPE_CHECKING:  # parse_formats runs before a command decides where charts are drawn
    from matplotlib.figure import Figure

FIGURE_FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
FORMAT_HELP = "Figure formats, comma-separated: png, svg, pdf (e.g. png,pdf)."


def parse_formats(text: str | None) -> tuple[str, ...]:
    """`png,svg` -> ('png', 'svg'); unknown formats are a UserError naming the known ones."""
    if text is None:
        return ("png",)
    formats = tuple(dict.fromkeys(p.strip().lower() for p in text.split(",") if p.strip()))
    unknown = [f for f in formats if f not in FIGURE_FORMATS]
    if unknown or not formats:
        raise UserError(
            f"--format {text!r}: expected some of {', '.join(FIGURE_FORMATS)}, comma-separated"
        )
    return formats


def render(fig: Figure, fmt: str = "png") -> bytes:
    """Bytes of `fig` in one format; SVG and PDF carry no timestamps, so reruns are identical."""
    import matplotlib

    buffer = io.BytesIO()
    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(fmt)
    with warnings.catch_warnings(), matplotlib.rc_context({"svg.hashsalt": "lynchpin"}):
        warnings.simplefilter("ignore", UserWarning)
        fig.savefig(buffer, format=fmt, metadata=metadata)
    return buffer.getvalue()


def write_figure(fig: Figure, folder: Path, stem: str, formats: tuple[str, ...]) -> list[str]:
    """Write `stem.<fmt>` for every format atomically; return the file names written."""
    from lynchpin.outputs.atomic import atomic_write_bytes

    names = []
    for fmt in formats:
        atomic_write_bytes(folder / f"{stem}.{fmt}", render(fig, fmt))
        names.append(f"{stem}.{fmt}")
    return names


def text_outside(fig: Figure, tolerance: float = 1.0) -> list[str]:
    """Visible, non-empty text artists (titles, labels, ticks, legends, notes) that stick out of
    the figure: what a reader of a clipped PNG would miss. Empty when nothing is clipped."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # lays out constrained/tight layouts and tick labels
    renderer = canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    hidden = _undrawn_tick_labels(fig)
    problems = []
    for text in fig.findobj(Text):
        if id(text) in hidden or not text.get_visible() or not text.get_text().strip():
            continue
        if text.axes is not None and not text.axes.get_visible():
            continue
        box = text.get_window_extent(renderer)
        if (
            box.x0 < -tolerance
            or box.y0 < -tolerance
            or box.x1 > width + tolerance
            or box.y1 > height + tolerance
        ):
            problems.append(f"{text.get_text()[:60]!r} at {box.bounds}")
    return problems


def _undrawn_tick_labels(fig: Figure) -> set[int]:
    """Tick labels matplotlib keeps for ticks outside the view limits (it never draws them)."""
    skip: set[int] = set()
    for ax in fig.axes:
        for axis, bounds in ((ax.xaxis, ax.get_xbound()), (ax.yaxis, ax.get_ybound())):
            low, high = sorted(bounds)
            span = (high - low) * 1e-9
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                if not low - span <= tick.get_loc() <= high + span:
                    skip.update({id(tick.label1), id(tick.label2)})
    return skip
