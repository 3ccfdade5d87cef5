"""A plain-language event log derived from model state, so a learner sees *why* curves move.

The rules read only an ensemble summary of each quarter (`Reading`), never the model itself,
so they can be unit-tested with hand-made numbers. `reading_from_model` is the one bridge to a
running `LynchpinModel`. Every percentage in a sentence says what it is: a share of worlds
("in 38% of worlds"), or, for armed conflict, a probability averaged over worlds ("mean over
worlds"; each world's value is the probability of conflict given its crises, no world
"escalates"). Levels are medians across worlds ("median world").
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from lynchpin.model.binding import goal_above_norm
from lynchpin.model.periods import format_quarter

if TYPE_CHECKING:
    from lynchpin.model.model import LynchpinModel

# Thresholds (chosen so a 300-world ensemble's sampling noise does not trigger them).
SPIKE_RATIO = 1.10  # maritime incidents this quarter vs the mean of the previous four
SPIKE_MIN_RISE = 0.3  # ... and at least this many more incidents per world
TRAILING_QUARTERS = 4  # also the quiet time before another spike is reported
CRISIS_MIN_SHARE = 0.03  # a crisis wave is news when at least 3% of worlds have one
CRISIS_NEW_HIGH = 0.01  # ... and it beats the previous high by a percentage point
CONFLICT_MARKS = (0.01, 0.05, 0.10, 0.25, 0.50)
SHIFT = 0.05  # alignment, commitment, cohesion changes worth reporting
LIMIT_MAJORITY = 0.5  # a legal limit is news when budgets sit at it in most worlds
NORM_MOVE = 0.001  # the spending norm loosening by 0.1 point of GDP is news
PEAK_MARGIN = 0.03  # gray-zone intensity must rise and then fall by 3% to count as a peak
ATTENTION_LOW, ATTENTION_BACK = 0.8, 0.85  # hysteresis so noise does not flap the message
FEAR_MOVE = 0.005


@dataclass(frozen=True)
class Cast:
    """Who is who: the names the sentences use."""

    leader: str = "the United States"
    challenger: str = "China"
    ally: str = "Japan"
    leader_short: str = "US"
    capital: str = "Washington"
    incident: str = "coast guard vessels enter the territorial sea around the Senkaku Islands"
    since: str = "2020"  # the year the simulation starts


@dataclass(frozen=True)
class Reading:
    """Ensemble summary of one quarter: the only input the event rules see."""

    quarter: str
    maritime: float  # mean maritime incidents per world this quarter
    crisis_share: float  # share of worlds with a leader-challenger crisis this quarter
    conflict: float  # cumulative probability of armed conflict since the start, mean over worlds
    grayzone: float  # median gray-zone intensity of the challenger
    attention: float  # median attention of the leader
    commitment: float  # median commitment of the leader
    abandonment: float  # median abandonment fear of the ally
    threat: float  # median threat perception of the ally
    cohesion: float  # median alliance cohesion
    defence_share: float  # median defence share of GDP of the ally
    at_limit: float  # share of worlds where the ally's budget sits at its legal limit
    limit: float  # the ally's hard legal limit on defence spending, share of GDP
    norm: float = 0.0  # median spending norm of the ally (D4), share of GDP
    goal: float = 0.0  # median declared defence goal of the ally (0 = none), share of GDP
    hns_demand: float = 0.0  # median host-nation-support ask of the leader, US$ bn a year
    hns_payment: float = 0.0  # median host-nation support the ally pays, US$ bn a year
    alignment: Mapping[str, float] = field(default_factory=dict)  # name -> median alignment


@dataclass(frozen=True)
class Event:
    """One line of the log."""

    quarter: str
    kind: str
    text: str

    def __str__(self) -> str:
        return f"{self.quarter}: {self.text}"


class EventLog:
    """Turns a sequence of Readings into Events; keeps just enough memory to spot changes."""

    def __init__(self, cast: Cast | None = None) -> None:
        self.cast = cast or Cast()
        self.events: list[Event] = []
        self._previous: Reading | None = None
        self._maritime: deque[float] = deque(maxlen=TRAILING_QUARTERS)
        self._crisis_high = CRISIS_MIN_SHARE - CRISIS_NEW_HIGH
        self._quarters_since_spike = TRAILING_QUARTERS
        self._conflict_marks_passed = 0
        self._reported_alignment: dict[str, float] = {}
        self._reported_commitment = 0.0
        self._reported_cohesion = 0.0
        self._at_limit = False
        self._goal = 0.0
        self._reported_norm = 0.0
        self._talks_from: float | None = None  # the payment when open talks began
        self._distracted = False
        self._grayzone_start = 0.0
        self._grayzone_peak = 0.0
        self._grayzone_peak_quarter = ""
        self._peak_reported = False

    def start(self, r: Reading) -> Event:
        """Record the state before the first quarter and describe it in one line."""
        self._previous = r
        self._reported_alignment = dict(r.alignment)
        self._reported_commitment = r.commitment
        self._reported_cohesion = r.cohesion
        self._at_limit = r.at_limit >= LIMIT_MAJORITY
        self._goal = r.goal
        self._reported_norm = r.norm
        self._talks_from = r.hns_payment if _talks_open(r) else None
        self._distracted = r.attention < ATTENTION_LOW
        self._grayzone_start = self._grayzone_peak = r.grayzone
        self._grayzone_peak_quarter = r.quarter
        opening = self._opening(r)
        self.events.append(opening)
        return opening

    def update(self, r: Reading) -> list[Event]:
        """Events for quarter r, given everything seen before; also appended to .events."""
        if self._previous is None:
            return [self.start(r)]
        new = [
            event
            for rule in (
                self._maritime_spike,
                self._crisis_wave,
                self._conflict_risk,
                self._attention,
                self._commitment,
                self._goal_declared,
                self._norm_loosens,
                self._legal_limit,
                self._hns_talks,
                self._grayzone_peak_passed,
                self._alignment_shifts,
                self._cohesion,
            )
            for event in rule(r)
        ]
        self._maritime.append(r.maritime)
        self._previous = r
        self.events.extend(new)
        return new

    def record(self, event: Event) -> Event:
        """Add an event that does not come from a Reading (e.g. a lever the teacher moved)."""
        self.events.append(event)
        return event

    # -- set-up ---------------------------------------------------------------------------
    def _opening(self, r: Reading) -> Event:
        c = self.cast
        text = (
            f"the simulation starts. {c.ally} spends {r.defence_share:.1%} of GDP on defence "
            f"({_guide(r)}); {c.challenger}'s gray-zone intensity is "
            f"{r.grayzone:.2f}; alliance cohesion {r.cohesion:.2f}."
        )
        if _talks_open(r):
            text += (
                f" Host-nation-support talks are open: {c.leader_short} asks "
                f"US${r.hns_demand:.1f}bn a year, {c.ally} pays US${r.hns_payment:.1f}bn."
            )
        return Event(r.quarter, "start", text)

    # -- rules ----------------------------------------------------------------------------
    def _maritime_spike(self, r: Reading) -> list[Event]:
        self._quarters_since_spike += 1
        if (
            len(self._maritime) < TRAILING_QUARTERS
            or self._quarters_since_spike <= TRAILING_QUARTERS
        ):
            return []
        usual = float(np.mean(self._maritime))
        if r.maritime < SPIKE_RATIO * usual or r.maritime - usual < SPIKE_MIN_RISE:
            return []
        self._quarters_since_spike = 0
        c, prev = self.cast, self._previous
        text = (
            f"{c.incident} more often ({r.maritime:.1f} incidents a quarter per world, "
            f"usually {usual:.1f})"
        )
        if r.abandonment > prev.abandonment + FEAR_MOVE:
            text += f"; {c.ally}'s abandonment fear rises in the median world"
        elif r.threat > prev.threat + FEAR_MOVE:
            text += f"; {c.ally}'s threat perception rises in the median world"
        return [Event(r.quarter, "incidents", text + ".")]

    def _crisis_wave(self, r: Reading) -> list[Event]:
        if r.crisis_share < self._crisis_high + CRISIS_NEW_HIGH:
            return []
        self._crisis_high = r.crisis_share
        c = self.cast
        text = (
            f"a {c.leader_short}-{c.challenger} crisis breaks out in {r.crisis_share:.0%} of "
            "worlds this quarter, the most so far."
        )
        return [Event(r.quarter, "crisis", text)]

    def _conflict_risk(self, r: Reading) -> list[Event]:
        events = []
        while (
            self._conflict_marks_passed < len(CONFLICT_MARKS)
            and r.conflict >= CONFLICT_MARKS[self._conflict_marks_passed]
        ):
            mark = CONFLICT_MARKS[self._conflict_marks_passed]
            self._conflict_marks_passed += 1
            text = (
                f"the probability of armed conflict since {self.cast.since} passes {mark:.0%} "
                "(mean over worlds)."
            )
            events.append(Event(r.quarter, "conflict", text))
        return events[-1:]  # one line even if a jump passes several marks

    def _attention(self, r: Reading) -> list[Event]:
        c = self.cast
        if not self._distracted and r.attention < ATTENTION_LOW:
            self._distracted = True
            text = (
                f"{c.capital} is distracted: {c.leader_short} attention to the region falls to "
                f"{r.attention:.2f} in the median world, so gray-zone probing pays more for "
                f"{c.challenger}."
            )
            return [Event(r.quarter, "attention", text)]
        if self._distracted and r.attention >= ATTENTION_BACK:
            self._distracted = False
            text = (
                f"{c.leader_short} attention returns to the region ({r.attention:.2f} in the "
                "median world)."
            )
            return [Event(r.quarter, "attention", text)]
        return []

    def _commitment(self, r: Reading) -> list[Event]:
        before = self._reported_commitment
        if abs(r.commitment - before) < SHIFT:
            return []
        self._reported_commitment = r.commitment
        verb = "weakens" if r.commitment < before else "firms up"
        text = (
            f"{self.cast.leader_short} commitment to its allies {verb} "
            f"({before:.2f} → {r.commitment:.2f}, median world)"
        )
        if r.commitment < before:
            text += f"; {self.cast.ally} worries about abandonment"
        return [Event(r.quarter, "commitment", text + ".")]

    def _goal_declared(self, r: Reading) -> list[Event]:
        """D4: a declared goal (or a change of it) changes what spending costs politically."""
        c = self.cast
        before, self._goal = self._goal, r.goal
        if abs(r.goal - before) < 1e-6:
            return []
        if r.goal <= 0.0:
            text = f"{c.ally} drops its declared defence goal; its spending norm rules again."
        elif goal_above_norm(r.goal, r.norm):
            text = (
                f"{c.ally} declares a defence goal of {r.goal:.2%} of GDP, above its spending "
                f"norm of {r.norm:.2%}: spending up to the goal no longer carries the norm's "
                "political cost, and budgets climb toward it over years."
            )
        else:
            text = (
                f"{c.ally} declares a defence goal of {r.goal:.2%} of GDP, at or below its "
                f"spending norm of {r.norm:.2%}: it changes nothing."
            )
        return [Event(r.quarter, "goal", text)]

    def _norm_loosens(self, r: Reading) -> list[Event]:
        """D4/C8: threat and remembered crises move the norm itself (it never tightens)."""
        if r.norm < self._reported_norm + NORM_MOVE:
            return []
        before, self._reported_norm = self._reported_norm, r.norm
        text = (
            f"{self.cast.ally}'s spending norm loosens ({before:.2%} → {r.norm:.2%} of GDP, "
            "median world): threat and crises make more defence spending acceptable at home."
        )
        return [Event(r.quarter, "norm", text)]

    def _legal_limit(self, r: Reading) -> list[Event]:
        c = self.cast
        if not self._at_limit and r.at_limit >= LIMIT_MAJORITY:
            self._at_limit = True
            text = (
                f"{c.ally}'s defence budget hits its legal limit of {r.limit:.1%} of GDP in "
                f"{r.at_limit:.0%} of worlds; it cannot balance further by spending."
            )
            return [Event(r.quarter, "limit", text)]
        if self._at_limit and r.at_limit < LIMIT_MAJORITY:
            self._at_limit = False
            text = (
                f"{c.ally}'s defence budget falls back below its legal limit: it sits there in "
                f"only {r.at_limit:.0%} of worlds."
            )
            return [Event(r.quarter, "limit", text)]
        return []

    def _hns_talks(self, r: Reading) -> list[Event]:
        """D5/C7: host-nation-support talks open on a new demand and settle between the old
        payment and the demand (median world)."""
        c = self.cast
        if self._talks_from is None and _talks_open(r):
            self._talks_from = r.hns_payment
            text = (
                f"host-nation-support talks open: {c.leader_short} asks US${r.hns_demand:.1f}bn "
                f"a year; {c.ally} pays US${r.hns_payment:.1f}bn under the agreement in force "
                "(median world). Friction lasts while the gap is open."
            )
            return [Event(r.quarter, "hns", text)]
        if self._talks_from is not None and not _talks_open(r):
            before, self._talks_from = self._talks_from, None
            rise = r.hns_payment / before - 1.0 if before > 0 else 0.0
            text = (
                f"host-nation-support talks settle: {c.ally} pays US${r.hns_payment:.2f}bn a "
                f"year, {rise:+.0%} on the old agreement (median world)."
            )
            return [Event(r.quarter, "hns", text)]
        return []

    def _grayzone_peak_passed(self, r: Reading) -> list[Event]:
        if r.grayzone > self._grayzone_peak:
            if r.grayzone > self._grayzone_peak * (1 + PEAK_MARGIN):
                self._peak_reported = False  # a new, higher peak is in the making
            self._grayzone_peak, self._grayzone_peak_quarter = r.grayzone, r.quarter
            return []
        rose = self._grayzone_peak > self._grayzone_start * (1 + PEAK_MARGIN)
        fell = r.grayzone < self._grayzone_peak * (1 - PEAK_MARGIN)
        if self._peak_reported or not (rose and fell):
            return []
        self._peak_reported = True
        self._grayzone_start = r.grayzone  # the next peak must rise from here
        c = self.cast
        text = (
            f"{c.challenger}'s gray-zone pressure peaked in {self._grayzone_peak_quarter} at "
            f"{self._grayzone_peak:.2f} (median world) and is now easing ({r.grayzone:.2f}): "
            "coercion costs more as deterrence holds or the payoff shrinks."
        )
        self._grayzone_peak = r.grayzone
        return [Event(r.quarter, "grayzone", text)]

    def _alignment_shifts(self, r: Reading) -> list[Event]:
        events = []
        for name, level in r.alignment.items():
            before = self._reported_alignment.setdefault(name, level)
            if abs(level - before) < SHIFT:
                continue
            self._reported_alignment[name] = level
            direction = "moves closer to" if level > before else "drifts away from"
            text = (
                f"{name} {direction} {self.cast.leader} (alignment {before:.2f} → {level:.2f}, "
                "median world)."
            )
            events.append(Event(r.quarter, "alignment", text))
        return events

    def _cohesion(self, r: Reading) -> list[Event]:
        before = self._reported_cohesion
        if abs(r.cohesion - before) < SHIFT:
            return []
        self._reported_cohesion = r.cohesion
        verb = "frays" if r.cohesion < before else "strengthens"
        text = f"alliance cohesion {verb} ({before:.2f} → {r.cohesion:.2f}, median world)."
        return [Event(r.quarter, "cohesion", text)]


# -- the bridge to a running model ----------------------------------------------------------
def cast_for(model: LynchpinModel, ally: str | None = None) -> Cast:
    """Names for the sentences; the Senkaku wording only when China and Japan are the pair."""
    ally = ally or first_treaty_ally(model)
    leader, challenger = model.leader, model.challenger
    incident = (
        "coast guard vessels enter the territorial sea around the Senkaku Islands"
        if (challenger.code, ally) == ("CHN", "JPN")
        else f"{challenger.name}'s maritime incidents rise"
    )
    short = "US" if leader.code == "USA" else leader.name
    capital = "Washington" if leader.code == "USA" else leader.name
    leader_name = "the United States" if leader.code == "USA" else leader.name
    return Cast(
        leader=leader_name,
        challenger=challenger.name,
        ally=model.actors[ally].name,
        leader_short=short,
        capital=capital,
        incident=incident,
        since=format_quarter(model.config.start)[:4],
    )


def _talks_open(r: Reading) -> bool:
    return r.hns_demand > r.hns_payment * (1.0 + 1e-6)


def _guide(r: Reading) -> str:
    """What guides the ally's spending, for the opening line."""
    if goal_above_norm(r.goal, r.norm):
        return f"declared goal {r.goal:.2%}, spending norm {r.norm:.2%}"
    return f"spending norm {r.norm:.2%}, no goal above it"


def first_treaty_ally(model: LynchpinModel) -> str:
    """The ally the log follows: the first treaty ally of the scenario (Japan in the article)."""
    return next(spec.code for spec in model.config.actors if spec.role == "treaty_ally")


def reading_from_model(
    model: LynchpinModel, ally: str | None = None, quarter: str | None = None
) -> Reading:
    """Summarise the quarter the model has just completed (or, with quarter=, its start)."""
    ally = ally or first_treaty_ally(model)
    leader, challenger = model.leader.code, model.challenger.code
    limit = float(model.config.actor(ally).params["defence_ceiling"])
    share = model.value(ally, "defence_share_gdp")
    agent = model.actors[ally]
    norm = getattr(agent, "spending_norm", 0.0)
    goal = getattr(agent.p, "defence_goal", 0.0)

    def median(actor: str, metric: str) -> float:
        return float(np.median(model.value(actor, metric)))

    alignment = {
        agent.name: median(code, "alignment")
        for code, agent in model.actors.items()
        if code not in (leader, challenger)
    }
    return Reading(
        quarter=quarter or format_quarter(model.quarter - 1),
        maritime=float(np.mean(model.value("system", "incidents_maritime"))),
        crisis_share=float(np.mean(model.value("system", "crises"))),
        conflict=float(np.mean(model.value("system", "armed_conflict"))),
        grayzone=median(challenger, "gray_zone_intensity"),
        attention=median(leader, "attention"),
        commitment=median(leader, "commitment"),
        abandonment=median(ally, "abandonment_fear"),
        threat=median(ally, "threat_perception"),
        cohesion=median("system", "alliance_cohesion"),
        defence_share=float(np.median(share)),
        at_limit=float(np.mean(share >= limit * (1 - 1e-3))),
        limit=limit,
        norm=float(np.median(norm)),
        goal=float(np.median(goal)),
        hns_demand=float(np.median(getattr(agent, "hns_demand", 0.0))),
        hns_payment=float(np.median(getattr(agent, "hns_payment", 0.0))),
        alignment=alignment,
    )
