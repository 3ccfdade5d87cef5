"""Figures to PNG bytes: the one place every module of lynchpin.plots renders a figure."""

from __future__ import annotations

import io
import warnings

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.image import imsave

# zlib level 1 instead of Pillow's 6: a chart's PNG is about a quarter larger, and encoding it
# no longer costs as much as drawing it.
PNG_OPTIONS = {"compress_level": 1}


def to_png(fig: Figure) -> bytes:
    """PNG bytes of `fig` at its own dpi (constrained-layout warnings are silenced).

    The same pixels and metadata as `fig.savefig(format="png", dpi=fig.dpi)`, drawn once on
    the figure's Agg canvas. savefig re-enters the figure at its save dpi, which discards the
    renderer and every cached text extent: on a figure made at its save dpi that cost a third
    of a chart's time (issue 17).
    """
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        canvas.draw()
        imsave(buffer, canvas.buffer_rgba(), format="png", dpi=fig.dpi, pil_kwargs=PNG_OPTIONS)
    return buffer.getvalue()
