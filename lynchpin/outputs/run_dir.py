"""A run directory: summary.csv, manifest.json, optional worlds.parquet and plots/*.png.

The directory is built beside its destination and swapped in at the end, so a crash or ^C
never leaves a half-written run under the final name, and an existing run is only replaced
when the caller says so.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import shutil
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lynchpin.errors import UserError
from lynchpin.model.results import SUMMARY_COLUMNS, Results
from lynchpin.outputs.atomic import atomic_write_bytes, atomic_write_text
from lynchpin.outputs.experiments import WORLD_OUTCOMES_FILE, world_outcomes_bytes

if TYPE_CHECKING:
    from lynchpin.scenario import Scenario

SUMMARY_FILE = "summary.csv"
MANIFEST_FILE = "manifest.json"
WORLDS_FILE = "worlds.parquet"


def check_out_location(out_dir: str | Path, option: str = "--out") -> None:
    """Fail before any work if `out_dir` cannot become a directory we can write into.

    Walks up to the first existing path: it must be a directory, writable and searchable.
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UserError(f"{option} {out}: exists and is not a directory; choose another {option}")
    probe = out
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        raise UserError(
            f"{option} {out}: {probe} is a file, not a directory; choose another {option}"
        )
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UserError(f"{option} {out}: {probe} is not writable; choose another {option}")


def check_out_dir(out_dir: str | Path, overwrite: bool, option: str = "--out") -> None:
    """Refuse, before any work is done, to replace an existing non-empty directory silently,
    or to start work whose results could not be written (see check_out_location)."""
    out = Path(out_dir)
    check_out_location(out, option)
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise UserError(
            f"output directory {out} already exists and is not empty",
            f"  pass --overwrite to replace it, or choose another directory with {option}",
        )


@contextmanager
def staged_dir(out_dir: str | Path) -> Iterator[Path]:
    """Yield a hidden staging directory beside `out_dir`; on success swap it in as `out_dir`
    (replacing what was there), on any failure remove it and leave `out_dir` untouched.

    This writes a set of files atomically as a whole: readers see the old set or the new one.
    """
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.new")
    staging.mkdir()
    try:
        yield staging
        _swap_in(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def write_run(
    results: Results,
    scenario: Scenario,
    out_dir: str | Path,
    *,
    keep_worlds: bool,
    command: str,
    wall_time: float,
    overwrite: bool = False,
    add_files: Callable[[Path, pd.DataFrame], object] | None = None,
    overrides: dict[str, Any] | None = None,
    summary: pd.DataFrame | None = None,
    outcome_at: Sequence[str] | None = None,
    world_parameters: Mapping[str, np.ndarray] | None = None,
) -> Path:
    """Write a complete run directory and return its path.

    `add_files(staging_dir, summary)` may write more files (plots) before the manifest is
    written, so the manifest lists and checksums every file of the run. `summary` is
    `results.summary()` if the caller already has it (quantiles over worlds are the costly part
    of writing a run, so they are computed once). `overrides` (command-line `--set` or a
    batch run's parameters) are recorded in the manifest as given, in addition to the resolved
    scenario that already includes them. Every run also gets worlds_outcomes.parquet (key
    outcomes at `outcome_at` per world, with `world_parameters` when worlds differ in them).
    """
    out = Path(out_dir)
    check_out_dir(out, overwrite)
    with staged_dir(out) as staging:
        if summary is None:
            summary = results.summary()
        atomic_write_text(staging / SUMMARY_FILE, summary.to_csv(index=False))
        atomic_write_bytes(
            staging / WORLD_OUTCOMES_FILE,
            world_outcomes_bytes(results, outcome_at, world_parameters),
        )
        if keep_worlds:
            buffer = io.BytesIO()
            results.per_world().to_parquet(buffer, index=False)
            atomic_write_bytes(staging / WORLDS_FILE, buffer.getvalue())
        if add_files is not None:
            add_files(staging, summary)
        manifest = build_manifest(results, scenario, staging, command, wall_time)
        if overrides:
            manifest["overrides"] = dict(overrides)
        atomic_write_text(staging / MANIFEST_FILE, json.dumps(manifest, indent=2) + "\n")
    return out


def build_manifest(
    results: Results, scenario: Scenario, run_dir: Path, command: str, wall_time: float
) -> dict[str, Any]:
    """Everything needed to know what produced a run and to check it was not altered."""
    from lynchpin import __version__

    return {
        "lynchpin_version": __version__,
        "scenario": scenario.name,
        "scenario_sha256": scenario.sha256(),
        "seed": scenario.seed,
        "worlds": results.worlds,
        "start": results.periods[0],
        "end": results.periods[-1],
        "command": command,
        "versions": {
            "python": platform.python_version(),
            "mesa": version("mesa"),
            "numpy": version("numpy"),
            "pandas": version("pandas"),
        },
        "wall_time_seconds": round(wall_time, 3),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": [_file_entry(run_dir, path) for path in _files(run_dir) if path != MANIFEST_FILE],
        "resolved_scenario": scenario.resolved(),
    }


def read_run(run_dir: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Load (summary, manifest) of a run, checking the files are there and unaltered."""
    run = Path(run_dir)
    if not run.is_dir():
        raise UserError(f"{run}: no such run directory")
    manifest_path, summary_path = run / MANIFEST_FILE, run / SUMMARY_FILE
    for path in (manifest_path, summary_path):
        if not path.is_file():
            raise UserError(f"{path}: missing; is {run} a lynchpin run directory?")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        expected = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    except (ValueError, KeyError, TypeError) as error:
        raise UserError(f"{manifest_path}: not a valid run manifest ({error})") from None
    if expected.get(SUMMARY_FILE) != _sha256(summary_path):
        raise UserError(f"{summary_path}: does not match the checksum in {MANIFEST_FILE}")
    summary = pd.read_csv(summary_path)
    if list(summary.columns) != SUMMARY_COLUMNS:
        raise UserError(f"{summary_path}: expected columns {', '.join(SUMMARY_COLUMNS)}")
    return summary, manifest


def _swap_in(staging: Path, out: Path) -> None:
    """Put the finished staging directory under the final name, moving any old run away first."""
    if out.is_dir() and any(out.iterdir()):
        old = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.old")
        os.rename(out, old)
        try:
            os.replace(staging, out)
        except BaseException:
            os.rename(old, out)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out)  # POSIX: replaces a missing or empty directory


def _files(run_dir: Path) -> list[str]:
    return sorted(p.relative_to(run_dir).as_posix() for p in run_dir.rglob("*") if p.is_file())


def _file_entry(run_dir: Path, path: str) -> dict[str, Any]:
    full = run_dir / path
    return {"path": path, "sha256": _sha256(full), "bytes": full.stat().st_size}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
