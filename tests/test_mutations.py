"""The mutation gate (lynchpin/backtest/mutations.py): a claim's tests must fail when one of
its parameters is zeroed or its sign reversed. The parameters come from the claims registry,
so the gate follows the claims as they change; a test counts for a claim when it carries
@pytest.mark.claim("CNN") (docs/dev/mutation-gate.md); the few mutants that cannot matter are
listed in `mutations.CANNOT_MATTER` with the reason. The full gate is slow (304 mutants, about
7 CPU-minutes, measured 7.6 minutes of wall time on the shared machine): marked slow, in its
own xdist group, so it holds one worker; the unit tests below check the machinery on its own.
"""

from __future__ import annotations

import ast
import dataclasses
import re

import numpy as np
import pytest

from lynchpin.backtest import mutations
from lynchpin.data import default_config
from lynchpin.model import Shock, simulate
from lynchpin.model.claims import CLAIMS
from lynchpin.model.model import LynchpinModel


def test_every_claim_parameter_gets_two_mutants() -> None:
    plan = mutations.mutants()
    expected = sum(len(c.parameters) for c in CLAIMS.values()) * 2
    assert len(plan) == expected
    assert {m.mode for m in plan} == {"zero", "reverse"}


def _claim_marks() -> dict[str, set[str]]:
    """'file::test' -> the claims its @pytest.mark.claim decorators name (read from source)."""
    marks: dict[str, set[str]] = {}
    for name in mutations.test_files():
        tree = ast.parse((mutations.ROOT / name).read_text())
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or not node.name.startswith("test_"):
                continue
            claims = {
                arg.value
                for deco in node.decorator_list
                if isinstance(deco, ast.Call) and ast.unparse(deco.func) == "pytest.mark.claim"
                for arg in deco.args
                if isinstance(arg, ast.Constant)
            }
            for deco in ast.walk(node):  # marks on parameter sets: pytest.param(..., marks=)
                if isinstance(deco, ast.Call) and ast.unparse(deco.func) == "pytest.mark.claim":
                    claims |= {a.value for a in deco.args if isinstance(a, ast.Constant)}
            marks[f"{name}::{node.name}"] = claims
    return marks


def test_claim_tests_carry_the_claim_marker() -> None:
    """One mechanism maps tests to claims, the marker: each claim's registered test and every
    test named test_cNN_ is marked for claim CNN, and marks name registered claims only."""
    marks = _claim_marks()
    for claim in CLAIMS.values():
        assert claim.id in marks.get(claim.test, set()), f"{claim.test} lacks claim {claim.id}"
    for test, claims in marks.items():
        assert claims <= set(CLAIMS), (test, claims)
        named = re.match(r".*::test_c(\d\d)_", test)
        if named:
            assert f"C{int(named.group(1))}" in claims, test
    assert sum(bool(c) for c in marks.values()) > 60


def test_claims_of_reads_the_marker() -> None:
    """Marks on the function and on its parameter set, in order, without repeats."""

    class Item:
        marks = (pytest.mark.claim("C4", "C11").mark, pytest.mark.claim("C4", "C3").mark)

        def iter_markers(self, name):
            return (m for m in self.marks if m.name == name)

    assert mutations.claims_of(Item()) == ["C4", "C11", "C3"]


def test_mutate_config_reaches_globals_actors_and_shock_sizes() -> None:
    base = default_config()
    config = dataclasses.replace(
        base,
        shocks=(
            Shock("USA", "commitment_base", base.start, base.end, 0.1, "additive"),
            Shock("USA", "commitment_base", base.start, base.end, 0.5, "relative"),
        ),
    )
    mutated = mutations.mutate_config(config, "commitment_base", -1.0)
    assert (
        mutated.actor("USA").params["commitment_base"]
        == -config.actor("USA").params["commitment_base"]
    )
    assert [s.size for s in mutated.shocks] == [-0.1, 0.5]  # a relative shock scales already
    glob = mutations.mutate_config(config, "deterrence_a2ad_weight", 0.0)
    assert glob.params["deterrence_a2ad_weight"] == 0.0
    assert config.params["deterrence_a2ad_weight"] != 0.0  # the original is untouched


def test_mutation_is_applied_once_and_undone() -> None:
    """Inside the block a model runs the mutant (and its own reference model is not mutated a
    second time); outside, the model is the original again."""
    config = dataclasses.replace(default_config(), end=default_config().start + 3)
    plain = simulate(config, worlds=20, seed=1).metric("system", "deterrence")
    with mutations.mutation("deterrence_a2ad_weight", -1.0):
        model = LynchpinModel(config, worlds=20, seed=1)
        assert model.p.deterrence_a2ad_weight == -default_config().params["deterrence_a2ad_weight"]
        mutated = model.run().metric("system", "deterrence")
    assert not np.allclose(plain, mutated)
    again = simulate(config, worlds=20, seed=1).metric("system", "deterrence")
    np.testing.assert_array_equal(plain, again)


def test_cannot_matter_list_names_real_mutants_with_reasons() -> None:
    keys = {m.key for m in mutations.mutants()}
    for key, reason in mutations.CANNOT_MATTER.items():
        assert key in keys, f"{key} is no longer a mutant of its claim: drop it"
        assert len(reason) > 20


@pytest.mark.slow
@pytest.mark.xdist_group("mutation-gate")
def test_gate_kills_every_mutant_that_can_matter() -> None:
    """Every mutant of every claim is killed by one of its claim's tests, except those listed
    (with the reason) in CANNOT_MATTER; no sign reversal survives unexplained."""
    outcomes = mutations.run_gate()
    survivors = [o.mutant.key for o in outcomes if not o.killed]
    unexplained = sorted(set(survivors) - set(mutations.CANNOT_MATTER))
    assert not unexplained, f"mutants that survive their claim's tests: {unexplained}"
    assert all(o.tests > 0 for o in outcomes), "a claim without tests"
