"""End to end: `lynchpin dashboard` in headless Debian Chromium, with no internet.

Starts the real command on a free port, loads the page with every non-local request blocked,
moves a lever and resets, steps, then moves a lever mid-run without Reset and steps again,
and checks that the charts, the status line and the event log follow. Waits are
for page content, never for fixed times, so a slow machine only makes the test slower.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lynchpin.dashboard.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    block_outside_requests,
    image_sources,
    running_dashboard,
    wait_for_new_images,
)

ARTIFACTS = Path(__file__).parent / "artifacts"
START_TIMEOUT_S = 120
PAGE_TIMEOUT_MS = 120_000
WORLDS = 200

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"
    ),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
playwright_api.expect.set_options(timeout=PAGE_TIMEOUT_MS)  # a loaded CI machine is slow


@pytest.fixture(scope="module")
def dashboard_url():
    """The dashboard command running in its own process group; its log is checked after."""
    # A legal limit of 5% that no budget reaches: the page must say that it changes nothing.
    args = ["baseline", "--worlds", str(WORLDS), "--set", "JPN.defence_ceiling=0.05"]
    with running_dashboard(args) as (url, log_path):
        yield url, log_path


def _wait_for_new_images(page, before: list[str], count: int) -> list[str]:
    return wait_for_new_images(page, before, count, timeout_ms=PAGE_TIMEOUT_MS)


def _move_slider(page, label: str, values: list[str], key: str) -> None:
    """Move a lever's slider with the keyboard, one notch at a time, like a teacher.

    After each notch, wait until the server has taken the value (the lever's label shows it):
    a key pressed while the server still echoes the previous value could be lost.
    """
    slider = page.locator(".v-input", has_text=label).get_by_role("slider")
    for value in values:
        slider.focus()
        slider.press(key)
        playwright_api.expect(page.get_by_text(f"{label}: {value}", exact=True)).to_be_visible()
    page.wait_for_function(
        "([el, value]) => el.getAttribute('aria-valuenow') === value",
        arg=[slider.element_handle(), values[-1]],
    )


def _step(page, status, quarters_done) -> None:
    for done in quarters_done:
        page.get_by_role("button", name="Step").click()
        playwright_api.expect(status).to_contain_text(f"({done} of 64 simulated)")


def test_dashboard_renders_offline_and_follows_levers_live_and_at_reset(dashboard_url) -> None:
    url, log_path = dashboard_url
    failed: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1500, "height": 1150})
        outside = block_outside_requests(context)
        page = context.new_page()
        page.on(
            "response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None
        )
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        page.goto(url)

        expect = playwright_api.expect
        log = page.locator(".lynchpin-event-log")
        status = page.get_by_text("Levers in this run")
        expect(log).to_contain_text("spending norm 0.95%, no goal above it")
        expect(status).to_contain_text("0 of 64 simulated")
        expect(status).to_contain_text("Started with --set JPN.defence_ceiling=0.05")
        assert page.locator(".lynchpin-unbound").count() == 0  # nothing simulated yet
        page.locator("img.lynchpin-map").wait_for()
        for control in ("Reset", "Step"):
            assert page.get_by_role("button", name=control).is_visible()

        # A lever before the run: Japan declares a defence goal (D4), from none to 2% of GDP
        # (the December 2022 target), then Reset.
        goal = [f"{v / 4:g}" for v in range(1, 9)]  # 0.25 ... 2, shown in the label
        _move_slider(page, "Japan defence goal, % GDP", goal, key="ArrowRight")
        images = image_sources(page)
        page.get_by_role("button", name="Reset").click()
        expect(status).to_contain_text("Japan goal 2% of GDP")
        # The goal line of the spending chart appears; the map has nothing to redraw yet.
        images = _wait_for_new_images(page, images, count=1)
        expect(log).to_contain_text("declared goal 2.00%, spending norm 0.95%")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / "dashboard-start.png", full_page=True)

        # Steps: the charts redraw and the event log gains lines.
        lines_before = log.locator("li").count()
        _step(page, status, range(1, 9))
        images = _wait_for_new_images(page, images, count=2)
        assert log.locator("li").count() > lines_before, log.inner_text()
        expect(status).to_contain_text("Quarter 2021Q4")
        # Issue 12: the --set limit bound in no world and is named; the 2% goal binds.
        warning = page.locator(".lynchpin-unbound")
        expect(warning).to_have_count(1)
        expect(warning).to_contain_text(
            "--set JPN.defence_ceiling=0.05 binds in no world so far: no budget has reached "
            "this legal limit, so it changes nothing."
        )

        # A lever during the run, no Reset: US attention from 1 to 0.6 ("the US turns away").
        lines_before = log.locator("li").count()
        attention = [f"{v / 100:g}" for v in range(95, 55, -5)]  # 0.95 ... 0.6
        _move_slider(page, "US attention", attention, key="ArrowLeft")
        expect(page.locator(".lynchpin-note-us_attention")).to_contain_text("applies from 2022Q1")
        expect(log).not_to_contain_text("lever")  # nothing happens before the next quarter
        _step(page, status, [9])
        expect(log).to_contain_text("2022Q1: lever — US attention set to 0.6 (was 1)")
        expect(status).to_contain_text("US attention 0.6")
        expect(status).to_contain_text("Japan goal 2% of GDP")  # the run was not rebuilt
        expect(log).to_contain_text("declared goal 2.00%")  # ... and kept its history
        assert log.locator("li").count() > lines_before
        images = _wait_for_new_images(page, images, count=2)
        _step(page, status, range(10, 13))
        page.screenshot(path=ARTIFACTS / "dashboard.png", full_page=True)
        browser.close()

    assert outside == [], f"the page tried to reach the internet: {outside}"
    assert failed == [], f"requests failed: {failed}"
    server_log = log_path.read_text()
    assert "Could not load URL" not in server_log, "a front-end asset is missing locally"
    assert "Traceback" not in server_log, server_log
