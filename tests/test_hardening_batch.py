"""Issue 16, batches and compare: workers end with a killed batch, one batch per folder, and
damaged manifests, index.csv or Parquet files are clear errors (exit 2), never tracebacks or
silently used numbers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import lynchpin.outputs.batch_dir as batch_dir
from lynchpin.cli import main

TINY_RUN = ["--worlds", "20", "--no-plots"]


def _batch_file(tmp_path: Path, runs: int = 2, worlds: int = 20, end: str = "2021Q4") -> Path:
    (tmp_path / "short.yaml").write_text(f"name: short\nextends: baseline\nend: {end}\n")
    path = tmp_path / "batch.yaml"
    path.write_text(
        "name: t\nruns:\n"
        + "".join(
            f"  - {{scenario: short.yaml, worlds: {worlds}, seed: {i}}}\n" for i in range(runs)
        )
    )
    return path


def _batch(path: Path, out: Path, *extra: str) -> int:
    return main(["batch", str(path), "--out", str(out), "--executor", "serial", *extra])


# -- workers end with their parent ------------------------------------------------------
def _descendants(pid: int) -> set[int]:
    """Every live process below `pid` (Linux /proc), including re-parented ones we saw."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = set(), {pid}
    while frontier:
        children = {p for p, parent in parents.items() if parent in frontier} - found
        found |= children
        frontier = children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_kill_9_of_a_batch_leaves_no_workers_and_loses_nothing(tmp_path):
    path = _batch_file(tmp_path, runs=6, worlds=2000, end="2035Q4")
    out = tmp_path / "out"
    command = Path(sys.executable).parent / "lynchpin"
    batch = subprocess.Popen(
        [str(command), "batch", str(path), "--out", str(out), "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    seen: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(seen) < 3:  # forkserver + 2 workers
            seen |= _descendants(batch.pid)
            time.sleep(0.2)
        assert len(seen) >= 3, "the batch never started its workers"
        time.sleep(1.0)
        seen |= _descendants(batch.pid)
        os.kill(batch.pid, signal.SIGKILL)
        batch.wait(30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(_alive(p) for p in seen):
            time.sleep(0.2)
        orphans = [p for p in seen if _alive(p)]
        assert not orphans, f"processes outlived the killed batch: {orphans}"
    finally:
        for pid in seen | {batch.pid}:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
    # Nothing lost: the same command resumes and completes every run.
    assert _batch(path, out) == 0
    index = pd.read_csv(out / "index.csv", keep_default_na=False)
    assert len(index) == 6 and (index["status"] == "ok").all()
    assert not [p for p in (out / "runs").iterdir() if p.name.startswith(".")]


# -- one batch per folder ---------------------------------------------------------------
def test_a_second_batch_on_a_locked_folder_is_refused(tmp_path, capsys):
    path = _batch_file(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    with batch_dir._locked(out):  # as a running batch holds it
        assert _batch(path, out) == 2
        err = capsys.readouterr().err
        assert "another lynchpin batch" in err and f"process {os.getpid()}" in err
    assert not (out / "runs").exists()
    assert _batch(path, out) == 0  # the lock went with its holder


def test_overwrite_never_clears_a_folder_that_is_not_a_batch(tmp_path, capsys):
    path = _batch_file(tmp_path)
    out = tmp_path / "data"
    out.mkdir()
    (out / "survey.csv").write_text("precious")
    assert _batch(path, out, "--overwrite") == 2
    assert "is not a batch folder" in capsys.readouterr().err
    assert (out / "survey.csv").read_text() == "precious"


def test_batch_file_inside_the_folder_it_would_replace_is_refused(tmp_path, capsys):
    out = tmp_path / "out"
    path = _batch_file(tmp_path)
    assert _batch(path, out) == 0
    inside = out / "batch.yaml"
    inside.write_text(path.read_text().replace("short.yaml", str(tmp_path / "short.yaml")))
    assert _batch(inside, out, "--overwrite") == 2
    assert "an input of this command" in capsys.readouterr().err and inside.exists()


# -- damaged files on resume and in compare ---------------------------------------------
@pytest.fixture(scope="module")
def batch_out(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("hb")
    out = tmp / "out"
    assert _batch(_batch_file(tmp), out, "--keep-worlds") == 0
    return out


def _copy(batch_out: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "copy"
    shutil.copytree(batch_out, target)
    (target / ".lock").unlink(missing_ok=True)
    return target


@pytest.mark.parametrize("content", [b"run_id,scen", b"\xff\xfe\x00garbage", b"a,b\n1,2\n"])
def test_resume_with_a_damaged_index_is_a_clear_error(batch_out, tmp_path, capsys, content):
    out = _copy(batch_out, tmp_path)
    (out / "index.csv").write_bytes(content)
    source = json.loads((out / "batch.json").read_text())["file"]
    assert _batch(Path(source), out) == 2
    err = capsys.readouterr().err
    assert "index.csv" in err and "Traceback" not in err


def test_resume_recomputes_a_run_whose_manifest_is_truncated(batch_out, tmp_path):
    out = _copy(batch_out, tmp_path)
    run = sorted((out / "runs").iterdir())[0]
    (run / "manifest.json").write_text('{"lynchpin_version": "0.1", "scen')
    source = json.loads((out / "batch.json").read_text())["file"]
    assert _batch(Path(source), out) == 0
    assert json.loads((run / "manifest.json").read_text())["worlds"] == 20


def _first_run(out: Path) -> Path:
    return sorted(p for p in (out / "runs").iterdir() if not p.name.startswith("."))[0]


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        ("parquet-altered", "worlds.parquet: does not match the checksum"),
        ("parquet-truncated", "worlds.parquet: does not match the checksum"),
        ("parquet-unlisted", "worlds.parquet: not listed in manifest.json"),
        ("manifest-missing-field", "field 'seed' is missing"),
        ("manifest-wrong-type", "field 'worlds' has the wrong type"),
        ("manifest-not-json", "not JSON"),
        ("manifest-bad-file-entry", "bad entry in 'files'"),
        ("index-outside", "outside the batch folder"),
    ],
)
def test_compare_refuses_damaged_runs(batch_out, tmp_path, capsys, damage, words):
    out = _copy(batch_out, tmp_path)
    run = _first_run(out)
    manifest_path = run / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    parquet = run / "worlds.parquet"
    if damage == "parquet-altered":
        data = bytearray(parquet.read_bytes())
        data[len(data) // 2] ^= 1
        parquet.write_bytes(bytes(data))
    elif damage == "parquet-truncated":
        parquet.write_bytes(parquet.read_bytes()[:100])
    elif damage == "parquet-unlisted":
        manifest["files"] = [f for f in manifest["files"] if f["path"] != "worlds.parquet"]
    elif damage == "manifest-missing-field":
        del manifest["seed"]
    elif damage == "manifest-wrong-type":
        manifest["worlds"] = "20"
    elif damage == "manifest-not-json":
        manifest = None
        manifest_path.write_text('{"truncated": ')
    elif damage == "manifest-bad-file-entry":
        manifest["files"].append({"path": "../../etc/passwd", "sha256": "0"})
    elif damage == "index-outside":
        index = pd.read_csv(out / "index.csv", dtype=str, keep_default_na=False)
        index.loc[0, "path"] = "../elsewhere"
        index.to_csv(out / "index.csv", index=False)
    if manifest is not None:
        manifest_path.write_text(json.dumps(manifest))
    assert main(["compare", str(out), "--out", str(tmp_path / "cmp")]) == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err
    assert not (tmp_path / "cmp").exists()


def test_compare_refuses_an_edited_resimulation_field(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["run", "baseline", *TINY_RUN, "--out", str(run)]) == 0
    manifest = json.loads((run / "manifest.json").read_text())
    original = manifest["resolved_scenario"]["parameters"]["depreciation"]
    manifest["resolved_scenario"]["parameters"]["depreciation"] = 0.2
    (run / "manifest.json").write_text(json.dumps(manifest))
    assert main(["compare", str(run), "--out", str(tmp_path / "cmp")]) == 2
    assert "does not match its scenario_sha256" in capsys.readouterr().err
    manifest["resolved_scenario"]["parameters"]["depreciation"] = original
    manifest["seed"] = 1
    (run / "manifest.json").write_text(json.dumps(manifest))
    assert main(["compare", str(run), "--out", str(tmp_path / "cmp")]) == 2
    assert "seed or worlds differ" in capsys.readouterr().err


def test_compare_reports_the_pairs_it_cannot_make(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["run", "baseline", *TINY_RUN, "--out", str(a)]) == 0
    assert main(["run", "baseline", *TINY_RUN, "--seed", "7", "--out", str(b)]) == 0
    capsys.readouterr()
    assert main(["compare", str(a), str(b), "--out", str(tmp_path / "cmp")]) == 0
    err = capsys.readouterr().err
    assert "no paired differences" in err and "seed 7 vs" in err
