"""Recording only the outputs a caller asks for (LynchpinModel(outputs=...), issue 17): the
recorded trajectories are bit-identical to a full run's, and the state guard still checks
every output, recorded or not."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import vary

from lynchpin.model import LynchpinModel, simulate
from lynchpin.model.guards import ModelStateError
from lynchpin.model.priors import with_priors

QUARTERS = 8
CHOSEN = [("system", "armed_conflict"), ("JPN", "gdp")]


@pytest.mark.parametrize("priors", [False, True])
def test_recorded_outputs_equal_a_full_run_bit_for_bit(baseline, priors):
    config = vary(baseline, quarters=QUARTERS)
    config = with_priors(config, worlds_per_draw=1) if priors else config
    full = simulate(config, worlds=260, seed=4, first_world=250)
    some = simulate(config, worlds=260, seed=4, first_world=250, outputs=CHOSEN)
    # recording order (actors first), whatever order they were asked in
    assert some.keys == [("JPN", "gdp"), ("system", "armed_conflict")]
    assert some.periods == full.periods and some.first_world == 250
    for key in some.keys:
        assert some.metric(*key).tobytes() == full.metric(*key).tobytes()
    with pytest.raises(KeyError):
        some.metric("JPN", "capability")


def test_names_may_be_dotted_and_the_datacollector_holds_only_them(baseline):
    model = LynchpinModel(vary(baseline, quarters=QUARTERS), worlds=3, seed=5, outputs=["JPN.gdp"])
    model.step()
    model.step()
    assert set(model.datacollector.model_vars) == {"JPN.gdp"}
    collected = np.stack(model.datacollector.model_vars["JPN.gdp"])
    assert np.array_equal(collected, model.results().metric("JPN", "gdp"))


def test_unknown_or_no_outputs_are_errors(baseline):
    config = vary(baseline, quarters=QUARTERS)
    with pytest.raises(ValueError, match=r"unknown outputs JPN\.gpd; outputs are: USA\.gdp"):
        LynchpinModel(config, outputs=["JPN.gpd", "JPN.gdp"])
    with pytest.raises(ValueError, match="at least one output"):
        LynchpinModel(config, outputs=[])


def test_the_guard_checks_outputs_that_are_not_recorded(baseline):
    """An exploding GDP stops the run even when only deterrence is recorded."""
    config = vary(baseline, quarters=16, params={"output_gap_persistence": 1.0})
    japan = next(spec for spec in config.actors if spec.code == "JPN")
    blown = dataclasses.replace(japan, params={**japan.params, "growth_volatility": 5.0})
    config = dataclasses.replace(
        config, actors=tuple(blown if s.code == "JPN" else s for s in config.actors)
    )
    with pytest.raises(ModelStateError, match=r"JPN\.gdp is"):
        simulate(config, worlds=10, seed=1)
    with pytest.raises(ModelStateError, match=r"JPN\.gdp is"):
        simulate(config, worlds=10, seed=1, outputs=[("system", "deterrence")])
