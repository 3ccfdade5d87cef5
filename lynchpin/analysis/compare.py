"""Compare runs: overlaid fans, paired differences from a baseline, end states, a summary table.

Differences are computed world by world. Runs with the same seed share their random streams
world by world (common random numbers), so a paired difference removes the noise both runs share
and its band is much narrower than the gap between two independent fans. Per-world values come
from worlds.parquet when a run kept them; otherwise the run is re-simulated from the resolved
scenario, seed and worlds in its manifest (deterministic; checked against its summary.csv).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lynchpin.errors import UserError
from lynchpin.experiments import INDEX_FILE, RUNS_DIR
from lynchpin.model.periods import format_quarter, parse_quarter
from lynchpin.model.run import simulate
from lynchpin.outputs import (
    KEY_OUTCOMES,
    MANIFEST_FILE,
    PROBABILITY_LABEL,
    WORLDS_FILE,
    atomic_write_text,
    check_out_dir,
    folder_manifest,
    is_probability,
    mean_interval,
    read_run,
    staged_dir,
)
from lynchpin.outputs.batch_dir import read_index
from lynchpin.outputs.report import REPORT_FILE
from lynchpin.plots.compare import end_state_figure, outcome_figure
from lynchpin.plots.export import write_figure
from lynchpin.plots.style import metric_style
from lynchpin.scenario import Scenario

DEFAULT_AT = ("2025Q4", "2030Q4", "2035Q4")
COMPARE_FILES = ("comparison.csv", "comparison.md")
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

    @property
    def inputs(self) -> dict[str, object]:
        """The values this run was given (batch parameters or --set), numbers as numbers."""
        values = {}
        for key, value in (self.manifest.get("overrides") or {}).items():
            try:
                values[key] = float(value)
            except (TypeError, ValueError):
                values[key] = str(value)
        return values


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
    if index.exists():
        found = []
        for row in read_index(index):
            if row["status"] != "ok":
                continue
            if not _inside(row["path"]):
                raise UserError(f"{index}: run path {row['path']!r} is outside the batch folder")
            found.append((batch / row["path"], _params_label(row["parameters"], index)))
        return found
    return [(p.parent, "") for p in sorted((batch / RUNS_DIR).glob(f"*/{MANIFEST_FILE}"))]


def _inside(member: str) -> bool:
    """A relative path that stays below its folder (index.csv rows are not trusted)."""
    parts = Path(member).parts
    return bool(parts) and not Path(member).is_absolute() and ".." not in parts


def _params_label(parameters: str, index: Path) -> str:
    try:
        values = json.loads(parameters or "{}")
    except ValueError:
        values = None
    if not isinstance(values, dict):
        raise UserError(f"{index}: 'parameters' is not a JSON mapping ({parameters[:40]!r})")
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
    if parquet.is_file():  # its SHA-256 was verified against the manifest by read_run
        try:
            table = pd.read_parquet(
                parquet, columns=["period", "actor", "metric", "world", "value"]
            )
            for actor, metric in wanted:
                rows = table[(table["actor"] == actor) & (table["metric"] == metric)]
                grid = rows.pivot(index="period", columns="world", values="value")
                run.worlds[(actor, metric)] = grid.loc[run.periods].to_numpy(dtype=float)
        except (ValueError, KeyError, TypeError, OSError) as error:
            raise UserError(f"{parquet}: not a readable worlds table ({error})") from None
        return
    manifest = run.manifest
    scenario = resimulation_scenario(run)
    results = simulate(
        scenario.to_config(),
        worlds=manifest["worlds"],
        seed=manifest["seed"],
        scenario=scenario.name,
    )
    for outcome in wanted:
        run.worlds[outcome] = results.metric(*outcome)
    _check_reproduced(run, results.summary())


def resimulation_scenario(run: Run) -> Scenario:
    """The scenario a re-simulation uses, after checking the manifest fields that drive it:
    the resolved scenario must hash to the recorded scenario_sha256, and seed and worlds
    must agree with it, so an edited manifest never silently changes the pairs."""
    manifest, where = run.manifest, run.path / MANIFEST_FILE
    try:
        scenario = Scenario.from_data(manifest["resolved_scenario"], {}, where)
    except UserError as error:
        raise UserError(
            f"{where}: resolved_scenario is not a valid scenario", *error.lines
        ) from None
    if scenario.sha256() != manifest["scenario_sha256"]:
        raise UserError(
            f"{where}: resolved_scenario does not match its scenario_sha256; the manifest was "
            "edited, so the run cannot be re-simulated"
        )
    if (scenario.seed, scenario.worlds) != (manifest["seed"], manifest["worlds"]):
        raise UserError(f"{where}: seed or worlds differ from its resolved_scenario")
    return scenario


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
    """Outcomes at the chosen dates in display units: mean over worlds with the 90% confidence
    interval of the mean (`mean_lo`, `mean_hi`) and the 90% interval over worlds (`p05`,
    `p95`); paired difference from the baseline (mean, 90% interval over worlds, 90% CI of the
    mean). For the probability of armed conflict only the mean and its CI are meaningful."""
    rows = []
    for actor, metric in KEY_OUTCOMES:
        style = metric_style(metric)
        label = style.label if actor == "system" else f"{actor}: {style.label}"
        if is_probability(actor, metric):
            label = PROBABILITY_LABEL.removesuffix(" (%)")
        for period in at:
            for run in runs:
                if (actor, metric) not in run.worlds or period not in run.periods:
                    continue
                t = run.periods.index(period)
                values = run.worlds[(actor, metric)][t] * style.scale
                mean, lo, hi = (float(v) for v in mean_interval(values))
                diff = paired(run, baseline, (actor, metric))
                row = {
                    "outcome": f"{actor}.{metric}",
                    "label": label,
                    "unit": style.unit,
                    "period": period,
                    "run": run.label,
                    "mean": mean,
                    "p05": np.quantile(values, 0.05),
                    "p95": np.quantile(values, 0.95),
                    "mean_lo": lo,
                    "mean_hi": hi,
                }
                if diff is not None and run is not baseline:
                    d = diff[t] * style.scale
                    d_mean, d_lo, d_hi = (float(v) for v in mean_interval(d))
                    row |= {
                        "diff_mean": d_mean,
                        "diff_p05": np.quantile(d, 0.05),
                        "diff_p95": np.quantile(d, 0.95),
                        "diff_mean_lo": d_lo if d.size > 1 else np.nan,
                        "diff_mean_hi": d_hi if d.size > 1 else np.nan,
                        "diff_robust": robust_share(d),
                    }
                rows.append(row)
    return pd.DataFrame(rows)


def robust_share(differences: np.ndarray) -> float:
    """Share of worlds whose paired difference has the sign of the mean difference.

    With the same seed both runs share parameter draws and luck world by world, so this says
    how robust the direction of an effect is across what we do not know ("robust in 87% of
    worlds"); a zero mean difference has no direction (NaN).
    """
    d = np.asarray(differences, dtype=float)
    direction = np.sign(d.mean())
    if direction == 0:
        return float("nan")
    return float(np.mean(np.sign(d) == direction))


def _fmt(x: float) -> str:
    if not np.isfinite(x):
        return ""
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def markdown(table: pd.DataFrame, baseline: Run) -> str:
    """Readable tables, one per date: value [90% of worlds] and paired difference; the
    probability of armed conflict as mean [90% CI of the mean]."""
    lines = [
        "# Scenario comparison",
        "",
        f"Baseline: **{baseline.label}**. Values: mean over worlds [5th, 95th percentile of "
        "worlds]. Δ: paired difference from the baseline, world by world (same seeds): mean "
        "[5th, 95th percentile of worlds]; 'CI of mean' is a 90% interval for the mean difference.",
        "",
        "The probability of armed conflict is the mean over worlds of each world's probability "
        "given its crises; it is shown as mean [90% confidence interval of the mean], and its Δ "
        "as the mean difference only (the spread of per-world probabilities is not a probability).",
        "",
        "Robust: the share of worlds in which the paired difference has the sign of the mean "
        "difference; with per-world parameters (uncertainty: priors) both runs share each "
        "world's parameter draw, so it measures how far the direction survives what we do not "
        "know.",
    ]
    for period, part in table.groupby("period", sort=False):
        lines += [
            "",
            f"## {period}",
            "",
            "| Outcome | Run | Value | Δ vs baseline | CI of mean Δ | Robust |",
        ]
        lines.append("|---|---|---|---|---|---|")
        for _, r in part.iterrows():
            unit = f" ({r['unit']})" if r["unit"] else ""
            actor, _, metric = r["outcome"].partition(".")
            probability = is_probability(actor, metric)
            low, high = ("mean_lo", "mean_hi") if probability else ("p05", "p95")
            value = f"{_fmt(r['mean'])} [{_fmt(r[low])}, {_fmt(r[high])}]"
            delta = ci = robust = ""
            if "diff_mean" in r and pd.notna(r.get("diff_mean")):
                delta = _fmt(r["diff_mean"])
                if not probability:
                    delta += f" [{_fmt(r['diff_p05'])}, {_fmt(r['diff_p95'])}]"
                ci = f"[{_fmt(r['diff_mean_lo'])}, {_fmt(r['diff_mean_hi'])}]"
                if pd.notna(r.get("diff_robust")):
                    robust = f"robust in {r['diff_robust']:.0%} of worlds"
            lines.append(
                f"| {r['label']}{unit} | {r['run']} | {value} | {delta} | {ci} | {robust} |"
            )
    return "\n".join(lines) + "\n"


def check_at(at: list[str] | None, runs: list[Run]) -> list[str]:
    """The dates of the table: every `--at` quarter must lie within every run's periods
    (UserError naming the valid range). Without `--at`, the default milestone dates the runs
    cover, else their last common quarter."""
    common = set.intersection(*(set(r.periods) for r in runs))
    if not common:
        raise UserError("the runs share no quarter; nothing to tabulate")
    ordered = sorted(common, key=parse_quarter)
    valid = f"{ordered[0]}..{ordered[-1]}"
    if at is None:
        return [p for p in DEFAULT_AT if p in common] or [ordered[-1]]
    chosen = []
    for text in at:
        try:
            period = format_quarter(parse_quarter(text))
        except ValueError as error:
            raise UserError(f"--at {text}: {error}") from None
        if period not in common:
            raise UserError(f"--at {text}: outside the runs' periods; choose quarters in {valid}")
        chosen.append(period)
    if not chosen:
        raise UserError(f"--at: no quarters given; choose quarters in {valid}")
    return chosen


SWEEP_RUNS = 6  # beyond this many runs, overlays give way to outcome-versus-input views


def pairing_notes(runs: list[Run], baseline: Run) -> list[str]:
    """Why some runs get no paired difference from the baseline, or a partial one."""
    notes = []
    for run in runs:
        if run is baseline:
            continue
        if run.manifest["seed"] != baseline.manifest["seed"]:
            notes.append(
                f"{run.label}: no paired differences from {baseline.label} (seed "
                f"{run.manifest['seed']} vs {baseline.manifest['seed']}; pairs need one seed)"
            )
        elif run.periods != baseline.periods:
            notes.append(
                f"{run.label}: no paired differences from {baseline.label} (periods "
                f"{run.periods[0]}..{run.periods[-1]} vs "
                f"{baseline.periods[0]}..{baseline.periods[-1]})"
            )
        elif run.manifest["worlds"] != baseline.manifest["worlds"]:
            n = min(run.manifest["worlds"], baseline.manifest["worlds"])
            notes.append(
                f"{run.label}: paired differences over the first {n:,} worlds only "
                f"({run.manifest['worlds']:,} vs {baseline.manifest['worlds']:,} worlds)"
            )
    return notes


def compare(
    paths: list[Path],
    out: Path,
    baseline: str | None = None,
    at: list[str] | None = None,
    overwrite: bool = False,
    notes: list[str] | None = None,
    formats: tuple[str, ...] = ("png",),
    on_table: Callable[[pd.DataFrame, list[str]], None] | None = None,
) -> list[Path]:
    """Write the comparison of runs into `out`: comparison.csv and comparison.md, and figures.

    Up to SWEEP_RUNS runs: one figure per key outcome (overlaid fans, paired differences) and
    end-state box plots. More runs: sweep views per key outcome at the last date (see
    lynchpin.plots.sweep). `on_table(table, at)` sees the table before files are written.

    Everything is checked (output folder, runs, baseline, dates) before any work; the files are
    written into a staging folder swapped in at the end, so a failure never leaves a partial
    comparison. An existing non-empty `out` is replaced only with `overwrite`.
    """
    out = Path(out)
    check_out_dir(out, overwrite, inputs=paths)
    runs = load_runs(paths)
    base = pick_baseline(runs, baseline)
    at = check_at(at, runs)
    if notes is not None:
        notes.extend(pairing_notes(runs, base))
    for run in runs:
        load_worlds(run)
    table = summary_table(runs, base, at)
    if on_table is not None:
        on_table(table, at)
    names: list[str] = []
    with staged_dir(out) as staging:
        atomic_write_text(staging / "comparison.csv", table.to_csv(index=False))
        atomic_write_text(staging / "comparison.md", markdown(table, base))
        names += list(COMPARE_FILES)
        if len(runs) > SWEEP_RUNS:
            names += sweep_views(runs, table, at[-1], staging, formats)
        else:
            for outcome in KEY_OUTCOMES:
                if any(outcome in r.worlds for r in runs):
                    diffs = {r.label: paired(r, base, outcome) for r in runs}
                    figure = outcome_figure(runs, base, outcome, diffs)
                    names += write_figure(figure, staging, f"{outcome[0]}_{outcome[1]}", formats)
            figure = end_state_figure(runs, base, at[-1])
            names += write_figure(figure, staging, "end_state", formats)
        atomic_write_text(staging / REPORT_FILE, _report(staging, table, base, runs))
        names.append(REPORT_FILE)
        inputs = [str(r.path) for r in runs]
        manifest = folder_manifest(staging, "comparison", baseline=base.label, runs=inputs)
        atomic_write_text(staging / MANIFEST_FILE, json.dumps(manifest, indent=2) + "\n")
    return [out / name for name in names]


def _report(folder: Path, table: pd.DataFrame, base: Run, runs: list[Run]) -> str:
    from lynchpin.cli import command_line
    from lynchpin.outputs.report import comparison_report

    described = [
        {
            "label": r.label,
            "scenario": r.manifest["scenario"],
            "seed": r.manifest["seed"],
            "worlds": r.manifest["worlds"],
            "inputs": r.inputs,
        }
        for r in runs
    ]
    return comparison_report(folder, table, base.label, described, command_line())


def sweep_views(
    runs: list[Run], table: pd.DataFrame, period: str, folder: Path, formats: tuple[str, ...]
) -> list[str]:
    """Outcome-versus-input figures at `period`: scatter + smoother (sampled designs), heat
    map (two-way grid), or small multiples with the runs on an axis (anything else)."""
    from lynchpin.plots.sweep import heatmap_figure, runs_figure, scatter_figure, sweep_kind

    inputs = pd.DataFrame([r.inputs for r in runs])
    inputs = inputs[[c for c in inputs.columns if inputs[c].nunique(dropna=False) > 1]]
    kind = sweep_kind(inputs) if not inputs.empty else "runs"
    at = table[table["period"] == period].set_index(["outcome", "run"])
    names: list[str] = []
    panels = []
    for actor, metric in KEY_OUTCOMES:
        key = f"{actor}.{metric}"
        if key not in at.index.get_level_values(0):
            continue
        rows = at.loc[key].reindex([r.label for r in runs])
        low, high = ("mean_lo", "mean_hi") if is_probability(actor, metric) else ("p05", "p95")
        values = pd.DataFrame(
            {
                "run": [r.label for r in runs],
                "mean": rows["mean"].to_numpy(),
                "low": rows[low].to_numpy(),
                "high": rows[high].to_numpy(),
            }
        )
        unit = rows["unit"].iloc[0]
        label = rows["label"].iloc[0] + (f" ({unit})" if unit else "")
        title = f"{label.replace(' by then', '')} at {period}"
        stem = f"sweep_{actor}_{metric}"
        if kind == "sampled":
            figure = scatter_figure(inputs, values, label, title)
        elif kind == "grid":
            figure = heatmap_figure(inputs, values["mean"], label, f"{title}: mean over worlds")
        else:
            panels.append((label, values))
            continue
        names += write_figure(figure, folder, stem, formats)
    if panels:
        title = f"{len(runs)} runs at {period}: mean and 90% interval (probabilities: 90% CI)"
        names += write_figure(runs_figure(panels, title), folder, "sweep_runs", formats)
    return names
