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
