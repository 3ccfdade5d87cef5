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
    uncertainty: Annotated[
        str,
        typer.Option(
            "--uncertainty",
            help="Parameters per world: posterior (history matching, the default), priors, "
            "none or a CSV table of draws.",
        ),
    ] = "posterior",
) -> None:
    """Score the history scenarios from the 2015 and 2020 origins against the record.

    Fits nothing: each group of worlds resamples a draw of the history-matching posterior
    (fitted on 2015-2019 by `lynchpin calibrate`) and is scored out of sample on 2020-2024
    with weighted interval scores, coverage and PIT, against persistence, trend and AR(1)
    forecasts of the same points.

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

        result = run_backtest(worlds=worlds, seed=seed, on_step=on_step, uncertainty=uncertainty)
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
def calibrate(
    draws: Annotated[
        int,
        typer.Option(
            "--draws", help="Parameter draws for history matching (0: the moment fits only)."
        ),
    ] = 10_000,
    worlds_per_draw: Annotated[
        int,
        typer.Option("--worlds-per-draw", help="Worlds per draw (luck around each draw)."),
    ] = 10,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the parameter draws.")] = 20150101,
    cut: Annotated[
        float, typer.Option("--cut", help="Implausibility above which a draw is ruled out.")
    ] = 3.0,
    rank: Annotated[
        int,
        typer.Option("--rank", help="Which largest implausibility is cut (1: max, 2: second)."),
    ] = 2,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Posterior file (default: lynchpin/data/posterior.csv)."),
    ] = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an existing posterior file.")
    ] = False,
) -> None:
    """Refit lynchpin/data/calibration.csv and history-match the parameters on 2015-2019.

    The moment fits rewrite calibration.csv; the model keeps running with its registry and
    actors.csv defaults, which must equal the fitted values (a test checks), and any that now
    differ are printed. Then DRAWS parameter draws from the priors, each in WORLDS_PER_DRAW
    lock-step worlds, run from 2015 conditions to 2020Q1; each draw's 2015-2019 points are
    scored by implausibility and the plausible ones written to the posterior file with their
    provenance. 2020-2024 is never used. Prints the cost estimate first and the shrinkage per
    parameter at the end (docs/calibration.md).

    Examples:

    * `lynchpin calibrate --overwrite` (regenerates the shipped posterior, a few minutes)
    * `lynchpin calibrate --draws 2000 --out /tmp/posterior.csv`
    * `lynchpin calibrate --draws 0` (the moment fits only)
    """
    from lynchpin.backtest.calibrate import read_calibration, stale_defaults, write_calibration
    from lynchpin.model.rng import BLOCK_SIZE  # draws are grouped within random-stream blocks
    from lynchpin.scenario.uncertainty import POSTERIOR_PATH, is_posterior, read_header

    target = POSTERIOR_PATH if out is None else out
    if draws < 0 or (draws and draws < 20):
        raise UserError("--draws must be 0 (moment fits only) or at least 20")
    if draws and (worlds_per_draw < 2 or BLOCK_SIZE % worlds_per_draw):
        raise UserError(
            f"--worlds-per-draw must divide {BLOCK_SIZE} and be at least 2 (2, 5, 10, 25, ...)"
        )
    if draws and not 1 <= rank <= 10:
        raise UserError("--rank must lie in 1..10 (2: the second-largest implausibility)")
    if draws and not cut > 0:
        raise UserError("--cut must be positive (3: Pukelsheim's three-sigma rule)")
    if draws and not target.parent.is_dir():
        raise UserError(f"--out {target}: no such directory {target.parent}")
    from lynchpin.backtest.posterior import shrinkage_path

    sibling = shrinkage_path(target)
    if draws and sibling.exists() and not sibling.read_text(errors="replace").startswith("# shr"):
        raise UserError(f"{sibling}: exists and is not a shrinkage table lynchpin wrote")
    if draws and target.exists():  # fail now, before anything is spent
        if target.is_dir() or not is_posterior(target):
            raise UserError(f"--out {target}: exists and is not a posterior lynchpin wrote")
        if not overwrite:
            made = read_header(target).get("created", "earlier")
            raise UserError(
                f"--out {target}: exists (written by lynchpin calibrate, {made}); pass "
                "--overwrite to replace it"
            )
    with _progress() as progress:
        task = progress.add_task("fitting on 2015-2019", total=None)

        def on_fit(name: str, done: int, total: int) -> None:
            progress.update(task, total=total, completed=done, description=f"fitted {name}")

        path = write_calibration(on_fit=on_fit)
    print(f"wrote {path}")
    stale = stale_defaults(read_calibration(path))
    if not stale:
        print("the model's defaults equal the fitted values")
    else:
        print(f"{len(stale)} default(s) differ from the fitted values; update them to match:")
        for name, (default, fit) in stale.items():
            print(f"  {name}: default {default:g}, fitted {fit:g}")
    if draws:
        _history_match(draws, worlds_per_draw, seed, cut, rank, target)


def _history_match(
    draws: int, worlds_per_draw: int, seed: int, cut: float, rank: int, target: Path
) -> None:
    """Run the ensemble, write the posterior, print the shrinkage table."""
    from lynchpin.backtest import history_matching as hm
    from lynchpin.backtest.posterior import summary_lines, update_docs, write_posterior
    from lynchpin.scenario.uncertainty import POSTERIOR_PATH

    estimate = hm.estimate_seconds(draws, worlds_per_draw, seed)
    worlds = draws * worlds_per_draw
    memory = 200 + 0.035 * min(worlds, hm.CHUNK_WORLDS)
    print(
        f"history matching: {draws} draws x {worlds_per_draw} worlds = {worlds} worlds from "
        f"2015 to 2020Q1; estimated {estimate:.0f} s, about {memory:.0f} MB"
    )
    with _progress() as progress:
        task = progress.add_task("history matching 2015-2019", total=worlds)

        def on_chunk(name: str, done: int, total: int) -> None:
            progress.update(task, completed=done)

        match = hm.run_history_matching(draws, worlds_per_draw, seed, cut, rank, on_chunk=on_chunk)
    kept = int(match.plausible.sum())
    print(
        f"{kept} of {draws} draws plausible ({kept / draws:.0%}; {hm.ordinal(rank)} largest "
        f"implausibility <= {cut:g} over {len(match.outputs)} outputs) in "
        f"{match.seconds:.0f} s, peak memory {match.peak_mb:.0f} MB"
    )
    if not kept:
        raise UserError("no draw is plausible: nothing written (try a larger --cut or --rank)")
    for path in write_posterior(match, target):
        print(f"wrote {path}")
    table = hm.shrinkage_table(match)
    if target.resolve() == POSTERIOR_PATH:  # the shipped file: keep its docs table in step
        docs = update_docs(table)
        if docs is not None:
            print(f"wrote {docs} (shrinkage table)")
    for line in summary_lines(table):
        print(line)
