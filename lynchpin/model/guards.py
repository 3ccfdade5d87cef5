"""The model state must stay finite and in its domain; otherwise the run stops with an error.

A NaN or an overflowing GDP written to summary.csv as an empty cell (or as 1e14) is a wrong
number that nobody notices. The model calls `check_quarter` once per quarter on the row it just
recorded; one vectorised test per quarter (against bounds per output worked out once per
model, OutputBounds) keeps the cost negligible, and only a failing quarter is searched for the
first bad output, which the error names: run, quarter, actor, metric, the value and the number of
worlds affected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from lynchpin.errors import UserError
from lynchpin.model.periods import format_quarter

if TYPE_CHECKING:
    from lynchpin.model.model import LynchpinModel

TOLERANCE = 1e-9
# Outputs that are shares, probabilities or levels defined on 0..1 by their rules.
UNIT_INTERVAL = frozenset(
    {
        "defence_share_gdp",
        "alignment",
        "threat_perception",
        "attention",
        "commitment",
        "abandonment_fear",
        "entrapment_fear",
        "dissatisfaction",
        "deterrence",
        "alliance_cohesion",
        "quad_cohesion",
        "order_stability",
        "administration",
        "spending_norm",
        "resolve_belief",
        "at_war",
        "red_line_crossed",
        "stood_firm",
        "crises_taiwan_strait",
        "crises_east_china_sea",
        "crises_south_china_sea",
        "crises_sino_indian_border",
    }
)
# Outputs that are amounts or counts.
NON_NEGATIVE = frozenset(
    {
        "gdp",
        "defence_spending",
        "capability",
        "power_ratio",
        "gray_zone_incidents",
        "incidents_maritime",
        "incidents_air",
        "incidents_cyber",
        "crises",
        "gray_zone_intensity",  # chosen on a grid without a cap (D1)
        "red_line",
        "hns_demand",
        "hns_payment",
        "red_line_belief",
        "armed_conflict",  # per world an expected count of wars begun (D2), mean is P(war)
    }
)
# GDP more than this multiple of its 2020 value (a 7% annual growth for a century is 870x) is
# an explosion of the output-gap dynamics, not an outcome.
MAX_GDP_GROWTH = 1000.0


class ModelStateError(UserError):
    """A model state that is not a number, or outside what its metric can be."""


class OutputBounds:
    """The domain of every output as bounds over outputs, for one test of a whole quarter.

    Outputs without a domain get the largest finite floats as bounds, so NaN and infinities fail
    the same comparisons; GDP has its explosion limit per world as well.
    """

    def __init__(self, model: LynchpinModel) -> None:
        largest = np.finfo(float).max
        outputs = model._outputs
        self.lower = np.full(len(outputs), -largest)
        self.upper = np.full(len(outputs), largest)
        for k, (_, metric) in enumerate(outputs):
            if metric in UNIT_INTERVAL or metric in NON_NEGATIVE:
                self.lower[k] = -TOLERANCE
            if metric in UNIT_INTERVAL:
                self.upper[k] = 1 + TOLERANCE
        gdp = [(k, a) for k, (a, m) in enumerate(outputs) if m == "gdp" and a in model.initial_gdp]
        self.gdp_rows = np.array([k for k, _ in gdp], dtype=np.intp)
        self.gdp_limit = np.array(
            [MAX_GDP_GROWTH * model.initial_gdp[a] for _, a in gdp], dtype=float
        ).reshape(len(gdp), model.worlds)

    def hold(self, row: np.ndarray) -> bool:
        """True if every output of `row` (outputs x worlds) is finite and in its domain."""
        inside = (row.min(axis=1) >= self.lower) & (row.max(axis=1) <= self.upper)  # NaN: False
        return bool(inside.all()) and bool((row[self.gdp_rows] <= self.gdp_limit).all())


def check_quarter(model: LynchpinModel, row: np.ndarray) -> None:
    """Raise ModelStateError if any output of this quarter (`row`: outputs x worlds) is
    non-finite or out of its domain."""
    if model.output_bounds.hold(row):
        return
    run = getattr(model, "run_name", "custom")
    quarter = format_quarter(model.quarter)
    for k, (actor, metric) in enumerate(model._outputs):
        values = row[k]
        bad = ~np.isfinite(values)
        if bad.any():
            where = (run, quarter, actor, metric, model.first_world)
            raise ModelStateError(_message(where, values, bad, "not finite"))
    problem = _domain_violation(model, row)
    if problem:
        actor, metric, values, bad, why = problem
        raise ModelStateError(
            _message((run, quarter, actor, metric, model.first_world), values, bad, why)
        )


def _domain_violation(model: LynchpinModel, row: np.ndarray):
    """The first (actor, metric, values, bad mask, why) out of its domain, or None."""
    for k, (actor, metric) in enumerate(model._outputs):
        values = row[k]
        if metric in UNIT_INTERVAL:
            bad = (values < -TOLERANCE) | (values > 1 + TOLERANCE)
            why = "outside 0..1"
        elif metric in NON_NEGATIVE:
            bad = values < -TOLERANCE
            why = "negative"
        else:
            continue
        if metric == "gdp" and actor in model.initial_gdp:
            limit = MAX_GDP_GROWTH * model.initial_gdp[actor]
            exploded = values > limit
            if exploded.any():
                bad, why = bad | exploded, f"more than {MAX_GDP_GROWTH:g} times its start"
        if bad.any():
            return actor, metric, values, bad, why
    return None


def _message(where: tuple, values: np.ndarray, bad: np.ndarray, why: str) -> str:
    run, quarter, actor, metric, first_world = where
    first = int(np.flatnonzero(bad)[0])
    return (
        f"run {run!r}, {quarter}: {actor}.{metric} is {why} ({values[first]:.6g} in world "
        f"{first_world + first}; {int(bad.sum())} of {bad.size} worlds here); the parameters "
        "drive the model out of its valid range, so no results were written"
    )
