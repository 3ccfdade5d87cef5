"""A batch folder: DIR/batch.json, DIR/index.csv and DIR/runs/<run_id>/ per finished run.

Both sides of a batch write here: the client keeps the index (`BatchStore`), and the worker
that simulated a run writes its folder (`write_batch_run`, the runner's `finish` step). This
module lives in the outputs layer so workers import only what writing a run needs, not the CLI.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from lynchpin.errors import UserError
from lynchpin.experiments import INDEX_FILE, RUNS_DIR, Job, RunSpec
from lynchpin.model.results import Results
from lynchpin.outputs.atomic import atomic_write_text
from lynchpin.outputs.experiments import EXPERIMENTS_FILE, experiments_table
from lynchpin.outputs.run_dir import MANIFEST_FILE, check_out_location, write_run
from lynchpin.scenario import Scenario

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
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def prepare_batch_dir(out: Path, name: str, source: Path, overwrite: bool) -> dict[str, str]:
    """Check, before any run, that `out` may hold this batch; return its identity record.

    An empty or missing folder is fine. A folder of the same batch file (same SHA-256) is
    resumed. A folder of another batch file, or a non-empty folder that is no batch folder, is
    refused unless `overwrite`, which replaces it (old content removed).
    """
    check_out_location(out)
    identity = {"name": name, "file": str(Path(source).resolve()), "sha256": file_sha256(source)}
    if not out.is_dir() or not any(out.iterdir()):
        return identity
    meta = out / BATCH_FILE
    problem = None
    if meta.is_file():
        try:
            saved = json.loads(meta.read_text(encoding="utf-8"))
        except ValueError:
            saved = {}
        if saved.get("sha256") != identity["sha256"]:
            problem = (
                f"{out} holds batch {saved.get('name', '?')!r} from {saved.get('file', '?')} "
                f"(sha256 {str(saved.get('sha256', '?'))[:12]}), not {source} "
                f"(sha256 {identity['sha256'][:12]})"
            )
    elif not (out / INDEX_FILE).is_file():  # batch folders made before batch.json resume
        problem = f"output directory {out} already exists, is not empty and is not a batch folder"
    if overwrite:
        old = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.old")
        os.rename(out, old)
        shutil.rmtree(old, ignore_errors=True)
    elif problem:
        raise UserError(
            problem,
            "  pass --overwrite to replace it, or choose another directory with --out",
        )
    return identity


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
        for stale in self.runs_dir.glob(".*.new"):
            shutil.rmtree(stale, ignore_errors=True)
        self.order = {run.run_id: i for i, run in enumerate(runs)}
        self.rows: dict[str, dict[str, Any]] = {}
        index = out / INDEX_FILE
        if index.is_file():
            for row in pd.read_csv(index, dtype=str, keep_default_na=False).to_dict("records"):
                if self.done(row["run_id"]):
                    self.rows[row["run_id"]] = row

    def done(self, run_id: str) -> bool:
        return (self.runs_dir / run_id / MANIFEST_FILE).is_file()

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


@dataclass(frozen=True)
class RunOutput:
    """What a worker needs, besides the results, to write one run folder (travels with the job).

    `plotter(staging_folder, summary, results)` draws extra files into the run's staging
    folder (a module-level function, so it pickles by reference), or None.
    """

    scenario: Scenario
    folder: str  # absolute, so workers need not share the client's working directory
    command: str
    keep_worlds: bool
    plotter: Callable[[Path, pd.DataFrame, Results], object] | None = None
    overrides: dict[str, Any] | None = None
    outcome_at: tuple[str, ...] | None = None  # dates of worlds_outcomes.parquet


@dataclass(frozen=True)
class RunRecord:
    """All that comes back from a worker for a finished run (the results stay in the worker)."""

    run_id: str
    path: str


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


def write_batch_run(job: Job, results: Results, wall: float) -> RunRecord:
    """`finish` step of a batch run: write its folder atomically (summary, manifest, ...).

    Module-level so process and Dask workers can unpickle it by reference; it runs in the
    worker that simulated the run (or in this process for chunked batches).
    """
    output: RunOutput = job.payload
    plotter = output.plotter

    def draw(staging: Path, summary: pd.DataFrame) -> None:
        assert plotter is not None
        plotter(staging, summary, results)
        write_report(staging, summary, results, output)

    folder = write_run(
        results,
        output.scenario,
        Path(output.folder),
        keep_worlds=output.keep_worlds,
        command=output.command,
        wall_time=wall,
        overwrite=True,
        add_files=draw if plotter is not None else None,
        overrides=output.overrides,
        outcome_at=output.outcome_at,
    )
    return RunRecord(job.key, str(folder))
