"""The shape of a scenario file, as pydantic models built from the parameter registry.

Bounds and descriptions come from lynchpin.model.parameters, so validation, the JSON Schema
for editors and `lynchpin explain` can never disagree. Cross-field rules live in checks.py.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from lynchpin.model.config import ROLES, SHOCK_ALIASES, SHOCK_MODES, Policies
from lynchpin.model.parameters import ACTOR_PARAMS, GLOBAL_PARAMS, Param

MAX_SHOCKS = 200
MAX_NEW_ACTORS = 50
MAX_WORLDS = 1_000_000
DEFAULT_WORLDS = 1000
DEFAULT_SEED = 20200119  # the treaty's 60th anniversary
DEFAULT_START = "2020Q1"
DEFAULT_END = "2035Q4"
QUARTER_PATTERN = r"^\d{4}Q[1-4]$"
CODE_PATTERN = r"^[A-Z][A-Z0-9]{1,7}$"
SHOCK_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
# Shock fields an override key `shocks.<id>.<field>` may set.
SHOCK_FIELDS: tuple[str, ...] = ("size", "start", "end", "ramp_quarters", "mode")

_STRICT = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)
Quarter = Annotated[str, Field(pattern=QUARTER_PATTERN, examples=["2020Q1"])]


def _param_field(p: Param, note: str = "") -> Any:
    text = f"{p.doc} Range {p.low:g}..{p.high:g}, default {p.default:g}{note}. "
    return Field(
        default=p.default, ge=p.low, le=p.high, description=f"{text}Claim {p.claim}; {p.source}."
    )


ActorParams: type[BaseModel] = create_model(
    "ActorParams",
    __config__=_STRICT,
    __doc__="Overrides of an actor's parameters (unset ones keep the actor's own values).",
    **{p.name: (float, _param_field(p, " (countries: see actors.csv)")) for p in ACTOR_PARAMS},
)

GlobalParams: type[BaseModel] = create_model(
    "GlobalParams",
    __config__=_STRICT,
    __doc__="Overrides of the system-wide parameters.",
    **{p.name: (float, _param_field(p)) for p in GLOBAL_PARAMS},
)

_POLICY_DEFAULTS = Policies()


class PolicySpec(BaseModel):
    """Policy switches the article discusses."""

    model_config = _STRICT

    doctrine: Literal["diffused", "specific"] = Field(
        _POLICY_DEFAULTS.doctrine,
        description="C6 burden-sharing school: 'diffused' counts aid and peacekeeping, "
        "'specific' counts only defence spending (straight build-up).",
    )
    host_nation_support: Literal["standard", "cost_plus_50"] = Field(
        _POLICY_DEFAULTS.host_nation_support,
        description="C7 Host Nation Support demand: 'cost_plus_50' multiplies it "
        "(see parameters.hns_cost_plus_50_multiplier).",
    )
    cyber_article5: bool = Field(
        _POLICY_DEFAULTS.cyber_article5,
        description="C12 whether severe cyber incidents count as armed attacks under Article 5.",
    )
    us_in_tpp: bool = Field(
        _POLICY_DEFAULTS.us_in_tpp, description="C14 whether the leader is in the TPP/CPTPP."
    )
    cptpp_leader: str | None = Field(
        _POLICY_DEFAULTS.cptpp_leader,
        pattern=CODE_PATTERN,
        description="C14 actor code of the ally leading CPTPP, or null for none.",
    )


Probability = Annotated[float, Field(ge=0.0, le=1.0)]


class ElectionSpec(BaseModel):
    """D7: chances of a transactional administration after one election."""

    model_config = _STRICT

    if_engaged: Probability = Field(
        description="Probability the new administration is transactional after an engaged one."
    )
    if_transactional: Probability = Field(
        description="Probability it is transactional after a transactional one (re-election "
        "or continuity)."
    )


# History: Trump in office in 2020Q1 (transactional); Biden elected 2020, Trump 2024 (both
# certain); 2028 and 2032 open.
DEFAULT_ELECTIONS: dict[str, float | dict[str, float]] = {
    "2020Q4": 0.0,
    "2024Q4": 1.0,
    "2028Q4": {"if_engaged": 0.5, "if_transactional": 0.5},
    "2032Q4": {"if_engaged": 0.5, "if_transactional": 0.5},
}


class AdministrationsSpec(BaseModel):
    """D7 US administrations as regimes: the one in office at the start and the elections."""

    model_config = _STRICT

    initial: Literal["engaged", "transactional"] = Field(
        "transactional", description="Administration in office in the first quarter."
    )
    elections: dict[Quarter, Probability | ElectionSpec] = Field(  # type: ignore[valid-type]
        default_factory=lambda: {
            q: v if isinstance(v, float) else ElectionSpec(**v)
            for q, v in DEFAULT_ELECTIONS.items()
        },
        description="Election quarter -> probability of a transactional administration from "
        "the next quarter on: a number (whatever the incumbent) or {if_engaged, "
        "if_transactional} (a Markov switch). Quarters outside the run are ignored.",
        json_schema_extra={"propertyNames": {"pattern": QUARTER_PATTERN}},
    )


class NewActorSpec(BaseModel):
    """An actor the defaults do not have (e.g. South Korea), defined by its role."""

    model_config = _STRICT

    code: str = Field(pattern=CODE_PATTERN, description="Upper-case code, e.g. KOR.")
    name: str = Field(min_length=1, max_length=100, description="Display name.")
    role: Literal[ROLES] = Field(description="Role that carries the behaviour.")  # type: ignore[valid-type]
    gdp: float = Field(gt=0, le=1_000_000, description="2020 GDP, US$ bn (current).")
    defence_share: float = Field(ge=0, le=0.2, description="2020 defence share of GDP.")
    parameters: ActorParams = Field(  # type: ignore[valid-type]
        default_factory=ActorParams, description="Actor parameters; unset ones take defaults."
    )


_QUANTITIES = sorted({p.name for p in GLOBAL_PARAMS + ACTOR_PARAMS} | set(SHOCK_ALIASES))


class ShockSpec(BaseModel):
    """A timed change of one parameter of an actor or of the system."""

    model_config = _STRICT

    id: str | None = Field(
        None,
        pattern=SHOCK_ID_PATTERN,
        max_length=40,
        description="Name that makes the shock sweepable: shocks.<id>.size, .start, .end, "
        ".ramp_quarters and .mode are keys of --set, batch grids and designs, and "
        "sensitivity --param.",
    )
    target: str = Field(
        pattern=r"^(system|[A-Z][A-Z0-9]{1,7})$",
        description="Actor code, or 'system' for a global parameter.",
    )
    quantity: str = Field(
        description="Parameter of the target, or an alias: "
        + ", ".join(f"{a} ({p})" for a, p in SHOCK_ALIASES.items())
        + ".",
        json_schema_extra={"enum": _QUANTITIES},
    )
    start: Quarter = Field(description="First quarter of the shock.")
    end: Quarter | None = Field(None, description="Last quarter (default: the scenario's end).")
    size: float = Field(description="Size of the change; meaning depends on mode.")
    mode: Literal[SHOCK_MODES] = Field(  # type: ignore[valid-type]
        "relative",
        description="relative: value*(1+size); absolute: value=size; additive: value+size.",
    )
    ramp_quarters: int = Field(
        0, ge=0, le=400, description="Phase the change in linearly over this many quarters."
    )
    note: str = Field("", max_length=2000, description="Why: source or reasoning.")


class ScenarioSpec(BaseModel):
    """A lynchpin scenario: period, Monte Carlo size, and changes to the 2020 baseline."""

    model_config = ConfigDict(_STRICT, title="lynchpin scenario")

    name: str = Field("", max_length=100, description="Scenario name (default: the file name).")
    description: str = Field(
        "", max_length=5000, description="Which passage of the article this scenario comes from."
    )
    extends: str | None = Field(
        None,
        description="Scenario this one starts from: a bundled name (e.g. baseline) or a path "
        "relative to this file. Mappings merge; lists (shocks, new_actors) add to the parent's.",
    )
    start: Quarter = Field(DEFAULT_START, description="First simulated quarter.")
    end: Quarter = Field(DEFAULT_END, description="Last simulated quarter.")
    worlds: int = Field(DEFAULT_WORLDS, ge=1, le=MAX_WORLDS, description="Monte Carlo worlds.")
    seed: int = Field(DEFAULT_SEED, ge=0, description="Random seed.")
    actors: dict[str, ActorParams] = Field(  # type: ignore[valid-type]
        default_factory=dict,
        max_length=100,
        description="Parameter overrides per actor code (USA, JPN, CHN, AUS, IND or new actors).",
        json_schema_extra={"propertyNames": {"pattern": CODE_PATTERN}},
    )
    new_actors: list[NewActorSpec] = Field(
        default_factory=list, max_length=MAX_NEW_ACTORS, description="Actors to add."
    )
    parameters: GlobalParams = Field(  # type: ignore[valid-type]
        default_factory=GlobalParams, description="Global parameter overrides."
    )
    policies: PolicySpec = Field(default_factory=PolicySpec, description="Policy switches.")
    uncertainty: str = Field(
        "priors",
        min_length=1,
        max_length=1000,
        description="Parameter uncertainty: 'priors' (each world draws every parameter the "
        "scenario does not fix from its prior), 'none' (every parameter at its value: the "
        "fixed-parameter run), 'posterior' (each group of worlds resamples a draw of the "
        "shipped history-matching posterior, lynchpin/data/posterior.csv; parameters it lacks "
        "keep their priors) or a path to a CSV table of parameter draws (one row per draw, "
        "one column per parameter key such as depreciation or JPN.defence_ceiling). "
        "Distributions written in the scenario are drawn in every mode.",
        json_schema_extra={"examples": ["priors", "none", "posterior", "draws.csv"]},
    )
    worlds_per_draw: int = Field(
        10,
        ge=1,
        le=250,
        description="Nested design: consecutive worlds sharing one parameter draw, so the "
        "spread across worlds splits into ignorance (between draws) and luck (within); must "
        "divide 250 (1, 2, 5, 10, 25, 50, 125, 250).",
    )
    administrations: AdministrationsSpec = Field(
        default_factory=AdministrationsSpec, description="D7 US administrations and elections."
    )
    shocks: list[ShockSpec] = Field(
        default_factory=list, max_length=MAX_SHOCKS, description="Timed parameter changes."
    )
