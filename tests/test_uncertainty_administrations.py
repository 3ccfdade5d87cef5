"""D7 US administrations: switches happen only after elections, with the set probabilities
(a Markov switch), and each regime moves attention, commitment and demands (C3/C5/C6/C7)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import vary

from lynchpin.data import default_config
from lynchpin.model import LynchpinModel, simulate
from lynchpin.model.config import ENGAGED, TRANSACTIONAL, Administrations, Election
from lynchpin.model.periods import parse_quarter
from lynchpin.scenario import load_scenario

WORLDS = 4000


def with_elections(initial: int, *elections: Election):
    return dataclasses.replace(
        vary(default_config(), quarters=40),  # 2020Q1-2029Q4
        administrations=Administrations(initial, tuple(elections)),
    )


def test_switches_only_after_elections_with_the_set_probabilities():
    first, second = parse_quarter("2020Q4"), parse_quarter("2024Q4")
    config = with_elections(
        TRANSACTIONAL, Election(first, 0.3, 0.3), Election(second, 0.9, 0.2)
    )  # fixed parameters: uncertainty none
    results = simulate(config, worlds=WORLDS, seed=5)
    admin = results.metric("USA", "administration")
    changes = np.flatnonzero(np.any(admin[1:] != admin[:-1], axis=1)) + 1
    periods = [results.periods[i] for i in changes]
    assert periods == ["2021Q1", "2025Q1"]  # the quarter after each election, never else
    assert np.all(admin[0] == TRANSACTIONAL)
    after_first = admin[results.periods.index("2021Q1")]
    assert after_first.mean() == pytest.approx(0.3, abs=0.025)
    after_second = admin[results.periods.index("2025Q1")]
    was_engaged = after_first == ENGAGED
    assert after_second[was_engaged].mean() == pytest.approx(0.9, abs=0.025)
    assert after_second[~was_engaged].mean() == pytest.approx(0.2, abs=0.04)


def test_regime_sets_attention_commitment_and_demands():
    """Directional, other channels frozen: the same worlds under a certain switch to an
    engaged administration after 2020 have higher commitment and a lower burden demand."""
    stay = with_elections(TRANSACTIONAL, Election(parse_quarter("2020Q4"), 1.0, 1.0))
    switch = with_elections(TRANSACTIONAL, Election(parse_quarter("2020Q4"), 0.0, 0.0))
    a, b = LynchpinModel(stay, worlds=50, seed=2), LynchpinModel(switch, worlds=50, seed=2)
    ra, rb = a.run(), b.run()
    t = ra.periods.index("2023Q4")
    assert np.all(rb.metric("USA", "commitment")[t] > ra.metric("USA", "commitment")[t] + 0.05)
    assert np.all(rb.metric("USA", "attention")[t] >= ra.metric("USA", "attention")[t])
    assert np.all(rb.metric("JPN", "burden_gap")[t] < ra.metric("JPN", "burden_gap")[t])
    assert np.all(b.leader.hns_stance < a.leader.hns_stance)
    assert np.mean(rb.metric("system", "alliance_cohesion")[t]) > np.mean(
        ra.metric("system", "alliance_cohesion")[t]
    )
    before = ra.periods.index("2020Q4")
    assert np.array_equal(
        ra.metric("USA", "commitment")[before], rb.metric("USA", "commitment")[before]
    )


def test_zero_shifts_make_the_regime_irrelevant():
    """Mutation check: with every transactional shift zero the regime changes nothing."""
    zero = {
        "transactional_attention_shift": 0.0,
        "transactional_commitment_shift": 0.0,
        "transactional_burden_demand_shift": 0.0,
        "transactional_hns_demand": 0.0,
        "transactional_trade_disengagement": 0.0,
        "resolve_transactional_penalty": 0.0,  # D3: a transactional US stands firm less often
        "burden_reward_transactional": 0.0,  # D4: it ties its favour to contributions
        "reciprocity_transactional": 0.0,  # D4: and its commitment to each ally
    }
    stay = with_elections(TRANSACTIONAL, Election(parse_quarter("2020Q4"), 1.0, 1.0))
    switch = with_elections(TRANSACTIONAL, Election(parse_quarter("2020Q4"), 0.0, 0.0))
    a = simulate(vary(stay, params=zero), worlds=20, seed=2)
    b = simulate(vary(switch, params=zero), worlds=20, seed=2)
    assert np.array_equal(a.metric("USA", "commitment"), b.metric("USA", "commitment"))
    assert np.array_equal(a.metric("JPN", "burden_gap"), b.metric("JPN", "burden_gap"))


def test_baseline_scenario_follows_history_then_draws():
    """2020Q1 Trump (transactional), Biden from 2021Q1, Trump from 2025Q1: certain; 2028 and
    2032 are drawn (about half the worlds each)."""
    scenario = load_scenario("baseline").with_overrides(worlds=1000, uncertainty="none")
    results = simulate(scenario.to_config(), worlds=1000, seed=scenario.seed)
    admin = results.metric("USA", "administration")
    at = results.periods.index
    assert admin[at("2020Q4")].mean() == 1.0
    assert admin[at("2021Q1")].mean() == 0.0
    assert admin[at("2025Q1")].mean() == 1.0
    assert admin[at("2029Q1")].mean() == pytest.approx(0.5, abs=0.06)
    assert 0.0 < admin[at("2035Q4")].mean() < 1.0
