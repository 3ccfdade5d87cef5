"""The Solara page `lynchpin dashboard` serves (`solara run lynchpin.dashboard.app`).

The sidebar holds the scenario picker, Mesa's `ModelController` (Reset / ▶ / Step, the same
buttons SolaraViz shows) with its two speed sliders, and one control per lever. The levers are
our own controls, not SolaraViz's "Model Parameters" card, because they must do two things:
act on the running model from the next quarter (`DashboardModel.set_levers`) and be the
keyword arguments Reset rebuilds the model with. The main area shows full-width fan charts,
then the map and the event log; Mesa's `update_counter` tells them when the model stepped.

Projector mode (`--projector`, or the switch) drops the sidebar for a row of buttons and shows
four big SVG panels beside the event log, sized to the window so they stay above the fold at
125-150% browser zoom. "Keep as reference" freezes the current run as grey ghost curves, held
above the model so they survive Reset and a change of scenario.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
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
from lynchpin.dashboard.projector import ProjectorCharts
from lynchpin.dashboard.reference import Reference, keep_reference, paired_differences
from lynchpin.dashboard.serve import (
    PROJECTOR_ENV,
    SCENARIO_ENV,
    WORLDS_ENV,
    settings_from_environment,
)
from lynchpin.model.periods import format_quarter
from lynchpin.scenario import list_scenarios, load_scenario

TITLE = "lynchpin: the US-Japan alliance in the Indo-Pacific"
EVENTS_SHOWN = 60
PLAY_INTERVAL_MS = 100
RENDER_INTERVAL = 1
APPLY_HINT = (
    "A lever acts on the running model **from the next quarter** (the log notes it). "
    "**Reset** restarts from the first quarter with the levers as they are. "
    "Picking another scenario restarts too."
)
PAUSE_TIP = (
    "Wait between quarters while ▶ plays: raise it to talk over a run (Mesa's Play Interval)."
)
QUARTERS_TIP = (
    "Quarters Step and ▶ advance per redraw of the charts: raise it on a slow laptop "
    "(Mesa's Render Interval)."
)
REFERENCE_TIP = (
    "Freeze this run as grey dashed curves. They stay through Reset and a change of "
    "scenario, so before and after sit on the same chart."
)
PROJECTOR_CSS = """
.lynchpin-projector { display: grid; gap: 6px 18px; height: calc(100vh - 112px);
  grid-template-columns: minmax(0, 1fr) minmax(0, 1fr) minmax(200px, 27%);
  grid-template-rows: minmax(0, 1fr) minmax(0, 1fr); }
.lynchpin-panel { min-height: 0; min-width: 0; display: flex; }
.lynchpin-panel svg { width: 100%; height: 100%; }
.lynchpin-projector .lynchpin-event-log { grid-column: 3; grid-row: 1 / span 2;
  overflow-y: auto; min-height: 0; font-size: 1.05rem; line-height: 1.3; }
.lynchpin-projector-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 8px;
  min-height: 52px; padding: 4px 8px; font-size: 1.05rem; }
.lynchpin-projector-bar .v-input { margin: 0; padding: 0; flex: 0 0 auto; }
"""
CAPTION = {"font-size": "0.8em", "color": "#555", "margin": "-14px 0 8px 0"}


def scenario_choices(first: str) -> dict[str, str]:
    """Picker label -> what `load_scenario` is given: the bundled scenarios, plus a scenario
    file from the command line under its own name (so it stays pickable after another)."""
    choices = {name: name for name, _description, _path in list_scenarios()}
    if first not in choices:
        label = load_scenario(first).name or Path(first).stem
        while label in choices:
            label = f"{label} (file)"
        choices = {label: first, **choices}
    return choices


@solara.component
def Page() -> None:
    """Scenario picker plus the dashboard of the chosen scenario (rebuilt on a new choice)."""
    first = os.environ.get(SCENARIO_ENV, "baseline")
    choices = solara.use_memo(lambda: scenario_choices(first), [first])
    labels = list(choices)
    picked = solara.use_reactive(next(k for k, v in choices.items() if v == first))
    projector = solara.use_reactive(os.environ.get(PROJECTOR_ENV, "") == "1")
    reference = solara.use_reactive(None)  # above the model: survives Reset and a new scenario
    worlds = int(os.environ.get(WORLDS_ENV, WORLDS_DEFAULT))
    scenario = choices[picked.value]
    # `--set` overrides belong to the scenario they were checked against: the first one.
    settings = settings_from_environment() if scenario == first else {}
    solara.Title("lynchpin dashboard")
    solara.Style(PROJECTOR_CSS)
    if not projector.value:
        with solara.Sidebar(), solara.Card("Scenario"):
            solara.Select("Scenario", value=picked, values=labels)
            solara.Switch(label="Projector mode", value=projector)
            solara.Markdown(APPLY_HINT)
    Dashboard(scenario, worlds, settings, projector, reference).key(f"dashboard-{scenario}")


@solara.component
def Dashboard(
    scenario: str,
    worlds: int,
    settings: dict[str, str] | None = None,
    projector: solara.Reactive[bool] | None = None,
    reference: solara.Reactive[Reference | None] | None = None,
) -> None:
    """Controls and levers in the sidebar; charts, map and event log in the main area. In
    projector mode: a row of controls over four big panels and the event log."""
    initial = solara.use_memo(
        lambda: DashboardModel(scenario, worlds=worlds, settings=settings), []
    )
    model = solara.use_reactive(initial)
    arguments = solara.use_reactive(initial.reset_arguments())
    play_interval = solara.use_reactive(PLAY_INTERVAL_MS)
    render_interval = solara.use_reactive(RENDER_INTERVAL)
    use_threads = solara.use_reactive(False)
    projector = solara.use_reactive(False) if projector is None else projector
    reference = solara.use_reactive(None) if reference is None else reference

    def controller() -> None:
        ModelController(
            model,
            model_parameters=arguments,
            play_interval=play_interval,
            render_interval=render_interval,
            use_threads=use_threads,
        )

    if projector.value:
        with solara.Div(classes=["lynchpin-projector-bar"]):
            solara.Text(f"lynchpin · {model.value.scenario_name}", style={"font-weight": "bold"})
            with solara.Div(style={"min-width": "260px"}):
                controller()
            ReferenceButtons(model.value, reference)
            solara.Switch(label="Projector mode", value=projector)
        ProjectorArea(model.value, reference.value)
        return
    with solara.AppBar():
        solara.AppBarTitle(TITLE)
    with solara.Sidebar(), solara.Column():
        with solara.Card("Controls"):
            controller()
            with solara.Details("Speed", expand=False):
                solara.SliderInt(
                    f"Pause (ms): {play_interval.value}",
                    value=play_interval,
                    min=0,
                    max=1000,
                    step=50,
                )
                solara.Text(PAUSE_TIP, style=CAPTION)
                solara.SliderInt(
                    f"Quarters per Step: {render_interval.value}",
                    value=render_interval,
                    min=1,
                    max=8,
                )
                solara.Text(QUARTERS_TIP, style=CAPTION)
            ReferenceButtons(model.value, reference)
        with solara.Card("Levers"):
            LeverPanel(model.value, arguments)
    MainArea(model.value, reference.value)


@solara.component
def ReferenceButtons(model: DashboardModel, reference: solara.Reactive[Reference | None]) -> None:
    """Keep the run so far as the reference, or drop it."""
    update_counter.get()

    def keep() -> None:
        label = f"{model.scenario_name} to {quarter_label(model)}"
        changed = ", ".join(_lever_text(n, v) for n, v in model.changed_levers.items())
        reference.value = keep_reference(model, f"{label} ({changed})" if changed else label)

    with solara.Row(gap="4px", style={"align-items": "center"}):
        with solara.Tooltip(REFERENCE_TIP):
            solara.Button(
                "Keep as reference",
                on_click=keep,
                disabled=model.quarter == model.config.start,
                classes=["lynchpin-keep-reference"],
                outlined=True,
            )
        if reference.value is not None:
            solara.Button(
                "Clear reference",
                on_click=lambda: reference.set(None),
                text=True,
                classes=["lynchpin-clear-reference"],
            )


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
def MainArea(model: DashboardModel, reference: Reference | None = None) -> None:
    """Everything that changes when the model steps."""
    step = update_counter.get()
    trajectories = solara.use_memo(lambda: TrajectoryChart(model, reference), [model, reference])
    geography = solara.use_memo(lambda: MapChart(model), [model])
    fans = solara.use_memo(lambda: trajectories.png(model), [trajectories, step])
    picture = solara.use_memo(lambda: geography.png(model), [model, step])
    with solara.Column(style={"padding": "8px", "width": "100%"}):
        Status(model)
        ReferenceNote(model, reference)
        solara.Image(fans, width="100%", classes=["lynchpin-fans"])
        with solara.Columns([6, 5]):
            solara.Image(picture, width="100%", classes=["lynchpin-map"])
            EventLogView(model)


@solara.component
def ProjectorArea(model: DashboardModel, reference: Reference | None) -> None:
    """Four big panels in a 2x2 grid and the event log in a column beside them."""
    step = update_counter.get()
    charts = solara.use_memo(lambda: ProjectorCharts(model, reference), [model, reference])
    svgs = solara.use_memo(lambda: charts.svgs(model), [charts, step])
    with solara.Div(classes=["lynchpin-projector"]):
        for key, svg in svgs:
            solara.HTML(
                tag="div", unsafe_innerHTML=svg, classes=["lynchpin-panel", f"lynchpin-panel-{key}"]
            )
        with solara.Div(classes=["lynchpin-event-log"]):
            solara.Markdown(
                f"**{quarter_label(model)}** · {model.scenario_name} · {model.worlds} worlds"
            )
            ReferenceNote(model, reference)
            EventList(model)


@solara.component
def ReferenceNote(model: DashboardModel, reference: Reference | None) -> None:
    """What the grey curves are and, for a paired run, the median world-by-world difference."""
    update_counter.get()
    if reference is None:
        return
    text = f"Grey dashed: reference *{reference.label}*."
    differences = paired_differences(model, reference)
    if differences:
        parts = ", ".join(f"{label} {value:+.3f}" for label, value in differences)
        text += f" Now minus reference, world by world (same seed): {parts}."
    elif not reference.paired_with(model):
        text += " Different seed or worlds: compare the curves, not world by world."
    with solara.Div(classes=["lynchpin-reference-note"]):
        solara.Markdown(text, style={"font-size": "0.9em"})


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
    UnboundWarnings(model)


@solara.component
def UnboundWarnings(model: DashboardModel) -> None:
    """A moved limit or goal that bound in no world changed nothing: say so, in words."""
    update_counter.get()
    for warning in model.unbound_levers():
        solara.Warning(warning, dense=True, classes=["lynchpin-unbound"])


def _lever_text(name: str, value: Any) -> str:
    lever = LEVERS_BY_NAME[name]
    return f"{lever.short} {shown_text(value)}{lever.unit}"


@solara.component
def EventLogView(model: DashboardModel) -> None:
    """Newest first, in plain language."""
    with solara.Card("What happened", classes=["lynchpin-event-log"]):
        EventList(model, style={"max-height": "420px", "overflow-y": "auto", "font-size": "0.9em"})


@solara.component
def EventList(model: DashboardModel, style: dict[str, str] | None = None) -> None:
    """The log's lines, newest first."""
    update_counter.get()
    events = model.events[-EVENTS_SHOWN:][::-1]
    items = "".join(f"<li>{html.escape(str(event))}</li>" for event in events)
    solara.HTML(tag="ul", unsafe_innerHTML=items, style=style or {}, classes=["lynchpin-log"])
