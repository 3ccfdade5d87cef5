"""Distributions sample what they say (Kolmogorov-Smirnov at a fixed seed and large n), stay
inside the registry bounds, and every prior is centred on the value it widens."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from lynchpin.model.distributions import Distribution, parse_distribution
from lynchpin.model.parameters import ACTOR_PARAMS, GLOBAL_PARAMS
from lynchpin.model.priors import PRIORS, prior

N = 20_000
U = np.random.default_rng(12345).random(N)


def truncated(frozen, low: float, high: float):
    """CDF of a scipy distribution truncated to [low, high]."""
    f_lo, f_hi = frozen.cdf(low), frozen.cdf(high)
    return lambda x: (frozen.cdf(x) - f_lo) / (f_hi - f_lo)


CASES = [
    ({"uniform": [0.1, 0.3]}, 0.0, 0.5, stats.uniform(0.1, 0.2).cdf),
    ({"triangular": [0.1, 0.15, 0.4]}, 0.0, 0.5, stats.triang(1 / 6, 0.1, 0.3).cdf),
    (
        {"normal": {"mean": 0.2, "sd": 0.15}},
        0.0,
        0.5,
        truncated(stats.norm(0.2, 0.15), 0.0, 0.5),
    ),
    (
        {"lognormal": {"median": 0.6, "sigma": 0.5}},
        0.0,
        5.0,
        truncated(stats.lognorm(0.5, scale=0.6), 0.0, 5.0),
    ),
    (
        {"lognormal": {"mean": 2.0, "sd": 1.0}},
        0.0,
        3.0,
        truncated(stats.lognorm(np.sqrt(np.log(1.25)), scale=2 / np.sqrt(1.25)), 0.0, 3.0),
    ),
    ({"beta": {"a": 2.0, "b": 5.0}}, 0.0, 1.0, stats.beta(2, 5).cdf),
    ({"beta": {"a": 2.0, "b": 5.0}}, 0.1, 0.6, truncated(stats.beta(2, 5), 0.1, 0.6)),
]


@pytest.mark.parametrize("spec, low, high, cdf", CASES, ids=[str(c[0]) for c in CASES])
def test_samples_match_their_specification(spec, low, high, cdf):
    dist, problem = parse_distribution(spec, low, high)
    assert problem == ""
    draws = dist.ppf(U)
    assert draws.min() >= low and draws.max() <= high
    assert stats.kstest(draws, cdf).pvalue > 0.01


def test_a_wrong_sampler_fails_the_ks_test():
    """The test above can fail: a normal sampled without truncation is rejected."""
    dist, _ = parse_distribution({"normal": {"mean": 0.2, "sd": 0.15}}, 0.0, 0.5)
    untruncated = 0.2 + 0.15 * stats.norm.ppf(U)
    assert stats.kstest(untruncated, truncated(stats.norm(0.2, 0.15), 0, 0.5)).pvalue < 1e-6
    assert stats.kstest(dist.ppf(U), truncated(stats.norm(0.2, 0.15), 0, 0.5)).pvalue > 0.01


def test_spec_round_trips():
    for spec, low, high, _ in CASES:
        dist, _ = parse_distribution(spec, low, high)
        again, problem = parse_distribution(dist.spec(), low, high)
        assert problem == "" and np.array_equal(again.ppf(U[:100]), dist.ppf(U[:100]))


def test_every_registry_parameter_has_a_prior():
    names = {p.name for p in (*GLOBAL_PARAMS, *ACTOR_PARAMS)}
    assert set(PRIORS) == names


@pytest.mark.parametrize("p", [*GLOBAL_PARAMS, *ACTOR_PARAMS], ids=lambda p: p.name)
def test_priors_are_centred_on_the_value(p):
    """A prior widens the fixed-parameter run, it does not move it: its median or mode is
    the value (up to truncation at a bound)."""
    dist = prior(p.name).distribution(p.name, p.default)
    if dist is None:
        return
    draws = dist.ppf(U)
    if dist.family == "triangular":
        assert dist.args[1] == p.default
    elif p.low < p.default < p.high and dist.family != "beta":
        assert abs(np.median(draws) - p.default) <= 0.1 * max(abs(p.default), 1e-3) + 1e-9
    else:
        assert abs(draws.mean() - p.default) <= 0.2 * max(abs(p.default), 1e-3)


def test_calibrated_priors_take_their_width_from_the_fit():
    """incident_rate_air: s.e. of a 5-year mean 132.2/sqrt(5)/647 = 9% (docs/calibration.md)."""
    dist = prior("incident_rate_air").distribution("incident_rate_air", 329.1)
    assert dist.family == "normal" and dist.args[1] == pytest.approx(0.09 * 329.1)
    assert prior("growth_volatility").shape == "lognormal"
    assert prior("growth_volatility").width == 0.35  # relative s.e. of an sd from 5 years


def test_switches_are_never_drawn():
    assert prior("quad_member").distribution("quad_member", 1.0) is None
    assert prior("crisis_extra_hazard").distribution("crisis_extra_hazard", 0.0) is None


def test_uniform_ppf_is_linear_in_u():
    dist = Distribution("uniform", (0.1, 0.3), 0.0, 0.5)
    assert np.allclose(dist.ppf(np.array([0.0, 0.5])), [0.1, 0.2])
