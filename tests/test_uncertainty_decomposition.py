"""Ignorance versus luck: the law-of-total-variance split on toy cases with known answers, and
on the model (a parameter-only outcome is parametric; luck-only is not)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import vary

from lynchpin.data import default_config
from lynchpin.model import simulate
from lynchpin.model.config import ParameterUncertainty
from lynchpin.model.distributions import Distribution
from lynchpin.model.draws import draw_groups
from lynchpin.outputs.uncertainty import decompose, group_means, uncertainty_table

RNG = np.random.default_rng(3)
GROUPS = np.repeat(np.arange(400), 10)  # 400 parameter draws of 10 worlds


def test_parameter_only_outcome_is_all_ignorance():
    theta = RNG.normal(size=400)[GROUPS]
    total, share = decompose(theta, GROUPS)
    assert share == pytest.approx(1.0, abs=1e-9) and total > 0


def test_noise_only_outcome_is_all_luck():
    _, share = decompose(RNG.normal(size=GROUPS.size), GROUPS)
    assert share < 0.05


def test_known_mixture():
    """Y = theta_g + eps with Var(theta) = 1, Var(eps) = 3: parametric share 1/4."""
    y = RNG.normal(size=400)[GROUPS] + RNG.normal(scale=np.sqrt(3), size=GROUPS.size)
    total, share = decompose(y, GROUPS)
    assert total == pytest.approx(4.0, rel=0.1)
    assert share == pytest.approx(0.25, abs=0.06)
    # The naive between-group variance reports (1 + 3/10) / 4 = 0.325: the correction matters.
    naive = group_means(y, GROUPS).var() / y.var()
    assert naive > 0.3


def test_fixed_parameters_have_no_parametric_share_and_single_worlds_are_not_separable():
    y = RNG.normal(size=100)
    assert decompose(y, np.zeros(100, dtype=int))[1] == 0.0
    assert np.isnan(decompose(y, np.arange(100))[1])


def test_decomposes_over_periods_at_once():
    y = np.stack([RNG.normal(size=400)[GROUPS], RNG.normal(size=GROUPS.size)])
    _, share = decompose(y, GROUPS)
    assert share[0] > 0.99 and share[1] < 0.05


def test_model_outcomes_split_as_their_drivers_say():
    """Only growth_trend of China drawn: China's GDP path is nearly all ignorance; with only
    Chinese growth volatility drawn at a tiny width, the luck of growth shocks dominates."""
    config = vary(default_config(), quarters=12)
    trend = Distribution("uniform", (0.03, 0.08), -0.1, 0.15)
    drawn = dataclasses.replace(
        config, uncertainty=ParameterUncertainty({"CHN.growth_trend": trend}, None, 10)
    )
    results = simulate(drawn, worlds=500, seed=1)
    groups = draw_groups(drawn, 500)
    _, share = decompose(results.metric("CHN", "gdp")[-1], groups)
    assert share > 0.95
    wiggle = Distribution("uniform", (0.0025, 0.0027), 0.0, 0.1)
    luck = dataclasses.replace(
        config, uncertainty=ParameterUncertainty({"CHN.growth_volatility": wiggle}, None, 10)
    )
    _, share = decompose(simulate(luck, worlds=500, seed=1).metric("CHN", "gdp")[-1], groups)
    assert share < 0.1
    table = uncertainty_table(results, groups)
    assert list(table.columns) == [
        "metric",
        "actor",
        "period",
        "total_variance",
        "parametric_share",
    ]
    assert table["parametric_share"].between(0, 1).all()
