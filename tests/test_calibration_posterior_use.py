"""`uncertainty: posterior` (or a posterior's path) in scenarios, `--uncertainty` on the CLI,
and `lynchpin calibrate`'s file handling.

What a wrong implementation breaks: draws that change with chunking or seed handling; rows
mixed across parameters; parameters the posterior lacks silently fixed; a scenario's own
number overridden by the posterior; a bad file accepted or reported without its field; an
existing posterior replaced without --overwrite.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lynchpin.backtest.posterior import parameter_columns, read_posterior
from lynchpin.cli import main
from lynchpin.model.draws import parameter_draws
from lynchpin.scenario import load_scenario
from lynchpin.scenario.uncertainty import POSTERIOR_KIND, POSTERIOR_PATH


def _config(mode: str = "posterior", **params):
    return load_scenario("baseline").with_overrides(uncertainty=mode, params=params).to_config()


def test_posterior_resampling_is_deterministic_and_chunk_exact() -> None:
    config = _config()
    whole = parameter_draws(config, 1000, 7)
    again = parameter_draws(config, 1000, 7)
    parts = [parameter_draws(config, 250, 7, first_world=w) for w in (0, 250, 500, 750)]
    for key, values in whole.items():
        assert np.array_equal(values, again[key])
        assert np.array_equal(values, np.concatenate([p[key] for p in parts])), key
    other = parameter_draws(config, 1000, 8)
    assert not np.array_equal(whole["depreciation"], other["depreciation"])


def test_each_group_of_worlds_takes_one_whole_row_of_the_posterior() -> None:
    _, frame = read_posterior(POSTERIOR_PATH)
    columns = parameter_columns(frame)
    config = _config()
    draws = parameter_draws(config, 500, 3)
    chosen = pd.DataFrame({c: draws[c] for c in columns})
    rows = {tuple(np.round(r, 9)) for r in frame[columns].to_numpy()}
    picked = {tuple(np.round(r, 9)) for r in chosen.to_numpy()}
    assert picked <= rows  # whole rows, never a mix of two draws
    per_group = chosen.to_numpy().reshape(50, 10, len(columns))
    assert (per_group == per_group[:, :1]).all()  # 10 worlds per draw share it
    assert len(picked) > 30  # 50 groups resample many different rows


def test_parameters_a_posterior_lacks_keep_their_prior_and_fixed_ones_their_value(
    tmp_path: Path,
) -> None:
    table = tmp_path / "post.csv"
    table.write_text(
        f"# kind: {POSTERIOR_KIND}\n# seed: 1\ndraw,implausibility,depreciation,"
        "JPN.norm_strength\n0,1.2,0.05,1.0\n1,0.4,0.12,1.3\n"
    )
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        "extends: baseline\nuncertainty: post.csv\nactors:\n  JPN:\n    norm_strength: 0.9\n"
    )
    config = load_scenario(scenario).to_config()
    draws = parameter_draws(config, 100, 3)
    assert set(draws["depreciation"]) == {0.05, 0.12}
    assert "JPN.norm_strength" not in draws  # the scenario's number wins
    assert "memory_rate" in config.uncertainty.distributions  # not in the file: its prior
    assert len(set(draws["memory_rate"])) == 10
    # the same table without the posterior header is a plain table: the rest keep values
    table.write_text("depreciation\n0.05\n0.12\n")
    assert set(parameter_draws(load_scenario(scenario).to_config(), 100, 3)) == {"depreciation"}


def test_a_bad_posterior_file_exits_2_naming_the_field(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(f"# kind: {POSTERIOR_KIND}\ndraw,depreciation,JPN.nonsense\n0,0.05,1\n")
    out = tmp_path / "run"
    args = ["run", "baseline", "--worlds", "20", "--out", str(out), "--uncertainty"]
    assert main([*args, str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.csv:2:3: JPN.nonsense: not a parameter key" in err and "expected" in err
    bad.write_text("depreciation\n7\n")
    assert main([*args, str(bad)]) == 2
    assert "bad.csv:2:1: depreciation:" in capsys.readouterr().err
    assert main([*args, str(tmp_path / "missing.csv")]) == 2
    assert "no such table of parameter draws" in capsys.readouterr().err
    assert not out.exists()


def test_a_run_with_the_posterior_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "run"
    assert main(["run", "baseline", "--worlds", "20", "--out", str(out), "--uncertainty",
                 "posterior"]) == 0  # fmt: skip
    worlds = pd.read_parquet(out / "parameters.parquet")
    _, frame = read_posterior(POSTERIOR_PATH)
    assert set(np.round(worlds["depreciation"], 9)) <= set(np.round(frame.depreciation, 9))


def test_calibrate_refuses_to_replace_without_overwrite(tmp_path: Path, capsys) -> None:
    target = tmp_path / "p.csv"
    calibration = tmp_path / "c.csv"
    import lynchpin.backtest.calibrate as calibrate

    real = calibrate.write_calibration
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(calibrate, "write_calibration", lambda **kw: real(calibration, **kw))
        args = ["calibrate", "--draws", "25", "--out", str(target)]
        assert main(args) == 0
        shown = capsys.readouterr().out
        assert shown.index("estimated") < shown.index("plausible") < shown.index("shrinkage")
        first = target.read_text()
        assert main(args) == 2
        assert "--overwrite" in capsys.readouterr().err
        assert target.read_text() == first
        assert main([*args, "--overwrite", "--seed", "5"]) == 0
        assert "seed: 5" in target.read_text()
        target.write_text("not mine\n")
        assert main([*args, "--overwrite"]) == 2
        assert "not a posterior lynchpin wrote" in capsys.readouterr().err
        assert target.read_text() == "not mine\n"
        assert main(["calibrate", "--draws", "25", "--out", str(tmp_path / "no" / "p.csv")]) == 2
        assert "no such directory" in capsys.readouterr().err
        assert main([*args, "--overwrite", "--rank", "0"]) == 2
        assert "--rank" in capsys.readouterr().err
