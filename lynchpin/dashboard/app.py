"""The Solara page `lynchpin dashboard` serves (`solara run lynchpin.dashboard.app`).

Mesa's SolaraViz supplies the sidebar: Step / Play / Reset, the play speed, and one control
per lever (`levers.solara_params`). Its own grid of half-width panels suits small charts, so
the main area is laid out here instead: full-width fan charts, then the map and the event
log. Both read the same reactive model, and Mesa's `update_counter` tells them when it stepped.
"""

from __future__ import annotations

import html
import os

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from lynchpin.dashboard.adapter import DashboardModel
from lynchpin.dashboard.figures import map_figure, quarter_label, trajectory_figure
from lynchpin.dashboard.levers import LEVERS, LEVERS_BY_NAME, WORLDS_DEFAULT, solara_params
from lynchpin.dashboard.serve import SCENARIO_ENV, WORLDS_ENV
from lynchpin.scenario import list_scenarios

EVENTS_SHOWN = 60
APPLY_HINT = "Move a lever, then press **Reset** to rebuild the model with it; Step or ▶ to run."


def _scenario_names() -> list[str]:
    return [name for name, _description, _path in list_scenarios()]


@solara.component
def Page() -> None:
    """Scenario picker plus the dashboard of the chosen scenario (rebuilt on a new choice)."""
    scenario = solara.use_reactive(os.environ.get(SCENARIO_ENV, "baseline"))
    worlds = int(os.environ.get(WORLDS_ENV, WORLDS_DEFAULT))
    solara.Title("lynchpin dashboard")
    with solara.Sidebar(), solara.Card("Scenario"):
        solara.Select("Bundled scenario", value=scenario, values=_scenario_names())
        solara.Markdown(APPLY_HINT)
    Dashboard(scenario.value, worlds).key(f"dashboard-{scenario.value}")


@solara.component
def Dashboard(scenario: str, worlds: int) -> None:
    """SolaraViz controls in the sidebar; charts, map and event log in the main area."""
    initial = solara.use_memo(lambda: DashboardModel(scenario, worlds=worlds), [])
    model = solara.use_reactive(initial)
    params = solara_params(scenario, initial.config, worlds, seed=initial.seed)
    SolaraViz(
        model,
        components=[],
        model_params=params,
        name="lynchpin: the US-Japan alliance in the Indo-Pacific",
        play_interval=150,
    )
    MainArea(model.value)


@solara.component
def MainArea(model: DashboardModel) -> None:
    """Everything that changes when the model steps."""
    step = update_counter.get()
    with solara.Column(style={"padding": "8px", "width": "100%"}):
        Status(model)
        trajectories = solara.use_memo(lambda: trajectory_figure(model), [model, step])
        solara.FigureMatplotlib(trajectories, format="png", dependencies=[model, step])
        with solara.Columns([6, 5]):
            picture = solara.use_memo(lambda: map_figure(model), [model, step])
            solara.FigureMatplotlib(picture, format="png", dependencies=[model, step])
            EventLogView(model)


@solara.component
def Status(model: DashboardModel) -> None:
    """Where the run stands, and which levers differ from the scenario."""
    update_counter.get()
    done = max(model.quarter - model.config.start, 0)
    changed = ", ".join(_lever_text(model, name) for name in model.changed_levers) or "none"
    current = " · ".join(_lever_text(model, lever.name) for lever in LEVERS)
    solara.Markdown(
        f"**{model.scenario_name}**: {model.description}  \n"
        f"Quarter **{quarter_label(model)}** ({done} of {model.config.periods} simulated), "
        f"{model.worlds} worlds, seed {model.seed}. Levers changed from the scenario: {changed}."
        f"  \nLevers in this run: {current}"
    )


def _lever_text(model: DashboardModel, name: str) -> str:
    lever = LEVERS_BY_NAME[name]
    value = lever.current(model.config)
    if isinstance(value, bool):
        shown = "on" if value else "off"
    elif isinstance(value, float):
        shown = f"{value:g}"
    else:
        shown = str(value)
    return f"{lever.short} {shown}"


@solara.component
def EventLogView(model: DashboardModel) -> None:
    """Newest first, in plain language."""
    update_counter.get()
    events = model.events[-EVENTS_SHOWN:][::-1]
    items = "".join(f"<li>{html.escape(str(event))}</li>" for event in events)
    with solara.Card("What happened", classes=["lynchpin-event-log"]):
        solara.HTML(
            tag="ul",
            unsafe_innerHTML=items,
            style={"max-height": "420px", "overflow-y": "auto", "font-size": "0.9em"},
        )
