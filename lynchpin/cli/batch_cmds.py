"""`lynchpin batch`, `lynchpin compare`, `lynchpin sensitivity`: many runs, and what they show.

This module wires layers: experiments decide what runs and where, outputs write each run, the
analysis package compares runs and computes sensitivity indices.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from lynchpin.cli import app
from lynchpin.errors import UserError
from lynchpin.experiments import INDEX_FILE, RUNS_DIR, RunSpec, execute, load_batch, open_executor
from lynchpin.experiments.executors import shares_filesystem
from lynchpin.experiments.runner import Job, Mode
from lynchpin.model.results import Results
from lynchpin.outputs import (
    MANIFEST_FILE,
    SUMMARY_FILE,
    atomic_write_bytes,
    atomic_write_text,
    write_run,
)
from lynchpin.scenario import Scenario

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

ExecutorOpt = Annotated[
    str, typer.Option("--executor", help="serial, processes or dask.", show_default=True)
]
WorkersOpt = Annotated[
    int | None, typer.Option("--workers", help="Worker processes (default: CPU count).")
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
]


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[unit]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    )


class BatchStore:
    """A batch folder: DIR/runs/<run_id>/ per finished run and DIR/index.csv listing them.

    A run counts as done when its folder holds a manifest; write_run swaps complete folders in,
    so a killed batch leaves only hidden staging folders, which are removed here.
    """

    def __init__(self, out: Path, runs: list[RunSpec]) -> None:
        self.out = out
        self.runs_dir = out / RUNS_DIR
        self.runs_dir.mkdir(parents=True, exist_ok=True)
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


def _describe(error: BaseException) -> str:
    if isinstance(error, UserError):
        return " ".join(line.strip() for line in error.lines)
    return f"{type(error).__name__}: {error}"


@dataclass(frozen=True)
class RunOutput:
    """What a worker needs, besides the results, to write one run folder (travels with the job)."""

    scenario: Scenario
    folder: str  # absolute, so workers need not share the client's working directory
    command: str
    keep_worlds: bool
    plots: bool


@dataclass(frozen=True)
class RunRecord:
    """All that comes back from a worker for a finished run (the results stay in the worker)."""

    run_id: str
    path: str


def write_batch_run(job: Job, results: Results, wall: float) -> RunRecord:
    """`finish` step of a batch run: write its folder atomically (summary, manifest, ...).

    Module-level so process and Dask workers can unpickle it by reference; it runs in the
    worker that simulated the run (or in this process for chunked batches).
    """
    output: RunOutput = job.payload
    folder = write_run(
        results,
        output.scenario,
        Path(output.folder),
        keep_worlds=output.keep_worlds,
        command=output.command,
        wall_time=wall,
        overwrite=True,
        add_files=_plotter(results) if output.plots else None,
    )
    return RunRecord(job.key, str(folder))


@app.command()
def batch(
    file: Annotated[Path, typer.Argument(help="Batch YAML file (see docs/batches.md).")],
    out: Annotated[Path, typer.Option("--out", help="Batch folder (created; resumed if present).")],
    executor: ExecutorOpt = "processes",
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    chunk_worlds: Annotated[
        int | None, typer.Option("--chunk-worlds", help="Worlds per chunk (default: batch file).")
    ] = None,
    plots: Annotated[bool, typer.Option("--plots", help="Draw fan charts for every run.")] = False,
    keep_worlds: Annotated[
        bool, typer.Option("--keep-worlds", help="Also save per-world trajectories (large).")
    ] = False,
) -> None:
    """Run every run of a batch file; re-running the same command resumes where it stopped."""
    spec = load_batch(file)
    chunk = chunk_worlds or spec.chunk_worlds
    if chunk < 1:
        raise UserError("--chunk-worlds: must be at least 1")
    store = BatchStore(out, spec.runs)
    console = Console(stderr=True)
    todo: list[RunSpec] = []
    for run in spec.runs:
        if store.done(run.run_id):
            if run.run_id not in store.rows:
                store.record(run, "ok")
        else:
            todo.append(run)
    skipped = len(spec.runs) - len(todo)
    if skipped:
        console.print(f"resuming: {skipped} of {len(spec.runs)} runs already done in {out}")

    by_id = {run.run_id: run for run in todo}
    command = f"lynchpin batch {file} --out {out}"
    runs_dir = store.runs_dir.resolve()
    jobs: list[Job] = []
    for run in todo:
        try:
            scenario, job = run.prepare()
        except Exception as error:
            store.record(run, "failed", _describe(error))
            continue
        output = RunOutput(
            scenario,
            str(runs_dir / run.run_id),
            f"{command}  # run {run.run_id}",
            keep_worlds,
            plots,
        )
        jobs.append(dataclasses.replace(job, payload=output))

    def on_done(job: Job, record: RunRecord | None, error: BaseException | None, wall: float):
        status = "ok" if error is None else "failed"
        store.record(by_id[job.key], status, "" if error is None else _describe(error), wall)
        progress.console.print(f"{status:6} {job.key}  ({wall:.1f} s)")

    with open_executor(executor, workers, scheduler) as pool, _progress() as progress:
        mode: Mode = "auto"
        if jobs and not shares_filesystem(pool, runs_dir):
            console.print("workers cannot see the output folder: runs are written by this process")
            mode = "chunks"
        bar = progress.add_task(spec.name, total=None, unit="runs")
        execute(
            jobs,
            pool,
            on_done,
            chunk_worlds=chunk,
            finish=write_batch_run,
            mode=mode,
            on_progress=lambda done, total, unit: progress.update(
                bar, completed=done, total=total, unit=unit
            ),
        )
    failed = [row for row in store.rows.values() if row["status"] == "failed"]
    ok = len(store.rows) - len(failed)
    console.print(f"{ok} runs ok, {len(failed)} failed; index: {out / INDEX_FILE}")
    if failed:
        for row in failed:
            print(
                f"failed: {row['run_id']} {row['scenario']} {row['parameters']}: {row['error']}",
                file=sys.stderr,
            )
        raise typer.Exit(1)


def _plotter(results: Results):
    """Write the standard fan charts of a run into its staging folder.

    The summary is read back from the staging folder rather than computed a second time.
    """
    from lynchpin.plots import plot_run

    def draw(staging: Path) -> None:
        summary = pd.read_csv(staging / SUMMARY_FILE)
        plot_run(summary, staging / "plots", results.scenario, results.worlds)

    return draw


@app.command()
def compare(
    dirs: Annotated[list[Path], typer.Argument(help="Run folders, or batch folders (all runs).")],
    baseline: Annotated[
        str | None, typer.Option("--baseline", help="Run to subtract (default: 'baseline').")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for figures and tables.")] = Path(
        "comparison"
    ),
    at: Annotated[
        str, typer.Option("--at", help="Comma-separated quarters for the summary table.")
    ] = "2025Q4,2030Q4,2035Q4",
) -> None:
    """Overlay runs, subtract a baseline world by world, and tabulate outcomes at chosen dates."""
    from lynchpin.analysis import compare as run_compare

    written = run_compare(dirs, out, baseline, [p.strip() for p in at.split(",") if p.strip()])
    Console(stderr=True).print(f"wrote {len(written)} files to {out}")


@app.command()
def sensitivity(
    scenario: Annotated[str, typer.Argument(help="Scenario name or file.")],
    param: Annotated[
        list[str],
        typer.Option("--param", help="NAME=LOW:HIGH, e.g. JPN.defence_ceiling=0.01:0.03."),
    ],
    outcome: Annotated[
        str, typer.Option("--outcome", help="METRIC@PERIOD, e.g. system.armed_conflict@2035Q4.")
    ],
    method: Annotated[str, typer.Option("--method", help="sobol or morris.")] = "morris",
    samples: Annotated[
        int,
        typer.Option("--samples", help="Base samples N (Sobol: power of 2; Morris: trajectories)."),
    ] = 16,
    worlds: Annotated[int | None, typer.Option("--worlds", help="Worlds per sample.")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed (default: scenario's).")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for indices and plot.")] = Path(
        "sensitivity"
    ),
    executor: ExecutorOpt = "processes",
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
) -> None:
    """Rank parameters by their influence on one outcome (SALib Sobol or Morris)."""
    from lynchpin.analysis.sensitivity import indices, plot_indices
    from lynchpin.experiments import sensitivity as experiment
    from lynchpin.scenario import load_scenario

    if samples < 2:
        raise UserError("--samples: must be at least 2")
    base = load_scenario(scenario).with_overrides(worlds=worlds, seed=seed)
    factors = [experiment.parse_factor(text) for text in param]
    target = experiment.parse_outcome(outcome, base)
    points = experiment.sample(method, factors, samples, base.seed)
    with open_executor(executor, workers, scheduler) as pool, _progress() as progress:
        bar = progress.add_task(f"{method} x{len(points)}", total=None, unit="runs")
        values = experiment.evaluate(
            base,
            factors,
            points,
            target,
            pool,
            on_progress=lambda done, total, unit: progress.update(
                bar, completed=done, total=total, unit=unit
            ),
        )
    table = indices(method, factors, points, values, base.seed)
    design = pd.DataFrame(points, columns=[f.name for f in factors]).assign(**{str(target): values})
    atomic_write_text(out / "indices.csv", table.to_csv(index=False))
    atomic_write_text(out / "samples.csv", design.to_csv(index=False))
    atomic_write_bytes(out / "sensitivity.png", plot_indices(table, method, str(target)))
    Console(stderr=True).print(table.to_string(index=False))
    Console(stderr=True).print(f"wrote indices.csv, samples.csv, sensitivity.png to {out}")
