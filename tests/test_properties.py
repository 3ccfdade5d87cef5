"""Invariants that must hold for any parameter values within the registry's bounds."""

from __future__ import annotations

import numpy as np
from conftest import vary
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lynchpin.agents.challenger import INTENSITY_MAX
from lynchpin.model import simulate
from lynchpin.model.parameters import (
    ACTOR_PARAMS,
    GLOBAL_PARAMS,
    SENTINEL_PARAMS,
    USE_OBSERVED_SHARE,
)

SHARES = {
    "defence_share_gdp",
    "alignment",
    "threat_perception",
    "abandonment_fear",
    "entrapment_fear",
    "attention",
    "commitment",
    "dissatisfaction",
    "deterrence",
    "at_war",
    "red_line_crossed",
    "stood_firm",
    "resolve_belief",
    "crises_taiwan_strait",
    "crises_east_china_sea",
    "crises_south_china_sea",
    "crises_sino_indian_border",
    "alliance_cohesion",
    "quad_cohesion",
    "order_stability",
    "crises",
}
STOCKS = {
    "gdp",
    "defence_spending",
    "capability",
    "burden_gap",
    "gray_zone_incidents",
    "incidents_maritime",
    "incidents_air",
    "incidents_cyber",
    "power_ratio",
    "armed_conflict",
    "red_line",
    "red_line_belief",
    "gray_zone_intensity",
}


def allowed(p) -> st.SearchStrategy[float]:
    """Any value in bounds; defence_share_desired (and spending_norm) is a share or exactly
    the -1 sentinel."""
    if p.name in SENTINEL_PARAMS:
        return st.one_of(st.just(USE_OBSERVED_SHARE), st.floats(0.0, p.high, allow_nan=False))
    return st.floats(p.low, p.high, allow_nan=False)


def bounded(params) -> st.SearchStrategy[dict[str, float]]:
    return st.fixed_dictionaries({p.name: allowed(p) for p in params})


JPN_PARAMS = [p for p in ACTOR_PARAMS if p.name not in ("quad_member",)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    globals_=bounded(GLOBAL_PARAMS),
    japan=bounded(JPN_PARAMS),
    policies=st.fixed_dictionaries(
        {
            "doctrine": st.sampled_from(["diffused", "specific"]),
            "host_nation_support": st.sampled_from(["standard", "cost_plus_50"]),
            "cyber_article5": st.booleans(),
            "us_in_tpp": st.booleans(),
        }
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_invariants_hold_within_bounds(baseline, globals_, japan, policies, seed):
    config = vary(baseline, quarters=8, params=globals_, actors={"JPN": japan}, policies=policies)
    results = simulate(config, worlds=16, seed=seed)
    for (actor, metric), values in results.values.items():
        assert np.isfinite(values).all(), (actor, metric)
        if metric in SHARES:
            assert ((values >= 0) & (values <= 1)).all(), (actor, metric)
        if metric in STOCKS:
            assert (values >= 0).all(), (actor, metric)
    assert (np.diff(results.metric("system", "armed_conflict"), axis=0) >= -1e-15).all()
    at_war = results.metric("system", "at_war")
    assert (np.diff(at_war, axis=0) >= 0).all() and np.isin(at_war, (0.0, 1.0)).all()
    surge = config.params["war_budget_surge"] * at_war
    for spec in config.actors:
        alignment = results.metric(spec.code, "alignment")
        if spec.role in ("partner", "treaty_ally"):
            assert (alignment <= spec.params["autonomy_cap"] + 1e-12).all()
        ceiling = spec.params["defence_ceiling"]
        assert (results.metric(spec.code, "defence_share_gdp") <= ceiling + surge + 1e-12).all()
    # No cap on intensity, only the grid's physical bound.
    assert (results.metric("CHN", "gray_zone_intensity") <= INTENSITY_MAX + 1e-12).all()


def test_negative_desired_share_other_than_the_sentinel_is_rejected(baseline):
    """-1 means 'the observed 2020 share'; -0.5 must not silently mean the same."""
    import dataclasses

    import pytest

    japan = baseline.actor("JPN")
    bad = dataclasses.replace(japan, params={**japan.params, "defence_share_desired": -0.5})
    actors = tuple(bad if a.code == "JPN" else a for a in baseline.actors)
    with pytest.raises(ValueError, match="exactly -1"):
        dataclasses.replace(baseline, actors=actors)
