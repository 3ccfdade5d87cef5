"""The event log's rules, fed with hand-made quarters, plus the bridge from a real model."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lynchpin.dashboard.events import Cast, EventLog, Reading, cast_for, reading_from_model
from lynchpin.data import default_config
from lynchpin.model.model import LynchpinModel

QUIET = Reading(
    quarter="2020Q1",
    maritime=10.0,
    crisis_share=0.0,
    conflict=0.0,
    grayzone=0.5,
    attention=0.95,
    commitment=0.8,
    abandonment=0.3,
    threat=0.4,
    cohesion=0.7,
    defence_share=0.010,
    at_limit=0.0,
    limit=0.011,
    norm=0.0095,
    goal=0.0,
    alignment={"India": 0.45, "Australia": 0.85},
)


def run(*changes: dict) -> tuple[EventLog, list[list[str]]]:
    """Start from QUIET, then one quarter per change; returns the log and each quarter's texts."""
    log = EventLog(Cast())
    log.start(QUIET)
    quarters = []
    for i, change in enumerate(changes, start=1):
        reading = replace(QUIET, quarter=f"q{i}", **change)
        quarters.append([event.text for event in log.update(reading)])
    return log, quarters


def test_start_describes_the_opening_position() -> None:
    log = EventLog(Cast())
    event = log.start(QUIET)
    assert str(event).startswith("2020Q1: the simulation starts")
    assert "spending norm 0.95%, no goal above it" in event.text and "Japan" in event.text
    with_goal = EventLog(Cast()).start(replace(QUIET, goal=0.02))
    assert "declared goal 2.00%, spending norm 0.95%" in with_goal.text
    assert "talks" not in event.text
    talks = EventLog(Cast()).start(replace(QUIET, hns_demand=8.0, hns_payment=2.5))
    assert "talks are open: US asks US$8.0bn a year, Japan pays US$2.5bn." in talks.text
    assert log.events == [event]


def test_quiet_quarters_produce_no_events() -> None:
    _, quarters = run(*[{}] * 8)
    assert quarters == [[]] * 8


def test_maritime_spike_names_the_senkakus_and_the_fear_that_rose() -> None:
    _, quarters = run({}, {}, {}, {}, {"maritime": 12.0, "abandonment": 0.32})
    (text,) = quarters[-1]
    assert "Senkaku" in text and "12.0" in text and "abandonment fear rises" in text


def test_a_small_rise_or_too_short_a_history_is_not_a_spike() -> None:
    _, quarters = run({}, {}, {}, {}, {"maritime": 10.5})
    assert quarters[-1] == []
    _, quarters = run({"maritime": 20.0})  # no four-quarter history yet
    assert quarters[-1] == []


def test_repeated_spikes_wait_for_a_cooldown() -> None:
    _, quarters = run({}, {}, {}, {}, {"maritime": 12.0}, {"maritime": 14.0})
    assert len(quarters[-2]) == 1 and quarters[-1] == []


def test_crisis_wave_reported_only_at_a_new_high() -> None:
    _, quarters = run(
        {"crisis_share": 0.02},
        {"crisis_share": 0.05},
        {"crisis_share": 0.055},
        {"crisis_share": 0.07},
    )
    assert [len(q) for q in quarters] == [0, 1, 0, 1]
    assert "7% of worlds" in quarters[3][0]


def test_conflict_risk_one_line_for_the_highest_mark_passed() -> None:
    _, quarters = run({"conflict": 0.06}, {"conflict": 0.07}, {"conflict": 0.11})
    assert quarters == [
        ["the probability of armed conflict since 2020 passes 5% (mean over worlds)."],
        [],
        ["the probability of armed conflict since 2020 passes 10% (mean over worlds)."],
    ]


def test_conflict_is_a_mean_probability_never_a_share_of_worlds_that_escalated() -> None:
    """Each world holds a probability given its crises: no world "escalates" in the model."""
    log, _ = run({"conflict": 0.02}, {"conflict": 0.3})
    texts = [e.text for e in log.events if e.kind == "conflict"]
    assert texts == [
        "the probability of armed conflict since 2020 passes 1% (mean over worlds).",
        "the probability of armed conflict since 2020 passes 25% (mean over worlds).",
    ]
    for text in texts:
        assert "escalated" not in text and "of worlds" not in text and "risk" not in text
    event = log.events[-1]
    assert str(event) == (
        "q2: the probability of armed conflict since 2020 passes 25% (mean over worlds)."
    )


def test_conflict_names_the_start_year_of_the_scenario() -> None:
    log = EventLog(Cast(since="2025"))
    log.start(QUIET)
    (event,) = log.update(replace(QUIET, quarter="2031Q2", conflict=0.12))
    assert str(event) == (
        "2031Q2: the probability of armed conflict since 2025 passes 10% (mean over worlds)."
    )


def test_legal_limit_hit_and_release() -> None:
    _, quarters = run({"at_limit": 0.6}, {"at_limit": 0.9}, {"at_limit": 0.2})
    assert "hits its legal limit of 1.1% of GDP in 60% of worlds" in quarters[0][0]
    assert quarters[1] == []
    assert "falls back below its legal limit" in quarters[2][0]


def test_a_declared_goal_is_news_once_and_says_whether_it_can_matter() -> None:
    _, quarters = run({"goal": 0.02}, {"goal": 0.02}, {"goal": 0.009}, {"goal": 0.0})
    assert quarters[0] == [
        "Japan declares a defence goal of 2.00% of GDP, above its spending norm of 0.95%: "
        "spending up to the goal no longer carries the norm's political cost, and budgets "
        "climb toward it over years."
    ]
    assert quarters[1] == []
    assert "at or below its spending norm of 0.95%: it changes nothing" in quarters[2][0]
    assert "drops its declared defence goal" in quarters[3][0]


def test_a_loosening_norm_is_reported_from_the_last_reported_level() -> None:
    _, quarters = run({"norm": 0.01}, {"norm": 0.0102})
    assert quarters == [[], []]  # 0.05 and 0.07 points of GDP: not yet news
    _, quarters = run({"norm": 0.0106}, {"norm": 0.0112}, {"norm": 0.0118})
    assert "spending norm loosens (0.95% → 1.06% of GDP" in quarters[0][0]
    assert quarters[1] == [] and "1.06% → 1.18%" in quarters[2][0]


def test_attention_has_hysteresis() -> None:
    _, quarters = run({"attention": 0.75}, {"attention": 0.82}, {"attention": 0.79}, {})
    assert "distracted" in quarters[0][0]
    assert quarters[1] == [] and quarters[2] == []
    assert "returns" in quarters[3][0]


def test_grayzone_peak_is_reported_once_with_its_quarter() -> None:
    _, quarters = run({"grayzone": 0.55}, {"grayzone": 0.6}, {"grayzone": 0.57}, {"grayzone": 0.5})
    assert quarters[:2] == [[], []]
    assert "peaked in q2 at 0.60" in quarters[2][0]
    assert quarters[3] == []


def test_alignment_shift_measured_from_the_last_reported_level() -> None:
    _, quarters = run(
        {"alignment": {"India": 0.48, "Australia": 0.85}},
        {"alignment": {"India": 0.51, "Australia": 0.85}},
        {"alignment": {"India": 0.45, "Australia": 0.85}},
    )
    assert quarters[0] == []
    assert quarters[1] == [
        "India moves closer to the United States (alignment 0.45 → 0.51, median world)."
    ]
    assert "India drifts away" in quarters[2][0]


def test_commitment_and_cohesion_changes() -> None:
    _, quarters = run({"commitment": 0.72, "cohesion": 0.6})
    kinds = " ".join(quarters[0])
    assert "commitment to its allies weakens (0.80 → 0.72, median world)" in kinds
    assert "alliance cohesion frays (0.70 → 0.60, median world)" in kinds


def test_every_percentage_in_the_log_says_what_it_is() -> None:
    """A share of worlds ("of worlds"), or for conflict a probability ("mean over worlds")."""
    log, _ = run(
        {"crisis_share": 0.05, "conflict": 0.06, "at_limit": 0.6},
        {"at_limit": 0.2},
    )
    for event in log.events[1:]:
        for word in event.text.split():
            if word.rstrip(".,;:").endswith("%") and "GDP" not in event.text:
                wanted = "(mean over worlds)" if event.kind == "conflict" else "of worlds"
                assert wanted in event.text, event.text
    assert any("in 60% of worlds" in e.text for e in log.events)
    assert any("only 20% of worlds" in e.text for e in log.events)


def test_update_without_start_starts() -> None:
    log = EventLog()
    (event,) = log.update(QUIET)
    assert event.kind == "start"


def test_reading_from_a_real_model() -> None:
    model = LynchpinModel(default_config(), worlds=40, seed=3)
    model.step()
    reading = reading_from_model(model)
    assert reading.quarter == "2020Q1"
    assert 0.0 <= reading.crisis_share <= 1.0 and 0.0 <= reading.at_limit <= 1.0
    assert reading.maritime >= 0.0
    assert set(reading.alignment) == {"Japan", "Australia", "India"}
    assert reading.limit == pytest.approx(default_config().actor("JPN").params["defence_ceiling"])
    assert reading.norm == pytest.approx(float(model.actors["JPN"].spending_norm[0]))
    assert reading.goal == 0.0  # the baseline declares none
    cast = cast_for(model)
    assert (cast.ally, cast.challenger) == ("Japan", "China") and "Senkaku" in cast.incident
    assert cast.since == "2020"


def test_host_nation_support_talks_open_and_settle_once_each() -> None:
    open_talks = {"hns_demand": 8.0, "hns_payment": 2.5}
    _, quarters = run(
        {"hns_demand": 2.5, "hns_payment": 2.5},
        open_talks,
        {"hns_demand": 6.0, "hns_payment": 2.5},
        {"hns_demand": 2.675, "hns_payment": 2.675},
        {"hns_demand": 2.675, "hns_payment": 2.675},
    )
    assert quarters[0] == [] and quarters[2] == [] and quarters[4] == []
    assert quarters[1] == [
        "host-nation-support talks open: US asks US$8.0bn a year; Japan pays US$2.5bn under "
        "the agreement in force (median world). Friction lasts while the gap is open."
    ]
    assert quarters[3] == [
        "host-nation-support talks settle: Japan pays US$2.67bn a year, +7% on the old "
        "agreement (median world)."
    ]
