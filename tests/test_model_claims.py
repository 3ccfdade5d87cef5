"""CLAIMS is traceable both ways, and docs/model.md's tables are generated from it.

Regenerate the doc tables with: python tests/test_model_claims.py
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import numpy as np
import pytest

from lynchpin.model.claims import CLAIMS
from lynchpin.model.parameters import ACTOR_PARAMS, GLOBAL_PARAMS, param
from lynchpin.model.priors import describe_prior, prior

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "model.md"
ARTICLE = ROOT / "docs" / "reference" / "us-japan-treaty-at-60.txt"


def resolve(qualified: str) -> object:
    """Import the longest module prefix of a dotted name, then walk its attributes."""
    parts = qualified.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(qualified)


def claim_table() -> str:
    rows = ["| claim | rules | parameters | test |", "|---|---|---|---|"]
    for c in CLAIMS.values():
        rules = ", ".join(f"`{r.rsplit('.', 2)[-2]}.{r.rsplit('.', 1)[-1]}`" for r in c.rules)
        params = ", ".join(f"`{p}`" for p in c.parameters)
        rows.append(f"| {c.id} {c.title} | {rules} | {params} | `{c.test.split('::')[1]}` |")
    return "\n".join(rows)


def parameter_table() -> str:
    rows = [
        "| parameter | scope | default | bounds | claim | source | prior | why this prior |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for scope, params in (("global", GLOBAL_PARAMS), ("actor", ACTOR_PARAMS)):
        for p in params:
            shape = describe_prior(p.name, p.default if scope == "global" else None)
            rows.append(
                f"| `{p.name}` | {scope} | {p.default:g} | [{p.low:g}, {p.high:g}] | {p.claim} "
                f"| {p.source} | {shape} | {prior(p.name).reasoning} |"
            )
    return "\n".join(rows)


def test_every_claim_c1_to_c15_is_present():
    assert list(CLAIMS) == [f"C{i}" for i in range(1, 16)]
    assert all(c.id == key for key, c in CLAIMS.items())


@pytest.mark.parametrize("claim", CLAIMS.values(), ids=list(CLAIMS))
def test_claim_resolves(claim):
    for name in claim.parameters:
        assert param(name).name == name
    for rule in claim.rules:
        assert callable(resolve(rule)), rule
    path, _, function = claim.test.partition("::")
    tree = ast.parse((ROOT / path).read_text())
    assert function in {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert claim.mechanism and claim.title


def test_passages_are_verbatim():
    text = ARTICLE.read_text(encoding="utf-8")
    for claim in CLAIMS.values():
        assert claim.passage in text, claim.id


def test_every_parameter_has_a_prior_with_reasoning():
    """Honest uncertainty: every assumed number has a prior, with the reason for its width."""
    for p in (*GLOBAL_PARAMS, *ACTOR_PARAMS):
        assert len(prior(p.name).reasoning) > 20, p.name
        dist = prior(p.name).distribution(p.name, p.default)
        if dist is not None:
            draws = dist.ppf((np.arange(1000) + 0.5) / 1000)
            assert draws.min() >= p.low - 1e-12 and draws.max() <= p.high + 1e-12, p.name
            assert draws.std() > 0, p.name


def test_every_parameter_serves_a_claim():
    cited = {name for c in CLAIMS.values() for name in c.parameters}
    missing = [p.name for p in (*GLOBAL_PARAMS, *ACTOR_PARAMS) if p.name not in cited]
    assert not missing


def test_doc_tables_are_current():
    doc = DOC.read_text(encoding="utf-8")
    assert claim_table() in doc, "regenerate: python tests/test_model_claims.py"
    assert parameter_table() in doc, "regenerate: python tests/test_model_claims.py"


if __name__ == "__main__":
    print(claim_table(), parameter_table(), sep="\n\n")
