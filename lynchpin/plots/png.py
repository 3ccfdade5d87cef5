"""Figures to PNG bytes: the one place every module of lynchpin.plots renders a figure."""

from __future__ import annotations

import io
import warnings

from matplotlib.figure import Figure


def to_png(fig: Figure) -> bytes:
    """PNG bytes of `fig` (constrained-layout warnings about long legends are silenced)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        fig.savefig(buffer, format="png")
    return buffer.getvalue()
