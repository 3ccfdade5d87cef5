"""One look for every figure: a fixed colour per actor, labelled units, projector-sized type.

Colours are Okabe-Ito (distinguishable with the common colour-vision deficiencies). An actor
keeps its colour in every plot and in the dashboard; actors a scenario adds get a stable colour
from the fallback palette.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

ACTOR_COLOURS: dict[str, str] = {
    "USA": "#0072B2",  # blue
    "JPN": "#D55E00",  # vermillion
    "CHN": "#CC79A7",  # reddish purple
    "AUS": "#009E73",  # bluish green
    "IND": "#E69F00",  # orange
}
FALLBACK_COLOURS: tuple[str, ...] = ("#56B4E9", "#8C564B", "#7F7F7F", "#B8A200", "#17BECF")
SYSTEM_COLOUR = "#222222"  # quantities of the whole system, which belong to no actor
# Further metrics of the same actor in one panel (the first keeps the actor colour).
SECOND_SERIES_COLOURS: tuple[str, ...] = ("#56B4E9", "#7F7F7F")


def actor_colour(code: str) -> str:
    """The colour of an actor; 'system' is near-black; unknown actors get a stable fallback."""
    if code == "system":
        return SYSTEM_COLOUR
    if code in ACTOR_COLOURS:
        return ACTOR_COLOURS[code]
    return FALLBACK_COLOURS[zlib.crc32(code.encode()) % len(FALLBACK_COLOURS)]


@dataclass(frozen=True)
class MetricStyle:
    """How a metric is shown: shown value = raw value * scale, in `unit`."""

    label: str
    unit: str
    scale: float = 1.0

    @property
    def axis_label(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label


_INDEX = "index 0-1"
_PER_YEAR = 4.0  # outputs are counted per quarter; readers think in years

METRICS: dict[str, MetricStyle] = {
    "gdp": MetricStyle("GDP", "US$ bn"),
    "defence_spending": MetricStyle("Defence spending", "US$ bn"),
    "defence_share_gdp": MetricStyle("Defence spending", "% of GDP", 100.0),
    "capability": MetricStyle("Military capability stock", "US$ bn"),
    "alignment": MetricStyle("Alignment with the US", _INDEX),
    "threat_perception": MetricStyle("Threat perception", _INDEX),
    "attention": MetricStyle("US attention to the region", _INDEX),
    "commitment": MetricStyle("US commitment", _INDEX),
    # D7: per world 0 engaged, 1 transactional; the mean is the share of worlds transactional.
    "administration": MetricStyle("Transactional US administration", "share of worlds"),
    "abandonment_fear": MetricStyle("Fear of abandonment", _INDEX),
    "entrapment_fear": MetricStyle("Fear of entrapment", _INDEX),
    "burden_gap": MetricStyle("Burden-sharing gap", "points of GDP", 100.0),
    "spending_norm": MetricStyle("Defence spending norm", "% of GDP", 100.0),
    "hns_demand": MetricStyle("Host-nation support asked", "US$ bn per year"),
    "hns_payment": MetricStyle("Host-nation support paid", "US$ bn per year"),
    "dissatisfaction": MetricStyle("Challenger dissatisfaction", _INDEX),
    "gray_zone_intensity": MetricStyle("Gray-zone intensity", "intensity"),
    "power_ratio": MetricStyle("Power ratio, challenger / US-led coalition", "1 = parity"),
    "deterrence": MetricStyle("Deterrence credibility", _INDEX),
    "gray_zone_incidents": MetricStyle("Gray-zone incidents", "per year", _PER_YEAR),
    "incidents_maritime": MetricStyle("Maritime incidents", "per year", _PER_YEAR),
    "incidents_air": MetricStyle("Air incidents", "per year", _PER_YEAR),
    "incidents_cyber": MetricStyle("Cyber incidents", "per year", _PER_YEAR),
    "crises": MetricStyle("Crises", "per year", _PER_YEAR),
    "armed_conflict": MetricStyle("Armed conflict, cumulative probability", "%", 100.0),
    "at_war": MetricStyle("Worlds at war", "% of worlds", 100.0),
    "resolve_belief": MetricStyle("Belief that the US stands firm", "probability"),
    "red_line_belief": MetricStyle("Red line the challenger believes in", "intensity"),
    "red_line": MetricStyle("True red line of the coalition", "intensity"),
    "red_line_crossed": MetricStyle("Probes that drew a firm response", "per year", _PER_YEAR),
    "stood_firm": MetricStyle("Crises in which the US stood firm", "per year", _PER_YEAR),
    "crises_taiwan_strait": MetricStyle("Taiwan Strait crises", "per year", _PER_YEAR),
    "crises_east_china_sea": MetricStyle("East China Sea crises", "per year", _PER_YEAR),
    "crises_south_china_sea": MetricStyle("South China Sea crises", "per year", _PER_YEAR),
    "crises_sino_indian_border": MetricStyle("Sino-Indian border crises", "per year", _PER_YEAR),
    "alliance_cohesion": MetricStyle("US-Japan alliance cohesion", _INDEX),
    "quad_cohesion": MetricStyle("Quad cohesion", _INDEX),
    "order_stability": MetricStyle("Rules-based order stability", _INDEX),
}
METRIC_LABELS: dict[str, str] = {name: style.axis_label for name, style in METRICS.items()}


def metric_style(metric: str) -> MetricStyle:
    """Style of a metric; an unknown metric is shown raw under its own name."""
    return METRICS.get(metric, MetricStyle(metric.replace("_", " ").capitalize(), ""))


# Sized for a projector at the back of a room: 16:9 figures, large type, thick lines.
RC_PARAMS: dict[str, object] = {
    "figure.figsize": (13.33, 7.5),
    "figure.dpi": 100,
    "savefig.dpi": 120,
    "font.size": 17,
    "axes.titlesize": 19,
    "axes.labelsize": 17,
    "xtick.labelsize": 15,
    "ytick.labelsize": 15,
    "legend.fontsize": 15,
    "figure.titlesize": 22,
    "lines.linewidth": 2.8,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
