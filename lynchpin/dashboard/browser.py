"""Drive the dashboard in headless Chromium: shared by the browser test and the screenshot script.

Classrooms and CI machines here have no internet and cannot download Playwright's browsers, so
this uses Debian's Chromium and blocks every request that is not to the local server.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_dashboard(
    args: list[str], cwd: Path | None = None, start_timeout_s: float = 120
) -> Iterator[tuple[str, Path]]:
    """`lynchpin dashboard ARGS` on a free port; yields (url, server log path).

    The server runs in its own process group, stopped (SIGTERM, then SIGKILL) on exit.
    RuntimeError, with the server log, if it exits or does not answer in time.
    """
    with running_lynchpin(["dashboard", *args], cwd, start_timeout_s) as running:
        yield running


@contextmanager
def running_lynchpin(
    args: list[str], cwd: Path | None = None, start_timeout_s: float = 120, port: int = 0
) -> Iterator[tuple[str, Path]]:
    """`lynchpin ARGS --port PORT` (a free port if 0) serving HTTP; yields (url, log path)."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "lynchpin", *args, "--port", str(port)]
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "server.log"
        with log_path.open("w") as log:
            server = subprocess.Popen(
                command,
                cwd=cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            try:
                _wait_for_http(url, server, log_path, start_timeout_s)
                yield url, log_path
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait()


def _wait_for_http(url: str, server: subprocess.Popen, log_path: Path, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            name = " ".join(server.args[3:5])
            raise RuntimeError(f"{name} exited with {server.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(
        f"{' '.join(server.args[3:5])} did not answer within {timeout_s} s:\n{log_path.read_text()}"
    )


def block_outside_requests(context: Any) -> list[str]:
    """Abort every request of a Playwright browser context that is not to the local server.

    Returns the list the blocked URLs are appended to, so a caller can assert it stays empty.
    """
    blocked: list[str] = []

    def only_local(route: Any) -> None:
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    return blocked


def image_sources(page: Any) -> list[str]:
    """The src of every <img> on the page (charts and map)."""
    return page.eval_on_selector_all("img", "imgs => imgs.map(i => i.src)")


def wait_for_new_images(page: Any, before: list[str], count: int, timeout_ms: int) -> list[str]:
    """Wait until at least `count` <img> show a picture not shown before; return the new srcs.

    An unchanged figure keeps its src: Solara only sends an image whose bytes changed.
    """
    page.wait_for_function(
        """([before, count]) => {
            const now = Array.from(document.querySelectorAll('img')).map(i => i.src);
            return now.filter(src => !before.includes(src)).length >= count;
        }""",
        arg=[before, count],
        timeout=timeout_ms,
    )
    return image_sources(page)
