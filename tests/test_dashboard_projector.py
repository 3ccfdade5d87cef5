"""Projector panels, the kept reference, the spending limit in use, and who may listen."""

from __future__ import annotations

import numpy as np
import pytest

from lynchpin.dashboard.adapter import DashboardModel
from lynchpin.dashboard.app import scenario_choices
from lynchpin.dashboard.figures import TrajectoryChart
from lynchpin.dashboard.projector import ProjectorCharts, limit_line
from lynchpin.dashboard.reference import keep_reference, paired_differences
from lynchpin.dashboard.serve import listen_address
from lynchpin.errors import UserError
from lynchpin.model.periods import decimal_year

WORLDS = 40


def test_the_spending_limit_drawn_is_the_one_the_model_used_each_quarter() -> None:
    """fortified-alliance declares Japan's 2% goal from 2023Q1 (D4): the line must follow the
    goal the model uses quarter by quarter (none before 2023), and spending climbs toward it."""
    model = DashboardModel("fortified-alliance", worlds=WORLDS)
    assert model.limit_name == "defence_goal"
    for _ in range(40):
        model.step()
    results = model.results("x")
    years = np.array([decimal_year(4 * 2020 + k) for k in range(len(results.periods))])
    _x, shown, label = limit_line(model, years)
    assert label == "goal" and len(shown) == 40
    assert model.limit_labels[:12] == ["norm"] * 12  # no goal declared before 2023
    norm = np.median(results.metric("JPN", "spending_norm"), axis=1) * 100
    assert shown[0] == pytest.approx(0.95, abs=0.01)  # Japan's ~1% norm (SIPRI's 0.95%)
    assert shown[:12] == pytest.approx(np.r_[shown[0], norm[:11]], abs=1e-9)  # norm in force
    assert shown[12:] == pytest.approx([2.0] * 28, abs=1e-9)  # 2023Q1 on: the goal in force
    spending = np.median(results.metric("JPN", "defence_share_gdp"), axis=1) * 100
    assert spending[12] < 1.2 < spending[-1] <= shown[-1] + 1e-6  # climbs toward the goal


def test_a_lever_moved_mid_run_moves_the_limit_from_that_quarter() -> None:
    model = DashboardModel("baseline", worlds=WORLDS)
    for _ in range(4):
        model.step()
    model.set_levers(japan_goal=2.5)
    for _ in range(2):
        model.step()
    assert model.limits[:4] == pytest.approx([0.0095] * 4, abs=1e-4)  # the norm
    assert model.limits[4:] == pytest.approx([0.025] * 2)
    assert model.limit_labels == ["norm"] * 4 + ["goal"] * 2


def test_a_goal_set_before_the_run_is_on_the_first_chart() -> None:
    """The CI failure of 9f0e0e2: a lever moved before the run drew nothing new (its line
    lay outside the axes fitted to the starting dots), so the browser saw no new picture."""
    plain = DashboardModel("baseline", worlds=WORLDS)
    goal = DashboardModel("baseline", worlds=WORLDS, japan_goal=2.0)
    pictures = []
    for model in (plain, goal):
        chart = TrajectoryChart(model)
        pictures.append(chart.png(model))
        low, high = chart.limit_artist.axes.get_ylim()  # the spending panel
        assert low < 100 * model.limit_now() < high
    assert pictures[0] != pictures[1]
    assert goal.limit_label == "goal" and plain.limit_label == "norm"


def test_first_load_shows_the_starting_state_not_empty_axes() -> None:
    model = DashboardModel("baseline", worlds=WORLDS)
    chart = TrajectoryChart(model)
    chart.update(model)
    for drawn in chart.series:
        for s in drawn:
            (y,) = s.dot.get_ydata()
            assert np.isfinite(y)
    (panel,) = [p for p in ProjectorCharts(model).figures if p.panel.key == "cohesion"]
    dots = [line for line in panel.figure(model).axes[0].lines if len(line.get_xdata()) == 1]
    assert dots and all(np.isfinite(line.get_ydata()[0]) for line in dots)


def test_projector_panels_are_four_svgs_with_text_as_text() -> None:
    model = DashboardModel("baseline", worlds=WORLDS)
    model.step()
    svgs = dict(ProjectorCharts(model).svgs(model))
    assert list(svgs) == ["grayzone", "japan", "cohesion", "conflict"]
    for svg in svgs.values():
        assert svg.lstrip().startswith("<?xml") and "<text" in svg  # scalable type
    assert "maritime" in svgs["grayzone"] and "cyber" in svgs["grayzone"]
    assert "norm 0.95%" in svgs["japan"]  # baseline declares no goal: the norm is drawn


def test_panels_leave_out_outputs_the_model_does_not_report() -> None:
    """at_war arrives with the crisis model (issue 11); until then the panel just lacks it."""
    model = DashboardModel("baseline", worlds=WORLDS)
    (conflict,) = [f for f in ProjectorCharts(model).figures if f.panel.key == "conflict"]
    metrics = [curve.metric for curve, _ in conflict.curves]
    assert "armed_conflict" in metrics
    assert ("at_war" in metrics) == (("system", "at_war") in model.output_names())


def test_reference_survives_reset_and_paired_difference_isolates_the_lever() -> None:
    first = DashboardModel("baseline", worlds=WORLDS)
    for _ in range(12):
        first.step()
    reference = keep_reference(first, "baseline")
    for _ in range(4):  # the kept copy does not move when the run goes on
        first.step()
    assert len(reference.periods) == 12
    same = DashboardModel(**first.reset_arguments())
    for _ in range(12):
        same.step()
    assert all(value == 0 for _, value in paired_differences(same, reference))
    goal = DashboardModel(**{**first.reset_arguments(), "japan_goal": 2.0})
    for _ in range(12):
        goal.step()
    differences = dict(paired_differences(goal, reference))
    assert differences["Japan's defence spending, share of GDP"] > 0.003  # D4: the goal lever
    # C6/D4 reciprocity: a smaller burden gap raises US commitment to Japan, so its fear
    # of abandonment falls and the alliance coheres.
    assert differences["Japan's fear of abandonment"] < -0.03
    assert differences["alliance cohesion"] > 0.01
    chart = ProjectorCharts(goal, reference)
    assert all("reference" in svg for _, svg in chart.svgs(goal))
    other_seed = DashboardModel("baseline", worlds=WORLDS, seed=first.seed + 1)
    other_seed.step()
    assert paired_differences(other_seed, reference) == []


def test_a_scenario_file_stays_in_the_picker_under_its_own_name(tmp_path) -> None:
    path = tmp_path / "my-lesson.yaml"
    path.write_text("name: my-lesson\ndescription: a variant\nextends: baseline\n")
    choices = scenario_choices(str(path))
    assert choices["my-lesson"] == str(path)
    assert choices["baseline"] == "baseline"
    assert scenario_choices("baseline")["baseline"] == "baseline"


def test_listening_beyond_this_machine_needs_lan() -> None:
    assert listen_address("127.0.0.1", lan=False) == "127.0.0.1"
    assert listen_address("127.0.0.1", lan=True) == "0.0.0.0"
    assert listen_address("10.0.0.5", lan=True) == "10.0.0.5"
    with pytest.raises(UserError, match="--lan"):
        listen_address("0.0.0.0", lan=False)


def test_dashboard_host_0000_is_refused_with_an_explanation(capsys) -> None:
    from lynchpin.cli import main

    assert main(["dashboard", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "other machines on the network" in err and "--lan" in err
