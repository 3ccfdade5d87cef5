"""Write the backtest report: Markdown led by the skill table, figures, and every point.

Every number in the text comes from the Backtest it is given (lynchpin.backtest.engine), so a
changed model regenerates an honest report with `lynchpin backtest --out docs/backtest`.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from lynchpin.backtest.engine import TEST, Backtest, OriginResult
from lynchpin.backtest.naive import NAIVE_METHODS
from lynchpin.backtest.observed import series_catalogue
from lynchpin.backtest.patterns import check_patterns, pattern_table
from lynchpin.backtest.scoring import PIT_BINS, WIS_ALPHAS
from lynchpin.outputs import atomic_write_bytes, atomic_write_text

REPORT_FILE = "backtest.md"
POINTS_FILE = "points.csv"
PATTERNS_FILE = "patterns.csv"
SKILL_FILE = "skill.csv"
FIGURES = {
    "defence_share": "Defence share of GDP",
    "growth": "Real GDP growth",
    "grayzone": "Gray-zone incidents",
}
PIT_FILE = "pit.png"
COVERAGE_TARGET = (0.80, 0.95)


def plot_files(origins: list[str]) -> list[str]:
    """Names of every figure the report writes for these origins."""
    return [f"origin-{o}-{name}.png" for o in origins for name in FIGURES] + [PIT_FILE]


DIAGNOSIS = (
    "- **India's defence share stays too high (origin 2020).** Budgets are set in money and "
    "anchored on the 2015-2019 share (2.50%), but the run starts from the recession-inflated "
    "2020 share (2.80%) and closes the gap at share_adjust_rate (half-life about two "
    "years). The 2020 recession is put into India's output gap at -17% in 2020Q2 (sized to "
    "reproduce FY2020 "
    "growth of annual means), and the model gives most of it back by FY2022, but the "
    "denominator is still depressed in 2021. India's observed share kept falling (2.47% to "
    "2.27%), which no rule here produces. The same effects, smaller, put the US, Chinese and "
    "Australian medians 0.1-0.2 points above the observations.",
    "- **No inflation.** SIPRI shares are nominal spending over nominal GDP. In 2021-2023 "
    "inflation raised nominal GDP faster than budgets set in money, which lowered observed "
    "shares; the model has real growth only.",
    "- **The 2020 recession is counted twice in levels.** The starting GDP and share are 2020 "
    "annual values, which already contain the recession, and the recession shock lowers GDP "
    "again during 2020. Only levels and 2020-2021 shares are affected; growth rates are not.",
    "- **One rebound speed for everyone, and it spreads the rebound over two years.** "
    "With output_gap_persistence 0.8 a quarter the mean output gap of the US falls from "
    "-4.7% in 2020 to -2.9% in 2021 and -1.2% in 2022, so the model puts about 1.8 points"
    " of catch-up growth into each of 2021 and 2022; the US did its catching up in 2021 "
    "(6.1%) and then grew at about trend (2.5%; trend 2.6%). Australia's lockdown fell in"
    " the last quarter of its FY2020, so in the model most of the lost output lands in "
    "FY2021 (mean gap -6.1% against -2.6%), a second recession year (-1.1%) that did not "
    "happen (2.1%; output was back to its pre-pandemic level by early 2021), followed by "
    "a catch-up year that is too strong. India's rebound is too fast instead: its FY2021 "
    "output stayed about 9% below the pre-pandemic trend (the Delta wave, and lasting "
    "losses that an output gap cannot represent), where the model's FY2021 gap is down to"
    " -5%.",
    "- **Calibrated growth volatilities are too small for the 2020s.** Around their trends, "
    "China and Australia grew within a third of a point in 2015-2019; the fitted volatilities "
    "give bands that miss China's 2021 rebound, its 2022 zero-COVID slump and Australia's "
    "2021-2023 path.",
    "- **Japan's 2022 strategy is a lifted ceiling, not a goal.** The history scenarios no "
    "longer script Japan's desired share (it would set a scored quantity); the lifted ceiling "
    "alone leaves the model's desired share at its 2015-2019 anchor (~0.95%), so the 2023-2024 "
    "step-up (1.14%, 1.37%) is missed until the defence-goal lever of issue 12 lets the "
    "government choose toward its 2% goal.",
    "- **Distraction did not bring more air probing.** In the model US distraction (C3) "
    "raises gray-zone intensity in 2020-2021, so air incidents rise; observed scrambles "
    "against China fell to 458 in FY2020, the lowest of the decade, while Senkaku "
    "territorial-sea days barely moved (29). One intensity drives both domains in "
    "fixed proportion, so the model cannot show air and sea activity diverging.",
    "- **The model's own spread is narrower than the record's.** Parameter draws (the "
    "history-matching posterior) widen the model-only band, but it still covers fewer points "
    "than the predictive band; much of the width of share and count bands comes from the "
    "observation model calibrated on 2015-2019 (budget surprises, gamma year effects). The "
    "posterior is close to the prior (docs/calibration.md): the 2015-2019 record identifies "
    "little beyond trend growth, so the bands carry nearly the full prior uncertainty.",
)


# -- writing -----------------------------------------------------------------------------------


def _png(figure) -> bytes:
    """PNG bytes without the matplotlib version stamp, so a re-run gives identical files."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    return buffer.getvalue()


def _plot(result: OriginResult, keys: list[str], title: str) -> bytes:
    """Observed points over the predictive median and 50%/90% bands, one panel per series."""
    from matplotlib.figure import Figure

    from lynchpin.plots.style import actor_colour

    catalogue = {s.key: s for s in series_catalogue()}
    columns = min(len(keys), 3)
    rows = -(-len(keys) // columns)
    # A bare Figure, not pyplot: no global backend switch and nothing left open afterwards.
    figure = Figure(figsize=(4.2 * columns, 3.2 * rows), layout="constrained")
    axes = figure.subplots(rows, columns, squeeze=False)
    for ax, key in zip(axes.flat, keys, strict=False):
        series = catalogue[key]
        colour = actor_colour(series.actor)
        frame = result.points[(result.points.series == key) & result.points.p50.notna()]
        ax.fill_between(frame.year, frame.p05, frame.p95, color=colour, alpha=0.18, lw=0)
        ax.fill_between(frame.year, frame.p25, frame.p75, color=colour, alpha=0.35, lw=0)
        ax.plot(frame.year, frame.p50, color=colour, lw=1.8, label="model median")
        shown = result.points[(result.points.series == key) & result.points.observed.notna()]
        tested = shown[shown.status == TEST]
        other = shown[shown.status != TEST]
        ax.plot(tested.year, tested.observed, "o", color="black", label="observed (tested)")
        ax.plot(
            other.year,
            other.observed,
            "o",
            mfc="white",
            color="black",
            label="observed (not tested)",
        )
        ax.set_title(series.label, fontsize=10)
        ax.set_ylabel(series.unit)
        ax.set_xticks(sorted(set(frame.year)))
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(keys) :]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7, loc="best")
    figure.suptitle(title + " (bands: 50% and 90% predictive)", fontsize=11)
    return _png(figure)


def _pit_plot(backtest: Backtest) -> bytes:
    """PIT histograms of the scored points, one panel per origin (flat = calibrated)."""
    from matplotlib.figure import Figure

    origins = list(backtest.origins.values())
    figure = Figure(figsize=(4.2 * len(origins), 3.0), layout="constrained")
    axes = figure.subplots(1, len(origins), squeeze=False)
    for ax, result in zip(axes.flat, origins, strict=True):
        counts = result.pit
        edges = np.linspace(0, 1, PIT_BINS + 1)
        ax.bar(edges[:-1], counts, width=1 / PIT_BINS, align="edge", color="#777", ec="white")
        ax.axhline(counts.sum() / PIT_BINS, color="black", ls="--", lw=1, label="calibrated")
        ax.set_title(f"origin {result.origin.name} ({int(counts.sum())} points)", fontsize=10)
        ax.set_xlabel("PIT (share of model draws below the observation)")
        ax.set_ylabel("points")
        ax.legend(fontsize=7)
    figure.suptitle("Probability integral transform of the scored points", fontsize=11)
    return _png(figure)


def _fmt(value: float, digits: int = 2) -> str:
    return "" if pd.isna(value) else f"{value:.{digits}f}"


def _label(key: str) -> str:
    catalogue = {s.key: s for s in series_catalogue()}
    return catalogue[key].label if key in catalogue else key


def _skill_lines(result: OriginResult) -> list[str]:
    lines = [
        "| series | points | WIS model | WIS persistence | WIS trend | WIS AR(1) | best naive "
        "| skill vs best | skill vs persistence |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in result.skill.itertuples():
        label = f"**{row.series}**" if row.series.startswith("overall") else _label(row.series)
        lines.append(
            f"| {label} | {row.points} | {_fmt(row.model, 3)} | {_fmt(row.persistence, 3)} "
            f"| {_fmt(row.trend, 3)} | {_fmt(row.ar1, 3)} | {row.best_naive} "
            f"| {row.skill_vs_best:+.2f} | {row.skill_vs_persistence:+.2f} |"
        )
    return lines


def _coverage_lines(backtest: Backtest) -> list[str]:
    lines = [
        "| origin | points | model 90% | model 50% | model-only 90% | "
        + " | ".join(f"{m} 90% | {m} 50%" for m in NAIVE_METHODS)
        + " |",
        "|---|---|---|---|---|" + "---|---|" * len(NAIVE_METHODS),
    ]
    for name, result in backtest.origins.items():
        o = result.overall
        naive = " | ".join(
            f"{o[f'coverage90_{m}']:.2f} | {o[f'coverage50_{m}']:.2f}" for m in NAIVE_METHODS
        )
        lines.append(
            f"| {name} | {o['points']} | **{o['coverage90']:.2f}** | {o['coverage50']:.2f} "
            f"| {o['model_coverage90']:.2f} | {naive} |"
        )
    return lines


def _pattern_lines(checked: pd.DataFrame) -> list[str]:
    from lynchpin.backtest.patterns import PATTERNS

    by_id = {p.id: p for p in PATTERNS}
    lines = [
        "| id | pattern | observed (source) | in data | share of worlds | held |",
        "|---|---|---|---|---|---|",
    ]
    for row in checked.itertuples():
        p = by_id[row.id]
        share = _fmt(row.share_of_worlds) if not pd.isna(row.share_of_worlds) else "-"
        held = "**held**" if row.held else "missed" + (f": {row.note}" if row.note else "")
        lines.append(
            f"| {row.id} | {p.name} | {p.statement} ({p.source}) "
            f"| {'yes' if row.observed else 'no'} | {share} | {held} |"
        )
    return lines


def _targets(result: OriginResult) -> list[str]:
    o = result.overall
    overall = result.skill.iloc[-1]
    low, high = COVERAGE_TARGET
    coverage_met = low <= o["coverage90"] <= high
    skill_met = overall.skill_vs_best >= 0
    return [
        f"- 90% coverage out of sample: **{o['coverage90']:.2f}** over {o['points']} points "
        f"(target {low:.2f}-{high:.2f}: {'met' if coverage_met else 'missed'}).",
        f"- WIS skill against the best naive forecast ({overall.best_naive}): "
        f"**{overall.skill_vs_best:+.2f}** (target >= 0: {'met' if skill_met else 'missed'}).",
    ]


def _uncertainty_sentence(mode: str) -> str:
    """What the worlds' parameters are, in words."""
    if mode == "posterior":
        return (
            "Each group of 10 worlds resamples one parameter draw of the history-matching "
            "posterior (`lynchpin/data/posterior.csv`: prior draws run from 2015 to 2020Q1 "
            "and kept when their 2015-2019 trajectory is plausible, docs/calibration.md); "
            "parameters it lacks keep their prior draws."
        )
    if mode == "priors":
        return "Each group of 10 worlds draws every parameter from its prior."
    if mode == "none":
        return "Every parameter is fixed at its default (only luck varies)."
    return f"Each group of worlds resamples a row of the table `{mode}`."


def _markdown(backtest: Backtest, patterns: dict[str, pd.DataFrame]) -> str:
    """The report text; every number in it comes from `backtest`."""
    primary = backtest.primary
    lines = [
        "# Backtest: out of sample from 2015, and from 2020",
        "",
        "Generated by `lynchpin backtest "
        f"--worlds {backtest.worlds} --seed {backtest.seed} --uncertainty "
        f"{backtest.uncertainty} --out docs/backtest --overwrite`; do not edit by hand. "
        f"{_uncertainty_sentence(backtest.uncertainty)} Everything fitted uses 2015-2019 only "
        "(`lynchpin/data/calibration.csv`, docs/calibration.md). Scores are "
        f"weighted interval scores (WIS; {len(WIS_ALPHAS)} central intervals and the median, "
        "`scoringrules`) of predictive bands: model worlds passed through the calibrated "
        "observation model. Lower WIS is better; skill = 1 - WIS(model) / WIS(naive), above "
        "0 the model beats the naive forecast. The overall row divides each point's WIS by "
        "its series' scale (RMS of the 2015-2019 year-on-year changes) before averaging.",
        "",
    ]
    for name, result in backtest.origins.items():
        origin = result.origin
        lines += [
            f"## Skill, origin {name} ({origin.description})",
            "",
            f"Scenario `{origin.scenario}` (sha256 `{result.scenario_sha[:12]}`), "
            f"scored {origin.score_years[0]}-{origin.score_years[1]}.",
            "",
            *_skill_lines(result),
            "",
            *_targets(result),
            "",
        ]
    held = int(patterns[primary.origin.name].held.sum())
    lines += [
        "## Coverage of the 50% and 90% intervals",
        "",
        "The same points for the model and the three naive forecasts (normal predictive "
        "distributions fitted on 2015 up to the year before each series' first scored year).",
        "",
        *_coverage_lines(backtest),
        "",
        f"![PIT]({PIT_FILE})",
        "",
        "A calibrated forecast gives a flat PIT histogram; a U shape means bands too narrow, a "
        "hump bands too wide, a slope a biased median.",
        "",
        f"## Named patterns, origin {primary.origin.name} "
        f"({held} of {len(patterns[primary.origin.name])} held)",
        "",
        "Checked on the model's worlds over the out-of-sample window; a pattern holds when it "
        "holds in at least half the worlds. Each pattern is also checked on the shipped data "
        "(column 'in data').",
        "",
        *_pattern_lines(patterns[primary.origin.name]),
        "",
    ]
    for name, result in backtest.origins.items():
        lines += [
            f"## Per series, origin {name}",
            "",
            "| series | unit | points | 90% | 50% | model-only 90% | WIS | CRPS "
            "| median abs error | bias |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        catalogue = {s.key: s for s in series_catalogue()}
        for row in result.scores.itertuples():
            s = catalogue[row.series]
            lines.append(
                f"| {s.label} | {s.unit} | {row.points} | {row.coverage90:.2f} "
                f"| {row.coverage50:.2f} | {row.model_coverage90:.2f} | {row.wis:.3f} "
                f"| {row.crps:.3f} | {row.median_abs_error:.2f} | {row.bias:+.2f} |"
            )
        lines += [
            "",
            *[f"![{title}](origin-{name}-{key}.png)" for key, title in FIGURES.items()],
            "",
            "Tested points outside the 90% band:",
            "",
            *_failures(result),
            "",
        ]
    catalogue = series_catalogue()
    lines += [
        "## Mapping and year alignment",
        "",
        "| series | mapping |",
        "|---|---|",
        *[f"| {s.label} | {s.mapping} |" for s in catalogue],
        "",
        "Points are scored unless the run fixes them or they were used for fitting: each "
        "origin's first-year defence shares are its starting values (initial condition); "
        "2016-2019 points of the 2015 origin lie in the fitting window (in sample); in the "
        "2020 origin, 2020 growth is set by recession shocks sized on it (imposed), whereas "
        "the 2015 origin imposes one common recession and scores 2020 growth; FY2024 "
        "scrambles end after the runs. Growth is of annual means, as the World Bank's is of "
        "annual totals; quarters before a run's start lie on its trend path.",
        "",
        "## What the model gets wrong (structural)",
        "",
        *DIAGNOSIS,
        "",
        "## Every point",
        "",
        "All origins, with the naive forecasts' means, are in `points.csv`; the skill tables in "
        "`skill.csv`, the patterns in `patterns.csv`. Calibration used:",
        "",
        "| parameter | value |",
        "|---|---|",
        *[f"| {r.parameter} | {r.value:g} |" for r in backtest.calibration.itertuples()],
        "",
    ]
    return "\n".join(lines)


def _failures(result: OriginResult) -> list[str]:
    """Misses stated from the numbers: each tested point outside the 90% band, by series."""
    missed = result.points[result.points.tested & ~result.points.in90]
    lines = []
    for key, frame in missed.groupby("series", sort=False):
        parts = ", ".join(
            f"{r.year}: observed {r.observed:.2f} vs median {r.p50:.2f}"
            f" ({'above' if r.observed > r.p95 else 'below'} the band)"
            for r in frame.itertuples()
        )
        lines.append(f"- {_label(str(key))}: {parts}.")
    return lines or ["- Every tested point lies inside its 90% band."]


def backtest_patterns(backtest: Backtest) -> dict[str, pd.DataFrame]:
    """The pattern table of every origin."""
    return {n: pattern_table(check_patterns(r.results)) for n, r in backtest.origins.items()}


def write_report(backtest: Backtest, out: Path) -> list[Path]:
    """backtest.md, points.csv, skill.csv, patterns.csv and the PNGs, each written atomically."""
    out = Path(out)
    keys = [s.key for s in series_catalogue()]
    groups = {
        "defence_share": [k for k in keys if k.startswith("defence_share.")],
        "growth": [k for k in keys if k.startswith("growth.")],
        "grayzone": ["senkaku_ts_days", "scrambles_china"],
    }
    written = []
    for name, result in backtest.origins.items():
        for key, title in FIGURES.items():
            png = _plot(result, groups[key], f"{title}, origin {name}")
            written.append(atomic_write_bytes(out / f"origin-{name}-{key}.png", png))
    written.append(atomic_write_bytes(out / PIT_FILE, _pit_plot(backtest)))
    patterns = backtest_patterns(backtest)
    tables = {
        POINTS_FILE: pd.concat(
            [r.points.assign(origin=n) for n, r in backtest.origins.items()], ignore_index=True
        ),
        SKILL_FILE: pd.concat(
            [r.skill.assign(origin=n) for n, r in backtest.origins.items()], ignore_index=True
        ),
        PATTERNS_FILE: pd.concat(
            [t.assign(origin=n) for n, t in patterns.items()], ignore_index=True
        ),
    }
    for filename, frame in tables.items():
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False, float_format="%.4f", lineterminator="\n")
        written.append(atomic_write_text(out / filename, buffer.getvalue()))
    written.append(atomic_write_text(out / REPORT_FILE, _markdown(backtest, patterns)))
    return written
