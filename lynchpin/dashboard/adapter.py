"""The model the dashboard drives: a LynchpinModel built from a scenario plus lever values.

Mesa's SolaraViz re-creates the model with keyword arguments when the user presses Reset, so
every control is an explicit keyword here. The model code itself stays untouched: this class
only builds the config and keeps the event log up to date after each step.
"""

from __future__ import annotations

from typing import Any

from lynchpin.dashboard.events import Event, EventLog, cast_for, reading_from_model
from lynchpin.dashboard.levers import WORLDS_DEFAULT, changed, overrides
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
        japan_ceiling: float | None = None,
        counter_a2ad: float | None = None,
        quad: float | None = None,
        cyber_article5: bool | None = None,
        us_in_tpp: bool | None = None,
        china_growth: float | None = None,
    ) -> None:
        levers = {
            "us_attention": us_attention,
            "us_commitment": us_commitment,
            "doctrine": doctrine,
            "host_nation_support": host_nation_support,
            "japan_ceiling": japan_ceiling,
            "counter_a2ad": counter_a2ad,
            "quad": quad,
            "cyber_article5": cyber_article5,
            "us_in_tpp": us_in_tpp,
            "china_growth": china_growth,
        }
        scenario = load_scenario(scenario_name)
        seed = scenario.seed if seed is None else int(seed)
        base = scenario.to_config()
        self.changed_levers: dict[str, Any] = changed(base, levers)
        self.overrides: dict[str, Any] = overrides(base, levers)
        configured = scenario.with_overrides(worlds=int(worlds), seed=seed, params=self.overrides)
        super().__init__(configured.to_config(), worlds=int(worlds), seed=seed)
        self.scenario_name = scenario_name
        self.description = scenario.description
        self.event_log = EventLog(cast_for(self))
        self.event_log.start(reading_from_model(self, quarter=format_quarter(self.config.start)))

    @property
    def events(self) -> list[Event]:
        """Every event so far, oldest first."""
        return self.event_log.events

    def step(self) -> None:
        """One quarter of the model, then the log's reading of it."""
        super().step()
        self.event_log.update(reading_from_model(self))
