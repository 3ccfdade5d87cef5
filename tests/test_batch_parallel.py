"""`lynchpin batch` on worker processes: whole runs are simulated, summarised and written in the
workers (or chunked, for fewer runs than workers), with the same bytes as a serial batch."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from lynchpin.cli import main


@pytest.fixture(scope="module")
def batches(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("par")
    (root / "short.yaml").write_text("name: short\nextends: baseline\nend: 2022Q4\n")
    (root / "three.yaml").write_text(
        "name: three\nchunk_worlds: 250\nsweeps:\n  - scenario: short.yaml\n    worlds: 500\n"
        "    grid: {counter_a2ad_share: [0.1, 0.2, 0.3]}\n"
    )
    (root / "one.yaml").write_text(
        "name: one\nchunk_worlds: 250\nruns:\n  - {scenario: short.yaml, worlds: 1000}\n"
    )
    return root


def summaries(out: Path) -> dict[str, bytes]:
    return {p.parent.name: p.read_bytes() for p in sorted(out.glob("runs/*/summary.csv"))}


def batch(root: Path, name: str, out: Path, *extra: str) -> int:
    return main(["batch", str(root / f"{name}.yaml"), "--out", str(out), *extra])


@pytest.mark.slow
@pytest.mark.parametrize("name", ["three", "one"])  # whole runs in workers / chunks
def test_process_batch_writes_the_same_files_as_serial(batches, tmp_path, name, capsys):
    serial, pool = tmp_path / "serial", tmp_path / "pool"
    assert batch(batches, name, serial, "--executor", "serial") == 0
    extra = ["--plots"] if name == "three" else ["--chunk-worlds", "500"]
    assert batch(batches, name, pool, "--executor", "processes", "--workers", "2", *extra) == 0
    assert summaries(pool) == summaries(serial) and len(summaries(pool)) == (
        3 if name == "three" else 1
    )
    table = pd.read_csv(pool / "index.csv", keep_default_na=False)
    assert set(table["status"]) == {"ok"} and (table["wall_time_s"] > 0).all()
    for row in table.itertuples():
        manifest = json.loads((pool / row.path / "manifest.json").read_text())
        files = {entry["path"] for entry in manifest["files"]}
        assert "summary.csv" in files
        if name == "three":
            assert any(path.startswith("plots/") for path in files)
    assert not [p for p in (pool / "runs").iterdir() if p.name.startswith(".")]
    err = capsys.readouterr().err
    assert ("runs" if name == "three" else "chunks") in err  # progress bar unit


@pytest.mark.slow
def test_invalid_run_stops_the_batch_before_workers_start(batches, tmp_path):
    path = batches / "bad.yaml"
    path.write_text(
        "name: bad\nsweeps:\n  - scenario: short.yaml\n    worlds: 250\n"
        "    grid: {counter_a2ad_share: [0.1, 7.0, 0.2]}\n"
    )
    out = tmp_path / "out"
    assert batch(batches, "bad", out, "--executor", "processes", "--workers", "2") == 2
    assert not out.exists()  # checked when the batch is loaded (issue 14): nothing ran
