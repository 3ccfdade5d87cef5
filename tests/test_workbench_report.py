"""report.html per run and per comparison: self-contained (no request leaves the page), its
figures show in headless Chromium, and it carries the tables, overrides and provenance."""

from __future__ import annotations

from pathlib import Path

import pytest

from lynchpin.cli import main
from lynchpin.dashboard.browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("report")
    run, other, cmp = root / "run", root / "other", root / "cmp"
    args = ["run", "us-retrenchment", "--worlds", "30", "--seed", "3"]
    assert main([*args, "--out", str(run), "--set", "shocks.drawdown.size=-0.6"]) == 0
    assert main([*args, "--out", str(other)]) == 0
    assert main(["compare", str(other), str(run), "--out", str(cmp), "--at", "2030Q4"]) == 0
    return run / "report.html", cmp / "report.html"


def _open(path: Path) -> tuple[list[str], dict]:
    """Load the page with every request other than the file itself refused."""
    outside: list[str] = []
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page()

        def only_the_file(route) -> None:
            url = route.request.url
            if url == path.as_uri() or url.startswith("data:"):
                route.continue_()
            else:
                outside.append(url)
                route.abort()

        page.route("**/*", only_the_file)
        page.on(
            "request",
            lambda r: (
                None
                if r.url == path.as_uri() or r.url.startswith("data:")
                else outside.append(r.url)
            ),
        )
        page.goto(path.as_uri(), wait_until="load")
        shown = page.eval_on_selector_all(
            "img", "imgs => imgs.map(i => [i.complete, i.naturalWidth, i.naturalHeight])"
        )
        text = page.inner_text("body")
        browser.close()
    html = path.read_text(encoding="utf-8")
    assert 'src="http' not in html and 'href="http' not in html and "@import" not in html
    return outside, {"images": shown, "text": text}


def test_run_report_is_self_contained_and_shows_its_figures(reports):
    run_report, _ = reports
    outside, page = _open(run_report)
    assert outside == []
    charts = sorted((run_report.parent / "plots").glob("*.png"))
    assert len(page["images"]) == len(charts) >= 5
    assert all(done and w > 300 and h > 200 for done, w, h in page["images"])
    text = page["text"]
    assert "Key outcomes" in text and "Probability of armed conflict" in text
    assert "shocks.drawdown.size" in text and "-0.6" in text  # the overrides
    assert "middle 90%" in text  # what the bands contain


def test_comparison_report_is_self_contained_and_shows_its_figures(reports):
    _, cmp_report = reports
    outside, page = _open(cmp_report)
    assert outside == []
    figures = sorted(cmp_report.parent.glob("*.png"))
    assert len(page["images"]) == len(figures) >= 5
    assert all(done and w > 300 for done, w, _ in page["images"])
    assert "Outcomes at 2030Q4" in page["text"] and "Δ vs baseline" in page["text"]
