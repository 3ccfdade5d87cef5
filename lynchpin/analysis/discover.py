"""Scenario discovery: which inputs lead to the outcomes of interest (PRIM, extra trees).

The experiments are the rows of a batch's experiments.csv (one run = one experiment) or of a
run's worlds_outcomes.parquet (one world = one experiment, when worlds drew their own
parameters). PRIM (Friedman and Fisher 1999; Bryant and Lempert 2010) and extra-trees feature
scoring (Jaxa-Rozen and Kwakkel 2018) come from EMA Workbench's analysis package; this module
only prepares the data, picks a box on the trade-off curve and tabulates the answer.
"""

from __future__ import annotations

import difflib
import operator
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from lynchpin.errors import UserError
from lynchpin.outputs.experiments import (
    EXPERIMENTS_FILE,
    WORLD_OUTCOMES_FILE,
    parameter_columns,
)

_OPS = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}
_WHERE = re.compile(r"^\s*(>=|<=|>|<)\s*([-+]?\d*\.?\d+(?:[eE][-+]?\d+)?)\s*$")
_TOP = re.compile(r"^\s*(\d*\.?\d+)\s*%\s*$")
DEFAULT_MIN_DENSITY = 0.8


@dataclass(frozen=True)
class Experiments:
    """Inputs (one column per uncertain input) and one outcome, one row per experiment."""

    x: pd.DataFrame
    y: np.ndarray
    outcome: str  # column the values came from
    source: str  # "batch" (runs are experiments) or "worlds" (worlds are experiments)


@dataclass(frozen=True)
class Discovery:
    """What PRIM and feature scoring found."""

    experiments: Experiments
    rule: str  # e.g. "> 0.2" or "top 10%"
    interest: np.ndarray  # bool per experiment
    trajectory: pd.DataFrame  # coverage, density, mass, res_dim per peeling step
    chosen: int  # index in the trajectory of the box reported
    limits: pd.DataFrame  # restricted inputs: low, high, full range, quasi-p-values
    scores: pd.DataFrame  # input, score_interest, score_outcome (extra trees)
    min_density: float


def load_experiments(source: Path, outcome: str) -> Experiments:
    """Experiments from a batch folder (experiments.csv) or a run folder (worlds_outcomes)."""
    if (source / EXPERIMENTS_FILE).is_file():
        table, kind, stat = pd.read_csv(source / EXPERIMENTS_FILE), "batch", ".mean"
    elif (source / WORLD_OUTCOMES_FILE).is_file():
        table, kind, stat = pd.read_parquet(source / WORLD_OUTCOMES_FILE), "worlds", ""
    else:
        raise UserError(
            f"{source}: neither a batch folder with {EXPERIMENTS_FILE} nor a run folder with "
            f"{WORLD_OUTCOMES_FILE}",
            "  run `lynchpin batch FILE --out DIR` (or `lynchpin run`) first",
        )
    column = outcome if outcome in table.columns else f"{outcome}{stat}"
    if column not in table.columns:
        known = [c for c in table.columns if "@" in c]
        close = difflib.get_close_matches(column, known, n=3, cutoff=0.5)
        hint = f"did you mean {', '.join(close)}?" if close else f"e.g. {', '.join(known[:4])}"
        raise UserError(f"--outcome {outcome!r}: not in {source}; {hint}")
    inputs = [c for c in parameter_columns(table) if table[c].nunique(dropna=True) > 1]
    if kind == "batch" and table["scenario"].nunique() > 1:
        table = table.assign(scenario_file=table["scenario"])
        inputs.append("scenario_file")  # PRIM would drop a column called 'scenario'
    if not inputs:
        where = "runs of the batch" if kind == "batch" else "worlds of the run"
        raise UserError(
            f"{source}: the {where} share all their inputs, so nothing can explain the outcome",
            "  discover needs varied inputs: a batch with a grid or latin_hypercube sweep, or "
            "a run whose worlds draw their own parameters",
        )
    x = table[inputs].copy()
    for name in inputs:
        if x[name].dtype == object:
            x[name] = x[name].astype(str)
        elif x[name].isna().any():  # a parameter only some runs set: the others kept defaults
            x[name] = x[name].astype(float)
    keep = x.notna().all(axis=1).to_numpy() & table[column].notna().to_numpy()
    return Experiments(x[keep].reset_index(drop=True), table[column].to_numpy()[keep], column, kind)


def cases_of_interest(values: np.ndarray, where: str | None, top: str | None) -> tuple:
    """(bool array, rule text) from `--where '> 0.2'` or `--top 10%` (exactly one)."""
    if (where is None) == (top is None):
        raise UserError("give exactly one of --where (e.g. '> 0.2') or --top (e.g. 10%)")
    if where is not None:
        match = _WHERE.match(where)
        if not match:
            raise UserError(f"--where {where!r}: expected a comparison such as '> 0.2' or '<= 5'")
        op, number = match.groups()
        return _OPS[op](values, float(number)), f"{op} {float(number):g}"
    match = _TOP.match(str(top))
    if not match or not 0 < float(match.group(1)) < 100:
        raise UserError(f"--top {top!r}: expected a share of the experiments such as 10%")
    share = float(match.group(1)) / 100
    cut = np.quantile(values, 1 - share)
    return values >= cut, f"top {share:.0%} (>= {cut:.4g})"


def discover(
    experiments: Experiments,
    interest: np.ndarray,
    rule: str,
    min_density: float = DEFAULT_MIN_DENSITY,
    seed: int = 0,
    mass_min: float = 0.05,
) -> Discovery:
    """Run PRIM for one box and extra-trees feature scoring; pick the box to report.

    The box reported is the one of widest coverage whose density reaches `min_density`
    (Bryant and Lempert's usual reading of the trade-off curve), else the densest.
    """
    n_interest = int(interest.sum())
    if n_interest == 0 or n_interest == len(interest):
        what = "no" if n_interest == 0 else "every"
        raise UserError(
            f"{what} experiment has {experiments.outcome} {rule}: PRIM needs both kinds",
            "  choose another --where threshold or --top share",
        )
    prim, feature_scoring, rule_type = _ema()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        finder = prim.Prim(experiments.x, interest.astype(bool), mass_min=mass_min)
        box = finder.find_box()
        trajectory = box.peeling_trajectory.copy()
        dense = trajectory.index[trajectory["density"] >= min_density]
        chosen = int(
            trajectory.loc[dense, "coverage"].idxmax()
            if len(dense)
            else trajectory["density"].idxmax()
        )
        limits = _limits(box, chosen)
        scores = _scores(feature_scoring, rule_type, experiments, interest, seed)
    return Discovery(experiments, rule, interest, trajectory, chosen, limits, scores, min_density)


def _ema():
    """EMA Workbench's analysis modules, imported only when discovery runs (they are heavy)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            from ema_workbench.analysis import feature_scoring, prim
            from ema_workbench.analysis.scenario_discovery_util import RuleInductionType
        except ImportError:
            raise UserError(
                "discover needs EMA Workbench: pip install 'lynchpin[workbench]' "
                "(or pip install ema-workbench)"
            ) from None
    return prim, feature_scoring, RuleInductionType


def _limits(box, i: int) -> pd.DataFrame:
    """One row per restricted input of box i: its limits, the full range, quasi-p-values."""
    lims, full = box.box_lims[i], box.box_lims[0]
    p_values = box.p_values[i] if i < len(box.p_values) else {}
    rows = []
    for name in lims.columns:
        low, high = lims[name].iloc[0], lims[name].iloc[1]
        full_low, full_high = full[name].iloc[0], full[name].iloc[1]
        if isinstance(low, set | frozenset):
            if set(low) == set(full_low):
                continue
            rows.append(
                {
                    "input": name,
                    "low": "",
                    "high": "",
                    "values": " ".join(sorted(map(str, low))),
                    "full_low": "",
                    "full_high": "",
                    "qp_low": _qp(p_values.get(name, [-1])[0]),
                    "qp_high": np.nan,
                }
            )
            continue
        if low == full_low and high == full_high:
            continue
        qp = p_values.get(name, [-1, -1])
        rows.append(
            {
                "input": name,
                "low": float(low) if low != full_low else np.nan,
                "high": float(high) if high != full_high else np.nan,
                "values": "",
                "full_low": float(full_low),
                "full_high": float(full_high),
                "qp_low": _qp(qp[0]),
                "qp_high": _qp(qp[1]),
            }
        )
    columns = ["input", "low", "high", "values", "full_low", "full_high", "qp_low", "qp_high"]
    return pd.DataFrame(rows, columns=columns)


def _qp(value: float) -> float:
    """EMA marks an unrestricted side with -1; we leave it empty."""
    return np.nan if value is None or value < 0 else float(value)


def _scores(feature_scoring, rule_type, experiments: Experiments, interest, seed: int):
    """Extra-trees importance of each input for the cases of interest and for the outcome."""
    x = experiments.x
    classified, _ = feature_scoring.get_ex_feature_scores(
        x, interest.astype(int), mode=rule_type.CLASSIFICATION, random_state=seed
    )
    regressed, _ = feature_scoring.get_ex_feature_scores(
        x, experiments.y.astype(float), mode=rule_type.REGRESSION, random_state=seed
    )
    table = pd.DataFrame(
        {
            "input": classified.index.astype(str),
            "score_interest": classified.iloc[:, 0].to_numpy(),
        }
    )
    table["score_outcome"] = table["input"].map(regressed.iloc[:, 0])
    table = table.sort_values("score_interest", ascending=False, kind="stable")
    return table.reset_index(drop=True)


def summary_markdown(found: Discovery, source: Path, figures: list[str]) -> str:
    """A summary a researcher can quote: the question, the box, its quality, the ranking."""
    e, row = found.experiments, found.trajectory.loc[found.chosen]
    unit = "runs" if e.source == "batch" else "worlds"
    lines = [
        f"# Scenario discovery: {e.outcome} {found.rule}",
        "",
        f"Source: `{source}` ({len(e.y)} {unit} as experiments; {int(found.interest.sum())} "
        f"cases of interest, {found.interest.mean():.1%}).",
        f"Inputs considered: {', '.join(f'`{c}`' for c in e.x.columns)}.",
        "",
        f"## PRIM box (step {found.chosen} of {len(found.trajectory) - 1} on the peeling "
        "trajectory)",
        "",
        f"Coverage {row['coverage']:.1%} (share of all cases of interest inside the box), "
        f"density {row['density']:.1%} (share of experiments in the box that are cases of "
        f"interest), mass {row['mass']:.1%}, {int(row['res_dim'])} restricted inputs. "
        f"Chosen as the widest-coverage box with density >= {found.min_density:.0%}"
        + ("" if row["density"] >= found.min_density else " (none reaches it: the densest)")
        + ".",
        "",
        "| input | box | full range | quasi-p (low, high) |",
        "|---|---|---|---|",
    ]
    for _, lim in found.limits.iterrows():
        if lim["values"]:
            box, full = f"in {{{lim['values']}}}", "(categories)"
        else:
            box = f"{_num(lim['low'], lim['full_low'])} .. {_num(lim['high'], lim['full_high'])}"
            full = f"{lim['full_low']:.4g} .. {lim['full_high']:.4g}"
        lines.append(
            f"| `{lim['input']}` | {box} | {full} | {_p(lim['qp_low'])}, {_p(lim['qp_high'])} |"
        )
    if found.limits.empty:
        lines.append("| (no input restricted) | | | |")
    lines += [
        "",
        "Quasi-p-values (Bryant and Lempert 2010): one-sided binomial test that removing the "
        "restriction would not lower the density; small values mean the limit matters.",
        "",
        "## Which inputs matter (extra trees feature scores)",
        "",
        "| rank | input | score (cases of interest) | score (outcome value) |",
        "|---|---|---|---|",
    ]
    for i, s in found.scores.iterrows():
        lines.append(
            f"| {i + 1} | `{s['input']}` | {s['score_interest']:.3f} | {s['score_outcome']:.3f} |"
        )
    lines += ["", "Figures: " + ", ".join(f"`{f}`" for f in figures), ""]
    return "\n".join(lines)


def _num(value: float, full: float) -> str:
    return f"{full:.4g} (open)" if pd.isna(value) else f"**{value:.4g}**"


def _p(value: float) -> str:
    return "-" if pd.isna(value) else f"{value:.2g}"
