"""The model core: configuration, parameters, the Mesa model and its results. No I/O here."""

from lynchpin.model.config import ActorSpec, ModelConfig, Policies, Shock
from lynchpin.model.model import LynchpinModel
from lynchpin.model.results import SUMMARY_COLUMNS, Results
from lynchpin.model.run import plan_chunks, simulate

__all__ = [
    "SUMMARY_COLUMNS",
    "ActorSpec",
    "LynchpinModel",
    "ModelConfig",
    "Policies",
    "Results",
    "Shock",
    "plan_chunks",
    "simulate",
]
