"""A participatory game: student teams govern the actors of one shared simulation, a year a turn.

Each team is one actor and sets only that actor's levers (by role, so an actor a scenario
adds is a team too). When the facilitator closes a turn, the levers submitted for it act from
the next quarter and the world advances four quarters over all its worlds. A team that
submitted nothing is played by the model's own agents: its levers return to the scenario's
values. The game state is the scenario, seed and the decisions of every closed turn; the model
is rebuilt by replaying them (same inputs and seed give identical bits), so a restart resumes
exactly, and the agents' own path from the same start and seed is the same replay with no
decisions.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from lynchpin.dashboard.adapter import DashboardModel
from lynchpin.dashboard.events import Event
from lynchpin.dashboard.levers import WORLDS_DEFAULT
from lynchpin.errors import UserError
from lynchpin.model.periods import format_quarter
from lynchpin.outputs.atomic import atomic_write_text

QUARTERS_PER_TURN = 4
STATE_FORMAT = "lynchpin-classroom/1"
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud, typed on phones
CODE_LENGTH = 6


@dataclass(frozen=True)
class TeamLever:
    """One lever a team may set for its own actor: a parameter's base value, or a policy."""

    name: str  # the parameter (or "policy:<field>")
    label: str
    low: float = 0.0
    high: float = 1.0
    step: float = 0.05
    scale: float = 1.0  # shown = model value * scale
    unit: str = ""
    choices: tuple[str, ...] = ()  # for a policy
    claim: str = ""

    @property
    def is_policy(self) -> bool:
        return self.name.startswith("policy:")

    def check(self, text: str) -> Any:
        """The model value for a submitted form value; UserError if out of range."""
        if self.is_policy:
            if text not in self.choices:
                raise UserError(f"{self.label}: expected one of {', '.join(self.choices)}")
            return text
        try:
            shown = float(text)
        except ValueError:
            raise UserError(f"{self.label}: expected a number, got {text!r}") from None
        if not self.low <= shown <= self.high:
            raise UserError(f"{self.label}: expected {self.low:g} to {self.high:g}, got {shown:g}")
        return shown / self.scale


# What each role may decide (the article's levers and issue 12's decisions). A treaty ally
# declares a defence goal (D4); the leader sets its host-nation-support demand (D5). Japan's
# side of the HNS talks is not a team lever: the model holds one reservation surplus for every
# host (hns_ally_surplus, a global), and a team may change only its own country.
ROLE_LEVERS: dict[str, tuple[TeamLever, ...]] = {
    "leader": (
        TeamLever("attention_base", "Attention to the Indo-Pacific", claim="C3, C12"),
        TeamLever("commitment_base", "Commitment to allies", claim="C9"),
        TeamLever(
            "burden_demand",
            "Defence spending asked of allies",
            0.0,
            5.0,
            0.25,
            100.0,
            "% of GDP",
            claim="C8",
        ),
        TeamLever(
            "policy:host_nation_support",
            "Host-nation support demand",
            choices=("standard", "cost_plus_50"),
            claim="C7",
        ),
    ),
    "treaty_ally": (
        TeamLever(
            "defence_goal",
            "Declared defence goal",
            0.0,
            3.0,
            0.25,
            100.0,
            "% of GDP",
            claim="C8",
        ),
    ),
    "challenger": (
        TeamLever("grayzone_drive", "Gray-zone assertiveness", 0.0, 3.0, 0.1, claim="C4, C12"),
    ),
    "partner": (
        TeamLever("alignment_affinity", "Alignment posture towards the US", -1.0, 1.0, 0.1),
        TeamLever("trade_dependence", "Trade with China", 0.0, 1.0, 0.05, claim="C14"),
    ),
}
_POLICY_LEVERS = {"policy:host_nation_support": "host_nation_support"}


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


@dataclass
class GameState:
    """Everything a game needs to be rebuilt: JSON on disk, replaced atomically each turn."""

    scenario: str
    worlds: int
    seed: int
    teams: dict[str, str]  # actor code -> role
    codes: dict[str, str]  # actor code or "facilitator" -> join code
    decisions: list[dict[str, dict[str, Any]]] = field(default_factory=list)  # closed turns
    pending: dict[str, dict[str, Any]] = field(default_factory=dict)  # this turn so far

    def to_json(self) -> str:
        return json.dumps({"format": STATE_FORMAT, **self.__dict__}, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str, where: str) -> GameState:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise UserError(f"{where}: not a classroom game file ({error})") from None
        if not isinstance(data, dict) or data.pop("format", None) != STATE_FORMAT:
            raise UserError(f"{where}: not a lynchpin classroom game file ({STATE_FORMAT})")
        try:
            return cls(**data)
        except TypeError as error:
            raise UserError(f"{where}: damaged classroom game file ({error})") from None


class Game:
    """The shared world of one class, its turns, and who may change what."""

    def __init__(self, state: GameState, path: Path | None = None) -> None:
        self.state = state
        self.path = path
        self.model = self._replay(state.decisions)
        self._agents: DashboardModel | None = None

    # -- starting, saving, resuming ------------------------------------------------------
    @classmethod
    def new(
        cls,
        scenario: str,
        worlds: int = WORLDS_DEFAULT,
        seed: int | None = None,
        path: Path | None = None,
    ) -> Game:
        probe = DashboardModel(scenario, worlds=1, seed=seed)
        teams = {spec.code: spec.role for spec in probe.config.actors if spec.role in ROLE_LEVERS}
        codes = {code: new_code() for code in [*teams, "facilitator"]}
        while len(set(codes.values())) < len(codes):  # vanishingly rare; keep codes distinct
            codes = {code: new_code() for code in codes}
        state = GameState(scenario, int(worlds), probe.seed, teams, codes)
        game = cls(state, path)
        game.save()
        return game

    @classmethod
    def load(cls, path: Path) -> Game:
        return cls(GameState.from_json(path.read_text(encoding="utf-8"), str(path)), path)

    def save(self) -> None:
        """Write the state atomically: a crash leaves the previous turn's file, never half."""
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(self.path, self.state.to_json())

    def _replay(self, decisions: list[dict[str, dict[str, Any]]]) -> DashboardModel:
        model = DashboardModel(self.state.scenario, worlds=self.state.worlds, seed=self.state.seed)
        self._base = {
            code: {
                lever.name: model.actors[code].base_params[lever.name]
                for lever in ROLE_LEVERS[role]
                if not lever.is_policy
            }
            for code, role in self.state.teams.items()
        }
        self._base_levers = dict(model.levers)
        for decision in decisions:
            self._play_turn(model, decision)
        return model

    # -- who is who ----------------------------------------------------------------------
    def who(self, code: str | None) -> str | None:
        """The actor code (or "facilitator") a join code belongs to; None if it is no code."""
        if not code:
            return None
        for holder, expected in self.state.codes.items():
            if secrets.compare_digest(code.strip().upper(), expected):
                return holder
        return None

    def levers(self, actor: str) -> tuple[TeamLever, ...]:
        return ROLE_LEVERS[self.state.teams[actor]]

    # -- turns ---------------------------------------------------------------------------
    @property
    def turn(self) -> int:
        """Turns closed so far (turn 1 is the first year)."""
        return len(self.state.decisions)

    @property
    def turns_total(self) -> int:
        return len(self.model.periods) // QUARTERS_PER_TURN

    @property
    def over(self) -> bool:
        return self.turn >= self.turns_total

    def year(self, turn: int | None = None) -> str:
        """The year a turn covers, e.g. 2020 for turn 0."""
        turn = self.turn if turn is None else turn
        return format_quarter(self.model.config.start + QUARTERS_PER_TURN * turn)[:4]

    def submit(self, actor: str, form: dict[str, str]) -> dict[str, Any]:
        """A team's levers for the open turn (its own actor only); UserError on bad values."""
        if actor not in self.state.teams:
            raise UserError(f"no team {actor!r}")
        if self.over:
            raise UserError("the game is over: no more turns")
        chosen = {}
        for lever in self.levers(actor):
            if lever.name in form:
                chosen[lever.name] = lever.check(form[lever.name])
        unknown = set(form) - {lever.name for lever in self.levers(actor)} - {"code"}
        if unknown:
            raise UserError(f"not a lever of this team: {', '.join(sorted(unknown))}")
        self.state.pending[actor] = chosen
        self.save()
        return chosen

    def close_turn(self) -> None:
        """Apply the submitted levers, advance four quarters, save."""
        if self.over:
            raise UserError("the game is over: no more turns")
        decision = {actor: dict(values) for actor, values in self.state.pending.items()}
        self._play_turn(self.model, decision)
        self.state.decisions.append(decision)
        self.state.pending = {}
        self._agents = None
        self.save()

    def _play_turn(self, model: DashboardModel, decision: dict[str, dict[str, Any]]) -> None:
        """Set every team's levers for the year (absent teams: the scenario's values, i.e. the
        model's own agents), log what each team decided, run four quarters."""
        policies: dict[str, Any] = {}
        quarter = format_quarter(model.quarter)
        for actor, role in self.state.teams.items():
            chosen = decision.get(actor)
            for lever in ROLE_LEVERS[role]:
                if lever.is_policy:
                    field_name = _POLICY_LEVERS[lever.name]
                    policies[field_name] = (chosen or {}).get(
                        lever.name, self._base_levers[field_name]
                    )
                    continue
                value = (chosen or {}).get(lever.name, self._base[actor][lever.name])
                model.set_parameter(actor, lever.name, float(value))
            if chosen:
                text = "; ".join(
                    f"{lever.label} {_shown(lever, chosen[lever.name])}"
                    for lever in ROLE_LEVERS[role]
                    if lever.name in chosen
                )
                model.event_log.record(
                    _event(quarter, f"team {model.actors[actor].name} decides: {text}.")
                )
        if policies:
            model.set_levers(**policies)
        year = quarter[:4]
        for _ in range(QUARTERS_PER_TURN):
            if model.running:
                model.step()
        model.event_log.record(_event(f"{year}Q4", f"end of {year}: {year_summary(model)}."))

    def agents_path(self) -> DashboardModel:
        """The same start and seed with every country played by the model's own agents, as
        far as the class has played (cached until the next turn)."""
        if self._agents is None:
            saved = self.state.decisions
            self._agents = self._replay([{} for _ in saved])
        return self._agents

    def submitted(self) -> dict[str, bool]:
        return {actor: actor in self.state.pending for actor in self.state.teams}


# The numbers that close each year in the log, read by name (missing outputs are skipped).
SUMMARY: tuple[tuple[str, str, str, float, str], ...] = (
    ("treaty_ally", "defence_share_gdp", "{name} spends {value:.2f}% of GDP", 100.0, "median"),
    ("treaty_ally", "abandonment_fear", "its fear of abandonment is {value:.2f}", 1.0, "median"),
    ("system", "alliance_cohesion", "alliance cohesion {value:.2f}", 1.0, "median"),
    ("challenger", "gray_zone_intensity", "gray-zone intensity {value:.2f}", 1.0, "median"),
    ("system", "armed_conflict", "P(armed conflict since start) {value:.1f}%", 100.0, "mean"),
)


def year_summary(model: DashboardModel) -> str:
    """One sentence of the state after a turn (median world; the conflict probability is a
    mean over worlds)."""
    outputs = set(model.output_names())
    parts = []
    for role, metric, text, scale, how in SUMMARY:
        actor = next((s.code for s in model.config.actors if s.role == role), role)
        if (actor, metric) not in outputs:
            continue
        values = model.value(actor, metric)
        value = (values.mean() if how == "mean" else float(np.median(values))) * scale
        name = model.actors[actor].name if actor in model.actors else ""
        parts.append(text.format(name=name, value=value))
    return "; ".join(parts)


def _shown(lever: TeamLever, value: Any) -> str:
    if lever.is_policy:
        return str(value)
    return f"{float(value) * lever.scale:g}{(' ' + lever.unit) if lever.unit else ''}"


def _event(quarter: str, text: str) -> Event:
    return Event(quarter, "team", text)
