"""Issue 16, data loss: names become safe folders, --overwrite replaces only what lynchpin wrote
and never an input of the same command, and a swap-in killed at any point is restored or
cleaned up on the next start (kill -9 tests)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lynchpin.cli import main
from lynchpin.outputs import recover_interrupted, safe_folder_name
from lynchpin.outputs.run_dir import check_out_dir, is_lynchpin_folder

FIXTURES = Path(__file__).parent / "fixtures" / "hardening" / "scenarios"
TINY = ["--worlds", "10", "--no-plots"]


@pytest.mark.parametrize(
    ("name", "folder"),
    [
        ("baseline", "baseline"),
        ("../../escaped", "escaped"),
        ("/tmp/issue16-absolute", "tmp-issue16-absolute"),
        ("..", "run"),
        (".", "run"),
        ("", "run"),
        (".hidden", "hidden"),
        ("a/b\\c", "a-b-c"),
        ("safe\u202egpj.exe", "safe-gpj.exe"),
        ("x" * 500, "x" * 100),
        ("Japan 日本", "Japan-日本"),
    ],
)
def test_safe_folder_name(name, folder):
    assert safe_folder_name(name) == folder
    assert "/" not in folder and not folder.startswith(".")


def test_names_with_dotdot_or_absolute_paths_stay_under_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert main(["run", str(FIXTURES / "dotdot-name.yaml"), *TINY]) == 0
    assert main(["run", str(FIXTURES / "absolute-name.yaml"), *TINY]) == 0
    assert sorted(p.name for p in (work / "runs").iterdir()) == ["escaped", "tmp-issue16-absolute"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]  # nothing written above
    assert not Path("/tmp/issue16-absolute").exists()
    manifest = json.loads((work / "runs" / "escaped" / "manifest.json").read_text())
    assert manifest["scenario"] == "../../escaped"  # the name itself is kept as written


def test_overwrite_refuses_a_folder_lynchpin_did_not_write(tmp_path, capsys):
    precious = tmp_path / "thesis"
    precious.mkdir()
    (precious / "chapter1.tex").write_text("years of work")
    args = ["run", "baseline", *TINY, "--out", str(precious), "--overwrite"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "not written by lynchpin" in err and "Traceback" not in err
    assert (precious / "chapter1.tex").read_text() == "years of work"
    assert not is_lynchpin_folder(precious)
    # ... and a folder lynchpin did write is replaced.
    run = tmp_path / "run"
    assert main(["run", "baseline", *TINY, "--out", str(run)]) == 0
    assert is_lynchpin_folder(run)
    (run / "extra.txt").write_text("old")
    assert main(["run", "baseline", *TINY, "--out", str(run), "--overwrite"]) == 0
    assert not (run / "extra.txt").exists()


@pytest.mark.parametrize("out", [".", "..", "sub/.."])
def test_out_current_directory_or_a_parent_is_refused(tmp_path, monkeypatch, capsys, out):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "keep.txt").write_text("keep")
    assert main(["run", "baseline", *TINY, "--out", out, "--overwrite"]) == 2
    assert "current directory" in capsys.readouterr().err
    assert (tmp_path / "keep.txt").exists()


def test_compare_never_replaces_its_own_input(tmp_path, capsys):
    run = tmp_path / "run"
    assert main(["run", "baseline", *TINY, "--out", str(run)]) == 0
    before = sorted(p.name for p in run.iterdir())
    assert main(["compare", str(run), "--out", str(run), "--overwrite"]) == 2
    assert "an input of this command" in capsys.readouterr().err
    assert main(["compare", str(run), "--out", str(tmp_path), "--overwrite"]) == 2
    assert sorted(p.name for p in run.iterdir()) == before


def test_run_never_replaces_the_folder_holding_its_scenario(tmp_path, capsys):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "manifest.json").write_text('{"lynchpin_version": "0"}')
    scenario = folder / "s.yaml"
    scenario.write_text("name: s\nextends: baseline\nend: 2020Q4\n")
    assert main(["run", str(scenario), *TINY, "--out", str(folder), "--overwrite"]) == 2
    assert "an input of this command" in capsys.readouterr().err and scenario.exists()


def test_markup_in_names_is_printed_literally(tmp_path, capsys):
    out = tmp_path / "r"
    assert main(["run", str(FIXTURES / "markup-name.yaml"), *TINY, "--out", str(out)]) == 0
    assert "[bold red]boom[/]" in capsys.readouterr().out


# -- interrupted swap-ins ---------------------------------------------------------------
def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_recovery_restores_an_aside_run_and_cleans_dead_staging(tmp_path):
    out = tmp_path / "run"
    dead = _dead_pid()
    old = tmp_path / f".run.{dead}-abcd1234.old"
    old.mkdir()
    (old / "manifest.json").write_text('{"lynchpin_version": "0"}')
    stale = tmp_path / f".run.{dead}-ffff0000.new"
    stale.mkdir()
    (stale / "half.csv").write_text("x")
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        busy = tmp_path / f".run.{live.pid}-00000000.new"
        busy.mkdir()
        other = tmp_path / f".run-2.{dead}-abcd1234.old"  # another folder's leftovers
        other.mkdir()
        notes = recover_interrupted(out)
        assert (out / "manifest.json").is_file() and not old.exists() and not stale.exists()
        assert busy.is_dir() and other.is_dir()  # a running command's work; someone else's
        assert any("restored" in n for n in notes) and any("unfinished" in n for n in notes)
    finally:
        live.kill()
        live.wait()
    assert recover_interrupted(out) == [f"removed {busy.name}, an unfinished write of run"]


_SWAP_CHILD = textwrap.dedent(
    """
    import os, shutil, sys, time
    from pathlib import Path
    import lynchpin.outputs.run_dir as run_dir

    out, where = Path(sys.argv[1]), sys.argv[2]
    real_replace, real_rmtree = os.replace, shutil.rmtree

    def pause(*args, **kwargs):
        print("paused", flush=True)
        time.sleep(60)

    if where == "between-renames":
        run_dir.os.replace = pause          # out is already renamed aside
    elif where == "after-exchange":
        run_dir.shutil.rmtree = pause       # staging now holds the old run
    with run_dir.staged_dir(out) as staging:
        (staging / "manifest.json").write_text('{"lynchpin_version": "new"}')
        if where == "while-staging":
            pause()
    """
)


def _kill_during_swap(out: Path, where: str, exchange: bool) -> None:
    env = dict(os.environ, LYNCHPIN_NO_RENAME_EXCHANGE="0" if exchange else "1")
    child = subprocess.Popen(
        [sys.executable, "-c", _SWAP_CHILD, str(out), where],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdout.readline().strip() == "paused"
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(30)
    assert child.returncode == -signal.SIGKILL


def _old_run(tmp_path: Path) -> Path:
    out = tmp_path / "run"
    out.mkdir()
    (out / "manifest.json").write_text('{"lynchpin_version": "old"}')
    return out


def _version(out: Path) -> str:
    return json.loads((out / "manifest.json").read_text())["lynchpin_version"]


def test_kill_between_the_two_renames_is_restored_on_next_start(tmp_path):
    out = _old_run(tmp_path)
    _kill_during_swap(out, "between-renames", exchange=False)
    assert not out.exists()  # the old run is only under its aside name now ...
    assert [p.name.endswith(".old") for p in tmp_path.iterdir()].count(True) == 1
    check_out_dir(out, overwrite=True)  # ... until the next command starts
    assert _version(out) == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux only")
def test_kill_after_the_atomic_exchange_keeps_the_new_run(tmp_path):
    out = _old_run(tmp_path)
    _kill_during_swap(out, "after-exchange", exchange=True)
    if _version(out) == "old":
        pytest.skip("this filesystem cannot exchange directories (renameat2 EINVAL)")
    assert _version(out) == "new"  # never a moment without a run under the final name
    check_out_dir(out, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_kill_while_staging_leaves_the_old_run_and_is_cleaned(tmp_path):
    out = _old_run(tmp_path)
    _kill_during_swap(out, "while-staging", exchange=True)
    assert _version(out) == "old"
    assert len(list(tmp_path.glob(".run.*.new"))) == 1
    check_out_dir(out, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


# -- full and read-only disks -----------------------------------------------------------
def test_a_full_disk_names_the_file_and_leaves_no_partial_run(tmp_path, monkeypatch, capsys):
    import errno

    import lynchpin.outputs.atomic as atomic

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    out = tmp_path / "run"
    assert main(["run", "baseline", *TINY, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and str(out) in err and "disk is full" in err
    assert not out.exists() and not list(tmp_path.iterdir())


@pytest.mark.skipif(
    os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root ignores permissions"
)
def test_a_read_only_folder_is_refused_before_the_run(tmp_path, capsys):
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        assert main(["run", "baseline", *TINY, "--out", str(locked / "run")]) == 2
        assert "is not writable" in capsys.readouterr().err
    finally:
        locked.chmod(0o700)


@pytest.mark.skipif(
    not (hasattr(os, "geteuid") and os.geteuid() == 0 and Path("/proc/mounts").exists()),
    reason="mounting a small tmpfs needs root on Linux",
)
def test_a_really_full_tmpfs_names_the_path(tmp_path, capsys):
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)])
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (container without CAP_SYS_ADMIN?)")
    try:
        out = mount / "run"
        assert main(["run", "baseline", *TINY, "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert "No space left on device" in err and str(mount) in err and "Traceback" not in err
        assert not out.exists()
    finally:
        subprocess.run(["umount", str(mount)])
