"""Levers, the dashboard's model adapter, its figures and the `lynchpin dashboard` command."""

from __future__ import annotations

import os

import numpy as np
import pytest
from mesa.visualization.solara_viz import _build_model_init_kwargs, _check_model_params

from lynchpin.cli import main
from lynchpin.dashboard import serve
from lynchpin.dashboard.adapter import DashboardModel
from lynchpin.dashboard.figures import map_figure, png_bytes, trajectory_figure
from lynchpin.dashboard.levers import LEVERS, changed, overrides, scenario_levers, solara_params
from lynchpin.model.model import LynchpinModel
from lynchpin.scenario import load_scenario

WORLDS = 24


@pytest.fixture(scope="module")
def baseline():
    return load_scenario("baseline")


def test_levers_start_at_the_scenario_values(baseline) -> None:
    config = baseline.to_config()
    levers = scenario_levers(config)
    assert set(levers) == {lever.name for lever in LEVERS}
    assert levers["japan_ceiling"] == pytest.approx(
        100 * config.actor("JPN").params["defence_ceiling"]
    )
    assert levers["china_growth"] == pytest.approx(100 * config.actor("CHN").params["growth_trend"])
    assert levers["doctrine"] == config.policies.doctrine
    assert levers["cyber_article5"] is config.policies.cyber_article5
    assert overrides(config, levers) == {}


def test_moved_levers_become_override_keys_in_model_units(baseline) -> None:
    config = baseline.to_config()
    moved = {
        "japan_ceiling": 2.0,
        "host_nation_support": "cost_plus_50",
        "us_commitment": 0.5,
        "quad": 0.9,
        "cyber_article5": not config.policies.cyber_article5,
        "us_attention": None,
    }
    result = overrides(config, moved)
    assert result["JPN.defence_ceiling"] == pytest.approx(0.02)
    assert result["USA.commitment_base"] == 0.5
    assert result["quad_institutionalisation"] == 0.9
    assert result["policies.host_nation_support"] == "cost_plus_50"
    assert result["policies.cyber_article5"] is not config.policies.cyber_article5
    assert "us_attention" not in changed(config, moved)


def test_unknown_lever_or_choice_is_refused(baseline) -> None:
    config = baseline.to_config()
    with pytest.raises(ValueError, match="unknown lever"):
        overrides(config, {"japan_budget": 2.0})
    with pytest.raises(ValueError, match="expected one of"):
        overrides(config, {"doctrine": "generous"})


def test_controls_hold_their_value_within_bounds(baseline) -> None:
    params = solara_params("baseline", baseline.to_config(), worlds=300, seed=7)
    assert params["scenario_name"] == "baseline" and params["seed"] == 7
    for name, control in params.items():
        if isinstance(control, dict) and control["type"].startswith("Slider"):
            assert control["min"] <= control["value"] <= control["max"], name
        if isinstance(control, dict) and control["type"] == "Select":
            assert control["value"] in control["values"], name


def test_mesa_reset_rebuilds_the_model_from_the_controls(baseline) -> None:
    """What SolaraViz does on Reset: check the params, then call the class with them."""
    model = DashboardModel("baseline", worlds=WORLDS)
    params = solara_params("baseline", baseline.to_config(), worlds=WORLDS, seed=model.seed)
    _check_model_params(model, params)
    values = {k: v["value"] if isinstance(v, dict) else v for k, v in params.items()}
    values["japan_ceiling"] = 2.5
    kwargs = _build_model_init_kwargs(
        model, values, add_scenario_when_empty=True, require_model_accepts_scenario=True
    )
    rebuilt = type(model)(**kwargs)
    assert rebuilt.config.actor("JPN").params["defence_ceiling"] == pytest.approx(0.025)
    assert rebuilt.changed_levers == {"japan_ceiling": 2.5}
    assert rebuilt.worlds == WORLDS


def test_adapter_runs_the_same_model_as_the_public_api(baseline) -> None:
    dashboard = DashboardModel("baseline", worlds=WORLDS)
    config = baseline.with_overrides(worlds=WORLDS).to_config()
    plain = LynchpinModel(config, worlds=WORLDS, seed=baseline.seed)
    for _ in range(3):
        dashboard.step()
        plain.step()
    for actor, metric in [("JPN", "defence_share_gdp"), ("system", "crises"), ("IND", "alignment")]:
        np.testing.assert_array_equal(dashboard.value(actor, metric), plain.value(actor, metric))
    assert dashboard.events[0].kind == "start"


def test_figures_render_before_and_after_steps() -> None:
    model = DashboardModel("baseline", worlds=WORLDS)
    before = png_bytes(trajectory_figure(model)), png_bytes(map_figure(model))
    for _ in range(4):
        model.step()
    after = png_bytes(trajectory_figure(model)), png_bytes(map_figure(model))
    for old, new in zip(before, after, strict=True):
        assert new.startswith(b"\x89PNG") and new != old


@pytest.fixture
def private_environ(monkeypatch: pytest.MonkeyPatch):
    """The command sets Solara's offline variables; keep them out of other tests."""
    monkeypatch.setattr(os, "environ", dict(os.environ))


def test_dashboard_command_refuses_missing_assets(private_environ, tmp_path, capsys) -> None:
    os.environ["SOLARA_ASSETS_PROXY_CACHE_DIR"] = str(tmp_path)
    assert main(["dashboard", "baseline", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "install-dashboard-assets.sh" in err and "solara-vuetify3-app" in err


def test_dashboard_command_refuses_bad_input(private_environ, capsys) -> None:
    assert main(["dashboard", "no-such-scenario"]) == 2
    assert main(["dashboard", "--worlds", "0"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_offline_environment_keeps_user_choices(private_environ) -> None:
    os.environ["SOLARA_THEME_TITLE"] = "my class"
    serve.offline_environment()
    assert os.environ["SOLARA_THEME_TITLE"] == "my class"
    assert os.environ["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"
    assert any(name.startswith("@widgetti/solara-vuetify") for name in serve.needed_packages())
