"""`lynchpin backtest` and `lynchpin calibrate`: fit on 2015-2019, score on 2020-2024.

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
        Path, typer.Option("--out", help="Directory for backtest.md, points.csv and PNGs.")
    ] = Path("runs/backtest"),
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace the files of an existing report.")
    ] = False,
) -> None:
    """Run history-2020-2024 from 2020 conditions and score it against the observed record.

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
    from lynchpin.backtest.report import run_backtest, write_report

    result = run_backtest(worlds=worlds, seed=seed)
    for path in write_report(result, out):
        print(f"wrote {path}")
    overall = result.overall
    print(
        f"90% band coverage {overall['coverage90']:.2f} over {overall['points']} points "
        f"(model-only band {overall['model_coverage90']:.2f})"
    )


@app.command()
def calibrate() -> None:
    """Refit lynchpin/data/calibration.csv from the shipped 2015-2019 history.

    Rewrites only that file; the model keeps running with its registry and actors.csv
    defaults, which must equal the fitted values (a test checks). Prints any that now differ.

    Example: `lynchpin calibrate`
    """
    from lynchpin.backtest.calibrate import read_calibration, stale_defaults, write_calibration

    path = write_calibration()
    print(f"wrote {path}")
    stale = stale_defaults(read_calibration(path))
    if not stale:
        print("the model's defaults equal the fitted values")
        return
    print(f"{len(stale)} default(s) differ from the fitted values; update them to match:")
    for name, (default, fit) in stale.items():
        print(f"  {name}: default {default:g}, fitted {fit:g}")
