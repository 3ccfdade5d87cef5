"""Agents of lynchpin: behaviour lives in roles, so a new country is a role plus parameters."""

from lynchpin.agents.base import Actor
from lynchpin.agents.challenger import Challenger
from lynchpin.agents.leader import Leader
from lynchpin.agents.partner import Partner, TreatyAlly

ROLE_CLASSES: dict[str, type[Actor]] = {
    "leader": Leader,
    "treaty_ally": TreatyAlly,
    "partner": Partner,
    "challenger": Challenger,
}

__all__ = ["ROLE_CLASSES", "Actor", "Challenger", "Leader", "Partner", "TreatyAlly"]
