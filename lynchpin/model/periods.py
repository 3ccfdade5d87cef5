"""Quarters as integers (year * 4 + quarter - 1), so arithmetic on dates is plain integer math."""

from __future__ import annotations

import re

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


def parse_quarter(text: str) -> int:
    """'2020Q1' -> 8080. Raises ValueError with the expected form."""
    match = _QUARTER.match(str(text).strip())
    if not match:
        raise ValueError(f"expected a quarter like 2020Q1, got {text!r}")
    return int(match.group(1)) * 4 + int(match.group(2)) - 1


def format_quarter(index: int) -> str:
    """8080 -> '2020Q1' (the year always four digits, so parse_quarter reads it back)."""
    return f"{index // 4:04d}Q{index % 4 + 1}"


def quarter_range(start: int, end: int) -> list[str]:
    """Labels of every quarter from start to end inclusive."""
    return [format_quarter(i) for i in range(start, end + 1)]


def decimal_year(index: int) -> float:
    """Mid-quarter as a decimal year, for plotting on a years axis."""
    return index / 4 + 0.125
