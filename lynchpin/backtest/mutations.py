"""The mutation gate: a claim's test must fail when its mechanism is switched off or reversed.

For every parameter a claim names (lynchpin/model/claims.py, read at run time, so the gate
follows the claims as they change), two mutants: the parameter set to zero, and its sign
reversed. The tests of a claim are those marked `@pytest.mark.claim("CNN")` (a test may name
several claims; a parameter set of a parametrized test may carry its own mark) in the files
of CLAIM_TEST_FILES; each claim's registered test (Claim.test) is one of them. A test belongs
to a claim when a wrong direction of that claim's mechanism would make it fail; optimality and
formula tests that read the mutated parameter back are not marked. A mutant is applied where
the model reads its inputs, to every ModelConfig a model is built from: the global value,
every actor's value, and the sizes of absolute and additive shocks on it (a relative shock
scales the mutated value already), so an override in a test or a
scenario is mutated too. The mutant is killed when one of its claim's tests fails.

Run `python -m lynchpin.backtest.mutations` (or the slow test tests/test_mutations.py) to
execute the claim tests once per mutant in one pytest process (the plugin
lynchpin.backtest.mutation_plugin) and print the counts.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import fnmatch
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lynchpin.model.claims import CLAIMS, Claim
from lynchpin.model.config import ModelConfig

MODES: dict[str, float] = {"zero": 0.0, "reverse": -1.0}
# Files holding claim tests: the directions the gate revealed missing (test_claim_directions),
# the tests of decisions D1-D8, and one directional test per claim (test_mechanisms). A mutant
# stops at its first failing test, so the files with the fewest worlds per run come first.
CLAIM_TEST_FILES: tuple[str, ...] = (
    "tests/test_claim_directions.py",
    "tests/test_decisions_alliance.py",
    "tests/test_decisions_grayzone.py",
    "tests/test_crises_war.py",
    "tests/test_mechanisms.py",
)
MARKER = "claim"
ROOT = Path(__file__).resolve().parents[2]
# Mutants that cannot make any directional test fail, with the reason. Keys are Mutant.key.
CANNOT_MATTER: dict[str, str] = {
    "C1:growth_volatility:zero": "a noise scale: zero gives the deterministic model, whose "
    "mean dynamics (the claim's direction) are unchanged",
    "C1:growth_volatility:reverse": "the sd of a symmetric normal shock: -s draws the mirror "
    "image of the same distribution",
    "C3:attention_volatility:zero": "a noise scale: zero gives the deterministic model, whose "
    "mean dynamics (the claim's direction) are unchanged",
    "C3:attention_volatility:reverse": "the sd of a symmetric normal shock: -s draws the "
    "mirror image of the same distribution",
    "C2:crisis_parity_width:reverse": "enters only squared, exp(-((r - 1) / width)^2), so "
    "its sign cannot matter",
    "C4:red_line_uncertainty:reverse": "a standard deviation: the challenger's belief uses "
    "it squared, and each world's true red line draws its private part as sd x a symmetric "
    "normal, so -s gives the mirror image of the same distribution",
    "C13:challenger_threat_base:zero": "a constant level: the challenger's desired share "
    "responds to the change of threat from its 2020 reference (C13), where the base cancels "
    "(it shows only through the clip at 0, which no plausible run reaches)",
}


@dataclass(frozen=True)
class Mutant:
    """One parameter of one claim, zeroed or sign-reversed."""

    claim: str
    parameter: str
    mode: str

    @property
    def factor(self) -> float:
        return MODES[self.mode]

    @property
    def key(self) -> str:
        return f"{self.claim}:{self.parameter}:{self.mode}"


def mutants(claims: dict[str, Claim] = CLAIMS) -> list[Mutant]:
    """Every mutant of every claim, in registry order."""
    return [
        Mutant(claim.id, parameter, mode)
        for claim in claims.values()
        for parameter in claim.parameters
        for mode in MODES
    ]


def claims_of(item) -> list[str]:
    """The claims a collected pytest item is marked for, in order, without repeats."""
    named = [c for mark in item.iter_markers(MARKER) for c in mark.args]
    return list(dict.fromkeys(named))


def test_files(claims: dict[str, Claim] = CLAIMS) -> list[str]:
    """Files holding claim tests (each claim's registered test among them)."""
    files = set(CLAIM_TEST_FILES) | {claim.test.split("::")[0] for claim in claims.values()}
    return [*CLAIM_TEST_FILES, *sorted(files - set(CLAIM_TEST_FILES))]


def _scaled(value, factor: float):
    return value * factor


def mutate_config(config: ModelConfig, parameter: str, factor: float) -> ModelConfig:
    """`config` with `parameter` multiplied by factor wherever it is set (values may be arrays)."""
    params = dict(config.params)
    if parameter in params:
        params[parameter] = _scaled(params[parameter], factor)
    actors = tuple(
        dataclasses.replace(
            spec, params={**spec.params, parameter: _scaled(spec.params[parameter], factor)}
        )
        if parameter in spec.params
        else spec
        for spec in config.actors
    )
    shocks = tuple(
        dataclasses.replace(shock, size=shock.size * factor)
        if shock.parameter == parameter and shock.mode in ("absolute", "additive")
        else shock
        for shock in config.shocks
    )
    return dataclasses.replace(config, params=params, actors=actors, shocks=shocks)


@contextlib.contextmanager
def mutation(parameter: str, factor: float) -> Iterator[None]:
    """Within the block every LynchpinModel is built from a mutated config.

    Models a model builds for itself (the reference state of its budgets) start from its
    already mutated config and are not mutated again (a sign reversed twice is no mutant).
    """
    from lynchpin.model.model import LynchpinModel

    original = LynchpinModel.__init__
    depth = [0]

    def init(self, config, *args, **kwargs):
        if depth[0] == 0 and isinstance(config, ModelConfig):
            config = mutate_config(config, parameter, factor)
        depth[0] += 1
        try:
            original(self, config, *args, **kwargs)
        finally:
            depth[0] -= 1

    LynchpinModel.__init__ = init
    try:
        yield
    finally:
        LynchpinModel.__init__ = original


@dataclass(frozen=True)
class Outcome:
    mutant: Mutant
    killed: bool
    how: str  # "assertion", "error: <type>" or "survived"
    tests: int


def run_gate(selection: list[Mutant] | None = None, timeout: float = 1800) -> list[Outcome]:
    """Run the claim tests once per mutant in a pytest subprocess and collect the verdicts."""
    selection = mutants() if selection is None else selection
    with tempfile.TemporaryDirectory(prefix="lynchpin-mutants-") as tmp:
        plan, out = Path(tmp) / "plan.json", Path(tmp) / "outcomes.json"
        plan.write_text(json.dumps([dataclasses.asdict(m) for m in selection]))
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "-p",
            "lynchpin.backtest.mutation_plugin",
            f"--mutants-plan={plan}",
            f"--mutants-out={out}",
            *test_files(),
        ]
        subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
        if not out.exists():
            raise RuntimeError("the mutation run wrote no outcomes (the claim tests crashed?)")
        raw = json.loads(out.read_text())
    if raw["baseline_failures"]:
        raise RuntimeError(f"unmutated claim tests fail: {raw['baseline_failures']}")
    outcomes = []
    for m in selection:
        results = raw["mutants"].get(m.key, [])
        failed = [r for r in results if r != "passed"]
        how = "survived" if not failed else failed[0]
        outcomes.append(Outcome(m, bool(failed), how, len(results)))
    return outcomes


def counts(outcomes: list[Outcome]) -> dict[str, int]:
    """Mutants, killed and survived, per mode."""
    table = {"mutants": len(outcomes), "killed": sum(o.killed for o in outcomes)}
    for mode in MODES:
        of_mode = [o for o in outcomes if o.mutant.mode == mode]
        table[f"{mode}_mutants"] = len(of_mode)
        table[f"{mode}_survived"] = sum(not o.killed for o in of_mode)
    table["killed_by_error"] = sum(o.how.startswith("error") for o in outcomes)
    return table


def select(patterns: list[str], plan: list[Mutant] | None = None) -> list[Mutant]:
    """The mutants whose key matches one of the shell patterns ('C4:*', '*:reverse'); all if
    none is given."""
    plan = mutants() if plan is None else plan
    if not patterns:
        return plan
    return [m for m in plan if any(fnmatch.fnmatchcase(m.key, p) for p in patterns)]


def main(argv: list[str] | None = None) -> None:
    """Console entry: run the gate (or the mutants matching the patterns given) and print
    counts and survivors."""
    parser = argparse.ArgumentParser(prog="python -m lynchpin.backtest.mutations")
    parser.add_argument("patterns", nargs="*", help="mutant keys to run, e.g. 'C4:*' '*:reverse'")
    args = parser.parse_args(argv)
    selection = select(args.patterns)
    if not selection:
        parser.error(f"no mutant matches {args.patterns}")
    started = time.perf_counter()
    outcomes = run_gate(selection)
    print(f"{len(selection)} mutants in {time.perf_counter() - started:.0f} s")
    print(json.dumps(counts(outcomes), indent=1))
    for o in outcomes:
        if o.how.startswith("error"):
            print(f"killed by an exception, not an assertion: {o.mutant.key} ({o.how})")
        if not o.killed:
            why = CANNOT_MATTER.get(o.mutant.key, "NOT EXPLAINED: add a directional test")
            print(f"survived: {o.mutant.key} ({o.tests} test runs): {why}")


if __name__ == "__main__":
    main()
