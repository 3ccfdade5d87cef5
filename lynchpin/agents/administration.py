"""D7 US administrations as regimes (C3, C5, C6, C7, C14): a Markov switch at each election.

After each election quarter a world's administration is transactional (1) with probability
if_engaged or if_transactional (by the outgoing one), drawn from the stream "election.<q>" so
scenarios with the same seed share their election results. The regime then sets the leader's
attention and commitment bases, its burden demand, its host-nation-support stance and its trade
engagement. Base values describe the administration in office at the start (2020), so each
effect is (administration - initial) x its transactional-minus-engaged shift.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from lynchpin.model.config import TRANSACTIONAL
from lynchpin.model.parameters import param

if TYPE_CHECKING:
    from lynchpin.model.model import LynchpinModel

# (holder, parameter): leader parameters the regime shifts, each with its shift parameter.
LEADER_SHIFTS = {
    "attention_base": "transactional_attention_shift",
    "commitment_base": "transactional_commitment_shift",
    "burden_demand": "transactional_burden_demand_shift",
}
# Global parameters the regime moves (trade engagement eases partners' dependence, C14).
SYSTEM_TARGETS = ("tpp_dependence_offset",)


def hold_election(model: LynchpinModel) -> None:
    """If an election took place last quarter, switch each world's administration (D7)."""
    leader = model.leader
    for election in model.config.administrations.elections:
        if model.quarter == election.quarter + 1:
            draw = model.streams(f"election.{election.quarter}").uniform()[0]
            incumbent = leader.administration == TRANSACTIONAL
            chance = np.where(incumbent, election.if_transactional, election.if_engaged)
            leader.administration = (draw < chance).astype(float)


def apply_administration(model: LynchpinModel) -> None:
    """Hold any election due, then set this quarter's regime-dependent values (C3/C5/C6/C7/C14).

    Runs after the timed shocks reset these parameters to their (shocked) base values.
    """
    settings = model.config.administrations
    if not settings.elections:
        return
    hold_election(model)
    leader, g = model.leader, model.p
    change = leader.administration - settings.initial
    for name, shift in LEADER_SHIFTS.items():
        bounds = param(name)
        value = getattr(leader.p, name) + change * getattr(g, shift)
        setattr(leader.p, name, np.clip(value, bounds.low, bounds.high))
    leader.hns_stance = np.maximum(1.0 + change * g.transactional_hns_demand, 0.0)
    offset = g.tpp_dependence_offset * (1.0 - change * g.transactional_trade_disengagement)
    g.tpp_dependence_offset = np.clip(offset, 0.0, 1.0)
