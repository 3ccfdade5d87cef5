"""A validated scenario: what the experiment layer, the CLI and the dashboard work with."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from lynchpin.data import default_actors
from lynchpin.errors import UserError
from lynchpin.model import ActorSpec, ModelConfig, Policies, Shock
from lynchpin.model.config import (
    ENGAGED,
    TRANSACTIONAL,
    Administrations,
    Election,
    ParameterUncertainty,
)
from lynchpin.model.distributions import Distribution, is_distribution
from lynchpin.model.periods import parse_quarter
from lynchpin.model.priors import prior_distributions
from lynchpin.scenario.checks import effective_actor_params
from lynchpin.scenario.keys import KeyProblem, override_path
from lynchpin.scenario.schema import AdministrationsSpec, ElectionSpec, ScenarioSpec
from lynchpin.scenario.tree import KeyPath
from lynchpin.scenario.validate import DrawsTable, validate_scenario
from lynchpin.scenario.yaml_source import ScenarioLoader, ambiguous_scalar

# Top-level scenario fields an override key (--set, batch columns) may name directly.
_TOP_LEVEL = ("uncertainty", "worlds_per_draw")


class Scenario:
    """A scenario with `extends` resolved and every value checked.

    Keeps the merged raw data and where each value was written, so overrides are validated
    by the same rules and errors still point into the files.
    """

    def __init__(
        self,
        spec: ScenarioSpec,
        raw: dict[str, Any],
        positions: dict[KeyPath, str],
        path: Path | None = None,
        distributions: Mapping[str, Distribution] | None = None,
        table: DrawsTable | None = None,
        table_is_posterior: bool = False,
    ) -> None:
        self.spec = spec
        self.path = path
        self._raw = raw
        self._positions = positions
        # Parameters written as distributions ("name" / "CODE.name"), and a table of draws.
        self.distributions = dict(distributions or {})
        self.table = table
        # A posterior (lynchpin calibrate) covers what the record informs; the rest: priors.
        self.table_is_posterior = table_is_posterior

    @classmethod
    def from_data(
        cls, raw: dict[str, Any], positions: dict[KeyPath, str], path: Path | None = None
    ) -> Scenario:
        """Validate merged data (UserError naming file:line:col on any problem)."""
        fallback = positions.get((), str(path) if path else "scenario")
        checked = validate_scenario(raw, positions, fallback)
        return cls(
            checked.spec,
            raw,
            positions,
            path,
            checked.distributions,
            checked.table,
            checked.table_is_posterior,
        )

    @property
    def uncertainty(self) -> str:
        """'priors', 'none', 'posterior' or the path of a table of parameter draws."""
        return self.spec.uncertainty

    def fixed_fields(self) -> set[str]:
        """Top-level fields written in the scenario files or overrides (not defaults)."""
        return {str(path[0]) for path in self._positions if len(path) == 1}

    def fixed_keys(self) -> set[str]:
        """Parameter keys this scenario sets to a number (they are never drawn from priors)."""
        spec = self.spec
        keys = set(spec.parameters.model_dump(exclude_unset=True))
        for code, values in spec.actors.items():
            keys |= {f"{code}.{n}" for n in values.model_dump(exclude_unset=True)}
        for new in spec.new_actors:
            keys |= {f"{new.code}.{n}" for n in new.parameters.model_dump(exclude_unset=True)}
        return keys

    @property
    def name(self) -> str:
        """Scenario name."""
        return self.spec.name

    @property
    def description(self) -> str:
        """The article passage it comes from."""
        return self.spec.description

    @property
    def worlds(self) -> int:
        """Monte Carlo worlds."""
        return self.spec.worlds

    @property
    def seed(self) -> int:
        """Random seed."""
        return self.spec.seed

    @property
    def start(self) -> str:
        """First quarter, e.g. '2020Q1'."""
        return self.spec.start

    @property
    def end(self) -> str:
        """Last quarter, e.g. '2035Q4'."""
        return self.spec.end

    def __repr__(self) -> str:
        return f"Scenario({self.name!r}, {self.start}..{self.end}, worlds={self.worlds})"

    def to_config(self) -> ModelConfig:
        """The model's input: default actors with overrides, new actors, policies, shocks."""
        spec, values = self.spec, effective_actor_params(self.spec)
        actors = [replace(a, params=values[a.code]) for a in default_actors()]
        actors += [
            ActorSpec(n.code, n.name, n.role, n.gdp, n.defence_share, values[n.code])
            for n in spec.new_actors
        ]
        shocks = tuple(
            Shock(
                target=s.target,
                quantity=s.quantity,
                start=parse_quarter(s.start),
                end=parse_quarter(s.end or spec.end),
                size=s.size,
                mode=s.mode,
                ramp_quarters=s.ramp_quarters,
            )
            for s in spec.shocks
        )
        config = ModelConfig(
            actors=tuple(actors),
            start=parse_quarter(spec.start),
            end=parse_quarter(spec.end),
            params=spec.parameters.model_dump(),
            policies=Policies(**spec.policies.model_dump()),
            shocks=shocks,
            administrations=administrations(spec.administrations),
        )
        return replace(config, uncertainty=self._parameter_uncertainty(config))

    def _parameter_uncertainty(self, config: ModelConfig) -> ParameterUncertainty | None:
        """priors: every unfixed parameter from its prior; a table: its rows; a posterior: its
        rows for its columns (minus those the scenario fixes) and priors for the rest; written
        distributions on top in every mode; none and nothing written: fixed (None)."""
        mode = self.spec.uncertainty
        drawn: dict[str, Distribution] = {}
        table = self.table if mode not in ("priors", "none") else None
        if table is not None and self.table_is_posterior:
            table = _drop_columns(table, self.fixed_keys() | set(self.distributions))
            drawn = prior_distributions(config, self.fixed_keys() | set(table[0]))
        if mode == "priors":
            drawn = prior_distributions(config, self.fixed_keys())
        drawn.update(self.distributions)
        if not drawn and table is None:
            return None
        return ParameterUncertainty(dict(sorted(drawn.items())), table, self.spec.worlds_per_draw)

    def resolved(self) -> dict[str, Any]:
        """Every effective value, no `extends`; loading it back gives the same scenario."""
        spec, values = self.spec, effective_actor_params(self.spec)
        config = self.to_config()
        drawn = config.uncertainty.distributions if config.uncertainty else {}

        def shown(key: str, value: float) -> Any:
            return drawn[key].spec() if key in drawn else value

        actor_values = {
            code: {n: shown(f"{code}.{n}", v) for n, v in params.items()}
            for code, params in values.items()
        }
        return {
            "name": spec.name,
            "description": spec.description,
            "start": spec.start,
            "end": spec.end,
            "worlds": spec.worlds,
            "seed": spec.seed,
            "uncertainty": spec.uncertainty,
            "worlds_per_draw": spec.worlds_per_draw,
            "actors": {a.code: actor_values[a.code] for a in default_actors()},
            "new_actors": [
                {**n.model_dump(exclude={"parameters"}), "parameters": actor_values[n.code]}
                for n in spec.new_actors
            ],
            "parameters": {n: shown(n, v) for n, v in spec.parameters.model_dump().items()},
            "policies": spec.policies.model_dump(),
            "administrations": spec.administrations.model_dump(),
            "shocks": [
                {**s.model_dump(exclude=set() if s.id else {"id"}), "end": s.end or spec.end}
                for s in spec.shocks
            ],
        }

    def sha256(self) -> str:
        """Fingerprint of the resolved scenario, for manifests and caches."""
        text = json.dumps(self.resolved(), sort_keys=True, separators=(",", ":"), allow_nan=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def with_overrides(
        self,
        worlds: int | None = None,
        seed: int | None = None,
        params: Mapping[str, Any] | None = None,
        uncertainty: str | None = None,
    ) -> Scenario:
        """A copy with some values changed, checked like the file was.

        `params` keys follow lynchpin.scenario.keys ("depreciation", "JPN.defence_ceiling",
        "policies.doctrine", "shocks.drawdown.size", aliases such as "USA.attention"); string
        values are read as YAML scalars, so "0.5", "true" and "null" work from a command line.
        """
        raw, positions = copy.deepcopy(self._raw), dict(self._positions)
        for field, value in (("worlds", worlds), ("seed", seed), ("uncertainty", uncertainty)):
            if value is not None:
                _put(raw, positions, (field,), _plain(value), "override")
        problems = []
        for key, value in (params or {}).items():
            try:
                path = override_path(self.spec, key)
            except KeyProblem as problem:
                problems.append(f"override {key}: {problem}")
                continue
            try:
                plain = _plain(value)
            except UserError as error:
                problems.append(f"override {key}: {error.lines[0]}")
                continue
            _put(raw, positions, path, _shock_field(path, plain), "override")
        if problems:
            raise UserError(*problems)
        return Scenario.from_data(raw, positions, self.path)


def _drop_columns(table: DrawsTable, keys: set[str]) -> DrawsTable:
    """The table without the columns in `keys` (a number or distribution the scenario wrote
    wins over a posterior's draws)."""
    columns, rows = table
    keep = [j for j, c in enumerate(columns) if c not in keys]
    return tuple(columns[j] for j in keep), tuple(tuple(r[j] for j in keep) for r in rows)


def _put(
    raw: dict[str, Any], positions: dict[KeyPath, str], path: KeyPath, value: Any, label: str
) -> None:
    """Set raw[path] = value, creating mappings on the way, and label the path for errors."""
    node: Any = raw
    for depth, part in enumerate(path[:-1]):
        positions.setdefault(path[: depth + 1], label)
        if isinstance(node, dict):
            child = node.get(part)
            if not isinstance(child, dict | list):
                child = node[part] = {}
            node = child
        else:
            node = node[part]
    node[path[-1]] = value
    positions[path] = label


def _shock_field(path: KeyPath, value: Any) -> Any:
    """A sampled ramp length (designs draw floats) becomes whole quarters."""
    if path[0] == "shocks" and path[-1] == "ramp_quarters" and isinstance(value, float):
        return round(value)
    return value


def _plain(value: Any) -> Any:
    """numpy scalars become Python ones; strings are read as YAML scalars (never objects)."""
    if isinstance(value, str):
        problem = ambiguous_scalar(value.strip())
        if problem:  # --set policies.cptpp_leader=NO must not become false silently
            raise UserError(problem)
        try:
            parsed = yaml.load(value, Loader=ScenarioLoader)
        except yaml.YAMLError:
            return value
        if is_distribution(parsed):
            return parsed
        return value if isinstance(parsed, dict | list) else parsed
    return value.item() if hasattr(value, "item") else value


def administrations(spec: AdministrationsSpec) -> Administrations:
    """D7 settings for the model: quarters as indices, a bare probability for both cases."""
    elections = []
    for quarter, chance in sorted(spec.elections.items()):
        if isinstance(chance, ElectionSpec):
            elections.append(
                Election(parse_quarter(quarter), chance.if_engaged, chance.if_transactional)
            )
        else:
            elections.append(Election(parse_quarter(quarter), chance, chance))
    initial = TRANSACTIONAL if spec.initial == "transactional" else ENGAGED
    return Administrations(initial, tuple(elections))
