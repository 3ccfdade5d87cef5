"""The challenger role (China in the article): dissatisfaction and gray-zone coercion (D1).

The challenger chooses how hard to probe a red line it cannot see. Each world has a true
coalition red line tau = tau_public * exp(eps): tau_public = red_line_base * exp(-w * deterrence)
is what everyone can read from the coalition's posture, eps ~ N(0, s0) is private (drawn once
per world). The challenger believes eps ~ N(m, sigma^2) and picks the intensity g that
maximises, over a grid, its expected utility

    B g - C g^2 / 2 - F * P(answer | g),   P(answer | g) = Phi((ln g - ln tau_public - m) / S)

with B = gain + k g_prev, C = cost + k (gain and cost as before, k the cost of changing the
campaign), F = red_line_response_cost * (its belief that the leader stands firm, D3) and
S^2 = sigma^2 + noise^2 (the response itself is fuzzy). After the quarter it updates m and sigma
from whether the probe was answered (assumed-density filtering of a probit likelihood: the
exact posterior is a truncated normal; its mean and variance are kept). Answered probes pull m
down, unanswered ones push it up: salami slicing and miscalculation come out of learning, and
no cap keeps intensity below the red line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from scipy.special import log_ndtr, ndtr

from lynchpin.agents.base import Actor
from lynchpin.model.parameters import param

if TYPE_CHECKING:
    from lynchpin.model.config import ActorSpec
    from lynchpin.model.model import LynchpinModel
    from lynchpin.model.snapshot import Snapshot

GRID_POINTS = 41
# The grid spans [0, g_hi] with g_hi the best intensity without the red-line term (the term only
# lowers the optimum); g_hi is bounded by this physical maximum, which no bundled scenario reaches
# (tests/test_decisions_grayzone.py).
INTENSITY_MAX = 3.0
_X = np.linspace(0.0, 1.0, GRID_POINTS)
_POLY = _X - 0.5 * _X * _X
with np.errstate(divide="ignore"):
    _LOG_X = np.log(_X)
_STRIDE = 4
_COARSE = np.arange(0, GRID_POINTS, _STRIDE)
# The second pass's grid points around each coarse point: column j holds the 7 points around
# _COARSE[j] (clipped to the grid), so a coarse choice looks up its window.
_WINDOWS = np.clip(_COARSE[None, :] + np.arange(1 - _STRIDE, _STRIDE)[:, None], 0, GRID_POINTS - 1)
DOMAINS = ("maritime", "air", "cyber")


def red_line_public(g, deterrence: np.ndarray) -> np.ndarray:
    """C4/C11: the part of the red line the coalition's posture reveals (intensity units)."""
    return g.red_line_base * np.exp(-g.red_line_deterrence_weight * deterrence)


def clarity(g) -> np.ndarray | float:
    """C11: counter-A2/AD makes the red line clearer (divides its spread and signal noise)."""
    return 1.0 + g.red_line_a2ad_clarity * g.counter_a2ad_share


def response_noise(g) -> np.ndarray | float:
    """How fuzzy the coalition's response near the line is."""
    return g.red_line_signal_noise / clarity(g)


@dataclass(frozen=True)
class UtilityGrid:
    """D1's expected utility on the intensity grid, over its scale B^2 / C, as per-world terms:
    top (worlds,) is the grid's last intensity, scale (worlds,) = B^2 / C."""

    top: np.ndarray
    scale: np.ndarray
    per_log_x: np.ndarray  # 1 / S
    centre: np.ndarray  # (ln top - ln tau_public - m) / S
    penalty: np.ndarray  # -F / scale
    y_top: np.ndarray  # top as a share of the unbounded optimum B / C (1 unless INTENSITY_MAX)

    def at(self, points: np.ndarray) -> np.ndarray:
        """Utilities over scale at grid indices `points`, shape (k,) (the same points in every
        world) or (k, worlds), as (k, worlds): one row per point, so every array operation
        runs along worlds."""
        column = (slice(None), None) if points.ndim == 1 else (slice(None),)
        relative = _LOG_X[points][column] * self.per_log_x
        relative += self.centre
        ndtr(relative, out=relative)  # P(answer | g) on the grid
        relative *= self.penalty
        if np.all(self.y_top >= 1.0):
            relative += _POLY[points][column]
        else:  # INTENSITY_MAX bounds the grid: y is a share of the unbounded optimum
            y = _X[points][column] * self.y_top
            relative += y - 0.5 * y * y
        return relative


class Challenger(Actor):
    """A rising, dissatisfied power probing a red line it cannot see (D1)."""

    role = "challenger"
    outputs = (
        *Actor.outputs,
        "dissatisfaction",
        "gray_zone_intensity",
        "red_line_belief",
        "resolve_belief",
    )

    def __init__(self, model: LynchpinModel, spec: ActorSpec) -> None:
        super().__init__(model, spec)
        worlds = model.worlds
        g = model.p
        self.alignment = np.zeros(worlds)
        # SystemState.initialise settles both at their 2020 levels once power is known.
        self.dissatisfaction = np.full(worlds, g.dissatisfaction_base)
        self.gray_zone_intensity = np.zeros(worlds)
        # Belief about the private part eps of the log red line: N(m, sigma^2), prior N(0, s0^2).
        self.red_line_mean = np.zeros(worlds)
        self.red_line_sd = np.broadcast_to(
            np.asarray(g.red_line_uncertainty / clarity(g), dtype=float), (worlds,)
        ).copy()
        self.domain_mix = np.ones((len(DOMAINS), worlds))
        self.probe_position = np.full(worlds, -np.inf)
        self.public_red_line = np.ones(worlds)

    @property
    def red_line_belief(self) -> np.ndarray:
        """The red line the challenger believes in (its median), in intensity units."""
        return self.public_red_line * np.exp(self.red_line_mean)

    def reference_values(self, snap: Snapshot) -> dict[str, np.ndarray]:
        """2020 attention and deterrence, against which domain efforts are measured."""
        ref = super().reference_values(snap)
        ref["attention"] = np.asarray(snap.attention, dtype=float).copy()
        ref["deterrence"] = np.asarray(snap.deterrence, dtype=float).copy()
        return ref

    def perceive_threat(self, snap: Snapshot) -> np.ndarray:
        """C13 security dilemma (Richardson 1960): the coalition's build-up reads as containment."""
        g = self.model.p
        growth = np.log(snap.coalition_capability / self.model.initial_coalition_capability)
        return np.clip(g.challenger_threat_base + g.coalition_buildup_threat * growth, 0.0, 1.0)

    def dissatisfaction_target(self, power_ratio: np.ndarray) -> np.ndarray:
        """C2 power transition (Organski & Kugler 1980): dissatisfaction grows toward parity."""
        g = self.model.p
        return np.clip(g.dissatisfaction_base + g.dissatisfaction_ratio_weight * power_ratio, 0, 1)

    def decide(self) -> None:
        """Move dissatisfaction toward its target; choose intensity and its domain mix."""
        super().decide()
        g = self.model.p
        snap = self.model.snapshot
        target = self.dissatisfaction_target(snap.power_ratio)
        self.next_dissatisfaction = self.dissatisfaction + g.dissatisfaction_adjust_rate * (
            target - self.dissatisfaction
        )
        self.next_intensity = self.choose_intensity(
            snap.attention, snap.deterrence, self.dissatisfaction, self.gray_zone_intensity
        )
        self.next_mix = self.domain_mix_for(snap.attention, snap.deterrence)
        self.next_public = red_line_public(g, snap.deterrence)

    def gain_and_cost(
        self, attention: np.ndarray, deterrence: np.ndarray, dissatisfaction: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """C2/C3/C4: marginal gain of coercion (distraction and dissatisfaction raise it) and
        the slope of its marginal cost (deterrence raises it)."""
        g = self.model.p
        gain = (
            g.grayzone_benefit
            * self.p.grayzone_drive
            * (1.0 + g.grayzone_dissatisfaction_weight * dissatisfaction)
            * (1.0 + g.grayzone_distraction_weight * (1.0 - attention))
        )
        cost = g.grayzone_cost_base + g.grayzone_deterrence_cost * deterrence
        return gain, cost

    def intensity_grid(
        self,
        attention: np.ndarray,
        deterrence: np.ndarray,
        dissatisfaction: np.ndarray,
        previous: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        """D1 (C3/C4/C11): the grid of intensities (worlds, points) and the expected utility of
        each. The grid runs from 0 to the best intensity without the red-line term."""
        grid = self._utility(attention, deterrence, dissatisfaction, previous, *self._beliefs())
        relative = grid.at(np.arange(GRID_POINTS)).T
        return grid.top[:, None] * _X[None, :], grid.scale[:, None] * relative

    def _beliefs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.red_line_mean, self.red_line_sd, self.resolve.mean

    def _utility(
        self,
        attention: np.ndarray,
        deterrence: np.ndarray,
        dissatisfaction: np.ndarray,
        previous: np.ndarray,
        mean: np.ndarray,
        sd: np.ndarray,
        firm: np.ndarray,
    ) -> UtilityGrid:
        """The per-world terms of the expected utility on the grid, worked out once per decision
        (both passes of the search evaluate points from them). The grid is top * x with
        top = min(B / C, INTENSITY_MAX); at g = (B / C) y, B g - C g^2 / 2 = (B^2 / C)(y - y^2 / 2),
        and ln g = ln top + ln x, so utility / (B^2 / C) = y - y^2 / 2 - (F / (B^2 / C))
        P(answer | g), P(answer | g) = Phi(centre + ln x / S)."""
        g = self.model.p
        gain, cost = self.gain_and_cost(attention, deterrence, dissatisfaction)
        k = g.grayzone_change_cost
        slope = gain + k * previous
        curvature = cost + k
        unbounded = np.maximum(slope / curvature, 1e-9)
        top = np.minimum(unbounded, INTENSITY_MAX)
        scale = np.maximum(slope * unbounded, 1e-12)  # no gain at all: probe nothing
        spread = np.sqrt(sd**2 + response_noise(g) ** 2)
        centre = (np.log(top) - np.log(red_line_public(g, deterrence)) - mean) / spread
        return UtilityGrid(
            top=top,
            scale=scale,
            per_log_x=1.0 / spread,
            centre=centre,
            penalty=-(g.red_line_response_cost * firm / scale),
            y_top=top / unbounded,
        )

    def choose_intensity(
        self,
        attention: np.ndarray,
        deterrence: np.ndarray,
        dissatisfaction: np.ndarray,
        previous: np.ndarray,
    ) -> np.ndarray:
        """D1: the grid intensity with the highest expected utility, in every world at once.

        Solved in two passes over the 41-point grid: every 4th point, then the 7 points around
        the best of those, so 17 evaluations instead of 41; the choice is never beaten by a grid
        neighbour (both neighbours are evaluated) and equals the full-grid argmax unless a
        better peak hides between two coarse points (tests/test_decisions_grayzone.py checks
        that it does not in simulated states). When every world is in the same state with the
        same parameters (the settled 2020 start without per-world parameters), one world is
        solved and the answer broadcast."""
        args = (attention, deterrence, dissatisfaction, previous, *self._beliefs())
        worlds = self.model.worlds
        args = tuple(np.broadcast_to(np.asarray(a, dtype=float), (worlds,)) for a in args)
        if worlds > 1 and self._identical_worlds(args):
            return np.full(worlds, self._solve(tuple(a[:1] for a in args))[0])
        return self._solve(args)

    def _solve(self, args: tuple[np.ndarray, ...]) -> np.ndarray:
        grid = self._utility(*args)
        coarse = np.argmax(grid.at(_COARSE), axis=0)  # the best coarse point of each world
        window = _WINDOWS[:, coarse]  # (7, worlds) grid indices around it
        best = _WINDOWS[np.argmax(grid.at(window), axis=0), coarse]
        return grid.top * _X[best]

    def _identical_worlds(self, arrays: tuple[np.ndarray, ...]) -> bool:
        """True if every world has the same state and no parameter differs across worlds."""
        if not all(a[0] == a[-1] and bool(np.all(a == a[0])) for a in arrays):
            return False
        return all(np.ndim(v) == 0 for v in vars(self.model.p).values()) and all(
            np.ndim(v) == 0 for v in vars(self.p).values()
        )

    def domain_mix_for(self, attention: np.ndarray, deterrence: np.ndarray) -> np.ndarray:
        """C3/C11/C12: how intensity is spread over maritime, air and cyber (logit shares).

        Each domain's effort moves with its own cost and opportunity relative to 2020: maritime
        presence pays when the leader is distracted, air activity costs more as deterrence
        (intercepts) rises, counter-A2/AD makes both costlier (the challenger answers by probing
        elsewhere), Article 5 makes cyber costlier. Mix = exp(u - u_2020) over its mean, so the
        three average 1 and intensity keeps its meaning.
        """
        g = self.model.p
        ref = self.reference
        a2ad = g.counter_a2ad_share - param("counter_a2ad_share").default
        maritime = g.domain_opportunity_weight * (ref["attention"] - attention)
        air = -g.domain_air_deterrence_cost * (deterrence - ref["deterrence"])
        cyber = 0.0 * maritime
        if self.model.config.policies.cyber_article5:
            cyber = cyber - g.article5_cyber_cost
        u = np.stack(np.broadcast_arrays(maritime, air, cyber))
        u[:2] -= g.domain_a2ad_cost * a2ad
        weights = np.exp(u - u.max(axis=0))
        return weights / weights.mean(axis=0)

    def learn_red_line(self, answered: np.ndarray) -> None:
        """D1 belief update from a probe: answered means eps < position, unanswered > position.

        Probit likelihood Phi(y (eps - c) / noise), y = -1 if answered; the posterior's mean and
        variance (assumed-density filtering, Minka 2001) replace the prior's.
        """
        g = self.model.p
        c = self.probe_position
        y = np.where(answered > 0.5, -1.0, 1.0)
        var = self.red_line_sd**2
        total = var + response_noise(g) ** 2
        root = np.sqrt(total)
        t = np.where(np.isfinite(c), y * (self.red_line_mean - c) / root, np.inf)
        ratio = np.exp(-0.5 * t * t - 0.5 * np.log(2.0 * np.pi) - log_ndtr(t))
        ratio = np.where(np.isfinite(t), ratio, 0.0)
        self.red_line_mean = self.red_line_mean + y * var * ratio / root
        shrink = np.clip(var * ratio * (ratio + np.where(np.isfinite(t), t, 0.0)) / total, 0, 1)
        self.red_line_sd = np.sqrt(np.maximum(var * (1.0 - shrink), 1e-12))

    def act(self) -> None:
        super().act()
        self.dissatisfaction = self.next_dissatisfaction
        self.gray_zone_intensity = self.next_intensity
        self.domain_mix = self.next_mix
        self.public_red_line = self.next_public
        self.probe_position = np.log(np.maximum(self.gray_zone_intensity, 1e-12)) - np.log(
            self.public_red_line
        )
