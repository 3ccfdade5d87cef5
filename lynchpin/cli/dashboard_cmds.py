"""`lynchpin dashboard`: serve the interactive Solara dashboard on this machine."""

from __future__ import annotations

from typing import Annotated

import typer

from lynchpin.cli import app
from lynchpin.cli.options import HOST_HELP, SCENARIO_HELP, SET_HELP, parse_sets
from lynchpin.errors import UserError

MAX_DASHBOARD_WORLDS = 20_000  # interactive: one quarter of 20,000 worlds takes about 0.1 s


@app.command()
def dashboard(
    scenario: Annotated[str, typer.Argument(help=SCENARIO_HELP)] = "baseline",
    port: Annotated[int, typer.Option(help="Port to serve on (0 picks a free one).")] = 8765,
    host: Annotated[str, typer.Option(help=HOST_HELP)] = "127.0.0.1",
    lan: Annotated[
        bool,
        typer.Option(
            "--lan", help="Serve the classroom network (all addresses unless --host is given)."
        ),
    ] = False,
    projector: Annotated[
        bool, typer.Option("--projector", help="Open in projector mode: four big panels.")
    ] = False,
    worlds: Annotated[int, typer.Option(help="Parallel worlds simulated at once.")] = 300,
    settings: Annotated[
        list[str] | None, typer.Option("--set", metavar="KEY=VALUE", help=SET_HELP)
    ] = None,
) -> None:
    """Open an interactive dashboard: levers, live fan charts, a map and an event log.

    Works offline once `scripts/install-dashboard-assets.sh` has run. Stop it with Ctrl-C.
    The levers start at the scenario's values (after any --set).

    Examples:

    * `lynchpin dashboard`
    * `lynchpin dashboard --projector`
    * `lynchpin dashboard america-first --worlds 300 --port 8800`
    * `lynchpin dashboard my-scenario.yaml --set JPN.defence_goal=0.02 --port 0`
    """
    # Solara reads its settings when first imported: make them offline before anything does.
    from lynchpin.dashboard.serve import (
        check_ready,
        claim_port,
        listen_address,
        offline_environment,
        serve,
    )

    offline_environment()
    host = listen_address(host, lan)
    if not 0 <= port <= 65535:
        raise UserError(f"--port {port}: must be 0..65535 (0 picks a free port)")
    if not 1 <= worlds <= MAX_DASHBOARD_WORLDS:
        raise UserError(
            f"--worlds {worlds}: must be 1..{MAX_DASHBOARD_WORLDS:,} (the dashboard re-simulates "
            "every world at each lever change; use `lynchpin run` for large ensembles)"
        )
    overrides = parse_sets(settings)
    from lynchpin.scenario import load_scenario

    # A misspelt name fails here, with the loader's suggestion; a bad --set key or value too.
    load_scenario(scenario).with_overrides(params=overrides)
    port = claim_port(host, port)  # a busy port fails before "open http://..." is printed
    check_ready()
    serve(
        scenario=scenario,
        host=host,
        port=port,
        worlds=worlds,
        settings=overrides,
        projector=projector,
    )
