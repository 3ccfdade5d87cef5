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

import sys
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from lynchpin.dashboard.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    block_outside_requests,
    image_sources,
    running_dashboard,
    wait_for_new_images,
)

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
VIEWPORT = {"width": 1500, "height": 1150}
WORLDS = 300
QUARTERS = 64
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
        check=("body", "US HNS demand cost_plus_50"),
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


def take(shot: Shot, browser) -> None:
    sets = [arg for setting in shot.settings for arg in ("--set", setting)]
    args = [shot.scenario, *sets, "--worlds", str(WORLDS)]
    with running_dashboard(args, cwd=ROOT) as (url, log_path):
        drive(shot, browser, url)
        if "Traceback" in log_path.read_text():
            sys.exit(f"the dashboard logged an error:\n{log_path.read_text()}")


def drive(shot: Shot, browser, url: str) -> None:
    context = browser.new_context(viewport=VIEWPORT)
    outside = block_outside_requests(context)
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
    wait_for_new_images(page, before, 2, PAGE_TIMEOUT_MS)  # charts and map of the last quarter
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
