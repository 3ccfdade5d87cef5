"""Compare runs: overlaid fans, paired differences from a baseline, end states, a summary table.

Differences are computed world by world. Runs with the same seed share their random streams
world by world (common random numbers), so a paired difference removes the noise both runs share
and its band is much narrower than the gap between two independent fans. Per-world values come
from worlds.parquet when a run kept them; otherwise the run is re-simulated from the resolved
scenario, seed and worlds in its manifest (deterministic; checked against its summary.csv).
"""

from __future__ import annotations

import io
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from lynchpin.errors import UserError
from lynchpin.experiments import INDEX_FILE, RUNS_DIR
from lynchpin.model.periods import decimal_year, parse_quarter
from lynchpin.model.run import simulate
from lynchpin.outputs import (
    KEY_OUTCOMES,
    MANIFEST_FILE,
    WORLDS_FILE,
    atomic_write_bytes,
    atomic_write_text,
    read_run,
)
from lynchpin.plots.fan import fan, series_rows, year_axis
from lynchpin.plots.style import RC_PARAMS, SYSTEM_COLOUR, metric_style
from lynchpin.scenario import Scenario

DEFAULT_AT = ("2025Q4", "2030Q4", "2035Q4")
# Okabe-Ito without black (the baseline is drawn in near-black), then tab10 for long lists.
RUN_COLOURS = (
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#B8A200",
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
)  # fmt: skip
Outcome = tuple[str, str]


@dataclass
class Run:
    """One run folder as compare sees it."""

    path: Path
    label: str
    summary: pd.DataFrame
    manifest: dict
    worlds: dict[Outcome, np.ndarray] = field(default_factory=dict)  # (periods, worlds)

    @property
    def periods(self) -> list[str]:
        return sorted(set(self.summary["period"]), key=parse_quarter)


def run_folders(paths: list[Path]) -> list[tuple[Path, str]]:
    """Run folders with a label hint: a batch folder expands into its runs, in index order."""
    found: list[tuple[Path, str]] = []
    for path in paths:
        if (path / MANIFEST_FILE).is_file():
            found.append((path, ""))
        elif (path / RUNS_DIR).is_dir():
            found.extend(_batch_runs(path))
        else:
            raise UserError(f"{path}: neither a run folder (manifest.json) nor a batch folder")
    if not found:
        raise UserError("no runs to compare")
    return found


def _batch_runs(batch: Path) -> list[tuple[Path, str]]:
    index = batch / INDEX_FILE
    if index.is_file():
        rows = pd.read_csv(index, dtype=str, keep_default_na=False)
        rows = rows[rows["status"] == "ok"]
        return [
            (batch / p, _params_label(params))
            for p, params in zip(rows["path"], rows["parameters"], strict=True)
        ]
    return [(p.parent, "") for p in sorted((batch / RUNS_DIR).glob(f"*/{MANIFEST_FILE}"))]


def _params_label(parameters: str) -> str:
    values = json.loads(parameters or "{}")
    return " ".join(
        f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}" for k, v in values.items()
    )


def load_runs(paths: list[Path]) -> list[Run]:
    """Read every run (checksums verified by read_run) with a unique, readable label."""
    runs = []
    for path, hint in run_folders(paths):
        summary, manifest = read_run(path)
        runs.append(Run(path, f"{manifest['scenario']} {hint}".strip(), summary, manifest))
    labels = [r.label for r in runs]
    for run in runs:
        if labels.count(run.label) > 1:
            run.label = f"{run.label} ({run.path.name})"
    return runs


def pick_baseline(runs: list[Run], name: str | None) -> Run:
    """The run whose label, scenario, folder name or run id is `name` (default: 'baseline' or
    the first run)."""
    if name is None:
        return next((r for r in runs if r.label == "baseline"), runs[0])
    for run in runs:
        if name in (run.label, run.path.name, run.manifest["scenario"]):
            return run
    labels = ", ".join(r.label for r in runs)
    raise UserError(f"--baseline: no run named {name!r} (runs: {labels})")


def load_worlds(run: Run, outcomes: tuple[Outcome, ...] = KEY_OUTCOMES) -> None:
    """Fill run.worlds from worlds.parquet, else by re-simulating from the manifest."""
    wanted = [o for o in outcomes if _has(run, o)]
    parquet = run.path / WORLDS_FILE
    if parquet.is_file():
        table = pd.read_parquet(parquet, columns=["period", "actor", "metric", "world", "value"])
        for actor, metric in wanted:
            rows = table[(table["actor"] == actor) & (table["metric"] == metric)]
            grid = rows.pivot(index="period", columns="world", values="value")
            run.worlds[(actor, metric)] = grid.loc[run.periods].to_numpy()
        return
    manifest = run.manifest
    scenario = Scenario.from_data(manifest["resolved_scenario"], {})
    results = simulate(
        scenario.to_config(),
        worlds=manifest["worlds"],
        seed=manifest["seed"],
        scenario=scenario.name,
    )
    for outcome in wanted:
        run.worlds[outcome] = results.metric(*outcome)
    _check_reproduced(run, results.summary())


def _has(run: Run, outcome: Outcome) -> bool:
    actor, metric = outcome
    return bool(((run.summary["actor"] == actor) & (run.summary["metric"] == metric)).any())


def _check_reproduced(run: Run, summary: pd.DataFrame) -> None:
    """A re-simulation must match the saved summary, or the pairs would be wrong."""
    saved = run.summary.set_index(["period", "actor", "metric"])["mean"]
    again = summary.set_index(["period", "actor", "metric"])["mean"].reindex(saved.index)
    if not np.allclose(saved.to_numpy(), again.to_numpy(), rtol=1e-9, atol=1e-12):
        raise UserError(
            f"{run.path}: re-simulating from its manifest does not reproduce summary.csv",
            "  the model changed since the run was made; re-run it with --keep-worlds",
        )


def paired(run: Run, baseline: Run, outcome: Outcome) -> np.ndarray | None:
    """Per-world differences run - baseline over the worlds both have, if the runs are paired."""
    same = run.manifest["seed"] == baseline.manifest["seed"] and run.periods == baseline.periods
    if not same or outcome not in run.worlds or outcome not in baseline.worlds:
        return None
    n = min(run.manifest["worlds"], baseline.manifest["worlds"])  # world i = same streams
    return run.worlds[outcome][:, :n] - baseline.worlds[outcome][:, :n]


def summary_table(runs: list[Run], baseline: Run, at: list[str]) -> pd.DataFrame:
    """Outcomes at the chosen dates in display units: mean and 90% interval over worlds; paired
    difference from the baseline (mean, 90% interval over worlds, 90% CI of the mean)."""
    rows = []
    for actor, metric in KEY_OUTCOMES:
        style = metric_style(metric)
        for period in at:
            for run in runs:
                if (actor, metric) not in run.worlds or period not in run.periods:
                    continue
                t = run.periods.index(period)
                values = run.worlds[(actor, metric)][t] * style.scale
                diff = paired(run, baseline, (actor, metric))
                row = {
                    "outcome": f"{actor}.{metric}",
                    "label": style.label if actor == "system" else f"{actor}: {style.label}",
                    "unit": style.unit,
                    "period": period,
                    "run": run.label,
                    "mean": values.mean(),
                    "p05": np.quantile(values, 0.05),
                    "p95": np.quantile(values, 0.95),
                }
                if diff is not None and run is not baseline:
                    d = diff[t] * style.scale
                    half = 1.645 * d.std(ddof=1) / np.sqrt(d.size) if d.size > 1 else np.nan
                    row |= {
                        "diff_mean": d.mean(),
                        "diff_p05": np.quantile(d, 0.05),
                        "diff_p95": np.quantile(d, 0.95),
                        "diff_mean_lo": d.mean() - half,
                        "diff_mean_hi": d.mean() + half,
                    }
                rows.append(row)
    return pd.DataFrame(rows)


def _fmt(x: float) -> str:
    if not np.isfinite(x):
        return ""
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def markdown(table: pd.DataFrame, baseline: Run) -> str:
    """Readable tables, one per date: value [90% of worlds] and paired difference."""
    lines = [
        "# Scenario comparison",
        "",
        f"Baseline: **{baseline.label}**. Values: mean over worlds [5th, 95th percentile of "
        "worlds]. Δ: paired difference from the baseline, world by world (same seeds): mean "
        "[5th, 95th percentile of worlds]; 'CI of mean' is a 90% interval for the mean difference.",
    ]
    for period, part in table.groupby("period", sort=False):
        lines += [
            "",
            f"## {period}",
            "",
            "| Outcome | Run | Value | Δ vs baseline | CI of mean Δ |",
        ]
        lines.append("|---|---|---|---|---|")
        for _, r in part.iterrows():
            unit = f" ({r['unit']})" if r["unit"] else ""
            value = f"{_fmt(r['mean'])} [{_fmt(r['p05'])}, {_fmt(r['p95'])}]"
            delta = ci = ""
            if "diff_mean" in r and pd.notna(r.get("diff_mean")):
                delta = f"{_fmt(r['diff_mean'])} [{_fmt(r['diff_p05'])}, {_fmt(r['diff_p95'])}]"
                ci = f"[{_fmt(r['diff_mean_lo'])}, {_fmt(r['diff_mean_hi'])}]"
            lines.append(f"| {r['label']}{unit} | {r['run']} | {value} | {delta} | {ci} |")
    return "\n".join(lines) + "\n"


def colours(runs: list[Run], baseline: Run) -> dict[str, str]:
    """One colour per run; the baseline near-black."""
    others = iter(RUN_COLOURS * (1 + len(runs) // len(RUN_COLOURS)))
    return {r.label: SYSTEM_COLOUR if r is baseline else next(others) for r in runs}


def outcome_figure(runs: list[Run], baseline: Run, outcome: Outcome) -> bytes:
    """Left: overlaid fans of every run. Right: paired differences from the baseline."""
    actor, metric = outcome
    style = metric_style(metric)
    palette = colours(runs, baseline)
    title = style.label if actor == "system" else f"{actor}: {style.label}"
    with matplotlib.rc_context(RC_PARAMS):
        fig = Figure(figsize=(16, 7.5), layout="constrained")
        left, right = fig.subplots(1, 2)
        for run in runs:
            rows = series_rows(run.summary, actor, metric)
            if not rows.empty:
                fan(left, rows, colour=palette[run.label], label=run.label, scale=style.scale)
        left.set_title("Level: median, middle 50% and 90% of worlds")
        left.set_ylabel(style.axis_label)
        year_axis(left)
        for run in runs:
            diff = paired(run, baseline, outcome)
            if run is baseline or diff is None:
                continue
            years = [decimal_year(parse_quarter(p)) for p in run.periods]
            d = diff * style.scale
            colour = palette[run.label]
            lo, hi = np.quantile(d, [0.05, 0.95], axis=1)
            right.fill_between(years, lo, hi, color=colour, alpha=0.15, lw=0)
            right.plot(years, d.mean(axis=1), color=colour)
        right.axhline(0, color=SYSTEM_COLOUR, lw=1.2)
        right.set_title(f"Minus {baseline.label}: mean, 90% of paired worlds")
        right.set_ylabel(f"Difference ({style.unit})" if style.unit else "Difference")
        year_axis(right)
        fig.suptitle(title)
        _legend_below(fig, *left.get_legend_handles_labels())
        return _png(fig)


def end_state_figure(runs: list[Run], baseline: Run, period: str) -> bytes:
    """Box plots (whiskers: 5th-95th percentile of worlds) of every key outcome at `period`."""
    palette = colours(runs, baseline)
    outcomes = [o for o in KEY_OUTCOMES if any(o in r.worlds for r in runs)]
    columns = 3
    rows = -(-len(outcomes) // columns)
    with matplotlib.rc_context(
        {
            **RC_PARAMS,
            "font.size": 14,
            "axes.titlesize": 15,
            "xtick.labelsize": 12,
            "ytick.labelsize": 12,
        }
    ):
        fig = Figure(figsize=(16, 4.2 * rows + 1.5), layout="constrained")
        axes = fig.subplots(rows, columns, squeeze=False).ravel()
        for ax, (actor, metric) in zip(axes, outcomes, strict=False):
            style = metric_style(metric)
            present = [r for r in runs if (actor, metric) in r.worlds and period in r.periods]
            data = [
                r.worlds[(actor, metric)][r.periods.index(period)] * style.scale for r in present
            ]
            boxes = ax.boxplot(
                data,
                whis=(5, 95),
                showfliers=False,
                patch_artist=True,
                medianprops={"color": "white", "lw": 2},
                showmeans=True,  # a diamond keeps runs with no spread visible
                meanprops={"marker": "D", "markerfacecolor": "white", "markeredgecolor": "black"},
            )
            for patch, run in zip(boxes["boxes"], present, strict=True):
                patch.set_facecolor(palette[run.label])
            ax.set_xticks(range(1, len(present) + 1), [str(runs.index(r) + 1) for r in present])
            name = style.label if actor == "system" else f"{actor}: {style.label}"
            ax.set_title(name if len(name) < 38 else re.sub(r",.*", "", name))
            ax.set_ylabel(style.unit)
            ax.grid(axis="x", visible=False)
        for ax in axes[len(outcomes) :]:
            ax.set_visible(False)
        handles = [Patch(color=palette[r.label]) for r in runs]
        _legend_below(fig, handles, [f"{i + 1} = {r.label}" for i, r in enumerate(runs)])
        fig.suptitle(
            f"End state at {period} across worlds\n"
            "box: middle 50%, whiskers: 90%, white line: median, diamond: mean"
        )
        return _png(fig)


def _legend_below(fig: Figure, handles: list, labels: list[str]) -> None:
    """A legend under the panels: one column for long labels, so none is cut off."""
    columns = 1 if max(map(len, labels)) > 45 else min(3, len(labels))
    fig.legend(handles, labels, loc="outside lower center", ncols=columns, frameon=False)


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # constrained layout with long legends
        fig.savefig(buffer, format="png")
    return buffer.getvalue()


def compare(
    paths: list[Path], out: Path, baseline: str | None = None, at: list[str] | None = None
) -> list[Path]:
    """Write the comparison of runs into `out`: one figure per key outcome, end-state box plots,
    comparison.csv and comparison.md. Every file is written atomically."""
    at = list(at or DEFAULT_AT)
    for period in at:
        try:
            parse_quarter(period)
        except ValueError as error:
            raise UserError(f"--at: {error}") from None
    runs = load_runs(paths)
    base = pick_baseline(runs, baseline)
    for run in runs:
        load_worlds(run)
    table = summary_table(runs, base, at)
    written = [
        atomic_write_text(out / "comparison.csv", table.to_csv(index=False)),
        atomic_write_text(out / "comparison.md", markdown(table, base)),
    ]
    for outcome in KEY_OUTCOMES:
        if any(outcome in r.worlds for r in runs):
            name = f"{outcome[0]}_{outcome[1]}.png"
            written.append(atomic_write_bytes(out / name, outcome_figure(runs, base, outcome)))
    last = next((p for p in reversed(at) if all(p in r.periods for r in runs)), None)
    if last:
        written.append(
            atomic_write_bytes(out / "end_state.png", end_state_figure(runs, base, last))
        )
    return written
