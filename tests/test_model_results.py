"""The tidy tables users read: exact columns, ordered quantiles, one row per world."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import vary

from lynchpin.model import SUMMARY_COLUMNS, LynchpinModel, simulate


@pytest.fixture(scope="module")
def results(baseline):
    return simulate(vary(baseline, quarters=8), worlds=300, seed=3, scenario="baseline")


def test_summary_columns_exactly(results):
    summary = results.summary()
    assert list(summary.columns) == SUMMARY_COLUMNS
    assert SUMMARY_COLUMNS == [
        "scenario",
        "period",
        "actor",
        "metric",
        "mean",
        "p05",
        "p25",
        "p50",
        "p75",
        "p95",
    ]
    assert len(summary) == len(results.periods) * len(results.values)
    assert set(summary["scenario"]) == {"baseline"}


def test_quantiles_are_ordered(results):
    s = results.summary()
    for low, high in zip(["p05", "p25", "p50", "p75"], ["p25", "p50", "p75", "p95"], strict=True):
        assert (s[low] <= s[high]).all()


def test_per_world_shape(results):
    table = results.per_world()
    assert list(table.columns) == ["scenario", "period", "actor", "metric", "world", "value"]
    assert len(table) == len(results.values) * len(results.periods) * results.worlds
    jpn = table[(table.actor == "JPN") & (table.metric == "gdp")]
    assert np.array_equal(jpn["value"].to_numpy(), results.metric("JPN", "gdp").ravel())


def test_outputs_named_in_the_issue_exist(results):
    per_actor = [
        "gdp",
        "defence_spending",
        "defence_share_gdp",
        "capability",
        "alignment",
        "threat_perception",
    ]
    expected = {(a, m) for a in ("USA", "JPN", "CHN", "AUS", "IND") for m in per_actor}
    expected |= {
        (a, m)
        for a in ("JPN", "AUS")
        for m in (
            "abandonment_fear",
            "entrapment_fear",
            "burden_gap",
            "spending_norm",
            "hns_demand",
            "hns_payment",
        )
    }
    expected |= {
        ("USA", "attention"),
        ("USA", "commitment"),
        ("USA", "administration"),  # D7: 0 engaged, 1 transactional
        ("CHN", "dissatisfaction"),
        ("CHN", "gray_zone_intensity"),
        ("CHN", "red_line_belief"),  # issue 11: D1, D3
        ("CHN", "resolve_belief"),
        ("JPN", "resolve_belief"),
        ("AUS", "resolve_belief"),
        ("IND", "resolve_belief"),
    }
    expected |= {
        ("system", m)
        for m in (
            "power_ratio",
            "deterrence",
            "gray_zone_incidents",
            "incidents_maritime",
            "incidents_air",
            "incidents_cyber",
            "crises",
            "crises_taiwan_strait",
            "crises_east_china_sea",
            "crises_south_china_sea",
            "crises_sino_indian_border",
            "red_line",
            "red_line_crossed",
            "stood_firm",
            "at_war",
            "armed_conflict",
            "alliance_cohesion",
            "quad_cohesion",
            "order_stability",
        )
    }
    assert set(results.values) == expected
    with pytest.raises(KeyError, match=r"no output JPN\.nonsense"):
        results.metric("JPN", "nonsense")


def test_no_first_year_transient(baseline):
    """States start at their 2020 targets: the first quarter-on-quarter moves are small."""
    r = simulate(vary(baseline, quarters=4), worlds=500, seed=1)
    start = LynchpinModel(baseline, worlds=1)
    for actor, metric in [
        ("CHN", "dissatisfaction"),
        ("JPN", "abandonment_fear"),
        ("JPN", "entrapment_fear"),
        ("AUS", "abandonment_fear"),
        ("system", "alliance_cohesion"),
        ("system", "order_stability"),
    ]:
        series = r.metric(actor, metric).mean(axis=1)
        assert abs(series[0] - start.value(actor, metric)[0]) < 0.01, (actor, metric)
        assert np.abs(np.diff(series)).max() < 0.01, (actor, metric)
