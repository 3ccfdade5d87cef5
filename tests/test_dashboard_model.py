"""Levers, the dashboard's model adapter, its figures and the `lynchpin dashboard` command."""

from __future__ import annotations

import io
import os

import numpy as np
import PIL.Image
import pytest
from mesa.visualization.solara_viz import _build_model_init_kwargs, _check_model_params

from lynchpin.cli import main
from lynchpin.dashboard import serve
from lynchpin.dashboard.adapter import DashboardModel
from lynchpin.dashboard.figures import (
    MapChart,
    TrajectoryChart,
    map_figure,
    png_bytes,
    trajectory_figure,
)
from lynchpin.dashboard.levers import LEVERS, changed, overrides, scenario_levers, solara_params
from lynchpin.model.model import LynchpinModel
from lynchpin.outputs.headline import Z90
from lynchpin.scenario import load_scenario

WORLDS = 24


@pytest.fixture(scope="module")
def baseline():
    return load_scenario("baseline")


def test_levers_start_at_the_scenario_values(baseline) -> None:
    config = baseline.to_config()
    levers = scenario_levers(config)
    assert set(levers) == {lever.name for lever in LEVERS}
    assert levers["japan_goal"] == pytest.approx(100 * config.actor("JPN").params["defence_goal"])
    assert levers["japan_hns_offer"] == pytest.approx(100 * config.params["hns_ally_surplus"])
    assert levers["china_growth"] == pytest.approx(100 * config.actor("CHN").params["growth_trend"])
    assert levers["doctrine"] == config.policies.doctrine
    assert levers["cyber_article5"] is config.policies.cyber_article5
    assert overrides(config, levers) == {}


def test_moved_levers_become_override_keys_in_model_units(baseline) -> None:
    config = baseline.to_config()
    moved = {
        "japan_goal": 2.0,
        "japan_hns_offer": 30.0,
        "host_nation_support": "cost_plus_50",
        "us_commitment": 0.5,
        "quad": 0.9,
        "cyber_article5": not config.policies.cyber_article5,
        "us_attention": None,
    }
    result = overrides(config, moved)
    assert result["JPN.defence_goal"] == pytest.approx(0.02)
    assert result["hns_ally_surplus"] == pytest.approx(0.3)
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
    values["japan_goal"] = 2.5
    kwargs = _build_model_init_kwargs(
        model, values, add_scenario_when_empty=True, require_model_accepts_scenario=True
    )
    rebuilt = type(model)(**kwargs)
    assert rebuilt.config.actor("JPN").params["defence_goal"] == pytest.approx(0.025)
    assert rebuilt.changed_levers == {"japan_goal": 2.5}
    assert rebuilt.worlds == WORLDS


def test_adapter_runs_the_same_model_as_the_public_api(baseline) -> None:
    dashboard = DashboardModel("baseline", worlds=WORLDS)
    # The classroom dashboard runs with fixed parameters (uncertainty none) by default.
    config = baseline.with_overrides(worlds=WORLDS, uncertainty="none").to_config()
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


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(PIL.Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def test_fast_frames_match_a_full_redraw() -> None:
    """The charts the dashboard sends (cached background + moving parts, kept quantiles)
    look like the same figure drawn in full, quarter after quarter."""
    model = DashboardModel("pandemic-distraction", worlds=WORLDS)
    fans, geography = TrajectoryChart(model), MapChart(model)
    for quarter in range(10):
        frames = fans.png(model), geography.png(model)
        if quarter in (0, 3, 9):
            for frame, chart in zip(frames, (fans, geography), strict=True):
                full = _pixels(png_bytes(chart.figure))
                differs = (np.abs(_pixels(frame) - full).max(axis=2) > 8).mean()
                assert differs < 0.001, (quarter, type(chart).__name__, differs)
        model.step()


def test_trajectory_chart_keeps_quantiles_of_earlier_quarters() -> None:
    model = DashboardModel("baseline", worlds=WORLDS)
    chart = TrajectoryChart(model)
    for _ in range(6):
        model.step()
        chart.update(model)
    fresh = TrajectoryChart(model)
    fresh.update(model)
    for kept, new in zip(chart.series, fresh.series, strict=True):
        for a, b in zip(kept, new, strict=True):
            np.testing.assert_allclose(a.quantiles, b.quantiles)
            assert a.quantiles.shape == (5, 6)


# -- levers moved during a run ---------------------------------------------------------------
def test_a_lever_moved_mid_run_acts_from_the_next_quarter_without_a_restart() -> None:
    moved, kept = (
        DashboardModel("baseline", worlds=WORLDS),
        DashboardModel("baseline", worlds=WORLDS),
    )
    for _ in range(8):
        moved.step()
        kept.step()
    history = moved.results().metric("USA", "attention").copy()
    assert moved.set_levers(us_attention=0.4) == {"us_attention": 0.4}
    assert moved.pending_levers == {"us_attention": 0.4}
    np.testing.assert_array_equal(moved.value("USA", "attention"), kept.value("USA", "attention"))
    for _ in range(4):
        moved.step()
        kept.step()
    assert moved.quarter == kept.quarter == moved.config.start + 12  # nothing restarted
    np.testing.assert_array_equal(moved.results().metric("USA", "attention")[:8], history)
    assert (
        np.median(moved.value("USA", "attention")) < np.median(kept.value("USA", "attention")) - 0.1
    )
    assert moved.levers["us_attention"] == 0.4 and moved.changed_levers == {"us_attention": 0.4}
    assert moved.pending_levers == {}
    (event,) = [e for e in moved.events if e.kind == "lever"]
    assert str(event) == "2022Q1: lever — US attention set to 0.4 (was 1), from this quarter on."
    assert moved.events.index(event) > 1  # after the events of the first eight quarters


def test_live_levers_reach_base_params_policies_and_the_goal() -> None:
    model = DashboardModel("baseline", worlds=WORLDS)
    model.step()
    model.set_levers(
        japan_goal=2.0,
        japan_hns_offer=40.0,
        quad=0.9,
        host_nation_support="cost_plus_50",
        china_growth=3.0,
    )
    model.step()
    assert model.actors["JPN"].base_params["defence_goal"] == pytest.approx(0.02)
    assert model.actors["JPN"].p.defence_goal == pytest.approx(0.02)
    assert model.p.hns_ally_surplus == pytest.approx(0.4)
    assert (
        model.base_params["quad_institutionalisation"] == model.p.quad_institutionalisation == 0.9
    )
    assert model.actors["CHN"].p.growth_trend == pytest.approx(0.03)
    assert model.config.policies.host_nation_support == "cost_plus_50"
    assert model.config.actor("JPN").params["defence_goal"] == pytest.approx(0.02)
    assert len([e for e in model.events if e.kind == "lever"]) == 5
    assert model.limits[-1] == pytest.approx(0.02) and model.limit_label == "goal"


def test_policies_moved_live_catch_up_with_a_reset_that_had_them_from_the_start() -> None:
    """A live lever changes the rules from the next quarter; states the old rules set at the
    start (Japan's fear, cohesion) then move towards where a Reset would have put them."""
    live = DashboardModel("baseline", worlds=WORLDS)
    live.set_levers(doctrine="specific", host_nation_support="cost_plus_50")
    reset = DashboardModel(
        "baseline", worlds=WORLDS, doctrine="specific", host_nation_support="cost_plus_50"
    )
    gaps = []
    for _ in range(16):
        live.step()
        reset.step()
        gaps.append(
            [
                abs(np.median(live.value(actor, metric)) - np.median(reset.value(actor, metric)))
                for actor, metric in [("JPN", "abandonment_fear"), ("system", "alliance_cohesion")]
            ]
        )
    assert live.config.policies == reset.config.policies
    assert min(gaps[0]) > 0.05  # the first quarter still shows the old starting point
    # Each state closes nine tenths of its own first-quarter gap within four years. What is
    # left is Japan's budget: the live run's lower fear in the first quarters kept its D4 best
    # response lower, and budgets close only share_adjust_rate of their gap a quarter (C8), so
    # the burden gap, hence friction and fear, converge more slowly than cohesion.
    for start, end in zip(gaps[0], gaps[-1], strict=True):
        assert end < 0.1 * start


def test_scenario_shocks_keep_acting_on_a_moved_lever() -> None:
    model = DashboardModel("pandemic-distraction", worlds=WORLDS)
    assert model.effective("us_attention") == pytest.approx(0.7)
    assert model.shock_note("us_attention") == (
        "scenario shock active: US attention −30% until 2021Q4"
    )
    model.step()
    model.set_levers(us_attention=0.5)
    model.step()
    assert model.leader.p.attention_base == pytest.approx(0.35)  # 0.5 with the shock's -30%
    assert model.effective("us_attention") == pytest.approx(0.35)
    while model.quarter <= model.lever_shocks("us_attention")[0].end:
        model.step()
    model.step()
    # 2022: the engaged administration elected in 2020 (D7) adds its 0.1 to the lever's base.
    shift = -model.p.transactional_attention_shift
    assert model.leader.p.attention_base == pytest.approx(0.5 + shift)
    assert model.shock_note("us_attention") == "" and model.effective("us_attention") == 0.5
    assert "scenario shock ahead" in DashboardModel("china-slowdown", worlds=WORLDS).shock_note(
        "china_growth"
    )


def test_set_levers_refuses_unknown_levers_and_choices() -> None:
    model = DashboardModel("baseline", worlds=WORLDS)
    with pytest.raises(ValueError, match="unknown lever"):
        model.set_levers(japan_budget=2.0)
    with pytest.raises(ValueError, match="expected one of"):
        model.set_levers(doctrine="generous")
    assert model.pending_levers == {}


def test_reset_arguments_rebuild_the_model_with_the_levers_in_use() -> None:
    model = DashboardModel("baseline", worlds=WORLDS)
    model.set_levers(japan_goal=2.5)
    model.step()
    _check_model_params(model, model.reset_arguments())
    kwargs = _build_model_init_kwargs(
        model,
        model.reset_arguments(),
        add_scenario_when_empty=True,
        require_model_accepts_scenario=True,
    )
    rebuilt = type(model)(**kwargs)
    assert rebuilt.quarter == rebuilt.config.start
    assert rebuilt.changed_levers == {"japan_goal": 2.5}
    assert rebuilt.config.actor("JPN").params["defence_goal"] == pytest.approx(0.025)


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


# -- the armed-conflict panel: a mean probability, not a fan of worlds ------------------------
def test_armed_conflict_panel_is_the_mean_with_a_90pct_confidence_interval() -> None:
    """Each world holds P(conflict | its crises): the panel plots their mean and its CI."""
    model = DashboardModel("baseline", worlds=WORLDS)
    chart = TrajectoryChart(model)
    for _ in range(8):
        model.step()
    chart.update(model)
    (panel,) = [p for p in chart.panels if p.series == (("system", "armed_conflict"),)]
    assert panel.summary == "mean" and panel.title == "Armed conflict since 2020"
    assert "of worlds" not in panel.unit and "mean over worlds" in panel.note
    assert "90% confidence interval" in panel.note
    (series,) = chart.series[chart.panels.index(panel)]
    values = model.results("baseline").metric("system", "armed_conflict")[:8]
    mean = values.mean(axis=1)
    half = Z90 * values.std(axis=1, ddof=1) / np.sqrt(WORLDS)
    low, mid, _, _, high = series.quantiles / 100
    np.testing.assert_allclose(mid, mean)
    np.testing.assert_allclose(low, mean - half)
    np.testing.assert_allclose(high, mean + half)
    np.testing.assert_allclose(series.line.get_ydata(), mean * 100)
    assert mean[-1] > 0.0  # something to see after two years
    means = ("armed_conflict", "incidents_maritime", "incidents_air", "incidents_cyber")
    others = [s for drawn in chart.series for s in drawn if s.metric not in means]
    assert others and all(s.summary == "fan" for s in others)


def test_mean_band_of_one_world_has_no_width() -> None:
    from lynchpin.dashboard.figures import mean_band

    band = mean_band(np.array([[0.2], [0.4]]))
    np.testing.assert_allclose(band, [[0.2, 0.4]] * 5)


# -- the command: help, ports, --set --------------------------------------------------------
def test_dashboard_help_has_examples_paths_and_set(capsys) -> None:
    assert main(["dashboard", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.replace("│", " ").split())  # no box, no wrap
    assert "Example" in text and "lynchpin dashboard america-first --worlds 300" in text
    assert "path to a scenario YAML file" in text and "Bundled scenario to start" not in text
    assert "--set" in text and "override one scenario value, e.g. --set" in text
    assert "JPN.defence_goal=0.02; repeatable" in text


@pytest.fixture
def no_server(private_environ, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """Assets count as installed and Solara's server is not started: its args are recorded."""
    from solara.__main__ import cli

    started: list[list[str]] = []
    monkeypatch.setattr(serve, "check_ready", lambda: None)
    monkeypatch.setattr(cli, "main", lambda args, **_: started.append(args))
    return started


def test_dashboard_refuses_a_busy_port_before_printing_the_address(no_server, capsys) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["dashboard", "--port", str(port)]) == 2
    out, err = capsys.readouterr()
    assert f"port {port} on 127.0.0.1 is in use; choose another with --port" in err
    assert "open http" not in out and "Traceback" not in err
    assert no_server == []


def test_dashboard_port_0_picks_a_free_port_and_prints_it(no_server, capsys) -> None:
    assert main(["dashboard", "--port", "0", "--worlds", "20"]) == 0
    (args,) = no_server
    port = int(args[args.index("--port") + 1])
    assert port > 0
    assert f"open http://127.0.0.1:{port} in a browser" in capsys.readouterr().out
    assert serve.claim_port("127.0.0.1", port) == port  # free again: nothing listens


def test_dashboard_set_reaches_the_app_and_bad_keys_exit_2(no_server, capsys) -> None:
    assert main(["dashboard", "--port", "0", "--set", "JPN.defence_ceiling=0.02"]) == 0
    assert serve.settings_from_environment() == {"JPN.defence_ceiling": "0.02"}
    assert main(["dashboard", "--set", "JPN.no_such_param=1"]) == 2
    assert main(["dashboard", "--set", "JPN.defence_ceiling"]) == 2
    assert main(["dashboard", "--set", "JPN.defence_ceiling=lots"]) == 2
    err = capsys.readouterr().err
    assert "JPN.no_such_param" in err and "expected KEY=VALUE" in err
    assert "Traceback" not in err and len(no_server) == 1


def test_set_overrides_are_the_levers_starting_point_and_survive_reset() -> None:
    model = DashboardModel("baseline", worlds=WORLDS, settings={"JPN.defence_goal": "0.02"})
    assert model.config.actor("JPN").params["defence_goal"] == pytest.approx(0.02)
    assert model.levers["japan_goal"] == pytest.approx(2.0)
    assert model.changed_levers == {}
    rebuilt = type(model)(**model.reset_arguments())
    assert rebuilt.config.actor("JPN").params["defence_goal"] == pytest.approx(0.02)


def test_a_lever_or_set_that_binds_in_no_world_is_named_in_plain_words() -> None:
    """Issue 12: a goal at or below the norm, or a legal limit no budget reaches, changes
    nothing; the dashboard says so by name once a quarter has run, and is silent otherwise."""
    quiet = DashboardModel(
        "baseline", worlds=WORLDS, japan_goal=0.5, settings={"JPN.defence_ceiling": "0.05"}
    )
    assert quiet.unbound_levers() == []  # nothing simulated yet: nothing to judge
    quiet.step()
    warnings = quiet.unbound_levers()
    assert len(warnings) == 2, warnings
    assert any(w.startswith("Japan goal 0.5% of GDP binds in no world") for w in warnings)
    assert any("--set JPN.defence_ceiling=0.05" in w and "legal limit" in w for w in warnings)
    binding = DashboardModel(
        "baseline", worlds=WORLDS, japan_goal=2.0, settings={"JPN.defence_ceiling": "0.0096"}
    )
    binding.step()
    assert binding.unbound_levers() == []
    untouched = DashboardModel("baseline", worlds=WORLDS)
    untouched.step()
    assert untouched.unbound_levers() == []  # the scenario's own values are not the user's
