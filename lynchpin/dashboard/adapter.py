"""The model the dashboard drives: a LynchpinModel built from a scenario plus lever values.

Reset re-creates the model with keyword arguments (one per lever), so every control is an
explicit keyword here. A lever moved during a run does not need a Reset: `set_levers` queues
the new values and the next `step` applies them to the running model before it simulates
that quarter (see `_apply_levers`). The model code itself stays untouched: this class only
builds the config, swaps lever values into the running model, and keeps the event log.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from lynchpin.dashboard.events import Event, EventLog, cast_for, reading_from_model
from lynchpin.dashboard.levers import (
    LEVERS_BY_NAME,
    WORLDS_DEFAULT,
    Lever,
    changed,
    overrides,
    role_code,
    scenario_levers,
    shown_text,
)
from lynchpin.model.binding import (
    UNBOUND_REASONS,
    goal_above_norm,
    is_bound_setting,
    unbound_settings,
)
from lynchpin.model.config import Shock
from lynchpin.model.model import LynchpinModel
from lynchpin.model.periods import format_quarter
from lynchpin.scenario import load_scenario


class DashboardModel(LynchpinModel):
    """A LynchpinModel for one bundled scenario, with the dashboard's levers applied."""

    def __init__(
        self,
        scenario_name: str = "baseline",
        worlds: int = WORLDS_DEFAULT,
        seed: int | None = None,
        us_attention: float | None = None,
        us_commitment: float | None = None,
        doctrine: str | None = None,
        host_nation_support: str | None = None,
        japan_goal: float | None = None,
        japan_hns_offer: float | None = None,
        counter_a2ad: float | None = None,
        quad: float | None = None,
        cyber_article5: bool | None = None,
        us_in_tpp: bool | None = None,
        china_growth: float | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        """`settings`: overrides of the scenario itself (`lynchpin dashboard --set`), keys as
        in `Scenario.with_overrides(params=...)`; the levers start from the result."""
        levers = {
            "us_attention": us_attention,
            "us_commitment": us_commitment,
            "doctrine": doctrine,
            "host_nation_support": host_nation_support,
            "japan_goal": japan_goal,
            "japan_hns_offer": japan_hns_offer,
            "counter_a2ad": counter_a2ad,
            "quad": quad,
            "cyber_article5": cyber_article5,
            "us_in_tpp": us_in_tpp,
            "china_growth": china_growth,
        }
        self.settings: dict[str, Any] = dict(settings or {})
        # Teaching: fixed parameters (luck only) unless `--set uncertainty=priors` asks.
        scenario = load_scenario(scenario_name).with_overrides(
            params={"uncertainty": "none", **self.settings}
        )
        seed = scenario.seed if seed is None else int(seed)
        self._source = scenario.with_overrides(worlds=int(worlds), seed=seed)
        self.scenario_config = self._source.to_config()
        base = self.scenario_config
        self.changed_levers: dict[str, Any] = changed(base, levers)
        self.overrides: dict[str, Any] = overrides(base, levers)
        configured = self._source.with_overrides(params=self.overrides)
        super().__init__(configured.to_config(), worlds=int(worlds), seed=seed)
        self.scenario_name = scenario_name
        self.description = scenario.description
        # Every lever's value in this run (shown units), moved or not.
        self.levers: dict[str, Any] = {**scenario_levers(base), **self.changed_levers}
        self._pending: dict[str, Any] = {}
        self._pending_lock = threading.Lock()
        self.event_log = EventLog(cast_for(self))
        self.event_log.start(reading_from_model(self, quarter=format_quarter(self.config.start)))
        self.limit_actor, self.limit_name = spending_limit(self)
        # The norm or goal in force in each quarter simulated (median over worlds), and which.
        self.limits: list[float] = []
        self.limit_labels: list[str] = []

    @property
    def events(self) -> list[Event]:
        """Every event so far, oldest first."""
        return self.event_log.events

    def reset_arguments(self) -> dict[str, Any]:
        """The keyword arguments that rebuild this model from its first quarter, with the
        levers in use now (what Reset passes back to the class)."""
        return {
            "scenario_name": self.scenario_name,
            "worlds": self.worlds,
            "seed": self.seed,
            "settings": dict(self.settings),
            **self.levers,
        }

    # -- levers during a run --------------------------------------------------------------
    def set_levers(self, **levers: Any) -> dict[str, Any]:
        """Move levers (shown units) in the running model, from the next quarter it simulates.

        Nothing restarts: the quarters already simulated stay as they are, and the next `step`
        swaps the new values in before it runs (safe while ▶ plays in another thread). Returns
        the levers that will change. Reset still rebuilds the model from 2020.
        """
        unknown = set(levers) - set(LEVERS_BY_NAME)
        if unknown:
            raise ValueError(f"unknown lever(s): {', '.join(sorted(unknown))}")
        for name, value in levers.items():
            LEVERS_BY_NAME[name].to_model(value)  # refuse a bad choice now, not at the next step
        with self._pending_lock:
            self._pending.update(levers)
            return {
                name: value for name, value in self._pending.items() if value != self.levers[name]
            }

    @property
    def pending_levers(self) -> dict[str, Any]:
        """Levers moved since the last step that differ from the values in use."""
        with self._pending_lock:
            return {n: v for n, v in self._pending.items() if v != self.levers[n]}

    def step(self) -> None:
        """Apply levers moved since the last quarter, run one quarter, then log its reading."""
        self._apply_levers()
        norm = self.actors[self.limit_actor].spending_norm if self.limit_name else None
        super().step()
        if norm is not None:  # after the step, p holds the goal this quarter used
            ally = self.actors[self.limit_actor]
            value, label = norm_in_force(ally, norm, ally.p.defence_goal)
            self.limits.append(value)
            self.limit_labels.append(label)
        self.event_log.update(reading_from_model(self))

    def limit_now(self) -> float | None:
        """The norm or goal in force in the last quarter simulated, or in the first one before
        the run starts (the goal's base value after the scenario's shocks of that quarter)."""
        if not self.limit_name:
            return None
        if self.limits:
            return self.limits[-1]
        return self._start_limit()[0]

    @property
    def limit_label(self) -> str:
        """ "goal" while a declared goal above the norm guides spending, else "norm"."""
        if not self.limit_name:
            return ""
        return self.limit_labels[-1] if self.limit_labels else self._start_limit()[1]

    def _start_limit(self) -> tuple[float, str]:
        ally = self.actors[self.limit_actor]
        goal = ally.base_params[self.limit_name]
        for shock in self.config.shocks:
            if shock.target == self.limit_actor and shock.parameter == self.limit_name:
                goal = shock.apply(goal, self.config.start)
        return norm_in_force(ally, ally.spending_norm, goal)

    def unbound_levers(self) -> list[str]:
        """Plain-language warnings for moved levers and `--set` values that are limits or
        goals and bound in no world so far (issue 12: a setting that changes nothing must
        say so, not leave an unchanged chart to be read as a finding)."""
        if self.quarter == self.config.start:
            return []
        keys = {**{k: str(v) for k, v in self.settings.items()}, **self.overrides}
        keys = {key: value for key, value in keys.items() if is_bound_setting(key)}
        if not keys:  # nothing that is a limit or a goal: no results to build
            return []
        results = self.results(self.scenario_name)
        unbound = unbound_settings(results, self.config, list(keys))
        by_key = {lever.key(self.config): lever for lever in LEVERS_BY_NAME.values()}
        warnings = []
        for key in unbound:
            lever = by_key.get(key)
            if lever is not None and lever.name in self.changed_levers:
                setting = f"{lever.short} {shown_text(self.levers[lever.name])}{lever.unit}"
            else:
                setting = f"--set {key}={keys[key]}"
            reason = UNBOUND_REASONS[key.rpartition(".")[2]]
            warnings.append(f"{setting} binds in no world so far: {reason}")
        return warnings

    def _apply_levers(self) -> None:
        """Write queued lever values into the running model's parameters and policies.

        A lever sets the parameter's base value through `LynchpinModel.set_parameter`, so a
        scenario's timed shocks keep acting on top of it.
        Policies are read from `model.config` each quarter, so the config is swapped for one
        built from the scenario with the new overrides (same actors, period and shocks).
        """
        with self._pending_lock:
            moved = {n: v for n, v in self._pending.items() if v != self.levers[n]}
            self._pending.clear()
        if not moved:
            return
        levers = {**self.levers, **moved}
        new_overrides = overrides(self.scenario_config, levers)
        config = self._source.with_overrides(params=new_overrides).to_config()
        assert config.shocks == self.config.shocks and config.periods == self.config.periods
        for name in moved:
            lever = LEVERS_BY_NAME[name]
            if lever.role == "policies":
                continue
            value = float(lever.to_model(levers[name]))
            target = "system" if lever.role == "global" else role_code(config, lever.role)
            self.set_parameter(target, lever.parameter, value)
        before, self.levers = self.levers, levers
        self.config = config
        self.overrides = new_overrides
        self.changed_levers = changed(self.scenario_config, levers)
        quarter = format_quarter(self.quarter)
        for name, value in moved.items():
            text = (
                f"lever — {LEVERS_BY_NAME[name].label} set to {shown_text(value)} "
                f"(was {shown_text(before[name])}), from this quarter on."
            )
            self.event_log.record(Event(quarter, "lever", text))

    # -- what the levers mean now ----------------------------------------------------------
    def lever_shocks(self, name: str) -> list[Shock]:
        """The scenario's timed shocks on the parameter a lever sets."""
        lever = LEVERS_BY_NAME[name]
        if lever.role == "policies":
            return []
        target = "system" if lever.role == "global" else role_code(self.config, lever.role)
        return [
            shock
            for shock in self.config.shocks
            if shock.target == target and shock.parameter == lever.parameter
        ]

    def effective(self, name: str, quarter: int | None = None) -> Any:
        """A lever's value after the scenario's shocks in `quarter` (default: the next one)."""
        lever = LEVERS_BY_NAME[name]
        value = self.levers[name]
        if lever.kind != "slider":
            return value
        quarter = self.next_quarter if quarter is None else quarter
        model_value = lever.to_model(value)
        for shock in self.lever_shocks(name):
            model_value = shock.apply(model_value, quarter)
        return round(model_value * lever.scale, 6)

    @property
    def next_quarter(self) -> int:
        """The quarter the next step simulates (the last one once the run is over)."""
        return min(self.quarter, self.config.end)

    def shock_note(self, name: str) -> str:
        """E.g. "scenario shock active: US attention −30% until 2021Q4" (or "" if none)."""
        lever = LEVERS_BY_NAME[name]
        q = self.next_quarter
        notes = []
        for shock in self.lever_shocks(name):
            size = _shock_size(shock, lever)
            if shock.start <= q <= shock.end:
                notes.append(
                    f"scenario shock active: {lever.short} {size} until {format_quarter(shock.end)}"
                )
            elif q < shock.start:
                notes.append(
                    f"scenario shock ahead: {lever.short} {size} "
                    f"{format_quarter(shock.start)}–{format_quarter(shock.end)}"
                )
        return "; ".join(notes)


def spending_limit(model: LynchpinModel) -> tuple[str, str]:
    """(actor, goal parameter) of the first treaty ally, whose norm or declared goal the
    spending chart draws; empty strings when the scenario has none or its model no goal."""
    for spec in model.config.actors:
        if spec.role == "treaty_ally" and "defence_goal" in model.actors[spec.code].base_params:
            return spec.code, "defence_goal"
    return "", ""


def norm_in_force(ally: Any, norm: np.ndarray, goal: Any) -> tuple[float, str]:
    """(median level, "goal" or "norm"): the level above which the ally's spending carries
    its norm's extra political cost (D4, `TreatyAlly.effective_norm`), for a given norm and
    goal, and whether a declared goal above the norm set it in most worlds.

    The model's own rule is called with that norm and goal, so the chart can never draw a
    rule the model does not use.
    """
    level = ally.effective_norm(norm, goal)
    above = goal_above_norm(goal, norm)
    label = "goal" if np.mean(np.broadcast_to(above, np.shape(level))) > 0.5 else "norm"
    return float(np.median(level)), label


def _shock_size(shock: Shock, lever: Lever) -> str:
    if shock.mode == "relative":
        text = f"{shock.size:+.0%}"
    elif shock.mode == "absolute":
        text = f"set to {shown_text(round(shock.size * lever.scale, 6))}"
    else:
        text = f"{shown_text(round(shock.size * lever.scale, 6), signed=True)}"
    text = text.replace("-", "−")
    if shock.ramp_quarters:
        text += f" (phased in over {shock.ramp_quarters} quarters)"
    return text
