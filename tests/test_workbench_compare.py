"""`compare` beyond six runs: outcome-versus-input views chosen by the design, a printed
headline table, distinct colours for any number of runs."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from lynchpin.cli import main
from lynchpin.plots.compare import colours
from lynchpin.plots.sweep import smoother, sweep_kind


@pytest.fixture(scope="module")
def grid_batch(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sweep")
    (root / "short.yaml").write_text("name: short\nextends: us-retrenchment\nend: 2025Q4\n")
    (root / "b.yaml").write_text(
        "name: g\nsweeps:\n  - scenario: short.yaml\n    worlds: 20\n    grid:\n"
        "      shocks.drawdown.size: [-0.1, -0.3, -0.5, -0.7]\n"
        "      counter_a2ad_share: [0.05, 0.3]\n"
    )
    out = root / "out"
    assert main(["batch", str(root / "b.yaml"), "--out", str(out), "--executor", "serial"]) == 0
    return out


def test_a_two_way_grid_of_eight_runs_gets_heat_maps_and_a_printed_table(
    grid_batch, tmp_path, capsys
):
    out = tmp_path / "cmp"
    assert main(["compare", str(grid_batch), "--out", str(out), "--format", "png,svg"]) == 0
    names = {p.name for p in out.iterdir()}
    assert "sweep_system_alliance_cohesion.png" in names
    assert "sweep_system_alliance_cohesion.svg" in names
    assert "end_state.png" not in names and "system_alliance_cohesion.png" not in names
    assert {"comparison.csv", "comparison.md", "report.html"} <= names
    printed = capsys.readouterr().out
    assert "Outcomes at 2025Q4" in printed and "alliance_cohesion" in printed
    assert printed.count("shocks.drawdown.size=") >= 8


def test_the_design_decides_the_view():
    rng = np.random.default_rng(1)
    grid = pd.DataFrame({"a": np.repeat([1.0, 2.0, 3.0], 3), "b": np.tile([4.0, 5.0, 6.0], 3)})
    assert sweep_kind(grid) == "grid"
    assert sweep_kind(pd.DataFrame({"a": rng.uniform(size=17), "b": rng.uniform(size=17)})) == (
        "sampled"
    )
    assert sweep_kind(pd.DataFrame({"scenario": list("abcdefgh")})) == "runs"
    assert sweep_kind(grid.iloc[:8]) == "runs"  # an incomplete grid is no heat map


def test_the_smoother_follows_a_line_exactly():
    x = np.linspace(0, 1, 30)
    gx, gy = smoother(x, 2 * x + 1)
    assert np.allclose(gy, 2 * gx + 1)


def test_colours_never_repeat():
    runs = [SimpleNamespace(label=f"r{i}") for i in range(40)]
    palette = colours(runs, runs[0])
    assert len(set(palette.values())) == 40
