"""The Solara page `lynchpin dashboard` serves (`solara run lynchpin.dashboard.app`).

The sidebar holds the scenario picker, Mesa's `ModelController` (Reset / ▶ / Step, the same
buttons SolaraViz shows) with its two speed sliders, and one control per lever. The levers are
our own controls, not SolaraViz's "Model Parameters" card, because they must do two things:
act on the running model from the next quarter (`DashboardModel.set_levers`) and be the
keyword arguments Reset rebuilds the model with. The main area shows full-width fan charts,
then the map and the event log; Mesa's `update_counter` tells them when the model stepped.
"""

from __future__ import annotations

import html
import os
from typing import Any

import solara
from mesa.visualization.solara_viz import ModelController
from mesa.visualization.utils import update_counter

from lynchpin.dashboard.adapter import DashboardModel
from lynchpin.dashboard.figures import MapChart, TrajectoryChart, quarter_label
from lynchpin.dashboard.levers import (
    LEVERS,
    LEVERS_BY_NAME,
    WORLDS_DEFAULT,
    WORLDS_MAX,
    WORLDS_MIN,
    WORLDS_STEP,
    Lever,
    shown_text,
)
from lynchpin.dashboard.serve import SCENARIO_ENV, WORLDS_ENV, settings_from_environment
from lynchpin.model.periods import format_quarter
from lynchpin.scenario import list_scenarios

TITLE = "lynchpin: the US-Japan alliance in the Indo-Pacific"
EVENTS_SHOWN = 60
PLAY_INTERVAL_MS = 100
RENDER_INTERVAL = 1
APPLY_HINT = (
    "A lever acts on the running model **from the next quarter** (the log notes it). "
    "**Reset** restarts from the first quarter with the levers as they are. "
    "Picking another scenario restarts too."
)
SPEED_HINT = (
    "*Pause*: wait between quarters while ▶ plays (Mesa's Play Interval). *Quarters per "
    "Step*: Step and ▶ advance this many quarters per redraw of the charts (Mesa's Render "
    "Interval); raise it on a slow laptop."
)
CAPTION = {"font-size": "0.8em", "color": "#555", "margin": "-14px 0 8px 0"}


def _scenario_names() -> list[str]:
    return [name for name, _description, _path in list_scenarios()]


@solara.component
def Page() -> None:
    """Scenario picker plus the dashboard of the chosen scenario (rebuilt on a new choice)."""
    first = os.environ.get(SCENARIO_ENV, "baseline")
    scenario = solara.use_reactive(first)
    worlds = int(os.environ.get(WORLDS_ENV, WORLDS_DEFAULT))
    # `--set` overrides belong to the scenario they were checked against: the first one.
    settings = settings_from_environment() if scenario.value == first else {}
    solara.Title("lynchpin dashboard")
    with solara.Sidebar(), solara.Card("Scenario"):
        solara.Select("Bundled scenario", value=scenario, values=_scenario_names())
        solara.Markdown(APPLY_HINT)
    Dashboard(scenario.value, worlds, settings).key(f"dashboard-{scenario.value}")


@solara.component
def Dashboard(scenario: str, worlds: int, settings: dict[str, str] | None = None) -> None:
    """Controls and levers in the sidebar; charts, map and event log in the main area."""
    initial = solara.use_memo(
        lambda: DashboardModel(scenario, worlds=worlds, settings=settings), []
    )
    model = solara.use_reactive(initial)
    arguments = solara.use_reactive(initial.reset_arguments())
    play_interval = solara.use_reactive(PLAY_INTERVAL_MS)
    render_interval = solara.use_reactive(RENDER_INTERVAL)
    use_threads = solara.use_reactive(False)
    with solara.AppBar():
        solara.AppBarTitle(TITLE)
    with solara.Sidebar(), solara.Column():
        with solara.Card("Controls"):
            ModelController(
                model,
                model_parameters=arguments,
                play_interval=play_interval,
                render_interval=render_interval,
                use_threads=use_threads,
            )
            solara.SliderInt(
                f"Pause (ms): {play_interval.value}",
                value=play_interval,
                min=0,
                max=1000,
                step=50,
            )
            solara.SliderInt(
                f"Quarters per Step: {render_interval.value}",
                value=render_interval,
                min=1,
                max=8,
            )
            solara.Markdown(SPEED_HINT, style={"font-size": "0.85em"})
        with solara.Card("Levers"):
            LeverPanel(model.value, arguments)
    MainArea(model.value)


@solara.component
def LeverPanel(model: DashboardModel, arguments: solara.Reactive[dict[str, Any]]) -> None:
    """One control per lever, its value in its label, and what a scenario shock makes of it."""
    update_counter.get()  # effective values and pending changes depend on the quarter

    def move(name: str, value: Any) -> None:
        if isinstance(value, float):
            value = round(value, 6)
        arguments.value = {**arguments.value, name: value}
        if name in LEVERS_BY_NAME:
            model.set_levers(**{name: value})

    values = arguments.value
    pending = model.pending_levers
    for lever in LEVERS:
        LeverControl(lever, values[lever.name], lambda v, n=lever.name: move(n, v))
        note = _lever_note(model, lever, pending)
        if note:
            solara.Text(note, style=CAPTION, classes=[f"lynchpin-note-{lever.name}"])
    solara.SliderInt(
        f"Worlds: {values['worlds']} (applies at Reset)",
        value=values["worlds"],
        on_value=lambda v: move("worlds", int(v)),
        min=WORLDS_MIN,
        max=max(WORLDS_MAX, int(values["worlds"])),
        step=WORLDS_STEP,
    )


def _lever_note(model: DashboardModel, lever: Lever, pending: dict[str, Any]) -> str:
    parts = []
    if lever.name in pending:
        parts.append(f"applies from {format_quarter(model.next_quarter)} (next Step)")
    shock = model.shock_note(lever.name)
    if shock:
        effective = shown_text(model.effective(lever.name))
        parts.append(f"in {format_quarter(model.next_quarter)}: {effective} — {shock}")
    return "; ".join(parts)


@solara.component
def LeverControl(lever: Lever, value: Any, on_value) -> None:
    """A slider, a menu or a check box; sliders show their value in the label."""
    if lever.kind == "slider":
        solara.SliderFloat(
            f"{lever.label}: {shown_text(value)}",
            value=value,
            on_value=on_value,
            min=lever.low,
            max=max(lever.high, value),
            step=lever.step,
        )
    elif lever.kind == "select":
        solara.Select(lever.label, value=value, values=list(lever.choices), on_value=on_value)
    else:
        solara.Checkbox(label=lever.label, value=value, on_value=on_value)


@solara.component
def MainArea(model: DashboardModel) -> None:
    """Everything that changes when the model steps."""
    step = update_counter.get()
    trajectories = solara.use_memo(lambda: TrajectoryChart(model), [model])
    geography = solara.use_memo(lambda: MapChart(model), [model])
    fans = solara.use_memo(lambda: trajectories.png(model), [model, step])
    picture = solara.use_memo(lambda: geography.png(model), [model, step])
    with solara.Column(style={"padding": "8px", "width": "100%"}):
        Status(model)
        solara.Image(fans, width="100%", classes=["lynchpin-fans"])
        with solara.Columns([6, 5]):
            solara.Image(picture, width="100%", classes=["lynchpin-map"])
            EventLogView(model)


@solara.component
def Status(model: DashboardModel) -> None:
    """Where the run stands, and which levers differ from the scenario."""
    update_counter.get()
    done = max(model.quarter - model.config.start, 0)
    changed = ", ".join(_lever_text(name, model.levers[name]) for name in model.changed_levers)
    current = " · ".join(_lever_text(lever.name, model.levers[lever.name]) for lever in LEVERS)
    settings = ", ".join(f"{key}={value}" for key, value in model.settings.items())
    solara.Markdown(
        f"**{model.scenario_name}**: {model.description}  \n"
        + (f"Started with --set {settings}.  \n" if settings else "")
        + f"Quarter **{quarter_label(model)}** ({done} of {model.config.periods} simulated), "
        f"{model.worlds} worlds, seed {model.seed}. Levers changed from the scenario: "
        f"{changed or 'none'}.  \nLevers in this run: {current}"
    )


def _lever_text(name: str, value: Any) -> str:
    lever = LEVERS_BY_NAME[name]
    return f"{lever.short} {shown_text(value)}{lever.unit}"


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
