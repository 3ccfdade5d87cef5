"""`lynchpin dashboard`: serve the interactive Solara dashboard on this machine."""

from __future__ import annotations

from typing import Annotated

import typer

from lynchpin.cli import app
from lynchpin.errors import UserError


@app.command()
def dashboard(
    scenario: Annotated[str, typer.Argument(help="Bundled scenario to start with.")] = "baseline",
    port: Annotated[int, typer.Option(help="Port to serve on (0 picks a free one).")] = 8765,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    worlds: Annotated[int, typer.Option(help="Parallel worlds simulated at once.")] = 300,
) -> None:
    """Open an interactive dashboard: levers, live fan charts, a map and an event log.

    Works offline once `scripts/install-dashboard-assets.sh` has run. Stop it with Ctrl-C.
    """
    # Solara reads its settings when first imported: make them offline before anything does.
    from lynchpin.dashboard.serve import check_ready, offline_environment, serve

    offline_environment()
    if worlds < 1:
        raise UserError("--worlds must be at least 1")
    from lynchpin.scenario import load_scenario

    load_scenario(scenario)  # a misspelt name fails here, with the loader's suggestion
    check_ready()
    serve(scenario=scenario, host=host, port=port, worlds=worlds)
