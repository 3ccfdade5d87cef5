"""Shared helpers for model tests: short baselines and one-line config variations."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lynchpin.data import default_config
from lynchpin.model import ModelConfig, Policies
from lynchpin.model.config import ParameterUncertainty


def vary(
    config: ModelConfig,
    quarters: int | None = None,
    params: dict | None = None,
    actors: dict[str, dict] | None = None,
    gdp: dict[str, float] | None = None,
    policies: dict | None = None,
    shocks: tuple = (),
) -> ModelConfig:
    """A copy of config with a shorter horizon, other global/actor params, policies, shocks.

    A parameter set here takes one value in every world: if the config draws it per world
    (issue 10 priors), its distribution is dropped, since a silent draw would undo the setting.
    """
    specs = []
    for spec in config.actors:
        new = dict(spec.params) | (actors or {}).get(spec.code, {})
        scale = (gdp or {}).get(spec.code, 1.0)
        specs.append(dataclasses.replace(spec, params=new, gdp=spec.gdp * scale))
    return dataclasses.replace(
        config,
        uncertainty=_without_draws(config.uncertainty, params, actors),
        actors=tuple(specs),
        end=config.end if quarters is None else config.start + quarters - 1,
        params={**config.params, **(params or {})},
        policies=dataclasses.replace(config.policies, **(policies or {})),
        shocks=config.shocks + tuple(shocks),
    )


def _without_draws(
    uncertainty: ParameterUncertainty | None, params: dict | None, actors: dict | None
) -> ParameterUncertainty | None:
    fixed = set(params or {}) | {
        f"{code}.{name}" for code, values in (actors or {}).items() for name in values
    }
    if uncertainty is None or not fixed:
        return uncertainty
    tabled = fixed & set(uncertainty.table[0] if uncertainty.table else ())
    if tabled:
        raise ValueError(f"vary cannot fix {sorted(tabled)}: the config draws them from a table")
    kept = {k: d for k, d in uncertainty.distributions.items() if k not in fixed}
    return dataclasses.replace(uncertainty, distributions=kept)


@pytest.fixture(scope="session")
def baseline() -> ModelConfig:
    """The shipped 2020 baseline (2020Q1-2035Q4)."""
    config = default_config()
    assert config.policies == Policies()
    return config


# The nine scenarios the article suggests, bundled under these exact names (issue contract).
ARTICLE_SCENARIOS = (
    "baseline",
    "pandemic-distraction",
    "america-first",
    "fortified-alliance",
    "quad-institutionalised",
    "us-retrenchment",
    "cyber-article5",
    "taiwan-strait-crisis",
    "china-slowdown",
)


def lynchpin(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed `lynchpin` console script as a user would (bundled scenarios only)."""
    env = {k: v for k, v in os.environ.items() if k != "LYNCHPIN_SCENARIO_PATH"}
    env["COLUMNS"] = "160"
    command = Path(sys.executable).parent / "lynchpin"
    return subprocess.run(
        [str(command), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
