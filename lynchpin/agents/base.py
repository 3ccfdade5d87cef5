"""Behaviour shared by every actor: an economy, a defence budget and a capability stock (C1).

State is held as numpy arrays over the model's worlds, so one agent object stands for the
same country in every world. Subclasses (roles) add what is specific to their role.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from lynchpin.model.config import ActorSpec
    from lynchpin.model.model import LynchpinModel
    from lynchpin.model.snapshot import Snapshot

from lynchpin.agents.beliefs import ResolveBelief
from lynchpin.model.parameters import USE_OBSERVED_SHARE

QUARTER = 0.25  # years per step


def annual_growth_sd_per_shock(rho: float | np.ndarray) -> float | np.ndarray:
    """sd of year-on-year growth of annual means of an AR(1) gap, per unit innovation sd.

    Growth of annual means is (mean gap over year Y) - (mean over Y-1), a weighted sum of
    innovations: those inside the two years enter directly, all earlier ones through the gap at
    the start. Dividing growth_volatility by this makes annual-mean growth have that sd for any
    persistence rho in [0, 1] (at rho = 1 earlier innovations cancel out). rho may be an array
    over worlds (per-world parameters).
    """
    r = np.asarray(rho, dtype=float)
    weights = np.r_[-np.ones(4), np.ones(4)] / 4.0  # the quarters of year Y-1, then of year Y
    inside = [sum(weights[t] * r ** (t - j) for t in range(j, 8)) for j in range(8)]
    start = sum(weights[t] * r ** (t + 1) for t in range(8))
    below = r < 1.0
    earlier = np.where(below, start * start / np.where(below, 1.0 - r * r, 1.0), 0.0)
    result = np.sqrt(sum(c * c for c in inside) + earlier)
    return float(result) if result.ndim == 0 else result


def resolve_observed_share(params: dict, observed: float) -> dict:
    """Replace the "observed 2020 share" sentinel by the share itself before anything uses it.

    Shocks and ramps act on the base value; acting on the sentinel (-1) would pass through
    negative shares that the model takes literally (a ramp from -1 to 0.02 spends nothing for
    quarters). Per-world arrays are resolved world by world.
    """
    desired = params.get("defence_share_desired")
    if desired is not None:
        resolved = np.where(np.asarray(desired) == USE_OBSERVED_SHARE, observed, desired)
        params["defence_share_desired"] = float(resolved) if resolved.ndim == 0 else resolved
    return params


class Actor(mesa.Agent):
    """A state in the Indo-Pacific; roles subclass this."""

    role = "actor"
    outputs: tuple[str, ...] = (
        "gdp",
        "defence_spending",
        "defence_share_gdp",
        "capability",
        "alignment",
        "threat_perception",
    )

    def __init__(self, model: LynchpinModel, spec: ActorSpec) -> None:
        super().__init__(model)
        self.code = spec.code
        self.name = spec.name
        self.observed_share = float(spec.defence_share)
        self.base_params = resolve_observed_share(dict(spec.params), self.observed_share)
        self.p = SimpleNamespace(**self.base_params)
        worlds = model.worlds
        self.gdp = np.full(worlds, float(spec.gdp))
        # GDP = potential x exp(output gap); 2020Q1 starts on trend (gap 0).
        self.potential_gdp = self.gdp.copy()
        self.output_gap = np.zeros(worlds)
        self.defence_share_gdp = np.full(worlds, float(spec.defence_share))
        self.defence_spending = self.gdp * self.defence_share_gdp
        # The budget as a share of potential output: what planners set and roll forward.
        self.budget_share = self.defence_share_gdp.copy()
        # Start in steady state: the stock that this spending would sustain (K = s / delta).
        self.capability = self.defence_spending / np.maximum(model.p.depreciation, 1e-9)
        self.alignment = np.full(worlds, self.p.alignment_initial, dtype=float)
        self.threat_perception = np.zeros(worlds)
        self.desired_share = self.defence_share_gdp.copy()
        # D3: what this actor believes about the leader's resolve (the leader's own is unused);
        # SystemState.update_crises updates it from every crisis outcome.
        self.resolve = ResolveBelief.from_mean(
            worlds, model.p.resolve_prior_mean, model.p.resolve_prior_strength
        )
        # Threat left by past crises in this actor's theatres (named crisis types, decays slowly).
        self.crisis_threat = np.zeros(worlds)
        self._scaled_rho: object = None
        self._rho_scale: float | np.ndarray = 1.0
        # Set by the model at start: the 2020 state under neutral policies (model.py).
        self.reference: dict[str, np.ndarray] = {}

    # -- stages -------------------------------------------------------------------------
    def observe(self) -> None:
        """Read last quarter's snapshot and form a threat perception."""
        self.threat_perception = self.perceive_threat(self.model.snapshot)

    def decide(self) -> None:
        """Choose the desired defence share; roles add their own decisions."""
        self.desired_share = self.choose_defence_share(self.model.snapshot)

    def act(self) -> None:
        """Grow the economy, move the budget toward the desired spending, accumulate capability."""
        self.grow_economy()
        self.adjust_defence_share()

    # -- rules ----------------------------------------------------------------------------
    def perceive_threat(self, snap: Snapshot) -> np.ndarray:
        """C9 balance of threat (Walt 1987): power, proximity and observed intent."""
        g = self.model.p
        threat = (
            g.threat_power_weight * snap.challenger_power_share
            + g.threat_proximity_weight * self.p.proximity
            + g.threat_intent_weight * snap.intent
            + self.crisis_threat
        )
        return np.clip(threat, 0.0, 1.0)

    def reference_values(self, snap: Snapshot) -> dict[str, np.ndarray]:
        """This actor's 2020 values that anchor its desired share to observed 2020 data."""
        return {"threat": self.threat_perception.copy()}

    def base_share(self) -> np.ndarray:
        """defence_share_desired, or the observed 2020 share if it is the sentinel (-1).

        Any other negative value is rejected when the config is built (ModelConfig) and by the
        scenario checks, so it cannot silently mean "use the 2020 share".
        """
        desired = self.p.defence_share_desired
        return np.where(desired == USE_OBSERVED_SHARE, self.observed_share, desired)

    def choose_defence_share(self, snap: Snapshot) -> np.ndarray:
        """C8/C13 Richardson-style response: the desired share follows threat changes."""
        change = self.threat_perception - self.reference["threat"]
        return self.base_share() + self.model.p.threat_response * change + self.war_surge(snap)

    def war_surge(self, snap: Snapshot) -> np.ndarray:
        """D2 consequence: a world at war adds war_budget_surge to desired share and ceiling."""
        return self.model.p.war_budget_surge * snap.at_war

    def grow_economy(self) -> None:
        """C1 potential output grows at trend; actual output = potential x exp(output gap).

        Potential grows at growth_trend + growth_trend_drift t (annual rates, quarterly steps);
        a `growth` shock moves this trend, so its effect on the level is permanent. The output
        gap is AR(1) with quarterly persistence output_gap_persistence; random shocks and
        `recession` shocks (output_gap_shock, log points) enter the gap, so lost output comes
        back. The innovation sd is scaled so that the growth of annual means (what the World
        Bank reports and what growth_volatility was fitted on) has sd growth_volatility.
        """
        g = self.model.p
        years = self.model.snapshot.years_elapsed
        trend = self.p.growth_trend + self.p.growth_trend_drift * years
        rho = g.output_gap_persistence
        if rho is not self._scaled_rho:  # per-world rho: compute the scale once, not per step
            self._scaled_rho, self._rho_scale = rho, annual_growth_sd_per_shock(rho)
        sd = self.p.growth_volatility / self._rho_scale
        self.potential_gdp = self.potential_gdp * np.exp(trend * QUARTER)
        self.output_gap = (
            rho * self.output_gap + self.p.output_gap_shock + sd * self.model.draw_normal(self)
        )
        self.gdp = self.potential_gdp * np.exp(self.output_gap)

    def adjust_defence_share(self) -> None:
        """C8 budgets are set in money: spending closes part of the gap to desired share x
        potential GDP each quarter, never above the political ceiling x GDP.

        Budgets are planned against potential output and rolled forward with it (budget_share =
        spending / potential), so on trend the share settles at the desired share; a
        recession raises the share (the denominator falls, the budget does not) and the
        recovery lowers it again. The ceiling binds on actual GDP, so the share never exceeds
        it. defence_share_gdp = spending / GDP is an output, not a state.
        """
        g = self.model.p
        planned = self.budget_share + g.share_adjust_rate * (self.desired_share - self.budget_share)
        spending = np.maximum(planned, 0.0) * self.potential_gdp
        ceiling = self.p.defence_ceiling + self.war_surge(self.model.snapshot)
        self.defence_spending = np.minimum(spending, ceiling * self.gdp)
        self.budget_share = self.defence_spending / self.potential_gdp
        self.defence_share_gdp = self.defence_spending / self.gdp
        self.capability = self.capability + QUARTER * (
            self.defence_spending - g.depreciation * self.capability
        )
        np.maximum(self.capability, 0.0, out=self.capability)

    @property
    def resolve_belief(self) -> np.ndarray:
        """D3 output: expected probability that the leader stands firm in a crisis."""
        return self.resolve.mean

    def state(self, metric: str) -> np.ndarray:
        """Current value of an output metric, as an array over worlds."""
        return getattr(self, metric)
