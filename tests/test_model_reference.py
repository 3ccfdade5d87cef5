"""The reference model (the 2020 state under neutral policies, model._reference_state) reuses
its parent's per-world parameter draws instead of drawing them again (issue 17)."""

from __future__ import annotations

import numpy as np

import lynchpin.model.model as model_module
from lynchpin.model import LynchpinModel
from lynchpin.model.draws import parameter_draws
from lynchpin.scenario import load_scenario


def test_parameters_are_drawn_once_and_the_reference_is_per_world(monkeypatch):
    scenario = load_scenario("fortified-alliance").with_overrides(worlds=20)
    config = scenario.to_config()
    calls = []

    def counted(*args, **kwargs):
        calls.append(args[1:])
        return parameter_draws(*args, **kwargs)

    monkeypatch.setattr(model_module, "parameter_draws", counted)
    model = LynchpinModel(config, worlds=20, seed=7, first_world=250)
    assert model.neutral_config() != config  # so a reference model was built
    assert calls == [(20, 7, 250)]
    # each world's reference is that of its own draws: a model of the neutral config drawn
    # afresh for the same worlds gives the same references
    neutral = LynchpinModel(model.neutral_config(), worlds=20, seed=7, first_world=250)
    for code, actor in model.actors.items():
        reference = actor.reference_values(neutral.snapshot)
        assert reference.keys() == actor.reference.keys()
        for key, value in reference.items():
            assert np.array_equal(value, actor.reference[key]), (code, key)
    assert np.ptp(model.actors["JPN"].reference["threat"]) > 0  # it does differ by world
