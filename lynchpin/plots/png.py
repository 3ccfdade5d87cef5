"""Figures to PNG bytes: the one place every module of lynchpin.plots renders a figure."""

from __future__ import annotations

import io
import warnings

from matplotlib.figure import Figure

# zlib level 1 instead of Pillow's 6: a chart's PNG is about a quarter larger, and encoding it
# no longer costs as much as drawing it.
PNG_OPTIONS = {"compress_level": 1}


def to_png(fig: Figure) -> bytes:
    """PNG bytes of `fig` (constrained-layout warnings about long legends are silenced)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        fig.savefig(buffer, format="png", pil_kwargs=PNG_OPTIONS)
    return buffer.getvalue()
