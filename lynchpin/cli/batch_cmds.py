"""`lynchpin batch`, `lynchpin compare`, `lynchpin sensitivity`: many runs, and what they show.

Wiring only: experiments decide what runs and where, outputs write each run and the batch
folder (lynchpin.outputs.batch_dir), the analysis package compares runs and computes
sensitivity indices, plots draws them.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from lynchpin.cli import app, command_line
from lynchpin.cli.options import FORCE_HELP
from lynchpin.errors import UserError

if TYPE_CHECKING:
    import pandas as pd

    from lynchpin.experiments.runner import Job
    from lynchpin.outputs.batch_dir import BatchStore, RunRecord

# The experiments, outputs and analysis layers (pandas, SciPy, Mesa) are imported inside the
# commands, so `lynchpin --help` and the other commands do not pay for them.

ExecutorOpt = Annotated[
    str, typer.Option("--executor", help="serial, processes or dask.", show_default=True)
]
WorkersOpt = Annotated[
    int | None, typer.Option("--workers", min=1, help="Worker processes (default: CPU count).")
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="Dask scheduler address, e.g. tcp://host:8786."),
]
OverwriteOpt = Annotated[
    bool, typer.Option("--overwrite", help="Replace an existing output folder.")
]
ForceOpt = Annotated[bool, typer.Option("--force", help=FORCE_HELP)]


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


def _dates(at: str | None) -> list[str] | None:
    """`--at 2025Q4,2035Q4` as quarters, checked (UserError naming the bad one)."""
    if at is None:
        return None
    from lynchpin.model.periods import format_quarter, parse_quarter

    dates = []
    for text in (p.strip() for p in at.split(",")):
        if not text:
            continue
        try:
            dates.append(format_quarter(parse_quarter(text)))
        except ValueError as error:
            raise UserError(f"--at {text!r}: {error}; expected quarters like 2030Q4") from None
    return dates or None


def _describe(error: BaseException) -> str:
    if isinstance(error, UserError):
        return " ".join(line.strip() for line in error.lines)
    return f"{type(error).__name__}: {error}"


@app.command()
def batch(
    file: Annotated[Path, typer.Argument(help="Batch YAML file (see docs/batches.md).")],
    out: Annotated[Path, typer.Option("--out", help="Batch folder (created; resumed if present).")],
    executor: ExecutorOpt = "processes",
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    chunk_worlds: Annotated[
        int | None,
        typer.Option("--chunk-worlds", min=1, help="Worlds per chunk (default: batch file)."),
    ] = None,
    plots: Annotated[bool, typer.Option("--plots", help="Draw fan charts for every run.")] = False,
    keep_worlds: Annotated[
        bool, typer.Option("--keep-worlds", help="Also save per-world trajectories (large).")
    ] = False,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite",
            help="Replace the folder instead of resuming it (needed if it holds another batch).",
        ),
    ] = False,
    force: ForceOpt = False,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="Comma-separated quarters of the outcomes in experiments.csv and each run's "
            "worlds_outcomes.parquet (default: 2025Q4,2030Q4,2035Q4 where the runs have them).",
        ),
    ] = None,
) -> None:
    """Run every run of a batch file; re-running the same command resumes where it stopped.

    Every key of every run is checked before the first run starts. The folder gets
    experiments.csv: one row per run, its varied inputs and its key outcomes at the --at dates.

    The folder remembers its batch file (batch.json: name and SHA-256); pointing another or an
    edited batch file at it is refused unless --overwrite.

    Examples:

    * `lynchpin batch scenarios/batches/example.yaml --out runs/example`
    * `lynchpin batch scenarios/batches/all-nine.yaml --out runs/nine --workers 2`
    * `lynchpin batch my-batch.yaml --out runs/mine --executor dask --scheduler tcp://host:8786`
    """
    from lynchpin.experiments import load_batch
    from lynchpin.outputs.batch_dir import BatchStore, open_batch_dir

    dates = _dates(at)
    spec = load_batch(file)
    chunk = chunk_worlds if chunk_worlds is not None else spec.chunk_worlds
    scenario_files = {Path(run.scenario) for run in spec.runs if run.scenario.endswith(".yaml")}
    with open_batch_dir(out, spec.name, file, overwrite, scenario_files) as identity:
        store = BatchStore(out, spec.runs, identity)
        _run_batch(
            spec, store, out, executor, workers, scheduler, chunk, plots, keep_worlds, force, dates
        )
    _report(store, out, dates)


def _run_batch(
    spec, store, out, executor, workers, scheduler, chunk, plots, keep_worlds, force, dates
):
    """The runs still to do, estimated, then executed; each finished run is recorded at once."""
    from lynchpin.experiments import RunSpec, execute, open_executor
    from lynchpin.experiments.cost import (
        batch_estimate,
        check_cost,
        parallel_workers,
    )
    from lynchpin.experiments.executors import shares_filesystem
    from lynchpin.experiments.runner import Mode
    from lynchpin.outputs.batch_dir import RunOutput, combine_run, spill_big_run, write_batch_run

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
        console.print(
            f"resuming: {skipped} of {len(spec.runs)} runs already done in {escape(str(out))}"
        )

    from lynchpin.plots.workers import batch_chart_workers, batch_charts

    by_id = {run.run_id: run for run in todo}
    command = command_line()
    runs_dir = store.runs_dir.resolve()
    jobs: list[Job] = []
    problems: list[str] = []
    for run in todo:
        try:
            scenario, job = run.prepare()
        except UserError as error:
            problems += [f"run {run.run_id} ({run.scenario}): {line}" for line in error.lines]
            continue
        output = RunOutput(
            scenario,
            str(runs_dir / run.run_id),
            f"{command}  # run {run.run_id}",
            keep_worlds,
            batch_charts if plots else None,
            run.params or None,
            tuple(dates) if dates else None,
        )
        jobs.append(dataclasses.replace(job, payload=output))
    if problems:  # nothing has run yet: fix the batch file first
        raise UserError(*problems)
    parallel = parallel_workers(executor, workers)
    estimate = batch_estimate([(j.config, j.worlds) for j in jobs], parallel, keep_worlds)
    check_cost(f"{len(jobs):,} runs on {parallel} worker(s)", estimate, force)

    def on_done(job: Job, record: RunRecord | None, error: BaseException | None, wall: float):
        status = "ok" if error is None else "failed"
        store.record(by_id[job.key], status, "" if error is None else _describe(error), wall)
        progress.console.print(f"{status:6} {job.key}  ({wall:.1f} s)")

    # A serial batch writes its runs here: fork chart workers now (before any thread starts),
    # so they draw each run's charts while this process writes its tables.
    in_here = plots and executor == "serial"
    with (
        batch_chart_workers(sum(j.worlds for j in jobs) if in_here else 0),
        open_executor(executor, workers, scheduler) as pool,
        _progress() as progress,
    ):
        mode: Mode = "auto"
        shared = not jobs or shares_filesystem(pool, runs_dir)
        if not shared:
            console.print("workers cannot see the output folder: runs are written by this process")
            mode = "chunks"
        bar = progress.add_task(escape(spec.name), total=None, unit="runs")
        execute(
            jobs,
            pool,
            on_done,
            chunk_worlds=chunk,
            combine=combine_run,
            finish=write_batch_run,
            mode=mode,
            collect=spill_big_run if shared else None,  # big runs' chunks wait on disk
            on_progress=lambda done, total, unit: progress.update(
                bar, completed=done, total=total, unit=unit
            ),
        )


def _report(store: BatchStore, out: Path, dates: list[str] | None) -> None:
    from lynchpin.experiments import INDEX_FILE

    failed = [row for row in store.rows.values() if row["status"] == "failed"]
    ok = len(store.rows) - len(failed)
    experiments = store.write_experiments(dates)
    Console(stderr=True).print(
        f"{ok} runs ok, {len(failed)} failed; index: {escape(str(out / INDEX_FILE))}; "
        f"experiments: {escape(str(experiments))}"
    )
    if failed:
        for row in failed:
            print(
                f"failed: {row['run_id']} {row['scenario']} {row['parameters']}: {row['error']}",
                file=sys.stderr,
            )
        raise typer.Exit(1)


@app.command()
def compare(
    dirs: Annotated[list[Path], typer.Argument(help="Run folders, or batch folders (all runs).")],
    baseline: Annotated[
        str | None, typer.Option("--baseline", help="Run to subtract (default: 'baseline').")
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for figures and tables.")] = Path(
        "runs/comparison"
    ),
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            help="Comma-separated quarters for the summary table "
            "(default: 2025Q4,2030Q4,2035Q4 where the runs have them).",
        ),
    ] = None,
    overwrite: OverwriteOpt = False,
    formats: Annotated[
        str, typer.Option("--format", help="Figure formats, comma-separated: png, svg, pdf.")
    ] = "png",
) -> None:
    """Overlay runs, subtract a baseline world by world, and tabulate outcomes at chosen dates.

    Beyond six runs the figures become outcome-versus-input views: scatter with a smoother for
    sampled designs, heat maps for two-way grids, small multiples otherwise.

    Examples:

    * `lynchpin compare runs/nine --baseline baseline --out runs/nine-compare`
    * `lynchpin compare runs/baseline runs/america-first --at 2025Q4,2035Q4 --overwrite`
    """
    from lynchpin.analysis import compare as run_compare
    from lynchpin.plots.export import parse_formats

    kinds = parse_formats(formats)
    dates = _dates(at)
    notes: list[str] = []
    written = run_compare(
        dirs,
        out,
        baseline,
        dates,
        overwrite=overwrite,
        notes=notes,
        formats=kinds,
        on_table=_print_comparison,
    )
    console = Console(stderr=True)
    for note in notes:
        console.print(f"note: {escape(note)}")
    console.print(f"wrote {len(written)} files to {escape(str(out))}")


def _print_comparison(table: pd.DataFrame, at: list[str]) -> None:
    """The headline table, as `run` prints one: runs in rows, key outcomes at the last date;
    mean [90% of worlds], probabilities mean [90% CI of the mean]."""
    from rich.table import Table

    from lynchpin.outputs import is_probability

    period = at[-1]
    part = table[table["period"] == period]
    outcomes = list(dict.fromkeys(part["outcome"]))
    grid = Table(
        title=f"Outcomes at {period}: mean \\[90% of worlds]; probabilities: mean \\[90% CI]",
        title_justify="left",
    )
    grid.add_column("Run", no_wrap=True)
    for outcome in outcomes:
        unit = part[part["outcome"] == outcome].iloc[0]["unit"]
        grid.add_column(escape(outcome.removeprefix("system.") + (f" ({unit})" if unit else "")))
    for run in dict.fromkeys(part["run"]):
        cells = []
        for outcome in outcomes:
            rows = part[(part["outcome"] == outcome) & (part["run"] == run)]
            if rows.empty:
                cells.append("")
                continue
            r = rows.iloc[0]
            low, high = (
                ("mean_lo", "mean_hi") if is_probability(*outcome.split(".")) else ("p05", "p95")
            )
            cells.append(f"{_short(r['mean'])} \\[{_short(r[low])}-{_short(r[high])}]")
        grid.add_row(escape(str(run)), *cells)
    longest = max((len(str(run)) for run in part["run"]), default=10)
    Console(width=max(120, longest + 22 * len(outcomes) + 8)).print(grid)


def _short(value: float) -> str:
    size = abs(value)
    return f"{value:.0f}" if size >= 100 else f"{value:.1f}" if size >= 10 else f"{value:.2f}"


@app.command()
def sensitivity(
    scenario: Annotated[str, typer.Argument(help="Scenario name or file.")],
    param: Annotated[
        list[str],
        typer.Option(
            "--param",
            metavar="NAME=LOW:HIGH",
            help="A numeric parameter and its range (repeatable), e.g. JPN.defence_goal=0.01:0.03.",
        ),
    ],
    outcome: Annotated[
        list[str],
        typer.Option(
            "--outcome",
            metavar="ACTOR.METRIC@PERIOD",
            help="An outcome to explain (mean over worlds), e.g. system.armed_conflict@2035Q4; "
            "repeatable: every outcome comes from the same samples.",
        ),
    ],
    method: Annotated[str, typer.Option("--method", help="sobol or morris.")] = "morris",
    samples: Annotated[
        int,
        typer.Option("--samples", help="Base samples N (Sobol: power of 2; Morris: trajectories)."),
    ] = 16,
    worlds: Annotated[
        int | None, typer.Option("--worlds", min=1, help="Worlds per sample.")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed (default: scenario's).")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for indices and plot.")] = Path(
        "runs/sensitivity"
    ),
    overwrite: OverwriteOpt = False,
    executor: ExecutorOpt = "processes",
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    force: ForceOpt = False,
    formats: Annotated[
        str, typer.Option("--format", help="Figure formats, comma-separated: png, svg, pdf.")
    ] = "png",
) -> None:
    """Rank parameters by their influence on outcomes (SALib Sobol or Morris).

    Several --outcome values are computed from the same samples in one pass. Writes
    indices.csv (tidy: one row per outcome and parameter), samples.csv, sensitivity.png and,
    for Morris, morris.png (mu* against sigma). Keys are those of --set, shock fields included
    (e.g. shocks.drawdown.size=-0.8:0).

    Examples:

    * `lynchpin sensitivity baseline --param counter_a2ad_share=0:0.4
      --param JPN.defence_goal=0.01:0.03 --outcome system.armed_conflict@2035Q4`
    * `lynchpin sensitivity baseline --method sobol --samples 16
      --param depreciation=0.06:0.1 --outcome JPN.defence_share_gdp@2030Q4 --out runs/sobol`
    * `lynchpin sensitivity us-retrenchment --param shocks.drawdown.size=-0.8:0
      --param USA.attention=0.5:1 --outcome system.armed_conflict@2035Q4
      --outcome system.alliance_cohesion@2030Q4`
    """
    import pandas as pd

    from lynchpin.analysis.sensitivity import indices_table, stability_warning
    from lynchpin.experiments import open_executor
    from lynchpin.experiments import sensitivity as experiment
    from lynchpin.outputs import (
        MANIFEST_FILE,
        atomic_write_text,
        check_out_dir,
        folder_manifest,
        staged_dir,
    )
    from lynchpin.plots.export import parse_formats, write_figure
    from lynchpin.plots.sensitivity import plot_indices, plot_mu_sigma
    from lynchpin.scenario import load_scenario

    if samples < 2:
        raise UserError("--samples: must be at least 2")
    if method not in experiment.METHODS:
        raise UserError(f"--method: unknown method {method!r}; expected sobol or morris")
    kinds = parse_formats(formats)
    from lynchpin.experiments.cost import (
        batch_estimate,
        check_cost,
        check_design_size,
        parallel_workers,
    )

    base = load_scenario(scenario).with_overrides(worlds=worlds, seed=seed)
    check_out_dir(out, overwrite, inputs=[base.path])
    factors = [experiment.parse_factor(text) for text in param]
    experiment.check_factors(factors, base)
    targets = list(dict.fromkeys(experiment.parse_outcome(text, base) for text in outcome))
    names = [str(t) for t in targets]
    # Sobol (first and total order) evaluates N (D + 2) points, Morris N (D + 1).
    count = samples * (len(factors) + (2 if method == "sobol" else 1))
    check_design_size(f"--samples {samples} with {len(factors)} parameters ({method})", count)
    parallel = parallel_workers(executor, workers)
    config = base.to_config()
    estimate = batch_estimate([(config, base.worlds)] * count, parallel)
    check_cost(f"{method} with {count:,} evaluations", estimate, force)
    points = experiment.sample(method, factors, samples, base.seed)
    with open_executor(executor, workers, scheduler) as pool, _progress() as progress:
        bar = progress.add_task(f"{method} x{len(points)}", total=None, unit="runs")
        values = experiment.evaluate(
            base,
            factors,
            points,
            targets,
            pool,
            on_progress=lambda done, total, unit: progress.update(
                bar, completed=done, total=total, unit=unit
            ),
        )
    table = indices_table(method, factors, points, values, names, base.seed, samples)
    design = pd.DataFrame(points, columns=[f.name for f in factors])
    design[names] = values
    with staged_dir(out) as staging:
        atomic_write_text(staging / "indices.csv", table.to_csv(index=False))
        atomic_write_text(staging / "samples.csv", design.to_csv(index=False))
        written = write_figure(plot_indices(table, method), staging, "sensitivity", kinds)
        if method == "morris":
            written += write_figure(plot_mu_sigma(table), staging, "morris", kinds)
        manifest = folder_manifest(staging, "sensitivity", command=command_line())
        atomic_write_text(staging / MANIFEST_FILE, json.dumps(manifest, indent=2) + "\n")
    console = Console(stderr=True)
    console.print(escape(table.to_string(index=False)))
    warning = stability_warning(table, samples)
    if warning:
        console.print(f"[bold red]{escape(warning)}[/]")
    console.print(f"wrote indices.csv, samples.csv, {', '.join(written)} to {escape(str(out))}")
