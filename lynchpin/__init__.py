"""lynchpin: US-Japan burden-sharing, gray-zone coercion and alignment in the Indo-Pacific.

An agent-based model after Titli Basu, "The US-Japan Security Treaty at 60" (2020).
"""

from lynchpin.data import default_config
from lynchpin.model import LynchpinModel, ModelConfig, Results, simulate

__version__ = "0.1.0"
__all__ = ["LynchpinModel", "ModelConfig", "Results", "__version__", "default_config", "simulate"]
