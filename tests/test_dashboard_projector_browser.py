"""Projector mode in headless Chromium at 1280x800: four panels and the log above the fold at
100% and 150% zoom, and a kept reference that survives Reset. Outside requests are blocked."""

from __future__ import annotations

from pathlib import Path

import pytest

from lynchpin.dashboard.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    block_outside_requests,
    running_dashboard,
)

ARTIFACTS = Path(__file__).parent / "artifacts"
TIMEOUT_MS = 120_000
PANELS = ("grayzone", "japan", "cohesion", "conflict")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs playwright")
expect = playwright_api.expect
expect.set_options(timeout=TIMEOUT_MS)  # waits are for content; a loaded machine is slow


@pytest.fixture(scope="module")
def projector_url():
    """One server for the module; each test opens its own page (its own Solara session)."""
    with running_dashboard(["baseline", "--projector", "--worlds", "100"]) as (url, log_path):
        yield url, log_path
        assert "Traceback" not in log_path.read_text()


def _step_to(page, quarters: list[str]) -> None:
    heading = page.locator(".lynchpin-event-log p").first
    for quarter in quarters:
        page.get_by_role("button", name="Step").click()
        expect(heading).to_contain_text(quarter, timeout=TIMEOUT_MS)


def _quarters(n: int) -> list[str]:
    return [f"{2020 + k // 4}Q{k % 4 + 1}" for k in range(n)]


@pytest.mark.parametrize("zoom", [1.0, 1.5])
def test_projector_keeps_four_panels_and_the_log_above_the_fold(zoom: float, projector_url) -> None:
    """Browser zoom z on a 1280x800 screen is a CSS viewport of 1280/z x 800/z pixels drawn at
    z device pixels per CSS pixel: that is how the test zooms."""
    url, _log = projector_url
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        width, height = round(1280 / zoom), round(800 / zoom)
        context = browser.new_context(
            viewport={"width": width, "height": height}, device_scale_factor=zoom
        )
        outside = block_outside_requests(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)
        page.locator(".lynchpin-panel-conflict svg").wait_for()
        _step_to(page, _quarters(6))
        boxes = {key: page.locator(f".lynchpin-panel-{key} svg").bounding_box() for key in PANELS}
        boxes["log"] = page.locator(".lynchpin-event-log").bounding_box()
        for name, box in boxes.items():
            assert box is not None, name
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (name, box)
            assert box["y"] >= 0 and box["y"] + box["height"] <= height + 1, (name, box)
            assert box["width"] > width / 5 and box["height"] > height / 5, (name, box)
        for a in PANELS:  # no panel covers another or the log
            for b in [*PANELS, "log"]:
                if a < b or b == "log":
                    assert not _overlap(boxes[a], boxes[b]), (a, b)
        assert page.locator(".v-navigation-drawer").count() == 0  # no drawer over the charts
        expect(page.locator(".lynchpin-event-log")).to_contain_text("2020Q1: the simulation")
        # Text in the panels is SVG text, so it scales: the titles are at least 14 CSS px high
        # at 100% (21 device pixels at 150%).
        title = page.locator(".lynchpin-panel-cohesion svg text", has_text="cohesion").first
        assert title.bounding_box()["height"] * zoom >= 14 * zoom * 0.9
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"projector-{int(zoom * 100)}.png")
        browser.close()
    assert outside == []


def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"] - 1
        and b["x"] < a["x"] + a["width"] - 1
        and a["y"] < b["y"] + b["height"] - 1
        and b["y"] < a["y"] + a["height"] - 1
    )


def test_a_kept_reference_survives_reset_as_grey_curves(projector_url) -> None:
    url, _log = projector_url
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        block_outside_requests(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)
        cohesion = page.locator(".lynchpin-panel-cohesion svg")
        cohesion.wait_for()
        keep = page.get_by_role("button", name="Keep as reference")
        expect(keep).to_be_disabled()  # nothing to keep before the first step
        _step_to(page, _quarters(8))
        expect(cohesion).not_to_contain_text("reference")
        keep.click()
        note = page.locator(".lynchpin-reference-note")
        expect(note).to_contain_text("baseline to 2021Q4")
        expect(cohesion).to_contain_text("reference")
        page.get_by_role("button", name="Reset").click()
        heading = page.locator(".lynchpin-event-log p").first
        expect(heading).to_contain_text("2020Q1")
        expect(cohesion).to_contain_text("reference")  # the ghost survived Reset
        _step_to(page, _quarters(4))
        expect(note).to_contain_text("Now minus reference, world by world")
        expect(note).to_contain_text("alliance cohesion +0.000")  # same levers, same luck
        for key in PANELS:
            expect(page.locator(f".lynchpin-panel-{key} svg")).to_contain_text("reference")
        page.screenshot(path=ARTIFACTS / "projector-reference.png")
        page.get_by_role("button", name="Clear reference").click()
        expect(cohesion).not_to_contain_text("reference")
        browser.close()
