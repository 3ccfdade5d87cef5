"""`lynchpin batch`: outputs, resume after deletion or interruption, failures recorded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import lynchpin.outputs.batch_dir as batch_dir
from lynchpin.cli import main


@pytest.fixture
def batch_file(tmp_path) -> Path:
    (tmp_path / "short.yaml").write_text("name: short\nextends: baseline\nend: 2021Q4\n")
    path = tmp_path / "batch.yaml"
    path.write_text(
        "name: t\n"
        "chunk_worlds: 250\n"
        "runs:\n"
        "  - {scenario: short.yaml, worlds: 500}\n"
        "sweeps:\n"
        "  - scenario: short.yaml\n"
        "    worlds: 250\n"
        "    grid: {counter_a2ad_share: [0.1, 0.2, 0.3]}\n"
    )
    return path


def run_batch(path: Path, out: Path, *extra: str) -> int:
    return main(["batch", str(path), "--out", str(out), "--executor", "serial", *extra])


def index(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "index.csv", keep_default_na=False)


def manifest_mtimes(out: Path) -> dict[str, int]:
    return {p.parent.name: p.stat().st_mtime_ns for p in out.glob("runs/*/manifest.json")}


def test_batch_writes_runs_and_index(batch_file, tmp_path):
    out = tmp_path / "out"
    assert run_batch(batch_file, out) == 0
    table = index(out)
    assert list(table.columns) == batch_dir.INDEX_COLUMNS
    assert len(table) == 4 and set(table["status"]) == {"ok"}
    for row in table.itertuples():
        run = out / row.path
        assert (run / "summary.csv").is_file() and (run / "manifest.json").is_file()
        assert json.loads((run / "manifest.json").read_text())["worlds"] == row.worlds
    assert json.loads(table["parameters"][1]) == {"counter_a2ad_share": 0.1}


def test_deleted_run_is_the_only_one_recomputed(batch_file, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert run_batch(batch_file, out) == 0
    before = manifest_mtimes(out)
    victim = sorted(before)[0]
    shutil.rmtree(out / "runs" / victim)
    written = []
    real = batch_dir.write_run
    monkeypatch.setattr(
        batch_dir, "write_run", lambda *a, **k: written.append(a[2].name) or real(*a, **k)
    )
    assert run_batch(batch_file, out) == 0
    assert written == [victim]
    after = manifest_mtimes(out)
    assert {k: v for k, v in after.items() if k != victim} == {
        k: v for k, v in before.items() if k != victim
    }
    table = index(out)
    assert len(table) == 4 and table["run_id"].is_unique and set(table["status"]) == {"ok"}


def test_interrupted_batch_resumes_without_duplicates(batch_file, tmp_path, monkeypatch):
    out = tmp_path / "out"
    real = batch_dir.write_run
    calls = []

    def interrupt_after_two(*args, **kwargs):
        calls.append(args[2].name)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(batch_dir, "write_run", interrupt_after_two)
    assert run_batch(batch_file, out) == 130
    assert len(index(out)) == 2 and len(manifest_mtimes(out)) == 2
    monkeypatch.setattr(batch_dir, "write_run", real)
    assert run_batch(batch_file, out) == 0
    table = index(out)
    assert len(table) == 4 and table["run_id"].is_unique and set(table["status"]) == {"ok"}
    assert not [p for p in (out / "runs").iterdir() if p.name.startswith(".")]


def test_an_invalid_run_fails_the_batch_before_any_run(tmp_path, capsys):
    """Values are checked with the keys when the batch is loaded (issue 14): nothing runs."""
    (tmp_path / "short.yaml").write_text("name: short\nextends: baseline\nend: 2021Q4\n")
    path = tmp_path / "batch.yaml"
    path.write_text(
        "name: f\nsweeps:\n  - scenario: short.yaml\n    worlds: 250\n"
        "    grid: {counter_a2ad_share: [0.1, 7.0, 0.2]}\n"
    )
    out = tmp_path / "out"
    assert run_batch(path, out) == 2
    err = capsys.readouterr().err
    assert "batch.yaml:5:12: sweeps[0].grid.counter_a2ad_share:" in err and "7.0" in err
    assert not out.exists()


def test_batch_folder_remembers_its_batch_file(batch_file, tmp_path, capsys):
    out = tmp_path / "out"
    assert run_batch(batch_file, out) == 0
    identity = json.loads((out / "batch.json").read_text())
    assert identity["name"] == "t" and len(identity["sha256"]) == 64
    other = tmp_path / "other.yaml"
    other.write_text("name: other\nruns:\n  - {scenario: short.yaml, worlds: 250}\n")
    capsys.readouterr()
    assert run_batch(other, out) == 2
    err = capsys.readouterr().err
    assert "holds batch 't'" in err and "--overwrite" in err
    assert len(index(out)) == 4
    assert run_batch(other, out, "--overwrite") == 0
    assert len(index(out)) == 1 and json.loads((out / "batch.json").read_text())["name"] == "other"


def test_batch_manifest_records_the_real_command(batch_file, tmp_path):
    out = tmp_path / "out"
    assert run_batch(batch_file, out, "--chunk-worlds", "500") == 0
    manifest = json.loads(next((out / "runs").glob("*/manifest.json")).read_text())
    assert manifest["command"].startswith(f"lynchpin batch {batch_file} --out {out}")
    assert "--executor serial --chunk-worlds 500" in manifest["command"]


def test_bad_chunk_size_and_unusable_out_fail_before_running(batch_file, tmp_path, capsys):
    assert run_batch(batch_file, tmp_path / "out", "--chunk-worlds", "0") == 2
    assert not (tmp_path / "out").exists()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert run_batch(batch_file, blocker / "out") == 2
    assert "is a file, not a directory" in capsys.readouterr().err
