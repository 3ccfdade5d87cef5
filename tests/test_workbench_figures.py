"""Every figure lynchpin draws keeps every text artist inside the figure (nothing clipped), in
every format; incident series are shown per year."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lynchpin.analysis.discover import Experiments, cases_of_interest, discover
from lynchpin.analysis.sensitivity import indices_table
from lynchpin.experiments.sensitivity import Factor, sample
from lynchpin.model.run import simulate
from lynchpin.plots import discover as discover_plots
from lynchpin.plots.compare import end_state_figure, outcome_figure
from lynchpin.plots.export import parse_formats, render, text_outside
from lynchpin.plots.run_plots import CHARTS, draw_chart
from lynchpin.plots.sensitivity import plot_indices, plot_mu_sigma
from lynchpin.plots.sweep import heatmap_figure, runs_figure, scatter_figure
from lynchpin.scenario import load_scenario


@pytest.fixture(scope="module")
def results():
    scenario = load_scenario("us-retrenchment")
    return simulate(scenario.to_config(), worlds=20, seed=1, scenario="us-retrenchment")


def _figures(results):
    summary = results.summary()
    for chart in CHARTS:
        figure = draw_chart(chart, summary, "scenario x · 20 worlds", 20, results)
        if figure is not None:
            yield chart.filename, figure
    runs = [
        SimpleNamespace(
            label=label, summary=summary, periods=results.periods, manifest={"worlds": 20},
            worlds={k: results.values[k] for k in results.values},
        )
        for label in ("baseline", "a much longer label for a run with many inputs=0.123")
    ]  # fmt: skip
    diffs = {r.label: r.worlds[("system", "alliance_cohesion")] * 0 for r in runs}
    yield "outcome", outcome_figure(runs, runs[0], ("system", "alliance_cohesion"), diffs)
    yield "end_state", end_state_figure(runs, runs[0], "2035Q4")
    factors = [Factor("shocks.drawdown.size", -0.8, 0.0), Factor("counter_a2ad_share", 0, 0.4)]
    for method in ("morris", "sobol"):
        points = sample(method, factors, 4, 1)
        values = np.column_stack([points[:, 0] + points[:, 1] ** 2, points[:, 1]])
        outcomes = ["system.armed_conflict@2035Q4", "system.alliance_cohesion@2030Q4"]
        table = indices_table(method, factors, points, values, outcomes, 1, 4)
        yield f"sensitivity-{method}", plot_indices(table, method)
        if method == "morris":
            yield "mu_sigma", plot_mu_sigma(table)
    rng = np.random.default_rng(0)
    x = pd.DataFrame(
        {"shocks.drawdown.size": rng.uniform(-0.8, 0, 300), "b": rng.uniform(size=300)}
    )
    y = (x["shocks.drawdown.size"] < -0.5).to_numpy() * 1.0 + rng.normal(0, 0.1, 300)
    interest, rule = cases_of_interest(y, "> 0.5", None)
    found = discover(Experiments(x, y, "system.armed_conflict@2035Q4", "worlds"), interest, rule)
    yield "tradeoff", discover_plots.tradeoff_figure(found)
    yield "box", discover_plots.box_figure(found)
    yield "scores", discover_plots.scores_figure(found)
    values = pd.DataFrame({"mean": y[:20], "low": y[:20] - 0.1, "high": y[:20] + 0.1})
    values["run"] = [f"run {i} with parameters a=0.1 b=0.2" for i in range(20)]
    yield "scatter", scatter_figure(x[:20], values, "Probability (%)", "A long title " * 4)
    grid = pd.DataFrame({"a": np.repeat([0.1, 0.2, 0.3], 3), "b": np.tile([1.0, 2.0, 3.0], 3)})
    yield "heatmap", heatmap_figure(grid, pd.Series(np.arange(9.0)), "Label (%)", "Heat " * 8)
    yield "runs", runs_figure([("Outcome one (index 0-1)", values)] * 4, "Small multiples")


@pytest.mark.slow
def test_every_text_artist_lies_inside_its_figure(results):
    clipped = {name: text_outside(fig) for name, fig in _figures(results)}
    assert len(clipped) >= 15
    assert {name: found for name, found in clipped.items() if found} == {}


def test_text_outside_catches_a_clipped_title():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    fig.subplots().set_title("a title far too long for a figure three inches wide " * 2)
    assert text_outside(fig)


def test_formats_render_their_own_bytes():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3, 2))
    fig.subplots().plot([0, 1])
    assert parse_formats("png,svg,pdf") == ("png", "svg", "pdf")
    assert render(fig, "pdf")[:4] == b"%PDF" and render(fig, "png")[:4] == b"\x89PNG"
    assert render(fig, "svg") == render(fig, "svg")  # no timestamp: reruns are identical


def test_incidents_are_drawn_as_each_worlds_annual_count(results):
    from lynchpin.plots.run_plots import annual_sums

    rows = annual_sums(results, "system", "incidents_air")
    assert list(rows["period"][:2]) == ["2020Q2", "2021Q2"] and len(rows) == 16
    quarters = results.metric("system", "incidents_air")
    totals_2021 = quarters[4:8].sum(axis=0)
    assert rows["p50"][1] == np.quantile(totals_2021, 0.5)
    assert rows["mean"][1] == pytest.approx(totals_2021.mean())
