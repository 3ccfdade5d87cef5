"""Same seed, same numbers; chunking worlds never changes them (random streams per block)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import vary

from lynchpin.model import Results, plan_chunks, simulate

WORLDS = 1100  # not a multiple of the 250-world block


@pytest.fixture(scope="module")
def short(baseline):
    return vary(baseline, quarters=12, policies={"cyber_article5": True})


@pytest.fixture(scope="module")
def whole(short):
    return simulate(short, worlds=WORLDS, seed=7)


def identical(a: Results, b: Results) -> bool:
    return a.values.keys() == b.values.keys() and all(
        np.array_equal(a.values[k], b.values[k]) for k in a.values
    )


def test_same_seed_is_bit_identical(short, whole):
    assert identical(whole, simulate(short, worlds=WORLDS, seed=7))


def test_different_seeds_differ(short, whole):
    other = simulate(short, worlds=WORLDS, seed=8)
    assert not np.array_equal(whole.metric("JPN", "gdp"), other.metric("JPN", "gdp"))
    assert not np.array_equal(whole.metric("system", "crises"), other.metric("system", "crises"))


@pytest.mark.parametrize("chunk", [250, 500, 750, 1000])
def test_chunks_merge_to_one_run(short, whole, chunk):
    pieces = plan_chunks(WORLDS, chunk)
    assert pieces[-1][1] < chunk or WORLDS % chunk == 0  # a partial last block is covered
    parts = [simulate(short, worlds=n, seed=7, first_world=first) for first, n in pieces]
    merged = Results.merge(reversed(parts))
    assert identical(whole, merged)
    assert merged.per_world()["world"].max() == WORLDS - 1


def test_plan_chunks_cover_every_world_on_block_boundaries():
    for worlds in (1, 249, 250, 1100, 10_001):
        pieces = plan_chunks(worlds, 600)
        assert sum(n for _, n in pieces) == worlds
        assert all(first % 250 == 0 for first, _ in pieces)


def test_same_seed_gives_common_random_numbers_across_policies():
    """A policy that does not touch the economy leaves every world's growth path unchanged and
    pairs the crisis draws, so paired differences are far less noisy than unpaired ones."""
    import dataclasses

    from lynchpin.data import default_config
    from lynchpin.model import Policies

    base = default_config()
    policy = dataclasses.replace(
        base, policies=Policies(doctrine="specific", host_nation_support="cost_plus_50")
    )
    a = simulate(base, worlds=500, seed=3)
    b = simulate(policy, worlds=500, seed=3)
    assert np.array_equal(a.metric("CHN", "gdp"), b.metric("CHN", "gdp"))
    assert not np.array_equal(
        a.metric("system", "alliance_cohesion"), b.metric("system", "alliance_cohesion")
    )
    conflict_a = a.metric("system", "armed_conflict")[-1]
    conflict_b = b.metric("system", "armed_conflict")[-1]
    paired = np.std(conflict_b - conflict_a)
    unpaired = np.sqrt(np.var(conflict_a) + np.var(conflict_b))
    assert paired < 0.5 * unpaired
