"""`lynchpin discover`: which inputs lead to the outcomes of interest (scenario discovery)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from lynchpin.cli import app


@app.command()
def discover(
    source: Annotated[
        Path, typer.Argument(help="A batch folder (experiments.csv) or a run folder.")
    ],
    outcome: Annotated[
        str,
        typer.Option(
            "--outcome",
            metavar="ACTOR.METRIC@PERIOD",
            help="The outcome, e.g. system.armed_conflict@2035Q4 (a batch: its mean over "
            "worlds; give ...@2035Q4.p95 for another column of experiments.csv).",
        ),
    ],
    where: Annotated[
        str | None,
        typer.Option("--where", help="Cases of interest: a comparison, e.g. '> 0.2'."),
    ] = None,
    top: Annotated[
        str | None,
        typer.Option("--top", help="Cases of interest: the highest share, e.g. 10%."),
    ] = None,
    min_density: Annotated[
        float,
        typer.Option(
            "--min-density",
            min=0.0,
            max=1.0,
            help="Report the widest-coverage box at least this dense.",
        ),
    ] = 0.8,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the extra trees.")] = 0,
    out: Annotated[Path, typer.Option("--out", help="Folder for tables, figures, summary.")] = (
        Path("runs/discover")
    ),
    formats: Annotated[
        str, typer.Option("--format", help="Figure formats, comma-separated: png, svg, pdf.")
    ] = "png",
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace --out.")] = False,
) -> None:
    """Find the input ranges that lead to an outcome (PRIM boxes, extra-trees feature scores).

    Uses EMA Workbench's analysis package. Writes prim_trajectory.csv, prim_box.csv,
    feature_scores.csv, discovery.md and the figures tradeoff, box and feature_scores.

    Examples:

    * `lynchpin discover runs/lhs --outcome system.armed_conflict@2035Q4 --where '> 0.2'`
    * `lynchpin discover runs/lhs --outcome system.alliance_cohesion@2030Q4 --top 10%
      --format png,pdf`
    """
    from rich.console import Console

    from lynchpin.analysis.discover import (
        cases_of_interest,
        load_experiments,
        summary_markdown,
    )
    from lynchpin.analysis.discover import (
        discover as find,
    )
    from lynchpin.outputs import atomic_write_text, check_out_dir, staged_dir
    from lynchpin.plots.discover import box_figure, scores_figure, tradeoff_figure
    from lynchpin.plots.export import parse_formats, write_figure

    kinds = parse_formats(formats)
    check_out_dir(out, overwrite)
    experiments = load_experiments(source, outcome)
    interest, rule = cases_of_interest(experiments.y, where, top)
    found = find(experiments, interest, rule, min_density=min_density, seed=seed)
    with staged_dir(out) as staging:
        atomic_write_text(staging / "prim_trajectory.csv", found.trajectory.to_csv(index=False))
        atomic_write_text(staging / "prim_box.csv", found.limits.to_csv(index=False))
        atomic_write_text(staging / "feature_scores.csv", found.scores.to_csv(index=False))
        figures: list[str] = []
        for stem, draw in (
            ("tradeoff", tradeoff_figure),
            ("box", box_figure),
            ("feature_scores", scores_figure),
        ):
            figures += write_figure(draw(found), staging, stem, kinds)
        text = summary_markdown(found, source, figures)
        atomic_write_text(staging / "discovery.md", text)
    print(text)
    Console(stderr=True).print(f"wrote discovery.md, 3 tables and {len(figures)} figures to {out}")
