"""lynchpin: US-Japan burden-sharing, gray-zone coercion and alignment in the Indo-Pacific.

An agent-based model after Titli Basu, "The US-Japan Security Treaty at 60" (2020).

The public names below are imported on first use, so `import lynchpin` (and `lynchpin --help`)
does not pay for Mesa, pandas and SciPy until a model is actually built.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["LynchpinModel", "ModelConfig", "Results", "__version__", "default_config", "simulate"]

_LAZY = {
    "default_config": "lynchpin.data",
    "LynchpinModel": "lynchpin.model",
    "ModelConfig": "lynchpin.model",
    "Results": "lynchpin.model",
    "simulate": "lynchpin.model",
}

if TYPE_CHECKING:
    from lynchpin.data import default_config
    from lynchpin.model import LynchpinModel, ModelConfig, Results, simulate


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'lynchpin' has no attribute {name!r}")
