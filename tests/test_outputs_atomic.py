"""Atomic writes: a crash mid-write leaves the old file intact and no temporary files."""

from __future__ import annotations

import os
import stat

import pytest

from lynchpin.outputs import atomic_write_bytes, atomic_write_text


def test_replaces_content_and_leaves_nothing_else(tmp_path):
    target = tmp_path / "summary.csv"
    atomic_write_text(target, "old\n")
    atomic_write_text(target, "new\n")
    assert target.read_text() == "new\n"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.csv"]


def test_crash_mid_write_keeps_old_file_and_removes_temp(tmp_path, monkeypatch):
    target = tmp_path / "manifest.json"
    atomic_write_text(target, '{"old": true}\n')

    def crash_after_half(fd: int) -> None:  # the data is half on disk when the "power fails"
        raise OSError("simulated crash during fsync")

    monkeypatch.setattr(os, "fsync", crash_after_half)
    with pytest.raises(OSError, match="simulated crash"):
        atomic_write_bytes(target, b"x" * 1_000_000)
    assert target.read_text() == '{"old": true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]


def test_interrupt_before_rename_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "a.png"
    atomic_write_bytes(target, b"old")

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.png"]


def test_files_get_normal_permissions_not_private_temp_ones(tmp_path):
    umask = os.umask(0o022)
    os.umask(umask)
    path = atomic_write_text(tmp_path / "x.txt", "x")
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_creates_missing_parent_directories(tmp_path):
    path = atomic_write_text(tmp_path / "a" / "b" / "c.txt", "deep")
    assert path.read_text() == "deep"
