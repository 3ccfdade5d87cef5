"""`lynchpin list | show | validate | run | explain | schema`: one scenario at a time.

Wiring only: the scenario layer loads and checks, the model simulates, outputs write the run
directory, plots draw it; this module adds the progress bar and the printed summary.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from lynchpin.cli import app, command_line
from lynchpin.cli.options import FORCE_HELP, SET_HELP, parse_sets
from lynchpin.errors import UserError

if TYPE_CHECKING:
    import pandas as pd

    from lynchpin.model import Results
    from lynchpin.scenario import Scenario

stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)


@app.command("list")
def list_command() -> None:
    """List the bundled scenarios, one line each.

    Example: `lynchpin list`
    """
    from lynchpin.scenario import list_scenarios

    scenarios = list_scenarios()
    table = Table.grid(padding=(0, 2))
    table.add_column(
        style="bold", no_wrap=True, min_width=max((len(s[0]) for s in scenarios), default=0)
    )
    table.add_column(no_wrap=True, overflow="ellipsis")
    for name, description, _ in scenarios:
        table.add_row(escape(name), escape(_first_sentence(description)))
    stdout.print(table)


@app.command()
def show(
    name: Annotated[str, typer.Argument(help="Bundled scenario name or path to a YAML file.")],
) -> None:
    """Print a scenario fully resolved (`extends` applied, every default filled in) as YAML.

    Examples: `lynchpin show baseline`, `lynchpin show my-scenario.yaml > resolved.yaml`
    """
    import yaml

    from lynchpin.scenario import load_scenario

    print(yaml.safe_dump(load_scenario(name).resolved(), sort_keys=False, allow_unicode=True))


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(help="Scenario files to check.")],
) -> None:
    """Check scenario files without running them: OK per file, or every error with file:line:col.

    Exit status 2 if any file has errors. Example: `lynchpin validate scenarios/*.yaml`
    """
    from lynchpin.scenario import load_scenario

    bad = 0
    for path in paths:
        try:
            load_scenario(path).to_config()
        except UserError as error:
            bad += 1
            stdout.print(f"[bold red]FAIL[/bold red] {escape(str(path))}")
            for line in error.lines:
                stdout.print(f"  {line}", markup=False, soft_wrap=True)
        else:
            stdout.print(f"[bold green]OK[/bold green]   {escape(str(path))}")
    if bad:
        stdout.print(f"{bad} of {len(paths)} files have errors")
        raise typer.Exit(2)


@app.command()
def run(
    scenario: Annotated[
        str, typer.Argument(help="Bundled scenario name (see `lynchpin list`) or a YAML path.")
    ],
    worlds: Annotated[
        int | None, typer.Option(min=1, help="Monte Carlo worlds (default: the scenario's).")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed (default: the scenario's).")] = None,
    out: Annotated[
        Path | None, typer.Option(help="Run directory (default: runs/NAME, NAME the scenario's).")
    ] = None,
    keep_worlds: Annotated[
        bool, typer.Option("--keep-worlds", help="Also write every world to worlds.parquet.")
    ] = False,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace an existing run directory.")
    ] = False,
    no_plots: Annotated[bool, typer.Option("--no-plots", help="Skip the PNG charts.")] = False,
    formats: Annotated[
        str, typer.Option("--format", help="Chart formats, comma-separated: png, svg, pdf.")
    ] = "png",
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help=SET_HELP,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=FORCE_HELP)] = False,
    uncertainty: Annotated[
        str | None,
        typer.Option(
            help="Parameter uncertainty: priors (each world draws its parameters), none (every "
            "parameter fixed: the old behaviour) or a CSV table of draws (default: the "
            "scenario's, normally priors).",
        ),
    ] = None,
) -> None:
    """Run a scenario over many worlds; write summary.csv, uncertainty.csv, parameters.parquet,
    worlds_outcomes.parquet, manifest.json, plots/ and report.html.

    Examples:

    * `lynchpin run baseline`
    * `lynchpin run pandemic-distraction --worlds 2000 --seed 7 --out runs/pandemic`
    * `lynchpin run baseline --set JPN.defence_goal=0.02 --set policies.doctrine=specific`
    * `lynchpin run baseline --uncertainty none` (fixed parameters: only luck varies)
    * `lynchpin run baseline --set 'counter_a2ad_share={uniform: [0.1, 0.3]}'`
    * `lynchpin run my-scenario.yaml --keep-worlds --overwrite`
    """
    from lynchpin.experiments.cost import check_cost, run_estimate
    from lynchpin.outputs import check_out_dir, safe_folder_name, write_run
    from lynchpin.plots.export import parse_formats
    from lynchpin.plots.workers import ChartWorkers, write_chart_files
    from lynchpin.scenario import load_scenario

    kinds = parse_formats(formats)
    overrides = parse_sets(set_)
    _check_scenario_ref(scenario)
    loaded = load_scenario(scenario).with_overrides(
        worlds=worlds, seed=seed, params=overrides or None, uncertainty=uncertainty
    )
    out_dir = out if out is not None else Path("runs") / safe_folder_name(loaded.name)
    check_out_dir(out_dir, overwrite, inputs=[loaded.path])  # fail now, not after the run
    estimate = run_estimate(loaded.to_config(), loaded.worlds, keep_worlds)
    check_cost(
        f"{loaded.worlds:,} worlds{' with --keep-worlds' if keep_worlds else ''}", estimate, force
    )
    # Big runs fork their chart workers now: they import matplotlib while the model runs.
    with ChartWorkers(0 if no_plots else loaded.worlds) as charts:
        began = time.perf_counter()
        results = _simulate(loaded)
        wall_time = time.perf_counter() - began
        summary = results.summary()
        drawing = None
        if not no_plots:  # drawn while write_run writes the tables
            drawing = charts.submit(
                summary, loaded.name, results.worlds, results, kinds, loaded.uncertainty
            )

        def add_plots(staging: Path, summary: pd.DataFrame) -> None:
            write_chart_files(drawing or [], staging / "plots")
            _write_report(staging, summary, results, loaded, overrides)

        write_run(
            results,
            loaded,
            out_dir,
            keep_worlds=keep_worlds,
            command=command_line(),
            wall_time=wall_time,
            overwrite=overwrite,
            add_files=None if no_plots else add_plots,
            overrides=overrides,
            summary=summary,
        )
    _print_key_outcomes(summary, loaded, results)
    _warn_unbound(results, loaded, overrides)
    _print_files(out_dir, wall_time)


@app.command()
def explain(
    claim: Annotated[
        str | None,
        typer.Argument(help="A claim id such as C3, or a parameter name (default: all claims)."),
    ] = None,
) -> None:
    """Show how each claim of the article is modelled: passage, rule, parameters with defaults;
    or, for a parameter, its default, bounds, source and prior (with the reason for its width).

    Examples: `lynchpin explain`, `lynchpin explain C5`, `lynchpin explain escalation_base`
    """
    from lynchpin.model.claims import CLAIMS
    from lynchpin.model.parameters import ACTOR_PARAMS, GLOBAL_PARAMS
    from lynchpin.scenario.messages import did_you_mean

    names = [p.name for p in GLOBAL_PARAMS + ACTOR_PARAMS]
    if claim in names:
        _print_parameter(claim)
        return
    if claim is None:
        chosen = list(CLAIMS.values())
    elif claim.upper() in CLAIMS:
        chosen = [CLAIMS[claim.upper()]]
    else:
        raise UserError(
            f"unknown claim or parameter {claim!r}; claims are {', '.join(CLAIMS)}, parameters "
            "are listed by `lynchpin explain`" + did_you_mean(claim, names)
        )
    for item in chosen:
        _print_claim(item)


@app.command()
def schema() -> None:
    """Print the JSON Schema of scenario files, for editors (YAML language server) and tools.

    Example: `lynchpin schema > scenario.schema.json`
    """
    from lynchpin.scenario import scenario_json_schema

    print(json.dumps(scenario_json_schema(), indent=2))


# -- helpers -------------------------------------------------------------------------------
def _check_scenario_ref(ref: str) -> None:
    """A directory is not a scenario: say so rather than "no such scenario"."""
    if Path(ref).is_dir():
        raise UserError(
            f"{ref}: is a directory; give a bundled scenario name or a scenario YAML file"
        )


def _first_sentence(text: str) -> str:
    return " ".join(text.split()).split(". ")[0].rstrip(".")


def _warn_unbound(results: Results, scenario: Scenario, overrides: dict[str, str]) -> None:
    """A --set limit or goal that bound in no world changed nothing: say so, by name."""
    from lynchpin.model.binding import unbound_settings

    for key in unbound_settings(results, scenario.to_config(), list(overrides)):
        stderr.print(
            f"[yellow]warning:[/yellow] --set {key}={overrides[key]} bound in no world "
            "(no budget reached the limit, or the goal never exceeded the spending norm), "
            "so it changed nothing"
        )


def _simulate(scenario: Scenario) -> Results:
    """Step the model quarter by quarter under a progress bar (same result as simulate())."""
    from lynchpin.model import LynchpinModel

    config = scenario.to_config()
    model = LynchpinModel(config, worlds=scenario.worlds, seed=scenario.seed)
    columns = (
        TextColumn(f"[bold]{escape(scenario.name)}[/bold] {scenario.worlds:,} worlds"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("quarters"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr, transient=False) as progress:
        task = progress.add_task("run", total=config.periods)
        return model.run(scenario.name, on_step=lambda: progress.advance(task))


def _print_key_outcomes(summary: pd.DataFrame, scenario: Scenario, results: Results) -> None:
    """Milestone-year outcomes the article argues about: the median world with the 90% interval
    over worlds; for the probability of armed conflict, the mean over worlds with the 90%
    interval of that probability across parameter draws, and on its own row the Monte Carlo
    error of the mean. The last column: the share of the final year's variance across worlds
    that is ignorance about parameters (the rest is luck)."""
    import numpy as np

    from lynchpin.model.draws import draw_groups
    from lynchpin.outputs import PROBABILITY_LABEL, key_outcomes
    from lynchpin.plots.style import metric_style

    config = scenario.to_config()
    groups = draw_groups(config, results.worlds, results.first_world)
    rows = key_outcomes(summary, results=results, groups=groups)
    gap = " " if stdout.width >= 120 else "\n"  # narrow terminals: interval under the value
    periods = list(dict.fromkeys(rows["period"]))
    draws = len(np.unique(groups))
    mode = scenario.uncertainty
    table = Table(
        title=f"{escape(scenario.name)}: median \\[90% of worlds] over {results.worlds:,} worlds "
        f"(uncertainty: {mode}, {draws:,} parameter draw{'s' if draws != 1 else ''}); "
        "probability: mean \\[90% of parameter draws]; ignorance = parametric share of the "
        f"variance in {periods[-1]}",
        title_justify="left",
    )
    table.add_column("Outcome")
    for period in periods:
        table.add_column(period.replace("Q4", "") if period.endswith("Q4") else period)
    table.add_column("ignorance", justify="right")
    for (actor, metric), group in rows.groupby(["actor", "metric"], sort=False):
        style = metric_style(metric)
        label = style.axis_label if actor == "system" else f"{actor}: {style.axis_label}"
        probability = bool(group["probability"].iloc[0])
        centre, low, high = ("mean", "draw_lo", "draw_hi") if probability else ("p50", "p05", "p95")
        cells = []
        for r in group.itertuples():
            mid, lo, hi = (_number(getattr(r, c) * style.scale) for c in (centre, low, high))
            cells.append(f"{mid}{gap}\\[{lo}-{hi}]")
        share = group["parametric_share"].iloc[-1]
        table.add_row(
            PROBABILITY_LABEL if probability else escape(label),
            *cells,
            "n/a" if np.isnan(share) else f"{share:.0%}",
        )
        if probability:
            errors = [
                f"±{_number((r.mean_hi - r.mean_lo) / 2 * style.scale)}" for r in group.itertuples()
            ]
            table.add_row("  Monte Carlo error of that mean (90% CI)", *errors, "", style="dim")
    stdout.print(table)


def _write_report(
    staging: Path, summary: pd.DataFrame, results: Results, scenario: Scenario, overrides: dict
) -> None:
    """report.html beside the plots: headline table, figures embedded, provenance."""
    from lynchpin.outputs.batch_dir import RunOutput, write_report

    output = RunOutput(scenario, str(staging), command_line(), False, None, overrides)
    write_report(staging, summary, results, output)


def _number(value: float) -> str:
    size = abs(value)
    return f"{value:.0f}" if size >= 100 else f"{value:.1f}" if size >= 10 else f"{value:.2f}"


def _print_files(out_dir: Path, wall_time: float) -> None:
    files = sorted(p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file())
    plots = [f for f in files if f.startswith("plots/")]
    others = [f for f in files if not f.startswith("plots/")]
    stdout.print(f"Simulated in {wall_time:.1f} s. Wrote [bold]{escape(str(out_dir))}/[/bold]")
    for name in others:
        stdout.print(f"  {escape(name)}")
    if plots:
        stdout.print(f"  plots/ ({len(plots)} charts)")


def _print_parameter(name: str) -> None:
    """One parameter as label/value rows: what it means, where it comes from, its prior."""
    from lynchpin.data import default_actors
    from lynchpin.model.claims import CLAIMS
    from lynchpin.model.parameters import GLOBAL_PARAMS, param
    from lynchpin.model.priors import describe_prior, prior

    p = param(name)
    rows = Table.grid(padding=(0, 2))
    rows.add_column(style="dim", no_wrap=True)
    rows.add_column(overflow="fold")
    scope = "global" if p in GLOBAL_PARAMS else "actor"
    rows.add_row("Meaning", p.doc)
    rows.add_row("Scope", scope)
    rows.add_row("Default", f"{p.default:g} (range {p.low:g}..{p.high:g})")
    claims = [c.id for c in CLAIMS.values() if name in c.parameters]
    rows.add_row("Claim", f"{p.claim} (cited by {', '.join(claims) or 'none'})")
    rows.add_row("Source", p.source)
    if scope == "global":
        rows.add_row("Prior", describe_prior(name, p.default))
    else:
        lines = [describe_prior(name)]
        for actor in default_actors():
            value = actor.params.get(name, p.default)
            dist = prior(name).distribution(name, value)
            lines.append(f"{actor.code}: {value:g} -> {dist.describe() if dist else 'fixed'}")
        rows.add_row("Prior", "\n".join(lines))
    rows.add_row("Why", prior(name).reasoning)
    rows.add_row(
        "Scenario",
        "a number fixes it; {uniform: [lo, hi]}, {triangular: [lo, mode, hi]}, "
        "{normal: {mean, sd}}, {lognormal: {median, sigma}}, {beta: {a, b}} draw it per world; "
        "unset, it is drawn from this prior under `uncertainty: priors` (the default)",
    )
    stdout.print(f"[bold]{name}[/bold]")
    stdout.print(rows, markup=False)


def _print_claim(claim) -> None:
    """A claim as label/value rows, so wrapped text stays indented under its value."""
    from lynchpin.model.parameters import param

    parameters = Table(box=None, padding=(0, 1), show_header=True, header_style="dim")
    for heading in ("parameter", "default", "range", "meaning"):
        parameters.add_column(heading, no_wrap=heading != "meaning")
    for name in claim.parameters:
        p = param(name)
        parameters.add_row(name, f"{p.default:g}", f"{p.low:g}..{p.high:g}", p.doc)
    rows = Table.grid(padding=(0, 2))
    rows.add_column(style="dim", no_wrap=True)
    rows.add_column(overflow="fold")
    rows.add_row("Article", f"“{claim.passage}”")
    rows.add_row("Mechanism", claim.mechanism)
    if claim.published_model:
        rows.add_row("Published model", claim.published_model)
    rows.add_row("Rules", "\n".join(claim.rules))
    rows.add_row("Parameters", parameters)
    rows.add_row("Test", claim.test)
    stdout.print(f"[bold]{claim.id}  {claim.title}[/bold]")
    stdout.print(rows, markup=False)
    stdout.print()
