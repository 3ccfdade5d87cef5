"""Figures in the formats a paper needs: `--format png,svg,pdf` on every command that draws."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

from matplotlib.figure import Figure

from lynchpin.errors import UserError

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
    buffer = io.BytesIO()
    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(fmt)
    with warnings.catch_warnings():
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
