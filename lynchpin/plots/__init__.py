"""Figures of a run. Reads summary tables only, so any saved run can be redrawn."""

from lynchpin.plots.run_plots import CHARTS, plot_run

__all__ = ["CHARTS", "plot_run"]
