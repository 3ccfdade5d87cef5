"""`compare` says how robust the sign of a paired difference is across worlds (issue 10)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lynchpin.analysis.compare import markdown, robust_share
from lynchpin.cli import main


def test_robust_share_counts_worlds_with_the_sign_of_the_mean():
    assert robust_share(np.array([-1.0, -2.0, -0.5, 0.3])) == 0.75
    assert robust_share(np.array([2.0, 1.0, -0.5, 0.0])) == 0.5  # zero has no sign
    assert np.isnan(robust_share(np.zeros(4)))


def test_compare_reports_robustness_beside_each_difference(tmp_path: Path):
    root = tmp_path
    for name in ("baseline", "america-first"):
        (root / f"{name}.yaml").write_text(f"name: {name}\nextends: {name}\nend: 2021Q4\n")
    (root / "b.yaml").write_text(
        "name: c\nruns:\n"
        "  - {scenario: baseline.yaml, worlds: 100, seed: 5}\n"
        "  - {scenario: america-first.yaml, worlds: 100, seed: 5}\n"
    )
    out = root / "out"
    assert main(["batch", str(root / "b.yaml"), "--out", str(out), "--executor", "serial"]) == 0
    assert main(["compare", str(out), "--out", str(root / "cmp"), "--at", "2021Q4"]) == 0
    table = pd.read_csv(root / "cmp" / "comparison.csv")
    row = table[
        (table["outcome"] == "system.alliance_cohesion") & (table["run"] == "america-first")
    ]
    share = float(row["diff_robust"].iloc[0])
    assert 0.5 < share <= 1.0  # America First lowers cohesion in most worlds, priors on
    text = (root / "cmp" / "comparison.md").read_text()
    assert f"robust in {share:.0%} of worlds" in text
    assert markdown(table, type("B", (), {"label": "baseline"})()).count("| Robust |") == 1
