"""pytest plugin of the mutation gate: each claim test runs once plainly and once per mutant.

Loaded with `-p lynchpin.backtest.mutation_plugin --mutants-plan=plan.json
--mutants-out=outcomes.json` by lynchpin.backtest.mutations.run_gate. A collected test marked
`@pytest.mark.claim("C4", ...)` is copied once per mutant of each claim it names (fixtures and
parameters kept; a parameter set may carry its own mark); a copy
runs with the mutant applied (lynchpin.backtest.mutations.mutation), unless an earlier test
already killed that mutant. The outcome of every copy that ran ("passed", "assertion" or
"error: <type>") is written to the outcomes file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lynchpin.backtest.mutations import Mutant, claims_of, mutation

_ATTRIBUTE = "_lynchpin_mutant"  # node ids of copies are not unique (pytest 9), so mark items
_OUTCOMES: dict[str, list[str]] = {}
_BASELINE_FAILURES: list[str] = []


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--mutants-plan", help="JSON list of mutants to apply")
    parser.addoption("--mutants-out", help="where to write the outcomes (JSON)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    plan_path = config.getoption("--mutants-plan")
    if not plan_path:
        return
    plan = [Mutant(**m) for m in json.loads(Path(plan_path).read_text())]
    by_claim: dict[str, list[Mutant]] = {}
    for m in plan:
        by_claim.setdefault(m.claim, []).append(m)
    expanded: list[pytest.Item] = []
    for item in items:
        claims = [c for c in claims_of(item) if c in by_claim]
        if not claims or not isinstance(item, pytest.Function):
            continue
        expanded.append(item)
        for m in (m for c in claims for m in by_claim[c]):
            copy = pytest.Function.from_parent(
                item.parent,
                name=f"{item.name}<{m.key}>",
                callspec=getattr(item, "callspec", None),
                callobj=item.obj,
                fixtureinfo=item._fixtureinfo,
                keywords=dict(item.keywords),
                originalname=item.originalname,
            )
            setattr(copy, _ATTRIBUTE, m)
            expanded.append(copy)
    items[:] = expanded


def pytest_runtest_setup(item: pytest.Item) -> None:
    """A mutant already killed by an earlier test of its claim need not run again."""
    m = getattr(item, _ATTRIBUTE, None)
    if m is not None and any(r != "passed" for r in _OUTCOMES.get(m.key, [])):
        pytest.skip("mutant already killed")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):
    m = getattr(item, _ATTRIBUTE, None)
    if m is None:
        try:
            return (yield)
        except Exception:
            _BASELINE_FAILURES.append(item.nodeid)
            raise
    with mutation(m.parameter, m.factor):
        try:
            result = yield
        except AssertionError:
            _OUTCOMES.setdefault(m.key, []).append("assertion")
            raise
        except Exception as error:
            _OUTCOMES.setdefault(m.key, []).append(f"error: {type(error).__name__}")
            raise
    _OUTCOMES.setdefault(m.key, []).append("passed")
    return result


def pytest_sessionfinish(session: pytest.Session) -> None:
    out = session.config.getoption("--mutants-out")
    if out:
        payload = {"mutants": _OUTCOMES, "baseline_failures": _BASELINE_FAILURES}
        Path(out).write_text(json.dumps(payload, indent=1))
