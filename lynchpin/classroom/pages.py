"""Server-rendered pages of the classroom game: plain HTML, inline CSS, no outside assets.

Every page carries its join code in its links and forms; the server checks it (server.py).
Charts are the dashboard's projector panels (inline SVG, so text scales on phones and
projectors alike).
"""

from __future__ import annotations

import html
import json
from urllib.parse import quote

import numpy as np

from lynchpin.classroom.game import Game, TeamLever, _shown
from lynchpin.dashboard.projector import ProjectorCharts
from lynchpin.dashboard.reference import Reference, keep_reference, paired_differences
from lynchpin.plots.style import metric_style

EVENTS_SHOWN = 40
# A team's own numbers, in this order, for the outputs its actor reports.
OWN_METRICS = (
    "defence_share_gdp",
    "alignment",
    "threat_perception",
    "abandonment_fear",
    "entrapment_fear",
    "attention",
    "commitment",
    "gray_zone_intensity",
    "dissatisfaction",
)
SYSTEM_METRICS = ("alliance_cohesion", "quad_cohesion", "armed_conflict", "gray_zone_incidents")
# Debrief questions, each tied to the article's claims (docs/classroom.md lists them too).
DEBRIEF_QUESTIONS = (
    (
        "C9",
        "Did the US team's demands raise Japan's fear of abandonment above the agents' path? "
        "What did Japan's team do about it?",
    ),
    ("C8", "Japan's spending: did a declared goal lift it above its ~1% norm, and how fast?"),
    (
        "C4, C12",
        "Gray-zone incidents: did China's team push harder when US attention was low? Did it pay?",
    ),
    ("C14", "India and Australia: how far did their alignment move, and what held it back?"),
    ("C1", "Alliance cohesion: which team's decision moved it most, compared with the agents?"),
)

CSS = """
body { font-family: system-ui, sans-serif; margin: 0; font-size: 18px; color: #222; }
header { background: #1f3b63; color: white; padding: 8px 14px; display: flex; gap: 18px;
  align-items: baseline; flex-wrap: wrap; }
header h1 { font-size: 1.25em; margin: 0; }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(240px, 1fr); gap: 12px;
  padding: 10px; }
.panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 8px; }
.panel svg { width: 100%; height: auto; }
.log { max-height: 85vh; overflow-y: auto; font-size: 0.95em; }
.log li { margin-bottom: 4px; }
form.levers label { display: block; margin: 8px 0 2px; font-weight: 600; }
form.levers input[type=range] { width: 100%; }
button { font-size: 1em; padding: 8px 16px; border-radius: 6px; border: 0; background: #1f3b63;
  color: white; cursor: pointer; }
table { border-collapse: collapse; margin: 6px 0; }
td, th { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: left; }
.note { color: #555; font-size: 0.9em; }
.refused { color: #a00; font-weight: bold; }
@media (max-width: 800px) { main { grid-template-columns: 1fr; } }
"""

POLL_JS = """
<script>
const seen = %s;
setInterval(async () => {
  try {
    const r = await fetch('/state.json?code=%s');
    if (!r.ok) return;
    const s = await r.json();
    if (JSON.stringify(s) !== JSON.stringify(seen)) location.reload();
  } catch (e) {}
}, 2500);
</script>
"""


def _page(title: str, header: str, body: str, poll: str = "") -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
        f"<header>{header}</header>{body}{poll}</body></html>"
    )


def _header(game: Game, who: str) -> str:
    if game.over:
        turn = f"Game over after {game.turn} years"
    else:
        turn = f"Year {game.year()} · turn {game.turn + 1} of {game.turns_total}"
    return (
        f"<h1>lynchpin classroom · {html.escape(game.state.scenario)}</h1>"
        f"<span class='turn'>{turn}</span><span>{html.escape(who)}</span>"
    )


def poll_state(game: Game, who: str) -> dict:
    """What a page polls: it reloads when this changes (a team's page when the turn closes,
    the facilitator's also when a team submits)."""
    if who == "facilitator":
        return {"turn": game.turn, "submitted": sorted(game.state.pending)}
    return {"turn": game.turn}


def _poll(game: Game, code: str) -> str:
    return POLL_JS % (json.dumps(poll_state(game, game.who(code) or "")), quote(code))


_PANELS_CACHE: dict[tuple[int, int], str] = {}


def _panels(game: Game, reference: Reference | None = None) -> str:
    """The four panels; the class's (no reference) drawn once per turn for every page."""
    cached = (id(game), game.turn)
    if reference is None and cached in _PANELS_CACHE:
        return _PANELS_CACHE[cached]
    svgs = ProjectorCharts(game.model, reference).svgs(game.model)
    text = (
        "<div class='panels'>"
        + "".join(
            f"<div class='panel panel-{key}'>{svg[svg.index('<svg') :]}</div>" for key, svg in svgs
        )
        + "</div>"
    )
    if reference is None:
        _PANELS_CACHE.clear()
        _PANELS_CACHE[cached] = text
    return text


def _log(game: Game) -> str:
    events = game.model.events[-EVENTS_SHOWN:][::-1]
    items = "".join(f"<li>{html.escape(str(e))}</li>" for e in events)
    return f"<section class='log'><h2>What happened</h2><ul class='events'>{items}</ul></section>"


def _own_numbers(game: Game, actor: str) -> str:
    model = game.model
    outputs = set(model.output_names())
    rows = []
    for metric in OWN_METRICS:
        if (actor, metric) in outputs:
            style = metric_style(metric)
            value = float(np.median(model.value(actor, metric))) * style.scale
            rows.append(
                f"<tr><td>{html.escape(style.label)}</td><td>{value:.3g} "
                f"{html.escape(style.unit)}</td></tr>"
            )
    return "<table class='own'>" + "".join(rows) + "</table><p class='note'>median world</p>"


def _lever_input(lever: TeamLever, current: object) -> str:
    name = html.escape(lever.name)
    if lever.is_policy:
        options = "".join(
            f"<option{' selected' if choice == current else ''}>{html.escape(choice)}</option>"
            for choice in lever.choices
        )
        return (
            f"<label for='{name}'>{html.escape(lever.label)}</label>"
            f"<select id='{name}' name='{name}'>{options}</select>"
        )
    shown = float(current) * lever.scale
    unit = f" ({html.escape(lever.unit)})" if lever.unit else ""
    return (
        f"<label for='{name}'>{html.escape(lever.label)}{unit}: "
        f"<output id='{name}-out'>{shown:g}</output></label>"
        f"<input type='range' id='{name}' name='{name}' min='{lever.low:g}' max='{lever.high:g}' "
        f"step='{lever.step:g}' value='{shown:g}' "
        f"oninput=\"document.getElementById('{name}-out').value=this.value\">"
    )


def team_page(game: Game, actor: str, code: str, message: str = "") -> str:
    model = game.model
    name = model.actors[actor].name
    pending = game.state.pending.get(actor)
    current_policy = {"policy:host_nation_support": model.levers["host_nation_support"]}
    inputs = []
    for lever in game.levers(actor):
        if pending and lever.name in pending:
            value = pending[lever.name]
        elif lever.is_policy:
            value = current_policy[lever.name]
        else:
            value = model.actors[actor].base_params[lever.name]
        inputs.append(_lever_input(lever, value))
    if game.over:
        form = "<p>The game is over. Your teacher will open the debrief.</p>"
    else:
        status = (
            "Submitted: "
            + "; ".join(
                f"{lever.label} {_shown(lever, pending[lever.name])}"
                for lever in game.levers(actor)
                if lever.name in pending
            )
            + ". You can still change it until the turn closes."
            if pending is not None
            else "Not submitted yet: if you submit nothing, the model's own agent plays "
            f"{html.escape(name)} this year."
        )
        form = (
            f"<form class='levers' method='post' action='/team/{actor}/levers'>"
            f"<input type='hidden' name='code' value='{html.escape(code)}'>"
            + "".join(inputs)
            + f"<p><button type='submit'>Submit for {game.year()}</button></p></form>"
            f"<p class='status'>{status}</p>"
        )
    note = f"<p class='refused'>{html.escape(message)}</p>" if message else ""
    body = (
        f"<main><div><h2>Your country: {html.escape(name)}</h2>{note}{form}"
        f"<h3>{html.escape(name)} now</h3>{_own_numbers(game, actor)}{_panels(game)}</div>"
        f"{_log(game)}</main>"
    )
    return _page(
        f"{name} · lynchpin classroom", _header(game, f"Team {name}"), body, _poll(game, code)
    )


def facilitator_page(game: Game, code: str, base_url: str = "", message: str = "") -> str:
    model = game.model
    submitted = game.submitted()
    rows = "".join(
        f"<tr class='team-{actor}'><td>{html.escape(model.actors[actor].name)}</td>"
        f"<td>{'submitted' if submitted[actor] else 'not yet (agent plays)'}</td>"
        f"<td><code>{game.state.codes[actor]}</code></td>"
        f"<td><a href='{base_url}/team/{actor}?code={game.state.codes[actor]}'>page</a></td></tr>"
        for actor in game.state.teams
    )
    close = (
        ""
        if game.over
        else f"<form method='post' action='/facilitator/close'>"
        f"<input type='hidden' name='code' value='{html.escape(code)}'>"
        f"<button type='submit'>Close turn {game.turn + 1}: play {game.year()}</button></form>"
    )
    note = f"<p class='refused'>{html.escape(message)}</p>" if message else ""
    body = (
        f"<main><div><h2>Facilitator</h2>{note}<table><tr><th>Team</th><th>This turn</th>"
        f"<th>Join code</th><th></th></tr>{rows}</table>{close}"
        f"<p><a href='/debrief?code={quote(code)}'>Debrief: class vs the model's agents</a></p>"
        f"{_panels(game)}</div>{_log(game)}</main>"
    )
    return _page(
        "Facilitator · lynchpin classroom", _header(game, "Facilitator"), body, _poll(game, code)
    )


def debrief_page(game: Game, code: str) -> str:
    agents = game.agents_path()
    reference = keep_reference(agents, "the model's own agents")
    differences = paired_differences(game.model, reference)
    rows = "".join(
        f"<tr><td>{html.escape(label)}</td><td>{value:+.3f}</td></tr>"
        for label, value in differences
    )
    questions = "".join(
        f"<li><b>{html.escape(claim)}</b>: {html.escape(text)}</li>"
        for claim, text in DEBRIEF_QUESTIONS
    )
    decisions = "".join(
        f"<li>{game.year(turn)}: "
        + (
            ", ".join(f"{html.escape(game.model.actors[a].name)}" for a in sorted(decision))
            or "no team decided (all agents)"
        )
        + "</li>"
        for turn, decision in enumerate(game.state.decisions)
    )
    body = (
        f"<main><div><h2>Debrief: the class's path against the agents' path</h2>"
        f"<p>Grey dashed curves: the same start and seed, every country played by the model's "
        f"own agents. Coloured: the class. Same seed, so the difference world by world is the "
        f"effect of the class's decisions, not luck.</p>"
        f"<table class='differences'><tr><th>After {game.turn} years</th>"
        f"<th>class minus agents (median world)</th></tr>{rows}</table>"
        f"<h3>Teams that decided, by year</h3><ul>{decisions}</ul>"
        f"<h3>Questions</h3><ol>{questions}</ol>{_panels(game, reference)}</div>"
        f"{_log(game)}</main>"
    )
    return _page("Debrief · lynchpin classroom", _header(game, "Debrief"), body)


def join_page(message: str = "") -> str:
    note = f"<p class='refused'>{html.escape(message)}</p>" if message else ""
    body = (
        f"<main><div><h2>Join the game</h2>{note}<form method='get' action='/join'>"
        "<label>Your join code <input name='code' autocomplete='off' autofocus></label> "
        "<button type='submit'>Join</button></form>"
        "<p class='note'>Your teacher gives each team a code.</p></div></main>"
    )
    return _page("lynchpin classroom", "<h1>lynchpin classroom</h1>", body)
