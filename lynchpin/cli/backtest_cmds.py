"""`lynchpin calibrate` and `lynchpin backtest`: fit on 2015-2019, score on 2020-2024.

Wiring only: lynchpin.backtest fits, runs and writes; this module parses options and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lynchpin.cli import app
from lynchpin.errors import UserError


@app.command()
def calibrate() -> None:
    """Refit lynchpin/data/calibration.csv from the shipped 2015-2019 history.

    Example: `lynchpin calibrate`
    """
    from lynchpin.backtest.calibrate import write_calibration

    print(f"wrote {write_calibration()}")


@app.command()
def backtest(
    worlds: Annotated[int, typer.Option("--worlds", help="Monte Carlo worlds.")] = 1000,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Random seed (default: the scenario's).")
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="Directory for backtest.md, points.csv and PNGs.")
    ] = Path("docs/backtest"),
) -> None:
    """Run history-2020-2024 from 2020 conditions and score it against the observed record.

    Example: `lynchpin backtest --worlds 1000 --out docs/backtest`
    """
    from lynchpin.backtest.report import run_backtest, write_report

    if worlds < 20:
        raise UserError("--worlds must be at least 20 for 5%/95% bands to mean anything")
    result = run_backtest(worlds=worlds, seed=seed)
    for path in write_report(result, out):
        print(f"wrote {path}")
    overall = result.overall
    print(
        f"90% band coverage {overall['coverage90']:.2f} over {overall['points']} points "
        f"(model-only band {overall['model_coverage90']:.2f})"
    )
