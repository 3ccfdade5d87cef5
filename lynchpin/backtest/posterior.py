"""The shipped posterior: the parameter draws history matching kept, with their provenance.

One CSV file, `lynchpin/data/posterior.csv`: a header of `# ` lines holding YAML provenance
(seed, draws, cut, the observed points used, date, git commit), then one row per retained draw
and one column per parameter key. A scenario uses it with `uncertainty: posterior` (or the
file's path); each group of worlds resamples one row, and parameters without a column keep
their prior draws (lynchpin.scenario.uncertainty).
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from lynchpin.backtest.history_matching import WINDOW_MEAN, HistoryMatch, ordinal
from lynchpin.outputs import atomic_write_text
from lynchpin.scenario.uncertainty import POSTERIOR_KIND, POSTERIOR_PATH, read_header

MAX_ROWS = 1000  # shipped rows: a 1,000-world run at 10 worlds per draw uses 100 of them
INDEX_COLUMNS = ("draw", "implausibility")


def git_commit() -> str:
    """The checkout's commit, or 'unknown' outside a git clone."""
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parent,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() or "unknown"


def provenance(match: HistoryMatch, shipped: int) -> dict[str, Any]:
    """Everything needed to regenerate the file and judge it."""
    observed: dict[str, list] = {}
    for o in match.outputs:
        observed.setdefault(o.series, []).append("mean" if o.year == WINDOW_MEAN else o.year)
    return {
        "kind": POSTERIOR_KIND,
        "method": (
            f"history matching: implausibility |z - E[f(x)]| / sqrt(V_obs + V_md + V_luck), "
            f"draw kept when its {ordinal(match.rank)} largest over the outputs is <= "
            f"{match.cut:g} (docs/calibration.md)"
        ),
        "command": (
            f"lynchpin calibrate --draws {match.draws} --worlds-per-draw "
            f"{match.worlds_per_draw} --seed {match.seed} --cut {match.cut:g} --overwrite"
        ),
        "scenario": match.scenario,
        "scenario_sha256": match.scenario_sha,
        "origin": "2015 conditions (lynchpin/backtest/origins.py), run to " + match.end,
        "fitting_window": "2015-2019 only; 2020-2024 stays out of sample",
        "seed": match.seed,
        "draws": match.draws,
        "worlds_per_draw": match.worlds_per_draw,
        "worlds": match.draws * match.worlds_per_draw,
        "cut": match.cut,
        "rank": match.rank,
        "retained": int(match.plausible.sum()),
        "rows": shipped,
        "observed": observed,
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "git_commit": git_commit(),
    }


def posterior_text(match: HistoryMatch, max_rows: int = MAX_ROWS) -> str:
    """The file's text: the provenance header and the first `max_rows` retained draws (draws
    are independent, so the first ones in draw order are a random subsample)."""
    frame = match.retained().head(max_rows)
    head = yaml.safe_dump(
        provenance(match, len(frame)), sort_keys=False, width=95, default_flow_style=None
    )
    buffer = io.StringIO()
    buffer.write("".join(f"# {line}\n" for line in head.splitlines()))
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format="%.8g")
    return buffer.getvalue()


def write_posterior(match: HistoryMatch, path: Path = POSTERIOR_PATH) -> Path:
    """Write the retained sample atomically."""
    if not match.plausible.any():
        raise ValueError("no draw is plausible: nothing to write")
    return atomic_write_text(path, posterior_text(match))


def is_posterior(path: Path) -> bool:
    """True for a file `lynchpin calibrate` wrote (its header names the kind)."""
    return read_header(path).get("kind") == POSTERIOR_KIND


def read_posterior(path: Path = POSTERIOR_PATH) -> tuple[dict[str, Any], pd.DataFrame]:
    """(provenance, draws) of a posterior file."""
    return read_header(path), pd.read_csv(path, comment="#")


def parameter_columns(frame: pd.DataFrame) -> list[str]:
    """The parameter keys of a posterior table (not its index columns)."""
    return [c for c in frame.columns if c not in INDEX_COLUMNS]


def summary_lines(table: pd.DataFrame, top: int = 12) -> list[str]:
    """A short shrinkage table for the terminal: the best-identified parameters."""
    lines = [f"{'parameter':36} {'prior sd':>10} {'post sd':>10} {'shrinkage':>9}"]
    for row in table.head(top).itertuples():
        lines.append(
            f"{row.parameter:36} {row.prior_sd:10.4g} {row.posterior_sd:10.4g} {row.shrinkage:9.2f}"
        )
    weak = int((~table.identified).sum())
    lines.append(
        f"{int(table.identified.sum())} parameter(s) with shrinkage >= 0.1; {weak} the "
        "2015-2019 record cannot identify (posterior ~ prior)"
    )
    return lines


def shrinkage_markdown(table: pd.DataFrame) -> str:
    """The full table for docs/calibration.md."""
    out = ["| parameter | prior mean | prior sd | posterior mean | posterior sd | shrinkage |"]
    out.append("|---|---|---|---|---|---|")
    for row in table.itertuples():
        out.append(
            f"| `{row.parameter}` | {row.prior_mean:.4g} | {row.prior_sd:.3g} | "
            f"{row.posterior_mean:.4g} | {row.posterior_sd:.3g} | {row.shrinkage:.2f} |"
        )
    return "\n".join(out) + "\n"
