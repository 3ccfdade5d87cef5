"""A run directory: summary.csv, manifest.json, optional worlds.parquet and plots/*.png.

The directory is built beside its destination and swapped in at the end, so a crash or ^C
never leaves a half-written run under the final name, and an existing run is only replaced
when the caller says so.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import platform
import re
import shutil
import sys
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from lynchpin.errors import UserError
from lynchpin.inputs import check_regular, path_problem, read_bounded
from lynchpin.model.results import SUMMARY_COLUMNS, Results
from lynchpin.outputs.atomic import atomic_write_bytes, atomic_write_text
from lynchpin.outputs.experiments import WORLD_OUTCOMES_FILE, world_outcomes_bytes
from lynchpin.outputs.uncertainty import PARAMETERS_FILE, UNCERTAINTY_FILE
from lynchpin.outputs.worlds import write_worlds

if TYPE_CHECKING:
    from lynchpin.scenario import Scenario

SUMMARY_FILE = "summary.csv"
MANIFEST_FILE = "manifest.json"
WORLDS_FILE = "worlds.parquet"
MAX_FOLDER_NAME = 100
MAX_MANIFEST_BYTES = 64 << 20  # resolved scenarios are small; this bounds a hostile file


def safe_folder_name(name: str) -> str:
    """A scenario or batch name as one harmless folder name: letters, digits, '.', '_', '-'
    only, never hidden, never '..', never a path, at most 100 characters ('run' if nothing is
    left). The name itself stays as written in the manifest."""
    text = unicodedata.normalize("NFC", str(name))
    cleaned = "".join(c if c.isalnum() or c in "._-" else "-" for c in text)
    cleaned = re.sub(r"-{2,}", "-", cleaned).lstrip(".-")[:MAX_FOLDER_NAME].rstrip(".-")
    return cleaned or "run"


def is_lynchpin_folder(folder: str | Path) -> bool:
    """Whether `folder` was written by lynchpin: its manifest.json (run, comparison,
    sensitivity) or batch.json names a lynchpin version or batch, or it is a batch folder of
    the older layout (index.csv beside runs/)."""
    folder = Path(folder)
    for marker, key in ((MANIFEST_FILE, "lynchpin_version"), ("batch.json", "sha256")):
        try:
            data = json.loads(read_bounded(folder / marker, MAX_MANIFEST_BYTES, "manifest"))
        except (UserError, ValueError):
            continue
        if isinstance(data, dict) and key in data:
            return True
    return (folder / "index.csv").is_file() and (folder / "runs").is_dir()


def check_out_location(out_dir: str | Path, option: str = "--out") -> None:
    """Fail before any work if `out_dir` cannot become a directory we can write into.

    Walks up to the first existing path: it must be a directory, writable and searchable. The
    current directory (`--out .`) or one of its parents is refused: swapping it would pull the
    working directory from under the shell.
    """
    try:
        out = Path(os.path.abspath(out_dir))
        exists = out.exists()
        cwd = Path.cwd()
    except (OSError, ValueError, RuntimeError) as error:
        raise UserError(f"{option} {out_dir}: {path_problem(error)}") from None
    if out == cwd or out in cwd.parents:
        raise UserError(
            f"{option} {out_dir}: is the current directory or contains it; "
            f"choose a new folder, e.g. {option} runs/NAME"
        )
    if exists and not out.is_dir():
        raise UserError(
            f"{option} {out_dir}: exists and is not a directory; choose another {option}"
        )
    probe = out
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir():
        raise UserError(
            f"{option} {out_dir}: {probe} is a file, not a directory; choose another {option}"
        )
    if not os.access(probe, os.W_OK | os.X_OK):
        raise UserError(f"{option} {out_dir}: {probe} is not writable; choose another {option}")


def check_out_dir(
    out_dir: str | Path,
    overwrite: bool,
    option: str = "--out",
    inputs: Iterable[str | Path | None] = (),
    only_lynchpin: bool = True,
) -> None:
    """Refuse, before any work is done, to replace an existing non-empty directory silently,
    to replace one lynchpin did not write, to replace an input of the same command, or to start
    work whose results could not be written (see check_out_location).

    Restores or cleans up first what an interrupted earlier replacement left beside it.
    `only_lynchpin=False` is for a folder the caller knows is its own to replace (a run inside
    a locked batch folder) or for commands that only write named files into it and never
    remove it (the backtest report).
    """
    out = Path(os.path.abspath(out_dir)) if _usable(out_dir) else Path(out_dir)
    check_out_location(out_dir, option)
    for note in recover_interrupted(out):
        print(f"note: {note}", file=sys.stderr)
    for source in inputs:
        if source is None:
            continue
        path = Path(os.path.abspath(source))
        if path == out or out in path.parents:
            raise UserError(
                f"{option} {out_dir}: would replace {source}, an input of this command; "
                f"choose another {option}"
            )
    if not (out.is_dir() and any(out.iterdir())):
        return
    if not overwrite:
        raise UserError(
            f"output directory {out_dir} already exists and is not empty",
            f"  pass --overwrite to replace it, or choose another directory with {option}",
        )
    if only_lynchpin and not is_lynchpin_folder(out):
        raise UserError(
            f"{option} {out_dir}: exists and was not written by lynchpin (no lynchpin "
            f"{MANIFEST_FILE}); --overwrite replaces only lynchpin's own output folders",
            f"  remove it yourself if it is not needed, or choose another {option}",
        )


def _usable(path: str | Path) -> bool:
    try:
        os.path.abspath(path)
        return "\x00" not in str(path)
    except (ValueError, OSError):
        return False


@contextmanager
def staged_dir(out_dir: str | Path) -> Iterator[Path]:
    """Yield a hidden staging directory beside `out_dir`; on success swap it in as `out_dir`
    (replacing what was there), on any failure remove it and leave `out_dir` untouched.

    This writes a set of files atomically as a whole: readers see the old set or the new one.
    Staging names carry this process's id, so a later start can tell leftovers of a killed
    process (cleaned or restored by recover_interrupted) from another command's work.
    """
    out = Path(os.path.abspath(out_dir))
    out.parent.mkdir(parents=True, exist_ok=True)
    for note in recover_interrupted(out):
        print(f"note: {note}", file=sys.stderr)
    staging = _side_name(out, "new")
    staging.mkdir()
    try:
        yield staging
        _swap_in(staging, out)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        name = str(error.filename or "")
        if name.startswith(str(staging)):  # name the file the user asked for, not the staging
            final = str(out) + name[len(str(staging)) :]
            raise OSError(error.errno, error.strerror, final) from error
        raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def folder_manifest(folder: Path, kind: str, **fields: Any) -> dict[str, Any]:
    """The manifest of an output folder that is not a run (comparison, sensitivity): enough to
    recognise it as lynchpin's and to check its files."""
    from lynchpin import __version__

    return {
        "lynchpin_version": __version__,
        "kind": kind,
        **fields,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": [_file_entry(folder, path) for path in _files(folder) if path != MANIFEST_FILE],
    }


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
    only_lynchpin: bool = True,
    outcome_at: Sequence[str] | None = None,
    world_parameters: Mapping[str, np.ndarray] | None = None,
    derived: Mapping[str, bytes] | None = None,
) -> Path:
    """Write a complete run directory and return its path.

    `add_files(staging_dir, summary)` may write more files (plots) before the manifest is
    written, so the manifest lists and checksums every file of the run. `summary` is
    `results.summary()` if the caller already has it (quantiles over worlds are the costly part
    of writing a run, so they are computed once). `overrides` (command-line `--set` or a
    batch run's parameters) are recorded in the manifest as given, in addition to the resolved
    scenario that already includes them. Every run also gets worlds_outcomes.parquet (key
    outcomes at `outcome_at` per world, with `world_parameters` when worlds differ in them).
    `derived` holds the bytes of any of DERIVED_FILES the caller already computed (a big run
    computes them in its workers, see `derived_file`).
    """
    out = Path(out_dir)
    check_out_dir(out, overwrite, only_lynchpin=only_lynchpin)
    with staged_dir(out) as staging:
        if summary is None:
            summary = results.summary()
        atomic_write_text(staging / SUMMARY_FILE, summary.to_csv(index=False))
        for name in DERIVED_FILES:
            data = (derived or {}).get(name)
            if data is None:
                data = derived_file(name, results, scenario, outcome_at, world_parameters)
            atomic_write_bytes(staging / name, data)
        if keep_worlds:
            write_worlds(staging / WORLDS_FILE, results.scenario, results.periods, results.pieces())
        if add_files is not None:
            add_files(staging, summary)
        manifest = build_manifest(results, scenario, staging, command, wall_time)
        if overrides:
            manifest["overrides"] = dict(overrides)
        atomic_write_text(staging / MANIFEST_FILE, json.dumps(manifest, indent=2) + "\n")
    return out


# Files every run has that are computed from its worlds, besides the summary.
DERIVED_FILES = (WORLD_OUTCOMES_FILE, UNCERTAINTY_FILE, PARAMETERS_FILE)


def derived_file(
    name: str,
    results: Results,
    scenario: Scenario,
    outcome_at: Sequence[str] | None = None,
    world_parameters: Mapping[str, np.ndarray] | None = None,
) -> bytes:
    """The bytes of one of DERIVED_FILES: worlds_outcomes.parquet (key outcomes at
    `outcome_at` per world, with its drawn parameters), uncertainty.csv (ignorance vs luck per
    key outcome) or parameters.parquet (each world's drawn parameters). One file at a time, so
    a big run's workers can compute them side by side."""
    from lynchpin.model.draws import draw_groups, parameter_draws
    from lynchpin.outputs.uncertainty import parameters_frame, parquet_bytes, uncertainty_table

    config = scenario.to_config()
    if name == WORLD_OUTCOMES_FILE:
        if world_parameters is None:  # each world's draws (issue 10), a pure function of
            world_parameters = parameter_draws(  # config, worlds and seed
                config, results.worlds, scenario.seed, results.first_world
            )
        return world_outcomes_bytes(results, outcome_at, world_parameters)
    if name == UNCERTAINTY_FILE:
        groups = draw_groups(config, results.worlds, results.first_world)
        return uncertainty_table(results, groups).to_csv(index=False).encode()
    if name == PARAMETERS_FILE:
        return parquet_bytes(parameters_frame(config, results.worlds, scenario.seed))
    raise ValueError(f"not a derived file: {name}")


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
        "uncertainty": scenario.uncertainty,
        "worlds_per_draw": scenario.spec.worlds_per_draw,
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
    """Load (summary, manifest) of a run, checking the manifest's shape and that every file it
    lists is there and unaltered (SHA-256), so nothing altered or truncated is ever used."""
    run = Path(run_dir)
    if not run.is_dir():
        raise UserError(f"{run}: no such run directory")
    manifest_path, summary_path = run / MANIFEST_FILE, run / SUMMARY_FILE
    for path in (manifest_path, summary_path):
        if not path.is_file():
            raise UserError(f"{path}: missing; is {run} a lynchpin run directory?")
    manifest = read_manifest(manifest_path)
    verify_files(run, manifest, required=(SUMMARY_FILE,))
    try:
        summary = pd.read_csv(summary_path)
    except (ValueError, UnicodeDecodeError) as error:
        raise UserError(f"{summary_path}: not a readable summary table ({error})") from None
    if list(summary.columns) != SUMMARY_COLUMNS:
        raise UserError(f"{summary_path}: expected columns {', '.join(SUMMARY_COLUMNS)}")
    return summary, manifest


# Fields of a run manifest that compare and batch resume rely on, with their types.
_MANIFEST_FIELDS: dict[str, type | tuple[type, ...]] = {
    "lynchpin_version": str,
    "scenario": str,
    "scenario_sha256": str,
    "seed": int,
    "worlds": int,
    "start": str,
    "end": str,
    "files": list,
    "resolved_scenario": dict,
}


def read_manifest(path: Path) -> dict[str, Any]:
    """A run manifest with every field compare relies on, of the right type (UserError
    naming the file and the field otherwise)."""
    try:
        data = json.loads(read_bounded(path, MAX_MANIFEST_BYTES, "run manifest"))
    except ValueError as error:
        raise UserError(f"{path}: not a valid run manifest (not JSON: {error})") from None
    if not isinstance(data, dict):
        raise UserError(f"{path}: not a valid run manifest (expected a JSON object)")
    for key, kind in _MANIFEST_FIELDS.items():
        value = data.get(key)
        if value is None:
            raise UserError(f"{path}: not a valid run manifest (field {key!r} is missing)")
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise UserError(f"{path}: not a valid run manifest (field {key!r} has the wrong type)")
    if data["worlds"] < 1 or data["seed"] < 0:
        raise UserError(f"{path}: not a valid run manifest (worlds or seed out of range)")
    for entry in data["files"]:
        ok = isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in _ENTRY)
        if not ok or not _safe_member(entry["path"]):
            raise UserError(f"{path}: not a valid run manifest (bad entry in 'files')")
    return data


_ENTRY = ("path", "sha256")


def _safe_member(name: str) -> bool:
    parts = Path(name).parts
    return bool(parts) and not Path(name).is_absolute() and ".." not in parts and "\x00" not in name


def verify_files(folder: Path, manifest: dict[str, Any], required: tuple[str, ...] = ()) -> None:
    """Every file the manifest lists matches its SHA-256; `required` files and worlds.parquet
    (when present) must be listed."""
    expected = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    present = [WORLDS_FILE] if (folder / WORLDS_FILE).exists() else []
    for name in (*required, *present):
        if name not in expected:
            raise UserError(f"{folder / name}: not listed in {MANIFEST_FILE}; cannot verify it")
    for name, digest in expected.items():
        path = folder / name
        check_regular(path, MAX_VERIFIED_BYTES, "file listed in the manifest")
        if _sha256(path) != digest:
            raise UserError(f"{path}: does not match the checksum in {MANIFEST_FILE}")


MAX_VERIFIED_BYTES = 1 << 40


def _swap_in(staging: Path, out: Path) -> None:
    """Put the finished staging directory under the final name.

    Where the system can (Linux renameat2), the two folders are exchanged in one atomic step,
    so no instant exists without a run under the final name. Elsewhere the old run is renamed
    aside first; a kill between the two renames leaves it under `.NAME.PID-XXXX.old`, which
    recover_interrupted puts back on the next start.
    """
    if out.is_dir() and any(out.iterdir()):
        if _exchange(staging, out):  # staging now holds the old run
            shutil.rmtree(staging, ignore_errors=True)
            return
        old = _side_name(out, "old")
        os.rename(out, old)
        try:
            os.replace(staging, out)
        except BaseException:
            os.rename(old, out)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, out)  # POSIX: replaces a missing or empty directory


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2 RENAME_EXCHANGE); False if the system
    or filesystem cannot, so the caller falls back to two renames."""
    if not _EXCHANGE_ENABLED or _RENAMEAT2 is None:
        return False
    result = _RENAMEAT2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _load_renameat2():
    try:
        return ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2
_RENAMEAT2 = _load_renameat2() if sys.platform.startswith("linux") else None
_EXCHANGE_ENABLED = os.environ.get("LYNCHPIN_NO_RENAME_EXCHANGE") != "1"  # tests: fallback path


def _side_name(out: Path, kind: str) -> Path:
    return out.with_name(f".{out.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.{kind}")


def _side_folders(out: Path, kind: str) -> list[tuple[Path, int | None]]:
    """Leftover staging (`new`) or aside (`old`) folders of `out`, with the pid that made them
    (None for names from versions before the pid was recorded)."""
    found = []
    prefix = f".{out.name}."
    try:
        entries = list(out.parent.iterdir()) if out.parent.is_dir() else []
    except OSError:
        return []
    for path in entries:
        name = path.name
        if not (name.startswith(prefix) and name.endswith(f".{kind}")) or not path.is_dir():
            continue
        middle = name[len(prefix) : -len(kind) - 1]
        pid_text, dash, _ = middle.partition("-")
        if "." in middle:
            continue  # another folder's leftovers (its name has more dots)
        found.append((path, int(pid_text) if dash and pid_text.isdigit() else None))
    return sorted(found)


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_interrupted(out: str | Path) -> list[str]:
    """Undo what a killed swap-in left beside `out`; return what was done, for the user.

    - `out` missing (or empty) and a `.old` aside folder of a dead process: the previous run is
      renamed back to `out` (restored).
    - `.old` folders when `out` exists, and `.new` staging folders of dead processes: removed
      (a half-written run, or an old run that had already been replaced).
    Folders of processes still running are left alone: they are another command's work.
    """
    out = Path(os.path.abspath(out))
    notes = []
    for path, pid in _side_folders(out, "old"):
        if _alive(pid):
            continue
        if not out.exists() or (out.is_dir() and not any(out.iterdir())):
            if out.exists():
                out.rmdir()
            os.rename(path, out)
            notes.append(f"restored {out} from {path.name}, left by an interrupted replacement")
        else:
            shutil.rmtree(path, ignore_errors=True)
            notes.append(f"removed {path.name}, the previous {out.name} left by a replacement")
    for path, pid in _side_folders(out, "new"):
        if not _alive(pid):
            shutil.rmtree(path, ignore_errors=True)
            notes.append(f"removed {path.name}, an unfinished write of {out.name}")
    return notes


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
