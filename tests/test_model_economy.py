"""The economy and budget rules: output gap (C1) and budgets set in money (C8)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import vary

from lynchpin.agents.base import annual_growth_sd_per_shock
from lynchpin.model import Shock, simulate

WORLDS = 500
SEED = 3


def recession(config, size: float = -0.08) -> Shock:
    return Shock("USA", "recession", config.start + 1, config.start + 1, size, mode="additive")


def test_recession_is_temporary_and_a_trend_shock_is_permanent(baseline):
    config = vary(baseline, quarters=24)
    base = simulate(config, worlds=WORLDS, seed=SEED).metric("USA", "gdp")
    slump = simulate(vary(config, shocks=(recession(config),)), worlds=WORLDS, seed=SEED)
    trend = Shock("USA", "growth", config.start + 1, config.start + 4, -0.08, mode="additive")
    cut = simulate(vary(config, shocks=(trend,)), worlds=WORLDS, seed=SEED)
    loss = 1.0 - slump.metric("USA", "gdp") / base
    assert loss[1].mean() > 0.07  # the quarter of the shock
    assert loss[-1].mean() < 0.001  # 0.8 ** 22 of it is left
    lasting = 1.0 - cut.metric("USA", "gdp")[-1] / base[-1]
    assert lasting.mean() > 0.015  # a year at 8 pp below trend is never made up


def test_recession_raises_the_defence_share_and_recovery_lowers_it(baseline):
    config = vary(baseline, quarters=24)
    base = simulate(config, worlds=WORLDS, seed=SEED)
    slump = simulate(vary(config, shocks=(recession(config),)), worlds=WORLDS, seed=SEED)
    share = slump.metric("USA", "defence_share_gdp") - base.metric("USA", "defence_share_gdp")
    spending = slump.metric("USA", "defence_spending") / base.metric("USA", "defence_spending")
    assert share[1].mean() > 0.002  # about 8% of a 3.5% share: the denominator fell
    assert abs(spending[1].mean() - 1.0) < 1e-9  # the budget did not
    assert abs(share[-1].mean()) < 0.0002


def test_budget_settles_at_the_desired_share_of_a_growing_economy(baseline):
    # Budgets are rolled forward with potential output, so a fast grower is not left behind
    # (threat_response 0 keeps the desired share fixed; C13 would otherwise raise it).
    config = vary(
        baseline, params={"threat_response": 0.0}, actors={"CHN": {"growth_volatility": 0.0}}
    )
    share = simulate(config, worlds=4, seed=SEED).metric("CHN", "defence_share_gdp")
    desired = config.actor("CHN").params["defence_share_desired"]
    assert abs(share[-1].mean() - desired) < 0.0001


def test_growth_volatility_is_the_sd_of_growth_of_annual_means(baseline):
    """growth_volatility is fitted on World Bank growth of annual totals, so the model's
    growth of annual means must have that sd (not four-quarter growth, which is larger)."""
    config = vary(baseline, quarters=60, actors={"JPN": {"growth_volatility": 0.02}})
    gdp = simulate(config, worlds=2000, seed=SEED).metric("JPN", "gdp")
    growth = np.log(gdp[-4:].mean(axis=0) / gdp[-8:-4].mean(axis=0))
    assert abs(growth.std() - 0.02) < 0.0015
    four_quarter = np.log(gdp[-1] / gdp[-5])
    assert four_quarter.std() > 0.024


@pytest.mark.parametrize("rho", [0.0, 0.5, 0.8, 0.95, 1.0])
def test_annual_growth_scaling_matches_simulated_ar1(rho):
    """The closed form behind the shock scaling agrees with a direct simulation of the gap."""
    rng = np.random.default_rng(0)
    worlds, burn = 20000, 200 if rho < 1.0 else 0
    gap = np.zeros(worlds)
    path = []
    for _ in range(burn + 8):
        gap = rho * gap + rng.standard_normal(worlds)
        path.append(gap)
    path = np.array(path[-8:])
    growth = path[4:].mean(axis=0) - path[:4].mean(axis=0)
    assert growth.std() == pytest.approx(annual_growth_sd_per_shock(rho), rel=0.03)
