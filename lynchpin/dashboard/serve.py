"""Start the Solara server for the dashboard, offline.

Solara reads its settings from environment variables when it is first imported, so
`offline_environment()` must run before anything imports solara. Classrooms often have no
internet: the front-end bundles come from <venv>/share/solara/cdn, telemetry and the version
check are off, and a missing bundle fails at once (a loopback address) instead of waiting on
a public CDN.
"""

from __future__ import annotations

import errno
import json
import os
import re
import socket
import sys
import warnings
from importlib.util import find_spec
from pathlib import Path

from lynchpin.errors import UserError

SCENARIO_ENV, WORLDS_ENV = "LYNCHPIN_DASHBOARD_SCENARIO", "LYNCHPIN_DASHBOARD_WORLDS"
PROJECTOR_ENV = "LYNCHPIN_DASHBOARD_PROJECTOR"  # "1": open in projector mode
SETTINGS_ENV = "LYNCHPIN_DASHBOARD_SET"  # JSON object of --set overrides, KEY -> VALUE text
OFFLINE_ENV: dict[str, str] = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
    "SOLARA_ASSETS_PROXY": "true",
    "SOLARA_ASSETS_CDN": "http://127.0.0.1:9/",
    "SOLARA_THEME_SHOW_BANNER": "false",
    "SOLARA_THEME_TITLE": "lynchpin dashboard",
    "MPLBACKEND": "Agg",
}
INSTALL_HINT = "run scripts/install-dashboard-assets.sh (once, needs the npm registry)"
# Front-end packages the page loads by exact version: the template's bundles, and the files
# Solara components fetch at run time (e.g. katex for solara.Markdown).
_TEMPLATE_BUNDLE = re.compile(r"@widgetti/[a-z0-9-]+@[0-9][0-9A-Za-z.-]*")
_RUNTIME_FILE = re.compile(r"getCdn\(\)\}/((?:@[a-z0-9-]+/)?[a-z0-9.-]+@[0-9][0-9A-Za-z.-]*)/")


def offline_environment() -> None:
    """Set Solara's settings for a machine without internet (keeps values the user set)."""
    for name, value in OFFLINE_ENV.items():
        os.environ.setdefault(name, value)


def quiet_cookie_warning() -> None:
    """Solara warns at every page load over plain http that it falls back to SameSite=lax
    cookies; that is right for a local server and only alarms a teacher."""
    warnings.filterwarnings("ignore", message="Cookies with samesite=none", category=UserWarning)


def asset_dir() -> Path:
    """Where Solara's server looks for front-end bundles (its `proxy_cache_dir`)."""
    configured = os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR")
    return Path(configured) if configured else Path(sys.prefix) / "share" / "solara" / "cdn"


def needed_packages() -> list[str]:
    """npm `name@version` of every front-end package the installed solara loads by version."""
    spec = find_spec("solara")
    if spec is None or spec.origin is None:
        raise UserError(
            "the dashboard needs solara, which is not installed",
            "  pip install -e '.[dashboard]'   (or: make setup)",
        )
    root = Path(spec.origin).parent
    template = (root / "server" / "templates" / "solara.html.j2").read_text(encoding="utf-8")
    needed = set(_TEMPLATE_BUNDLE.findall(template))
    for source in (root / "components" / "markdown.py",):
        needed.update(_RUNTIME_FILE.findall(source.read_text(encoding="utf-8")))
    return sorted(needed)


def missing_packages() -> list[str]:
    """Needed packages with no local copy in `asset_dir()`."""
    cdn = asset_dir()
    return [name for name in needed_packages() if not any((cdn / name).glob("*"))]


def check_ready() -> None:
    """Fail with instructions, not with a blank page, when front-end bundles are missing."""
    missing = missing_packages()
    if missing:
        raise UserError(
            f"the dashboard's browser assets are missing from {asset_dir()}: {', '.join(missing)}",
            f"  {INSTALL_HINT}",
        )


LOOPBACK = ("127.0.0.1", "localhost", "::1")


def listen_address(host: str, lan: bool) -> str:
    """The address to bind: loopback unless the user asked for the network with --lan.

    A dashboard or classroom on 0.0.0.0 lets anyone on the network drive it; that must be a
    decision (--lan), not a side effect of copying a command.
    """
    if host in LOOPBACK:
        return "0.0.0.0" if lan else host
    if not lan:
        raise UserError(
            f"--host {host} would let other machines on the network reach this server",
            "  add --lan to serve the classroom network on purpose (e.g. --lan, or "
            f"--lan --host {host}); without it only this machine (127.0.0.1) can connect",
        )
    return host


def free_port(host: str) -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def claim_port(host: str, port: int) -> int:
    """The port to serve on: `port` if it is free on `host` (0: any free port).

    Binds and closes a socket first (SO_REUSEADDR off, as a second listener would), so a busy
    port is a short message, not a server error after "open http://..." was printed.
    """
    if port == 0:
        return free_port(host)
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 0)
        try:
            sock.bind((host, port))
        except OSError as error:
            raise UserError(
                f"port {port} on {host} is in use; choose another with --port"
                if error.errno in _IN_USE
                else f"cannot listen on {host}:{port}: {error.strerror or error}"
            ) from None
    return port


_IN_USE = {errno.EADDRINUSE, 10048}  # 10048: WSAEADDRINUSE (Windows)


def settings_from_environment() -> dict[str, str]:
    """The --set overrides the command passed to the app (empty when none)."""
    text = os.environ.get(SETTINGS_ENV, "")
    return dict(json.loads(text)) if text else {}


def serve(
    scenario: str,
    host: str,
    port: int,
    worlds: int,
    settings: dict[str, str] | None = None,
    projector: bool = False,
) -> None:
    """Run the Solara server in this process until interrupted.

    `settings` are --set overrides (KEY -> VALUE text) of the starting scenario.
    """
    offline_environment()
    quiet_cookie_warning()
    os.environ[PROJECTOR_ENV] = "1" if projector else ""
    os.environ[SCENARIO_ENV] = scenario
    os.environ[WORLDS_ENV] = str(worlds)
    os.environ[SETTINGS_ENV] = json.dumps(settings or {})
    port = claim_port(host, port)
    print(f"lynchpin dashboard: open http://{host}:{port} in a browser (Ctrl-C stops it)")
    sys.stdout.flush()
    from solara.__main__ import cli

    cli.main(
        args=[
            "run",
            "lynchpin.dashboard.app",
            "--host",
            host,
            "--port",
            str(port),
            "--no-open",
            "--production",
            "--no-check-version",
        ],
        prog_name="lynchpin dashboard",
        standalone_mode=False,
    )
