"""What the standard charts of a run show: files, titles, panels and their series.

Kept apart from the drawing code (lynchpin.plots.run_plots) so that a process can plan and
share out the charts without importing matplotlib (lynchpin.plots.workers).
"""

from __future__ import annotations

from dataclasses import dataclass

EVERY_ACTOR = "*"  # a panel series for every actor that reports the metric


@dataclass(frozen=True)
class Panel:
    title: str
    series: tuple[tuple[str, str], ...]  # (actor or EVERY_ACTOR, metric)
    mean_label: str | None = None  # also draw the mean over worlds, with this legend label
    probability: bool = False  # per-world values are probabilities: draw mean and its CI only


@dataclass(frozen=True)
class Chart:
    filename: str
    title: str
    panels: tuple[Panel, ...]


CHARTS: tuple[Chart, ...] = (
    Chart(
        "defence_share.png",
        "Defence spending as a share of GDP",
        (Panel("", ((EVERY_ACTOR, "defence_share_gdp"),)),),
    ),
    Chart(
        "japan_burden.png",
        "Japan: burden-sharing gap, the alliance dilemma and beliefs about US resolve",
        (
            Panel("Gap to the US burden-sharing demand", (("JPN", "burden_gap"),)),
            Panel(
                "Fears of abandonment and entrapment",
                (("JPN", "abandonment_fear"), ("JPN", "entrapment_fear")),
            ),
            Panel(
                "Belief that the US stands firm in a crisis",
                ((EVERY_ACTOR, "resolve_belief"),),
            ),
        ),
    ),
    Chart(
        "gray_zone.png",
        "Gray-zone coercion: intensity and incidents by domain",
        (
            Panel(
                "Challenger intensity and the red line it believes in",
                (("CHN", "gray_zone_intensity"), ("CHN", "red_line_belief")),
            ),
            Panel("Maritime", (("system", "incidents_maritime"),)),
            Panel("Air", (("system", "incidents_air"),)),
            Panel("Cyber", (("system", "incidents_cyber"),)),
        ),
    ),
    Chart(
        "alignment.png",
        "External balancing: alignment of Australia and India with the US",
        (Panel("", (("AUS", "alignment"), ("IND", "alignment"))),),
    ),
    Chart(
        "power_ratio.png",
        "Balance of power: challenger against the US-led coalition",
        (Panel("", (("system", "power_ratio"),)),),
    ),
    Chart("deterrence.png", "Deterrence credibility", (Panel("", (("system", "deterrence"),)),)),
    Chart(
        "cohesion.png",
        "Cohesion of the US-Japan alliance and of the Quad",
        (Panel("", (("system", "alliance_cohesion"), ("system", "quad_cohesion"))),),
    ),
    Chart(
        "order_stability.png",
        "Stability of the rules-based order",
        (Panel("", (("system", "order_stability"),)),),
    ),
    Chart(
        "armed_conflict.png",
        "War: probability that it has started since 2020, and worlds at war",
        (
            Panel(
                "Probability of armed conflict (cumulative)",
                (("system", "armed_conflict"),),
                probability=True,
            ),
            Panel("Share of worlds at war", (("system", "at_war"),), probability=True),
        ),
    ),
)


CHART_NAMES: tuple[str, ...] = tuple(chart.filename for chart in CHARTS)
