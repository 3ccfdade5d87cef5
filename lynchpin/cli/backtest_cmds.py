"""`lynchpin backtest` and `lynchpin calibrate`: fit on 2015-2019, score 2020-2024 out of sample.

Wiring only: lynchpin.backtest fits, runs and writes; this module parses options and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lynchpin.cli import app
from lynchpin.errors import UserError


@app.command()
def backtest(
    worlds: Annotated[int, typer.Option("--worlds", help="Monte Carlo worlds.")] = 1000,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Random seed (default: the scenario's).")
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="Directory for backtest.md, CSVs and PNGs.")
    ] = Path("runs/backtest"),
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace the files of an existing report.")
    ] = False,
) -> None:
    """Score the history scenarios from the 2015 and 2020 origins against the record.

    Fits nothing: the model runs with its defaults (fitted on 2015-2019 by `lynchpin
    calibrate`) and is scored out of sample on 2020-2024 with weighted interval scores,
    coverage and PIT, against persistence, trend and AR(1) forecasts of the same points.

    Examples:

    * `lynchpin backtest` (writes runs/backtest/)
    * `lynchpin backtest --worlds 1000 --out docs/backtest --overwrite` (regenerates the
      committed report)
    """
    from lynchpin.outputs import check_out_dir

    if worlds < 20:
        raise UserError("--worlds must be at least 20 for 5%/95% bands to mean anything")
    # fail now, not after the simulation; the report writes its own files, removes nothing
    check_out_dir(out, overwrite, only_lynchpin=False)
    from lynchpin.backtest.engine import run_backtest
    from lynchpin.backtest.report import write_report

    with _progress() as progress:
        tasks: dict[str, int] = {}

        def on_step(origin: str, done: int, total: int) -> None:
            if origin not in tasks:
                tasks[origin] = progress.add_task(f"origin {origin}", total=total)
            progress.update(tasks[origin], completed=done)

        result = run_backtest(worlds=worlds, seed=seed, on_step=on_step)
        scoring = progress.add_task("scoring and writing", total=None)
        written = write_report(result, out)
        progress.update(scoring, total=1, completed=1)
    for path in written:
        print(f"wrote {path}")
    for name, origin in result.origins.items():
        overall, skill = origin.overall, origin.skill.iloc[-1]
        print(
            f"origin {name}: 90% coverage {overall['coverage90']:.2f} over "
            f"{overall['points']} points; WIS skill vs best naive ({skill.best_naive}) "
            f"{skill.skill_vs_best:+.2f}"
        )


def _progress():
    """A rich progress bar on stderr (stdout keeps the lines a script may parse)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=True,
    )


@app.command()
def calibrate() -> None:
    """Refit lynchpin/data/calibration.csv from the shipped 2015-2019 history.

    Rewrites only that file; the model keeps running with its registry and actors.csv
    defaults, which must equal the fitted values (a test checks). Prints any that now differ.

    Example: `lynchpin calibrate`
    """
    from lynchpin.backtest.calibrate import read_calibration, stale_defaults, write_calibration

    with _progress() as progress:
        task = progress.add_task("fitting on 2015-2019", total=None)

        def on_fit(name: str, done: int, total: int) -> None:
            progress.update(task, total=total, completed=done, description=f"fitted {name}")

        path = write_calibration(on_fit=on_fit)
    print(f"wrote {path}")
    stale = stale_defaults(read_calibration(path))
    if not stale:
        print("the model's defaults equal the fitted values")
        return
    print(f"{len(stale)} default(s) differ from the fitted values; update them to match:")
    for name, (default, fit) in stale.items():
        print(f"  {name}: default {default:g}, fitted {fit:g}")
