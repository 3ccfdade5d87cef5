"""`lynchpin classroom` (a participatory game) and `lynchpin notebooks` (JupyterLab, offline)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from lynchpin.cli import app
from lynchpin.cli.options import HOST_HELP, SCENARIO_HELP
from lynchpin.errors import UserError


@app.command()
def classroom(
    scenario: Annotated[str, typer.Argument(help=SCENARIO_HELP)] = "baseline",
    port: Annotated[int, typer.Option(help="Port to serve on (0 picks a free one).")] = 8770,
    host: Annotated[str, typer.Option(help=HOST_HELP)] = "127.0.0.1",
    lan: Annotated[
        bool,
        typer.Option("--lan", help="Serve the classroom network and print each team's code."),
    ] = False,
    worlds: Annotated[int, typer.Option(help="Parallel worlds of the shared simulation.")] = 200,
    seed: Annotated[int | None, typer.Option(help="Seed (default: the scenario's).")] = None,
    state: Annotated[
        Path | None,
        typer.Option(help="Game file, saved after every turn (default classroom/SCENARIO.json)."),
    ] = None,
    new: Annotated[
        bool, typer.Option("--new", help="Start a new game, replacing the saved one.")
    ] = False,
) -> None:
    """Play one shared simulation as a class: a team per country, a turn per year.

    Each team opens its own page with its join code and sets its own country's levers; the
    facilitator closes the turn and the world advances a year. Teams that submit nothing are
    played by the model's own agents. The game is saved after every turn: run the same
    command again to resume. Stop it with Ctrl-C.

    Examples:

    * `lynchpin classroom baseline` (this machine only, e.g. a projector demo)
    * `lynchpin classroom baseline --lan` (students join from their devices)
    * `lynchpin classroom america-first --lan --new`
    """
    from lynchpin.classroom.game import Game
    from lynchpin.classroom.server import ClassroomServer, lan_address
    from lynchpin.dashboard.serve import claim_port, listen_address
    from lynchpin.scenario import load_scenario

    bind = listen_address(host, lan)
    if worlds < 1:
        raise UserError("--worlds must be at least 1")
    loaded = load_scenario(scenario)
    path = state or Path("classroom") / f"{loaded.name}.json"
    if path.exists() and not new:
        game = Game.load(path)
        if game.state.scenario != scenario:
            raise UserError(
                f"{path}: a saved game of {game.state.scenario!r}, not {scenario!r}",
                "  resume it with that scenario, choose another --state, or start over with --new",
            )
        print(f"lynchpin classroom: resuming {path} after {game.turn} turns")
    else:
        if path.exists():
            Game.load(path)  # --new replaces only a classroom game file lynchpin wrote
        game = Game.new(scenario, worlds=worlds, seed=seed, path=path)
        print(f"lynchpin classroom: new game saved to {path}")
    port = claim_port(bind, port)
    server = ClassroomServer(game, bind, port)
    shown = lan_address() if bind == "0.0.0.0" else bind
    base = f"http://{shown}:{port}"
    print(f"Students open {base}/ and type their team's code:")
    for actor, role in game.state.teams.items():
        name = game.model.actors[actor].name
        print(f"  {name:<16} ({role}) code {game.state.codes[actor]}")
    print(f"Facilitator: {base}/facilitator?code={game.state.codes['facilitator']}")
    if bind not in ("127.0.0.1", "localhost", "::1"):
        print("Serving the local network: keep the facilitator code to yourself.")
    print("Ctrl-C stops the server; the game is saved after every turn.")
    sys.stdout.flush()
    try:
        server.serve_forever()
    finally:
        server.server_close()


@app.command()
def notebooks(
    port: Annotated[int, typer.Option(help="Port to serve on (0 picks a free one).")] = 8888,
    folder: Annotated[Path, typer.Option(help="Folder of notebooks to open.")] = Path("notebooks"),
    browser: Annotated[
        bool, typer.Option("--browser/--no-browser", help="Open a browser tab.")
    ] = True,
) -> None:
    """Open the teaching notebooks in JupyterLab on this machine (127.0.0.1), offline.

    Needs the classroom extra (`make setup` installs it). Stop it with Ctrl-C.

    Example: `lynchpin notebooks`
    """
    from importlib.util import find_spec

    from lynchpin.dashboard.serve import claim_port

    if find_spec("jupyterlab") is None:
        raise UserError(
            "the notebooks need JupyterLab, which is not installed",
            "  pip install -e '.[classroom]'   (or: make setup)",
        )
    if not folder.is_dir():
        raise UserError(f"{folder}: no such folder; run this from the lynchpin checkout")
    port = claim_port("127.0.0.1", port)
    args = [
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={folder.resolve()}",
        "--ServerApp.open_browser=" + ("True" if browser else "False"),
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",  # no PyPI look-ups from a classroom
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # a container or a lab machine's admin
        args.append("--ServerApp.allow_root=True")
    print(f"lynchpin notebooks: JupyterLab on http://127.0.0.1:{port}/lab (Ctrl-C stops it)")
    sys.stdout.flush()
    from jupyterlab.labapp import LabApp

    LabApp.launch_instance(argv=args)
