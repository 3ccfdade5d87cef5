"""Experiments tables (experiments.csv, worlds_outcomes.parquet) and the one key grammar:
sweepable shocks, aliases everywhere, every batch key checked before the first run."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lynchpin.cli import main
from lynchpin.errors import UserError
from lynchpin.model.run import simulate
from lynchpin.outputs.experiments import world_outcomes
from lynchpin.scenario import load_scenario

GOLDEN = Path(__file__).parent / "golden" / "experiments_header.csv"


def _batch(tmp_path: Path, body: str) -> Path:
    (tmp_path / "short.yaml").write_text(
        "name: short\nextends: us-retrenchment\nend: 2030Q4\n", encoding="utf-8"
    )
    path = tmp_path / "batch.yaml"
    path.write_text("name: t\nchunk_worlds: 30\n" + body, encoding="utf-8")
    return path


GRID = (
    "sweeps:\n"
    "  - scenario: short.yaml\n"
    "    worlds: 30\n"
    "    grid:\n"
    "      shocks.drawdown.size: [-0.1, -0.5]\n"
    "      USA.attention: [0.8]\n"
)


@pytest.fixture(scope="module")
def grid_batch(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("grid")
    out = tmp / "out"
    assert main(["batch", str(_batch(tmp, GRID)), "--out", str(out), "--executor", "serial"]) == 0
    return out


def test_experiments_header_is_golden(grid_batch: Path):
    header = (grid_batch / "experiments.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == GOLDEN.read_text(encoding="utf-8").strip()


def test_experiments_rows_match_the_runs(grid_batch: Path):
    table = pd.read_csv(grid_batch / "experiments.csv")
    assert list(table["shocks.drawdown.size"]) == [-0.1, -0.5]
    assert list(table["USA.attention"]) == [0.8, 0.8]
    for _, row in table.iterrows():
        summary = pd.read_csv(grid_batch / "runs" / row["run_id"] / "summary.csv")
        pick = summary[(summary["metric"] == "alliance_cohesion") & (summary["period"] == "2030Q4")]
        assert row["system.alliance_cohesion@2030Q4.p05"] == pytest.approx(pick["p05"].item())
        assert row["system.alliance_cohesion@2030Q4.mean"] == pytest.approx(pick["mean"].item())
        worlds = pd.read_parquet(grid_batch / "runs" / row["run_id"] / "worlds_outcomes.parquet")
        conflict = worlds["system.armed_conflict@2030Q4"]
        assert row["system.armed_conflict@2030Q4.mean"] == pytest.approx(conflict.mean())
        half = 1.6448536 * conflict.std(ddof=1) / np.sqrt(len(conflict))
        assert row["system.armed_conflict@2030Q4.mean_hi"] == pytest.approx(conflict.mean() + half)


def test_a_swept_shock_moves_the_outcome_in_the_swept_direction(grid_batch: Path):
    """A deeper drawdown of US commitment (C5, C15): less cohesion, more abandonment fear."""
    table = pd.read_csv(grid_batch / "experiments.csv").set_index("shocks.drawdown.size")
    cohesion = table["system.alliance_cohesion@2030Q4.mean"]
    assert cohesion[-0.5] < cohesion[-0.1] - 0.05


def test_a_misspelt_batch_key_fails_before_any_run(tmp_path, capsys):
    body = GRID.replace("USA.attention", "JPN.defence_cieling")
    out = tmp_path / "out"
    assert main(["batch", str(_batch(tmp_path, body)), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "batch.yaml:8:7" in err and "did you mean 'defence_ceiling'" in err
    assert not out.exists()


def test_an_unknown_shock_id_names_the_known_ones(tmp_path, capsys):
    body = GRID.replace("shocks.drawdown.size", "shocks.drawdwn.size")
    assert main(["batch", str(_batch(tmp_path, body)), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "batch.yaml:7:7" in err and "did you mean 'drawdown'" in err


@pytest.mark.parametrize(
    ("key", "path"),
    [
        ("shocks.drawdown.size", ("shocks", 0, "size")),
        ("shocks[1].ramp_quarters", ("shocks", 1, "ramp_quarters")),
        ("USA.attention", ("actors", "USA", "attention_base")),
        ("crisis_hazard", ("parameters", "crisis_extra_hazard")),
    ],
)
def test_one_key_grammar(key, path):
    from lynchpin.scenario.keys import override_path

    assert override_path(load_scenario("us-retrenchment").spec, key) == path


def test_shock_keys_set_the_shock_and_aliases_the_parameter():
    base = load_scenario("us-retrenchment")
    changed = base.with_overrides(params={"shocks.drawdown.size": "-0.2", "USA.attention": 0.5})
    config = changed.to_config()
    assert config.shocks[0].size == -0.2 and config.shocks[1].size == base.spec.shocks[1].size
    assert config.actor("USA").params["attention_base"] == 0.5
    sampled = base.with_overrides(params={"shocks.drawdown.ramp_quarters": 7.6})
    assert sampled.spec.shocks[0].ramp_quarters == 8


def test_shock_ids_must_be_unique(tmp_path):
    path = tmp_path / "twice.yaml"
    shock = "  - {id: cut, target: USA, quantity: commitment, start: 2021Q1, size: -0.1}\n"
    path.write_text("name: twice\nshocks:\n" + shock + shock, encoding="utf-8")
    with pytest.raises(UserError, match="shock id 'cut' is used twice"):
        load_scenario(str(path))


def test_world_outcomes_has_one_row_per_world_and_drawn_parameters():
    scenario = load_scenario("baseline").with_overrides(worlds=8)
    results = simulate(scenario.to_config(), worlds=8, seed=3)
    drawn = {"JPN.defence_ceiling": np.linspace(0.01, 0.03, 8), "fixed": 0.5}
    table = world_outcomes(results, ["2030Q4"], drawn)
    assert list(table.columns[:2]) == ["world", "JPN.defence_ceiling"]
    assert "fixed" not in table  # a scalar explains nothing
    i = results.periods.index("2030Q4")
    assert np.array_equal(
        table["system.armed_conflict@2030Q4"], results.metric("system", "armed_conflict")[i]
    )
