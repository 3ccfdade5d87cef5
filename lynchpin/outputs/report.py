"""report.html: one self-contained file per run or comparison, to send to a colleague.

Rendered from a Jinja2 template (lynchpin/outputs/templates/report.html.j2) with every figure
embedded as a data URI, so the page needs nothing but itself: no network, no other files.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

REPORT_FILE = "report.html"
_MIME = {".png": "image/png", ".svg": "image/svg+xml"}
BANDS = (
    "Ordinary outcomes: the line or value is the median (or mean, where said) over simulated "
    "worlds; the dark band holds the middle 50% of worlds and the light band the middle 90%. "
    "That spread is luck (the random draws of each world), not uncertainty about parameters, "
    "and not a forecast interval.",
    "Probabilities (armed conflict): a world's value is the probability given that world's "
    "crises; only the mean over worlds is the probability. It is shown with a 90% confidence "
    "interval of that mean, which shrinks with more worlds: it measures Monte Carlo error only.",
    "Differences from a baseline are paired world by world (same seeds, common random "
    "numbers), so they remove the luck both runs share.",
)


@dataclass
class Table:
    """A table for the template; the first `text_columns` columns are text, the rest numbers."""

    title: str
    header: list[str]
    rows: list[list[str]]
    note: str = ""
    text_columns: int = 1


@dataclass
class Report:
    """Everything a report shows."""

    title: str
    subtitle: str = ""
    tables: list[Table] = field(default_factory=list)
    figures: list[Path] = field(default_factory=list)
    provenance: list[tuple[str, str]] = field(default_factory=list)
    overrides: Mapping[str, Any] | None = None
    manifest: Mapping[str, Any] | None = None


def figures_in(folder: Path, prefer: Sequence[str] = (".png", ".svg")) -> list[Path]:
    """Figures of a folder and its plots/ subfolder, one file per figure (PNG over SVG)."""
    found: dict[str, Path] = {}
    for path in sorted([*folder.glob("*"), *folder.glob("plots/*")]):
        if path.suffix in prefer and path.is_file():
            key = str(path.with_suffix(""))
            if key not in found or prefer.index(path.suffix) < prefer.index(found[key].suffix):
                found[key] = path
    return list(found.values())


def render_report(report: Report) -> str:
    """The HTML of a report (Jinja2, autoescaped)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("lynchpin.outputs", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    figures = [
        {
            "name": path.name,
            "mime": _MIME[path.suffix],
            "data": base64.b64encode(path.read_bytes()).decode("ascii"),
        }
        for path in report.figures
    ]
    manifest = None
    if report.manifest is not None:
        shown = {k: v for k, v in report.manifest.items() if k != "files"}
        manifest = json.dumps(shown, indent=2, default=str)
    return env.get_template("report.html.j2").render(
        title=report.title,
        subtitle=report.subtitle,
        bands=BANDS,
        tables=report.tables,
        figures=figures,
        provenance=report.provenance,
        overrides=sorted((report.overrides or {}).items()),
        manifest=manifest,
    )


def key_outcomes_table(rows: pd.DataFrame, worlds: int) -> Table:
    """The run's headline table (lynchpin.outputs.key_outcomes rows) for the report."""
    from lynchpin.outputs.headline import PROBABILITY_LABEL
    from lynchpin.plots.style import metric_style

    periods = list(dict.fromkeys(rows["period"]))
    body = []
    for (actor, metric), group in rows.groupby(["actor", "metric"], sort=False):
        style = metric_style(metric)
        label = style.axis_label if actor == "system" else f"{actor}: {style.axis_label}"
        if bool(group["probability"].iloc[0]):
            label, columns = PROBABILITY_LABEL, ("mean", "mean_lo", "mean_hi")
        else:
            columns = ("p50", "p05", "p95")
        cells = []
        by_period = group.set_index("period")
        for period in periods:
            if period not in by_period.index or columns[1] not in by_period:
                cells.append("")
                continue
            mid, lo, hi = (by_period.loc[period, c] * style.scale for c in columns)
            cells.append(f"{number(mid)} [{number(lo)}–{number(hi)}]")
        body.append([label, *cells])
    return Table(
        "Key outcomes",
        ["Outcome", *periods],
        body,
        note=f"Median [90% of worlds] over {worlds:,} worlds; probabilities: mean [90% "
        "confidence interval of the mean].",
    )


def number(value: float) -> str:
    size = abs(value)
    return f"{value:.0f}" if size >= 100 else f"{value:.1f}" if size >= 10 else f"{value:.2f}"


def run_report(
    folder: Path,
    summary: pd.DataFrame,
    provenance: Mapping[str, Any],
    overrides: Mapping[str, Any] | None,
    results: Any = None,
    description: str = "",
) -> str:
    """The report of one run folder (figures found in the folder, manifest-like provenance)."""
    from lynchpin.outputs.headline import key_outcomes

    rows = key_outcomes(summary, results=results)
    worlds = int(provenance.get("worlds", 0))
    report = Report(
        title=f"lynchpin run: {provenance.get('scenario', '')}",
        subtitle=description,
        tables=[key_outcomes_table(rows, worlds)],
        figures=figures_in(folder),
        provenance=[(k, str(v)) for k, v in provenance.items()],
        overrides=overrides,
    )
    return render_report(report)


def comparison_report(
    folder: Path,
    table: pd.DataFrame,
    baseline: str,
    runs: Sequence[Mapping[str, Any]],
    command: str,
) -> str:
    """The report of a comparison: its tables per date, the runs and their inputs, figures.

    `runs` holds per run: label, scenario, seed, worlds and inputs (a mapping).
    """
    from lynchpin.outputs.headline import is_probability

    tables = [
        Table(
            "Runs",
            ["Run", "Scenario", "Seed", "Worlds", "Inputs"],
            [
                [
                    r["label"],
                    r["scenario"],
                    str(r["seed"]),
                    f"{r['worlds']:,}",
                    ", ".join(f"{k}={v}" for k, v in r["inputs"].items()),
                ]
                for r in runs
            ],
            text_columns=5,
        )
    ]
    for period, part in table.groupby("period", sort=False):
        rows = []
        for _, r in part.iterrows():
            actor, _, metric = r["outcome"].partition(".")
            low, high = ("mean_lo", "mean_hi") if is_probability(actor, metric) else ("p05", "p95")
            delta = ci = ""
            if "diff_mean" in r and pd.notna(r.get("diff_mean")):
                delta = number(r["diff_mean"])
                if not is_probability(actor, metric):
                    delta += f" [{number(r['diff_p05'])}, {number(r['diff_p95'])}]"
                if pd.notna(r.get("diff_mean_lo")):
                    ci = f"[{number(r['diff_mean_lo'])}, {number(r['diff_mean_hi'])}]"
            unit = f" ({r['unit']})" if r["unit"] else ""
            value = f"{number(r['mean'])} [{number(r[low])}, {number(r[high])}]"
            rows.append([f"{r['label']}{unit}", r["run"], value, delta, ci])
        tables.append(
            Table(
                f"Outcomes at {period}",
                ["Outcome", "Run", "Value", "Δ vs baseline", "90% CI of mean Δ"],
                rows,
                note="Value: mean [5th, 95th percentile of worlds]; probabilities: mean [90% CI "
                "of the mean]. Δ: paired difference from the baseline, world by world.",
                text_columns=2,
            )
        )
    report = Report(
        title=f"lynchpin comparison of {len(runs)} runs",
        subtitle=f"Baseline: {baseline}.",
        tables=tables,
        figures=figures_in(folder),
        provenance=[("command", command), ("baseline", baseline), ("runs", str(len(runs)))],
    )
    return render_report(report)
