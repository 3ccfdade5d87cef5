"""Figures of a run. Reads summary tables only, so any saved run can be redrawn."""

from lynchpin.plots.run_plots import CHARTS, plot_run
from lynchpin.plots.runs import compare_runs

__all__ = ["CHARTS", "compare_runs", "plot_run"]
