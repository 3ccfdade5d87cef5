"""Figures of a run. Reads summary tables only, so any saved run can be redrawn.

Names are imported on first use (PEP 562), so lynchpin.plots.workers can be imported, and its
workers forked, without importing matplotlib in the main process.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lynchpin.plots.run_plots import CHARTS, plot_run
    from lynchpin.plots.runs import compare_runs

__all__ = ["CHARTS", "compare_runs", "plot_run"]


def __getattr__(name: str) -> object:
    if name in ("CHARTS", "plot_run"):
        from lynchpin.plots import run_plots

        return getattr(run_plots, name)
    if name == "compare_runs":
        from lynchpin.plots.runs import compare_runs

        return compare_runs
    raise AttributeError(f"module 'lynchpin.plots' has no attribute {name!r}")
