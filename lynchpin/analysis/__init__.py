"""Analysis of finished experiments: scenario comparisons and sensitivity indices."""

from lynchpin.analysis.compare import compare
from lynchpin.analysis.sensitivity import indices

__all__ = ["compare", "indices"]
