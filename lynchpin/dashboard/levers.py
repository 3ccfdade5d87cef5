"""The levers a learner can pull, and how each maps onto a scenario override.

A lever is shown in the unit people think in (percent of GDP, percent growth a year) and
converted to the model's unit when the model is built. Defaults are read from the chosen
scenario, so the sliders start where that scenario stands.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lynchpin.model.config import ModelConfig
from lynchpin.model.parameters import param

WORLDS_DEFAULT = 300
WORLDS_MIN, WORLDS_MAX, WORLDS_STEP = 50, 1000, 50


@dataclass(frozen=True)
class Lever:
    """One dashboard control bound to one scenario override key."""

    name: str  # keyword argument of DashboardModel
    label: str
    kind: str  # "slider", "select" or "checkbox"
    role: str  # whose parameter: "leader", "treaty_ally", "challenger", "global", "policies"
    parameter: str  # parameter or policy field
    scale: float = 1.0  # shown value = model value * scale
    low: float = 0.0
    high: float = 1.0
    step: float = 0.05
    choices: tuple[str, ...] = ()
    short: str = ""  # for the one-line summary of a run
    unit: str = ""  # printed after the shown value, e.g. "%"

    def key(self, config: ModelConfig) -> str:
        """The override key `Scenario.with_overrides(params=...)` understands."""
        if self.role == "global":
            return self.parameter
        if self.role == "policies":
            return f"policies.{self.parameter}"
        return f"{role_code(config, self.role)}.{self.parameter}"

    def current(self, config: ModelConfig) -> Any:
        """The scenario's value, in the unit the control shows."""
        if self.role == "policies":
            return getattr(config.policies, self.parameter)
        if self.role == "global":
            return _rounded(config.params[self.parameter] * self.scale)
        spec = config.actor(role_code(config, self.role))
        value = spec.params.get(self.parameter, param(self.parameter).default)
        return _rounded(value * self.scale)

    def to_model(self, shown: Any) -> Any:
        """Convert the control's value back to the model's unit."""
        if self.kind == "slider":
            return float(shown) / self.scale
        if self.kind == "checkbox":
            return bool(shown)
        if shown not in self.choices:
            raise ValueError(f"{self.label}: expected one of {', '.join(self.choices)}")
        return shown


def _rounded(value: float) -> float:
    return round(float(value), 6)


LEVERS: tuple[Lever, ...] = (
    Lever(
        "us_attention",
        "US attention",
        "slider",
        "leader",
        "attention_base",
        short="US attention",
    ),
    Lever(
        "us_commitment",
        "US commitment",
        "slider",
        "leader",
        "commitment_base",
        short="US commitment",
    ),
    Lever(
        "doctrine",
        "Burden-sharing doctrine",
        "select",
        "policies",
        "doctrine",
        choices=("diffused", "specific"),
        short="doctrine",
    ),
    Lever(
        "host_nation_support",
        "US host-nation-support demand",
        "select",
        "policies",
        "host_nation_support",
        choices=("standard", "cost_plus_50"),
        short="US HNS demand",
    ),
    Lever(
        "japan_goal",
        "Japan defence goal, % GDP",
        "slider",
        "treaty_ally",
        "defence_goal",
        scale=100.0,
        low=0.0,
        high=3.0,
        step=0.25,
        short="Japan goal",
        unit="% of GDP",
    ),
    Lever(
        "japan_hns_offer",
        "Japan HNS offer, % extra",
        "slider",
        "global",
        "hns_ally_surplus",
        scale=100.0,
        low=0.0,
        high=60.0,
        step=5.0,
        short="Japan HNS offer",
        unit="% extra",
    ),
    Lever(
        "counter_a2ad",
        "Counter-A2/AD share",
        "slider",
        "global",
        "counter_a2ad_share",
        high=0.5,
        short="counter-A2/AD",
    ),
    Lever(
        "quad",
        "Quad institutions",
        "slider",
        "global",
        "quad_institutionalisation",
        short="Quad",
    ),
    Lever(
        "cyber_article5",
        "Cyber under Article 5",
        "checkbox",
        "policies",
        "cyber_article5",
        short="cyber under Art. 5",
    ),
    Lever(
        "us_in_tpp", "US rejoins the TPP", "checkbox", "policies", "us_in_tpp", short="US in TPP"
    ),
    Lever(
        "china_growth",
        "China growth, %/yr",
        "slider",
        "challenger",
        "growth_trend",
        scale=100.0,
        low=0.0,
        high=10.0,
        step=0.25,
        short="China growth",
        unit="%/yr",
    ),
)
LEVERS_BY_NAME: dict[str, Lever] = {lever.name: lever for lever in LEVERS}


def shown_text(value: Any, signed: bool = False) -> str:
    """A lever value as the sidebar and the log print it: 0.6, 2.1, on, cost_plus_50."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int | float):
        return f"{value:+g}" if signed else f"{value:g}"
    return str(value)


def role_code(config: ModelConfig, role: str) -> str:
    """Code of the leader, the challenger or the first treaty ally of a scenario."""
    for spec in config.actors:
        if spec.role == role:
            return spec.code
    raise ValueError(f"this scenario has no actor with role {role!r}")


def scenario_levers(config: ModelConfig) -> dict[str, Any]:
    """Every lever at the scenario's own value (shown units)."""
    return {lever.name: lever.current(config) for lever in LEVERS}


def changed(config: ModelConfig, levers: Mapping[str, Any]) -> dict[str, Any]:
    """The levers (shown units) that differ from the scenario; None means "leave as is"."""
    unknown = set(levers) - set(LEVERS_BY_NAME)
    if unknown:
        raise ValueError(f"unknown lever(s): {', '.join(sorted(unknown))}")
    defaults = scenario_levers(config)
    return {
        name: value
        for name, value in levers.items()
        if value is not None and value != defaults[name]
    }


def overrides(config: ModelConfig, levers: Mapping[str, Any]) -> dict[str, Any]:
    """Override keys for `Scenario.with_overrides(params=...)`, for levers the user moved.

    A lever left at the scenario's value is not overridden, so scenario shocks and policies
    stay exactly as the YAML says.
    """
    return {
        LEVERS_BY_NAME[name].key(config): LEVERS_BY_NAME[name].to_model(value)
        for name, value in changed(config, levers).items()
    }


def solara_params(
    scenario: str, config: ModelConfig, worlds: int = WORLDS_DEFAULT, seed: int = 0
) -> dict[str, Any]:
    """`model_params` for mesa's SolaraViz: fixed scenario and seed, a control per lever."""
    controls: dict[str, Any] = {
        "scenario_name": scenario,
        "seed": seed,
        "worlds": {
            "type": "SliderInt",
            "value": int(worlds),
            "label": "Worlds",
            "min": WORLDS_MIN,
            "max": max(WORLDS_MAX, int(worlds)),
            "step": WORLDS_STEP,
        },
    }
    for lever, value in zip(LEVERS, scenario_levers(config).values(), strict=True):
        controls[lever.name] = _control(lever, value)
    return controls


def _control(lever: Lever, value: Any) -> dict[str, Any]:
    control: dict[str, Any] = {"label": lever.label, "value": value}
    if lever.kind == "slider":
        control.update(
            type="SliderFloat", min=lever.low, max=max(lever.high, value), step=lever.step
        )
    elif lever.kind == "select":
        control.update(type="Select", values=list(lever.choices))
    else:
        control.update(type="Checkbox")
    return control
