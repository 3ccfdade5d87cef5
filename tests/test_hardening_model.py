"""Issue 16, silent wrong numbers: a non-finite or out-of-domain state is an error naming run,
quarter, actor and metric; a ramp from the "observed 2020 share" sentinel never passes
through negative shares."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from lynchpin.cli import main
from lynchpin.model import LynchpinModel, Shock
from lynchpin.model.guards import NON_NEGATIVE, UNIT_INTERVAL, ModelStateError, check_quarter
from lynchpin.model.periods import parse_quarter
from lynchpin.scenario import load_scenario

FIXTURES = Path(__file__).parent / "fixtures" / "hardening" / "scenarios"


@pytest.fixture(scope="module")
def model(baseline) -> LynchpinModel:
    short = dataclasses.replace(baseline, end=baseline.start + 1)
    model = LynchpinModel(short, worlds=8, seed=3)
    model.run_name = "probe"
    model.step()
    return model


def _row(model: LynchpinModel) -> np.ndarray:
    return model._trajectory[:, model._recorded - 1].copy()


def test_every_output_is_guarded(model):
    """A new output needs a domain here (or is finite-only on purpose: listed below)."""
    finite_only = {"burden_gap"}  # a signed gap between shares
    metrics = {m for _, m in model.output_names()}
    assert metrics <= UNIT_INTERVAL | NON_NEGATIVE | finite_only, metrics - UNIT_INTERVAL


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_every_non_finite_state_raises_naming_it(model, bad):
    check_quarter(model, _row(model))  # the real state passes
    for k, (actor, metric) in enumerate(model.output_names()):
        row = _row(model)
        row[k, 5] = bad
        with pytest.raises(ModelStateError) as caught:
            check_quarter(model, row)
        text = str(caught.value)
        assert f"run 'probe', 2020Q2: {actor}.{metric} is not finite" in text
        assert "world 5" in text and "1 of 8 worlds" in text


def test_out_of_domain_states_raise(model):
    names = model.output_names()
    for metric, value, why in (
        ("at_war", 1.5, "outside 0..1"),
        ("armed_conflict", -0.5, "negative"),
        ("defence_share_gdp", -0.01, "outside 0..1"),
        ("capability", -1.0, "negative"),
        ("gdp", 1e14, "more than 1000 times its start"),
    ):
        k = next(i for i, (_, m) in enumerate(names) if m == metric)
        row = _row(model)
        row[k, 0] = value
        with pytest.raises(ModelStateError, match=f"{names[k][0]}.{metric} is {why}"):
            check_quarter(model, row)


def test_exploding_output_gap_stops_the_run_with_exit_2(tmp_path, capsys):
    scenario = tmp_path / "boom.yaml"
    scenario.write_text(
        "name: boom\nextends: baseline\nworlds: 10\nparameters: {output_gap_persistence: 1}\n"
        "shocks:\n  - {target: JPN, quantity: recession, start: 2020Q1, size: 0.5, "
        "mode: absolute}\n"
    )
    out = tmp_path / "run"
    assert main(["run", str(scenario), "--out", str(out), "--no-plots"]) == 2
    err = capsys.readouterr().err
    assert "run 'boom'" in err and "JPN.gdp is more than 1000 times its start" in err
    assert "Traceback" not in err and not out.exists()


def test_ramp_from_the_observed_share_sentinel_never_goes_negative():
    scenario = load_scenario(FIXTURES / "sentinel-ramp.yaml")
    config = scenario.to_config()
    model = LynchpinModel(config, worlds=5, seed=1)
    japan = model.actors["JPN"]
    observed = japan.observed_share
    desired = []
    while model.running:
        model.step()
        desired.append(float(np.min(japan.p.defence_share_desired)))
    ramp = desired[:12]
    assert min(ramp) >= observed - 1e-12  # from the 2020 share, not from -1
    assert np.all(np.diff(ramp) >= -1e-12) and abs(ramp[-1] - 0.02) < 1e-12
    assert ramp[0] == pytest.approx(observed + (0.02 - observed) / 12)
    share = model.results().metric("JPN", "defence_share_gdp")
    assert share.min() > 0.005  # spending never collapses to 0 on the way


def test_scenario_check_measures_a_relative_shock_from_the_observed_share(tmp_path):
    """A relative shock of the sentinel is checked as the model applies it: from the 2020 share."""
    path = tmp_path / "rel.yaml"
    path.write_text(
        "name: rel\nextends: baseline\nactors: {JPN: {defence_share_desired: -1}}\n"
        "shocks:\n  - {target: JPN, quantity: "
        "defence_share_desired, start: 2021Q1, size: 0.5, mode: relative}\n"
    )
    config = load_scenario(path).to_config()  # -1 * 1.5 would have been refused
    shock = config.shocks[0]
    assert isinstance(shock, Shock) and shock.start == parse_quarter("2021Q1")
