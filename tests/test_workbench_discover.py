"""Scenario discovery (`lynchpin discover`): PRIM recovers a known box, extra trees rank the
inputs that define it first, and the command writes its tables, figures and summary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lynchpin.analysis.discover import Experiments, cases_of_interest, discover
from lynchpin.cli import main
from lynchpin.errors import UserError

OUTCOME = "system.armed_conflict@2035Q4"


def _synthetic(n: int = 1500, seed: int = 4) -> pd.DataFrame:
    """Inputs a, b, c uniform on [0, 1]; the outcome is high exactly in a > 0.6 and b < 0.3."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame({name: rng.uniform(0, 1, n) for name in ("a", "b", "c")})
    inside = (x["a"] > 0.6) & (x["b"] < 0.3)
    y = np.where(inside, 0.4, 0.05) + rng.normal(0, 0.01, n)
    return x.assign(**{f"{OUTCOME}.mean": y})


def test_prim_recovers_a_known_box():
    table = _synthetic()
    y = table.pop(f"{OUTCOME}.mean").to_numpy()
    interest, rule = cases_of_interest(y, "> 0.2", None)
    found = discover(Experiments(table, y, OUTCOME, "batch"), interest, rule, min_density=0.95)
    limits = found.limits.set_index("input")
    assert set(limits.index) == {"a", "b"}  # c is noise and stays unrestricted
    assert limits.loc["a", "low"] == pytest.approx(0.6, abs=0.04)
    assert np.isnan(limits.loc["a", "high"])
    assert limits.loc["b", "high"] == pytest.approx(0.3, abs=0.04)
    assert np.isnan(limits.loc["b", "low"])
    row = found.trajectory.loc[found.chosen]
    assert row["density"] >= 0.95 and row["coverage"] >= 0.85
    assert (limits[["qp_low", "qp_high"]].min(axis=1) < 1e-6).all()
    assert list(found.scores["input"])[-1] == "c"


def test_top_share_and_where_rules():
    values = np.arange(100.0)
    top, rule = cases_of_interest(values, None, "10%")
    assert top.sum() == 10 and top[-10:].all() and rule.startswith("top 10%")
    low, rule = cases_of_interest(values, "<= 4", None)
    assert low.sum() == 5 and rule == "<= 4"
    for where, share in (("about 3", None), (None, "150%"), (None, None), ("> 1", "5%")):
        with pytest.raises(UserError):
            cases_of_interest(values, where, share)


def test_discover_command_writes_tables_figures_and_summary(tmp_path, capsys):
    source = tmp_path / "batch"
    source.mkdir()
    table = _synthetic(800)
    table.insert(0, "run_id", [f"r{i}" for i in range(len(table))])
    table.insert(1, "scenario", "baseline")
    table.insert(2, "seed", 1)
    table.insert(3, "worlds", 100)
    table.to_csv(source / "experiments.csv", index=False)
    out = tmp_path / "found"
    code = main(
        ["discover", str(source), "--outcome", OUTCOME, "--where", "> 0.2",
         "--format", "png,svg", "--out", str(out)]
    )  # fmt: skip
    assert code == 0
    for name in ("prim_trajectory.csv", "prim_box.csv", "feature_scores.csv", "discovery.md"):
        assert (out / name).is_file()
    for stem in ("tradeoff", "box", "feature_scores"):
        assert (out / f"{stem}.png").read_bytes()[:4] == b"\x89PNG"
        assert b"<svg" in (out / f"{stem}.svg").read_bytes()[:500]
    summary = (out / "discovery.md").read_text(encoding="utf-8")
    assert (
        "| `a` |" in summary
        and "| `b` |" in summary
        and "| `c` |" not in summary.split("## Which")[0]
    )
    assert "Coverage" in capsys.readouterr().out


def test_discover_refuses_experiments_without_varied_inputs(tmp_path, capsys):
    run = tmp_path / "run"
    # Under `--uncertainty none` every world shares its parameters: nothing to discover.
    args = ["run", "baseline", "--worlds", "20", "--uncertainty", "none", "--no-plots"]
    assert main([*args, "--out", str(run)]) == 0
    code = main(["discover", str(run), "--outcome", OUTCOME, "--top", "10%", "--out",
                 str(tmp_path / "d")])  # fmt: skip
    assert code == 2
    assert "share all their inputs" in capsys.readouterr().err


def test_discover_names_a_misspelt_outcome(tmp_path, capsys):
    source = tmp_path / "b"
    source.mkdir()
    _synthetic(50).assign(run_id="r", scenario="s", seed=1, worlds=1).to_csv(
        source / "experiments.csv", index=False
    )
    code = main(["discover", str(source), "--outcome", "system.armed_conflcit@2035Q4",
                 "--top", "10%", "--out", str(tmp_path / "d")])  # fmt: skip
    assert code == 2
    assert f"did you mean {OUTCOME}.mean" in capsys.readouterr().err


def test_a_run_with_per_world_parameters_is_a_set_of_experiments(tmp_path):
    """worlds_outcomes.parquet with a drawn parameter: one world = one experiment."""
    from lynchpin.analysis.discover import load_experiments

    run = tmp_path / "run"
    run.mkdir()
    table = _synthetic(600).rename(columns={f"{OUTCOME}.mean": OUTCOME})
    table.insert(0, "world", range(len(table)))
    table.to_parquet(run / "worlds_outcomes.parquet", index=False)
    found = load_experiments(run, OUTCOME)
    assert found.source == "worlds" and list(found.x.columns) == ["a", "b", "c"]
    interest, rule = cases_of_interest(found.y, "> 0.2", None)
    limits = discover(found, interest, rule).limits
    assert set(limits["input"]) == {"a", "b"}
