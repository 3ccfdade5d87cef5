"""With worlds=1 LynchpinModel is an ordinary Mesa model: agents, staged steps, DataCollector."""

from __future__ import annotations

import dataclasses

import mesa
import numpy as np
import pytest
from conftest import vary

from lynchpin.agents import Partner, TreatyAlly
from lynchpin.model import ActorSpec, LynchpinModel, simulate

QUARTERS = 12


def test_agents_are_mesa_agents_and_step_advances(baseline):
    model = LynchpinModel(vary(baseline, quarters=QUARTERS), worlds=1, seed=5)
    assert isinstance(model, mesa.Model)
    assert all(isinstance(a, mesa.Agent) for a in model.agents)
    assert (
        {a.code for a in model.agents} == set(model.actors) == {"USA", "JPN", "CHN", "AUS", "IND"}
    )
    assert model.leader.code == "USA" and model.challenger.code == "CHN"
    steps = 0
    while model.running:
        model.step()
        steps += 1
    assert steps == QUARTERS == model.steps
    assert model.quarter == baseline.start + QUARTERS


def test_datacollector_holds_the_values(baseline):
    model = LynchpinModel(vary(baseline, quarters=QUARTERS), worlds=3, seed=5)
    model.step()
    gdp_after_one = model.value("JPN", "gdp").copy()
    model.step()
    collected = model.datacollector.model_vars
    assert set(collected) == {f"{a}.{m}" for a, m in model.output_names()}
    assert np.array_equal(collected["JPN.gdp"][0], gdp_after_one)
    assert np.array_equal(collected["JPN.gdp"][1], model.value("JPN", "gdp"))
    assert collected["JPN.gdp"][0].dtype == np.float64
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == 2
    results = model.results("x")
    for actor, metric in model.output_names():
        assert np.array_equal(
            np.stack(collected[f"{actor}.{metric}"]), results.metric(actor, metric)
        )


def test_activation_order_does_not_matter(baseline):
    config = vary(baseline, quarters=QUARTERS)
    ordered = LynchpinModel(config, worlds=20, seed=9)
    shuffled = LynchpinModel(config, worlds=20, seed=9)
    while ordered.running:
        ordered.step()
        shuffled.agents.shuffle(inplace=True)
        shuffled.step()
    assert [a.code for a in shuffled.agents] != [a.code for a in ordered.agents]
    a, b = ordered.results(), shuffled.results()
    assert all(np.array_equal(a.values[k], b.values[k]) for k in a.values)


def test_batch_run_with_seeds(baseline):
    config = vary(baseline, quarters=QUARTERS)
    rows = mesa.batch_run(
        LynchpinModel,
        parameters={"config": config, "worlds": 1},
        rng=[1, 2, 3],
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    assert len(rows) == 3
    assert [r["seed"] for r in rows] == [1, 2, 3]
    expected = simulate(config, worlds=1, seed=2).metric("JPN", "gdp")[-1]
    assert np.array_equal(rows[1]["JPN.gdp"], expected)


def test_a_new_actor_joins_through_actor_spec(baseline):
    korea = ActorSpec(
        "KOR",
        "South Korea",
        "treaty_ally",
        gdp=1644.0,
        defence_share=0.028,
        params={
            **baseline.actor("JPN").params,
            "proximity": 0.8,
            "trade_dependence": 0.25,
            "host_weight": 0.5,
            "alignment_initial": 0.7,
            "alignment_affinity": 0.6,
            "quad_member": 0.0,
            "defence_ceiling": 0.04,
            "defence_share_desired": -1.0,
        },
    )
    philippines = ActorSpec(
        "PHL",
        "Philippines",
        "partner",
        gdp=362.0,
        defence_share=0.011,
        params={**baseline.actor("IND").params, "autonomy_cap": 1.0, "alignment_initial": 0.5},
    )
    config = dataclasses.replace(
        vary(baseline, quarters=QUARTERS), actors=(*baseline.actors, korea, philippines)
    )
    model = LynchpinModel(config, worlds=50, seed=4)
    assert isinstance(model.actors["KOR"], TreatyAlly) and model.actors["KOR"] in model.allies
    assert type(model.actors["PHL"]) is Partner
    results = model.run()
    for metric in ("abandonment_fear", "entrapment_fear", "burden_gap", "alignment"):
        assert np.isfinite(results.metric("KOR", metric)).all()
    assert ("PHL", "alignment") in results.values
    assert ("PHL", "abandonment_fear") not in results.values
    assert results.metric("KOR", "defence_share_gdp").max() <= 0.04 + 1e-12


def test_set_parameter_mid_run_changes_the_path_from_the_next_quarter(baseline):
    """The dashboard's levers: a base value changed mid-run acts from the next quarter on."""
    config = vary(baseline, quarters=12)
    plain = LynchpinModel(config, worlds=50, seed=4)
    moved = LynchpinModel(config, worlds=50, seed=4)
    for _ in range(4):
        plain.step()
        moved.step()
    moved.set_parameter("USA", "attention_base", 0.5)
    moved.set_parameter("system", "counter_a2ad_share", 0.3)
    for _ in range(8):
        plain.step()
        moved.step()
    before = slice(0, 4)
    a = plain.results().metric("CHN", "gray_zone_intensity")
    b = moved.results().metric("CHN", "gray_zone_intensity")
    assert np.array_equal(a[before], b[before])
    assert b[-1].mean() > a[-1].mean()
    with pytest.raises(KeyError):
        moved.set_parameter("USA", "no_such_parameter", 1.0)


def test_model_needs_a_config_and_reads_no_files():
    """The model is pure: no default config read from lynchpin.data inside it."""
    import inspect

    from lynchpin.model import model as model_module

    with pytest.raises(TypeError):
        LynchpinModel()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="ModelConfig"):
        LynchpinModel(None)  # type: ignore[arg-type]
    source = inspect.getsource(model_module)
    assert "from lynchpin.data" not in source and "import lynchpin.data" not in source
