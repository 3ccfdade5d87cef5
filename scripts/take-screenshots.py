"""Regenerate the dashboard screenshots of docs/classroom.md.

    .venv/bin/python scripts/take-screenshots.py

Starts `lynchpin dashboard` on a free port once per screenshot, drives it in headless Debian
Chromium (/usr/bin/chromium) with Playwright, and writes:

- docs/img/dashboard-cost-plus-50.png: baseline with host-nation support at cost plus 50,
  stepped to 2024Q4;
- docs/img/dashboard-pandemic.png: pandemic-distraction stepped to 2021Q2, while the attention
  shock is active (the note under the US attention lever says so).

Reproducible: each scenario has a fixed seed, the number of worlds is fixed here, and every
wait is for page content (status line, redrawn images), never for a fixed time. Requests to
anything but the local server are blocked, as in the classroom. docs/img/dashboard.png is made
by tests/test_dashboard_browser.py (tests/artifacts/dashboard.png).
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
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1500, "height": 1150}
WORLDS = 300
QUARTERS = 64
START_TIMEOUT_S = 120
PAGE_TIMEOUT_MS = 120_000


@dataclass(frozen=True)
class Shot:
    path: Path
    scenario: str
    settings: tuple[str, ...]
    quarter: str  # the last quarter simulated when the picture is taken
    steps: int  # quarters simulated: 2020Q1 is the first
    check: tuple[str, str]  # (CSS selector, text) that must be on the page


SHOTS = [
    Shot(
        path=IMG / "dashboard-cost-plus-50.png",
        scenario="baseline",
        settings=("policies.host_nation_support=cost_plus_50",),
        quarter="2024Q4",
        steps=20,
        check=("body", "host-nation support cost_plus_50"),
    ),
    Shot(
        path=IMG / "dashboard-pandemic.png",
        scenario="pandemic-distraction",
        settings=(),
        quarter="2021Q2",
        steps=6,
        check=(".lynchpin-note-us_attention", "scenario shock active"),
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, server: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"dashboard exited with {server.returncode}:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit(f"dashboard did not answer within {START_TIMEOUT_S} s:\n{log_path.read_text()}")


def image_sources(page: Page) -> list[str]:
    return page.eval_on_selector_all("img", "imgs => imgs.map(i => i.src)")


def wait_for_new_images(page: Page, before: list[str], count: int) -> None:
    """Wait until `count` <img> (charts, map) show a picture not shown before."""
    page.wait_for_function(
        """([before, count]) => {
            const now = Array.from(document.querySelectorAll('img')).map(i => i.src);
            return now.filter(src => !before.includes(src)).length >= count;
        }""",
        arg=[before, count],
        timeout=PAGE_TIMEOUT_MS,
    )


def take(shot: Shot, browser) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    sets = [arg for setting in shot.settings for arg in ("--set", setting)]
    command = [sys.executable, "-m", "lynchpin", "dashboard", shot.scenario, *sets]
    command += ["--port", str(port), "--worlds", str(WORLDS)]
    with tempfile.TemporaryDirectory() as tmp:
        log_path = Path(tmp) / "server.log"
        with log_path.open("w") as log:
            server = subprocess.Popen(
                command,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            try:
                wait_for_http(url, server, log_path)
                drive(shot, browser, url)
            finally:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait()
        if "Traceback" in log_path.read_text():
            sys.exit(f"the dashboard logged an error:\n{log_path.read_text()}")


def drive(shot: Shot, browser, url: str) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    outside: list[str] = []

    def only_local(route) -> None:
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    expect.set_options(timeout=PAGE_TIMEOUT_MS)
    page.goto(url)
    status = page.get_by_text("Levers in this run")
    expect(status).to_contain_text(f"0 of {QUARTERS} simulated")
    page.locator("img.lynchpin-map").wait_for()
    step = page.get_by_role("button", name="Step")
    for done in range(1, shot.steps + 1):
        before = image_sources(page)
        step.click()
        expect(status).to_contain_text(f"({done} of {QUARTERS} simulated)")
    wait_for_new_images(page, before, count=2)  # the charts and the map of the last quarter
    expect(status).to_contain_text(f"Quarter {shot.quarter}")
    selector, text = shot.check
    expect(page.locator(selector).first).to_contain_text(text)
    page.mouse.move(0, 0)  # no hover effect on a button ...
    page.evaluate("document.activeElement && document.activeElement.blur()")  # ... nor focus
    shot.path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=shot.path, full_page=True, animations="disabled")
    context.close()
    if outside:
        sys.exit(f"the page tried to reach the internet: {outside}")
    print(f"wrote {shot.path.relative_to(ROOT)} ({shot.scenario}, {shot.quarter})")


def main() -> None:
    if not CHROMIUM.exists():
        sys.exit(f"needs {CHROMIUM} (bash scripts/setup-browser.sh)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for shot in SHOTS:
                take(shot, browser)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
