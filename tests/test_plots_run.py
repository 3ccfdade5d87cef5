"""Charts of a run: the expected files, real PNGs, one colour per actor, a label per output."""

from __future__ import annotations

import numpy as np
import pytest

from lynchpin.data import default_config
from lynchpin.model import LynchpinModel, simulate
from lynchpin.model.periods import parse_quarter
from lynchpin.plots import CHARTS, plot_run
from lynchpin.plots.style import ACTOR_COLOURS, METRICS, actor_colour

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def summary():
    return simulate(default_config(), worlds=20, seed=5, scenario="baseline").summary()


def test_every_chart_is_a_nonempty_png(summary, tmp_path):
    paths = plot_run(summary, tmp_path / "plots", "baseline", 20)
    assert len(paths) == len(CHARTS) == 9
    assert sorted(p.name for p in (tmp_path / "plots").iterdir()) == sorted(
        c.filename for c in CHARTS
    )
    for path in paths:
        data = path.read_bytes()
        assert data.startswith(PNG_MAGIC) and len(data) > 20_000, path.name


def test_missing_actor_drops_its_series_not_the_chart(summary, tmp_path):
    without_india = summary[summary["actor"] != "IND"]
    assert len(plot_run(without_india, tmp_path, "no-india", 20)) == len(CHARTS)


def test_chart_without_any_data_is_skipped(summary, tmp_path):
    no_conflict = summary[~summary["metric"].isin(["armed_conflict", "at_war"])]
    names = [p.name for p in plot_run(no_conflict, tmp_path, "x", 20)]
    assert "armed_conflict.png" not in names and len(names) == len(CHARTS) - 1


def test_actor_colours_are_distinct_and_stable():
    assert len(set(ACTOR_COLOURS.values())) == len(ACTOR_COLOURS) == 5
    assert actor_colour("KOR") == actor_colour("KOR")
    assert actor_colour("KOR") not in ACTOR_COLOURS.values()
    assert actor_colour("system") not in ACTOR_COLOURS.values()


def test_every_model_output_has_a_label_with_units():
    outputs = {metric for _, metric in LynchpinModel(default_config(), worlds=1).output_names()}
    assert outputs <= set(METRICS), f"no label for {sorted(outputs - set(METRICS))}"
    assert METRICS["defence_share_gdp"].axis_label == "Defence spending (% of GDP)"
    assert METRICS["defence_share_gdp"].scale == 100.0


def test_armed_conflict_is_drawn_as_mean_with_ci_not_a_fan(tmp_path):
    """Per world it is a probability given that world's crises: only the mean is a probability."""
    from lynchpin.outputs import mean_interval
    from lynchpin.plots.fan import summary_mean_interval
    from lynchpin.plots.run_plots import CHARTS, draw_chart

    results = simulate(default_config(), worlds=40, seed=5, scenario="baseline")
    summary = results.summary()
    chart = next(c for c in CHARTS if c.filename == "armed_conflict.png")
    figure = draw_chart(chart, summary, "x", worlds=40, results=results)
    ax = figure.axes[0]
    [line] = ax.get_lines()
    exact = mean_interval(results.metric("system", "armed_conflict"), axis=1)
    assert line.get_ydata() == pytest.approx(exact[0] * 100)
    assert "confidence interval" in figure.texts[-1].get_text()
    rows = summary[(summary["metric"] == "armed_conflict")]
    rows = rows.sort_values("period", key=lambda p: p.map(parse_quarter))
    _, low, high = summary_mean_interval(rows, 40)
    assert (low <= np.clip(exact[1], 0, 1) + 1e-12).all()  # conservative
    assert (high >= np.clip(exact[2], 0, 1) - 1e-12).all()


def test_png_drawn_once_on_the_canvas_is_what_savefig_writes(summary):
    """to_png skips savefig's re-entry at the save dpi: same size, same pixels, same dpi."""
    import io

    import matplotlib
    from PIL import Image

    from lynchpin.plots.png import to_png
    from lynchpin.plots.run_plots import CHARTS, draw_chart
    from lynchpin.plots.style import RC_PARAMS

    with matplotlib.rc_context(RC_PARAMS):
        figure = draw_chart(CHARTS[1], summary, "x", worlds=20)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        data = to_png(figure)
        fast = Image.open(io.BytesIO(data))
    slow = Image.open(buffer)
    fast.verify()  # chunk CRCs and structure of lynchpin's own PNG encoder
    fast = Image.open(io.BytesIO(data))
    assert fast.size == slow.size == (1599, 1140)
    assert fast.mode == "RGB" and slow.mode == "RGBA"  # charts are opaque: no alpha channel
    assert fast.info["dpi"] == pytest.approx(slow.info["dpi"])
    assert fast.info["Software"] == slow.info["Software"]
    assert np.array_equal(np.asarray(fast), np.asarray(slow)[..., :3])
    assert (np.asarray(slow)[..., 3] == 255).all()


def test_png_encoder_keeps_alpha_when_a_pixel_is_transparent():
    import io

    from PIL import Image

    from lynchpin.plots.png import encode_png

    rng = np.random.default_rng(1)
    pixels = rng.integers(0, 256, (7, 5, 4), dtype=np.uint8)
    opaque = pixels.copy()
    opaque[..., 3] = 255
    for array, mode in ((pixels, "RGBA"), (opaque, "RGB")):
        image = Image.open(io.BytesIO(encode_png(array, 72.0)))
        assert image.mode == mode and image.size == (5, 7)
        assert np.array_equal(np.asarray(image), array if mode == "RGBA" else array[..., :3])


def test_a_reused_figure_draws_the_same_bytes_as_a_new_one(summary):
    """Batch workers reuse figures across runs: a run's charts must not depend on the last."""
    from lynchpin.plots.run_plots import chart_bytes

    first = chart_bytes(summary, "baseline", 20, formats=("png", "svg"))
    again = chart_bytes(summary, "baseline", 20, formats=("png", "svg"))
    assert [name for name, _ in first] == [name for name, _ in again]
    assert all(a == b for (_, a), (_, b) in zip(first, again, strict=True))


def test_fixed_layout_keeps_every_text_inside_the_figure(summary):
    """The layout is fixed, not fitted to the text: wide tick labels and a two-line note must
    still fit (a margin too small for them clips the axis label or the note)."""
    import matplotlib

    from lynchpin.plots.export import text_outside
    from lynchpin.plots.run_plots import CHARTS, draw_chart
    from lynchpin.plots.style import RC_PARAMS

    wide = summary.copy()
    quantiles = ["mean", "p05", "p25", "p50", "p75", "p95"]
    wide[quantiles] = wide[quantiles] * 1e4  # tick labels such as 6000 and 12000
    with matplotlib.rc_context(RC_PARAMS):
        for table in (summary, wide):
            for chart in CHARTS:
                figure = draw_chart(chart, table, "x" * 60, worlds=20, uncertainty="priors")
                assert text_outside(figure) == [], chart.filename


def test_a_chart_does_not_depend_on_the_run_drawn_before_it():
    """Workers reuse figures across a batch's runs: the charts of run A are the same bytes
    whether or not run B was drawn on the same figures first."""
    from lynchpin.plots.run_plots import chart_bytes

    small = simulate(default_config(), worlds=12, seed=1, scenario="baseline").summary()
    wide = small.copy()
    wide[["mean", "p05", "p25", "p50", "p75", "p95"]] *= 1e3  # other ticks, other limits
    alone = chart_bytes(small, "baseline", 12)
    chart_bytes(wide[wide["actor"] != "IND"], "other", 12)  # the pool's figures, used by B
    after = chart_bytes(small, "baseline", 12)
    assert [n for n, _ in alone] == [n for n, _ in after]
    assert all(a == b for (_, a), (_, b) in zip(alone, after, strict=True))
