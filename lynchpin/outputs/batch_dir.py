"""A batch folder: DIR/batch.json, DIR/index.csv and DIR/runs/<run_id>/ per finished run.

Both sides of a batch write here: the client keeps the index (`BatchStore`), and the worker
that simulated a run writes its folder (`write_batch_run`, the runner's `finish` step). This
module lives in the outputs layer so workers import only what writing a run needs, not the CLI.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from lynchpin.errors import UserError
from lynchpin.experiments import INDEX_FILE, RUNS_DIR, Job, RunSpec
from lynchpin.experiments.runner import merge_results
from lynchpin.inputs import read_bounded
from lynchpin.model.results import Results
from lynchpin.outputs.atomic import atomic_write_text
from lynchpin.outputs.experiments import EXPERIMENTS_FILE, experiments_table
from lynchpin.outputs.run_dir import (
    DERIVED_FILES,
    MANIFEST_FILE,
    check_out_dir,
    derived_file,
    read_manifest,
    recover_interrupted,
    write_run,
)
from lynchpin.outputs.spill import SPILL_WORLDS, SpilledChunk, SpilledResults, spill, summary_rows
from lynchpin.scenario import Scenario
from lynchpin.scenario.yaml_source import MAX_BYTES

BATCH_FILE = "batch.json"  # which batch file the folder belongs to
INDEX_COLUMNS = [
    "run_id",
    "scenario",
    "parameters",
    "worlds",
    "seed",
    "status",
    "error",
    "wall_time_s",
    "path",
]


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(read_bounded(path, MAX_BYTES, "batch file")).hexdigest()


LOCK_FILE = ".lock"


@contextmanager
def open_batch_dir(
    out: Path, name: str, source: Path, overwrite: bool, inputs: Iterable[Path] = ()
) -> Iterator[dict[str, str]]:
    """Check that `out` may hold this batch, lock it for this process, and yield its identity.

    An empty or missing folder is fine. A folder of the same batch file (same SHA-256) is
    resumed. A folder of another batch file is refused unless `overwrite`, which clears it.
    A non-empty folder that lynchpin did not write, or one holding an input of this command
    (the batch file, its scenarios), is never cleared. A second batch on the same folder is
    refused while the first runs (an exclusive lock on DIR/.lock, released when this process
    ends however it ends), so two batches never compute the same runs twice.
    """
    check_out_dir(out, overwrite=True, inputs=[source, *inputs], only_lynchpin=False)
    identity = {"name": name, "file": str(Path(source).resolve()), "sha256": file_sha256(source)}
    replace = _replacement_needed(out, identity, source, overwrite)
    out.mkdir(parents=True, exist_ok=True)
    with _locked(out):
        if replace:
            _clear(out)
        yield identity


def _replacement_needed(out: Path, identity: dict[str, str], source: Path, overwrite: bool) -> bool:
    """Whether `out` holds something else that `overwrite` must clear (UserError if it may not)."""
    if not out.is_dir() or not [p for p in out.iterdir() if p.name != LOCK_FILE]:
        return False
    meta = out / BATCH_FILE
    if meta.is_file():
        try:
            saved = json.loads(read_bounded(meta, 1 << 20, "batch record"))
        except (ValueError, UserError):
            saved = {}
        saved = saved if isinstance(saved, dict) else {}
        if saved.get("sha256") == identity["sha256"]:
            return False
        problem = (
            f"{out} holds batch {saved.get('name', '?')!r} from {saved.get('file', '?')} "
            f"(sha256 {str(saved.get('sha256', '?'))[:12]}), not {source} "
            f"(sha256 {identity['sha256'][:12]})"
        )
    elif (out / INDEX_FILE).is_file() and (out / RUNS_DIR).is_dir():
        return False  # batch folders made before batch.json resume
    else:
        raise UserError(
            f"output directory {out} already exists, is not empty and is not a batch folder",
            "  lynchpin replaces only its own output folders; choose another directory with --out",
        )
    if not overwrite:
        raise UserError(
            problem, "  pass --overwrite to replace it, or choose another directory with --out"
        )
    return True


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on out/.lock; UserError if another process holds it."""
    path = out / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
            raise UserError(
                f"{out}: another lynchpin batch (process {holder}) is running in this folder",
                "  wait for it to finish (re-running then resumes), or choose another --out",
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def _clear(out: Path) -> None:
    for child in out.iterdir():
        if child.name == LOCK_FILE:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()


class BatchStore:
    """A batch folder: DIR/runs/<run_id>/ per finished run and DIR/index.csv listing them.

    A run counts as done when its folder holds a manifest; write_run swaps complete folders in,
    so a killed batch leaves only hidden staging folders, which are removed here.
    """

    def __init__(
        self, out: Path, runs: list[RunSpec], identity: dict[str, str] | None = None
    ) -> None:
        self.out = out
        self.runs_dir = out / RUNS_DIR
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        if identity is not None:
            atomic_write_text(out / BATCH_FILE, json.dumps(identity, indent=2) + "\n")
        for stale in self.runs_dir.glob(".*.chunks"):  # spilled chunks of killed runs
            shutil.rmtree(stale, ignore_errors=True)
        self.order = {run.run_id: i for i, run in enumerate(runs)}
        # Restore or clean what killed swap-ins left (runs_dir/.ID.PID-XXXX.new or .old).
        leftovers = {p.name.split(".")[1] for p in self.runs_dir.glob(".*.*.*") if p.is_dir()}
        for run_id in sorted(leftovers):
            recover_interrupted(self.runs_dir / run_id)
        self.rows: dict[str, dict[str, Any]] = {}
        for row in read_index(out / INDEX_FILE):
            if self.done(row["run_id"]):
                self.rows[row["run_id"]] = row

    def done(self, run_id: str) -> bool:
        """A run counts as done when its folder holds a readable run manifest."""
        path = self.runs_dir / run_id / MANIFEST_FILE
        if not path.is_file():
            return False
        try:
            read_manifest(path)
        except UserError:
            return False  # truncated or altered: computed again
        return True

    def record(self, run: RunSpec, status: str, error: str = "", wall: float = 0.0) -> None:
        """Add or replace the run's row and rewrite the index atomically."""
        self.rows[run.run_id] = {
            "run_id": run.run_id,
            "scenario": run.scenario,
            "parameters": json.dumps(run.params, sort_keys=True),
            "worlds": run.worlds,
            "seed": run.seed,
            "status": status,
            "error": error,
            "wall_time_s": round(wall, 3),
            "path": f"{RUNS_DIR}/{run.run_id}" if status == "ok" else "",
        }
        ordered = sorted(self.rows.values(), key=lambda r: self.order.get(r["run_id"], 1 << 30))
        frame = pd.DataFrame(ordered, columns=INDEX_COLUMNS)
        atomic_write_text(self.out / INDEX_FILE, frame.to_csv(index=False))

    def write_experiments(self, at: Sequence[str] | None = None) -> Path:
        """experiments.csv: one row per finished run, inputs and key outcomes (atomic)."""
        ordered = sorted(self.rows.values(), key=lambda r: self.order.get(r["run_id"], 1 << 30))
        index = pd.DataFrame(ordered, columns=INDEX_COLUMNS).astype(str)
        table = experiments_table(index, self.out, at)
        target = self.out / EXPERIMENTS_FILE
        atomic_write_text(target, table.to_csv(index=False))
        return target


def read_index(index: Path) -> list[dict[str, str]]:
    """Rows of a batch index.csv (none if missing); a truncated or malformed index is a
    UserError naming it, so resume and compare never end in a traceback."""
    if not index.exists():
        return []
    data = read_bounded(index, 256 << 20, "batch index")
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    except (ValueError, UnicodeDecodeError) as error:
        raise UserError(f"{index}: not a readable batch index ({error})") from None
    missing = [c for c in ("run_id", "status", "path", "parameters") if c not in frame.columns]
    if missing:
        raise UserError(f"{index}: not a batch index (missing columns {', '.join(missing)})")
    return frame.to_dict("records")


@dataclass(frozen=True)
class RunOutput:
    """What a worker needs, besides the results, to write one run folder (travels with the job).

    `plotter(summary, results)` starts drawing the run's charts and returns a function that
    writes them into the run's staging folder (a module-level function, so it pickles by
    reference; lynchpin.plots.workers.batch_charts), or None.
    """

    scenario: Scenario
    folder: str  # absolute, so workers need not share the client's working directory
    command: str
    keep_worlds: bool
    plotter: Callable[[pd.DataFrame, Results], Callable[[Path], object]] | None = None
    overrides: dict[str, Any] | None = None
    outcome_at: tuple[str, ...] | None = None  # dates of worlds_outcomes.parquet


@dataclass(frozen=True)
class RunRecord:
    """All that comes back from a worker for a finished run (the results stay in the worker)."""

    run_id: str
    path: str


def scratch_folder(job: Job) -> Path:
    """Hidden folder beside the run's folder for its spilled chunks (removed when written)."""
    folder = Path(job.payload.folder)
    return folder.with_name(f".{folder.name}.chunks")


def spill_big_run(job: Job, first_world: int, part: Results) -> Results | SpilledChunk:
    """The runner's `collect` step: a chunk of a run of more than SPILL_WORLDS worlds goes to
    disk in the worker that simulated it, and only its record travels on."""
    return spill(part, scratch_folder(job)) if job.worlds > SPILL_WORLDS else part


SUMMARY_KEYS = 4  # outputs per summary task of a spilled run (about 0.4 s at 100,000 worlds)


@dataclass
class ReducedRun:
    """A spilled run with what writing its folder computes from every world already done."""

    results: SpilledResults
    summary: pd.DataFrame
    derived: dict[str, bytes]  # contents of run_dir.DERIVED_FILES


def combine_run(job: Job, parts: list[Any], executor: Executor) -> Results | ReducedRun:
    """The runner's `combine` step: chunks in memory are joined; spilled chunks get a second
    pass spread over `executor` (summary rows by groups of outputs, and each derived file)."""
    if not (parts and isinstance(parts[0], SpilledChunk)):
        return merge_results(job, parts)
    results = SpilledResults(job.name, parts)
    output: RunOutput = job.payload
    # The derived files are the longest tasks: submitted first, so they do not finish last.
    files = {
        name: executor.submit(derived_file, name, results, output.scenario, output.outcome_at)
        for name in DERIVED_FILES
    }
    keys = results.keys
    groups = [keys[i : i + SUMMARY_KEYS] for i in range(0, len(keys), SUMMARY_KEYS)]
    rows = [executor.submit(summary_rows, results, group) for group in groups]
    try:
        summary = pd.concat([part.result() for part in rows], ignore_index=True)
        derived = {name: done.result() for name, done in files.items()}
    except BaseException:
        for future in [*rows, *files.values()]:
            future.cancel()
        results.remove()
        raise
    return ReducedRun(results, summary, derived)


def write_report(staging: Path, summary: pd.DataFrame, results: Results, output: RunOutput):
    """report.html of a batch run that has charts (`--plots`), as `lynchpin run` writes one."""
    from lynchpin import __version__
    from lynchpin.outputs.report import REPORT_FILE, run_report

    scenario = output.scenario
    provenance = {
        "scenario": scenario.name,
        "scenario_sha256": scenario.sha256(),
        "worlds": results.worlds,
        "seed": scenario.seed,
        "period": f"{results.periods[0]}..{results.periods[-1]}",
        "command": output.command,
        "lynchpin_version": __version__,
    }
    html = run_report(staging, summary, provenance, output.overrides, results, scenario.description)
    atomic_write_text(staging / REPORT_FILE, html)


def write_batch_run(job: Job, combined: Results | ReducedRun, wall: float) -> RunRecord:
    """`finish` step of a batch run: write its folder atomically (summary, manifest, ...).

    Module-level so process and Dask workers can unpickle it by reference; it runs in the
    worker that simulated the run (or in this process for chunked batches).
    """
    output: RunOutput = job.payload
    reduced = combined if isinstance(combined, ReducedRun) else None
    results = reduced.results if reduced else combined
    summary = reduced.summary if reduced else None
    charts = None
    if output.plotter is not None:  # charts drawn (maybe elsewhere) while the tables are written
        summary = results.summary() if summary is None else summary
        charts = output.plotter(summary, results)

    def draw(staging: Path, summary: pd.DataFrame) -> None:
        assert charts is not None
        charts(staging)
        write_report(staging, summary, results, output)

    try:
        folder = write_run(
            results,
            output.scenario,
            Path(output.folder),
            keep_worlds=output.keep_worlds,
            command=output.command,
            wall_time=wall,
            overwrite=True,
            only_lynchpin=False,  # runs/<run_id> of a batch folder this batch has locked
            add_files=draw if charts is not None else None,
            overrides=output.overrides,
            outcome_at=output.outcome_at,
            summary=summary,
            derived=reduced.derived if reduced else None,
        )
    finally:
        if reduced:
            reduced.results.remove()
    return RunRecord(job.key, str(folder))
