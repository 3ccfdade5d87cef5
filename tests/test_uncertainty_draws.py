"""Per-world parameters: bit-identical under chunking, common random numbers across scenarios,
and one parameter's distribution never shifts another's draws (issue 10)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import vary

from lynchpin.data import default_config
from lynchpin.model import simulate
from lynchpin.model.config import ParameterUncertainty
from lynchpin.model.distributions import Distribution
from lynchpin.model.draws import draw_groups, parameter_draws
from lynchpin.model.priors import with_priors
from lynchpin.model.rng import BLOCK_SIZE

SEED = 7


@pytest.fixture(scope="module")
def short_priors():
    return with_priors(vary(default_config(), quarters=6))


def test_model_level_default_is_fixed():
    """ModelConfig / default_config keep fixed parameters (directional tests stay exact)."""
    config = default_config()
    assert config.uncertainty is None
    assert parameter_draws(config, 100, SEED) == {}


def test_chunked_run_with_priors_is_bit_identical(short_priors):
    worlds = 2 * BLOCK_SIZE + 40
    whole = simulate(short_priors, worlds=worlds, seed=SEED)
    parts = [
        simulate(short_priors, worlds=n, seed=SEED, first_world=first)
        for first, n in ((0, BLOCK_SIZE), (BLOCK_SIZE, BLOCK_SIZE + 40))
    ]
    for key, values in whole.values.items():
        joined = np.concatenate([p.values[key] for p in parts], axis=1)
        assert np.array_equal(values, joined), key
    drawn = parameter_draws(short_priors, worlds, SEED)
    piece = parameter_draws(short_priors, BLOCK_SIZE + 40, SEED, first_world=BLOCK_SIZE)
    for key in drawn:
        assert np.array_equal(drawn[key][BLOCK_SIZE:], piece[key]), key


def test_worlds_differ_in_their_parameters_and_groups_share_a_draw(short_priors):
    draws = parameter_draws(short_priors, 100, SEED)
    groups = draw_groups(short_priors, 100)
    depreciation = draws["depreciation"]
    assert len(np.unique(depreciation)) == 10  # 10 draws of 10 worlds each
    for g in np.unique(groups):
        assert len(np.unique(depreciation[groups == g])) == 1
    low, mode, high = short_priors.uncertainty.distributions["depreciation"].args
    assert low <= depreciation.min() and depreciation.max() <= high and mode == 0.08
    # Draws differ per world, and they matter: a faster-depreciating world has less capability.
    results = simulate(short_priors, worlds=100, seed=SEED)
    capability = results.metric("USA", "capability")[-1]
    assert np.corrcoef(depreciation, capability)[0, 1] < -0.5


def test_scenarios_with_the_same_seed_share_parameter_draws(short_priors):
    """CRN: a policy change does not change any world's parameters or its growth shocks."""
    policy = dataclasses.replace(
        short_priors,
        policies=dataclasses.replace(short_priors.policies, doctrine="specific"),
    )
    a, b = parameter_draws(short_priors, 300, SEED), parameter_draws(policy, 300, SEED)
    assert a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)
    base, other = simulate(short_priors, 300, SEED), simulate(policy, 300, SEED)
    assert np.array_equal(base.metric("CHN", "gdp"), other.metric("CHN", "gdp"))
    assert not np.array_equal(base.metric("JPN", "burden_gap"), other.metric("JPN", "burden_gap"))
    assert not np.array_equal(
        parameter_draws(short_priors, 300, SEED + 1)["depreciation"], a["depreciation"]
    )


def test_changing_one_distribution_never_shifts_another(short_priors):
    spec = short_priors.uncertainty
    changed = dict(spec.distributions)
    changed["counter_a2ad_share"] = Distribution("uniform", (0.1, 0.3), 0.0, 0.5)
    del changed["depreciation"]  # fixing one parameter shifts nothing either
    other = dataclasses.replace(
        short_priors, uncertainty=dataclasses.replace(spec, distributions=changed)
    )
    a, b = parameter_draws(short_priors, 500, SEED), parameter_draws(other, 500, SEED)
    assert "depreciation" not in b
    for key in b:
        if key != "counter_a2ad_share":
            assert np.array_equal(a[key], b[key]), key
    # The changed one keeps its uniforms: both are increasing transforms of the same draws.
    key = "counter_a2ad_share"
    assert not np.array_equal(a[key], b[key])
    assert np.array_equal(np.argsort(a[key], kind="stable"), np.argsort(b[key], kind="stable"))


def test_a_table_of_draws_gives_each_group_one_row():
    table = (("depreciation", "JPN.defence_ceiling"), ((0.05, 0.011), (0.12, 0.015)))
    config = dataclasses.replace(
        default_config(), uncertainty=ParameterUncertainty({}, table, worlds_per_draw=5)
    )
    draws = parameter_draws(config, 200, SEED)
    rows = set(zip(draws["depreciation"], draws["JPN.defence_ceiling"], strict=True))
    assert rows == {(0.05, 0.011), (0.12, 0.015)}  # whole rows, never mixed
    groups = draw_groups(config, 200)
    for g in np.unique(groups):
        assert len(np.unique(draws["depreciation"][groups == g])) == 1


def test_worlds_per_draw_must_divide_the_block():
    bad = dataclasses.replace(
        default_config(),
        uncertainty=ParameterUncertainty(
            {"depreciation": Distribution("uniform", (0.05, 0.1), 0.0, 0.5)}, None, 7
        ),
    )
    with pytest.raises(ValueError, match="divide 250"):
        parameter_draws(bad, 100, SEED)


def test_parameter_uniforms_are_uniform_and_independent_by_purpose():
    from scipy import stats

    from lynchpin.model.rng import hashed_uniform

    index = np.arange(50_000)
    a, b = hashed_uniform(SEED, "parameter.a", index), hashed_uniform(SEED, "parameter.b", index)
    assert stats.kstest(a, "uniform").pvalue > 0.01
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.02 and abs(np.corrcoef(a[:-1], a[1:])[0, 1]) < 0.02
    assert np.array_equal(hashed_uniform(SEED, "parameter.a", index[100:]), a[100:])
    assert not np.array_equal(hashed_uniform(SEED + 1, "parameter.a", index), a)
