"""Shared helpers for model tests: short baselines and one-line config variations."""

from __future__ import annotations

import dataclasses

import pytest

from lynchpin.data import default_config
from lynchpin.model import ModelConfig, Policies


def vary(
    config: ModelConfig,
    quarters: int | None = None,
    params: dict | None = None,
    actors: dict[str, dict] | None = None,
    gdp: dict[str, float] | None = None,
    policies: dict | None = None,
    shocks: tuple = (),
) -> ModelConfig:
    """A copy of config with a shorter horizon, other global/actor params, policies, shocks."""
    specs = []
    for spec in config.actors:
        new = dict(spec.params) | (actors or {}).get(spec.code, {})
        scale = (gdp or {}).get(spec.code, 1.0)
        specs.append(dataclasses.replace(spec, params=new, gdp=spec.gdp * scale))
    return dataclasses.replace(
        config,
        actors=tuple(specs),
        end=config.end if quarters is None else config.start + quarters - 1,
        params={**config.params, **(params or {})},
        policies=dataclasses.replace(config.policies, **(policies or {})),
        shocks=config.shocks + tuple(shocks),
    )


@pytest.fixture(scope="session")
def baseline() -> ModelConfig:
    """The shipped 2020 baseline (2020Q1-2035Q4)."""
    config = default_config()
    assert config.policies == Policies()
    return config
