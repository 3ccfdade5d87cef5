"""Alliance politics as choices: pure decision rules over arrays of worlds (D4, D5, D6).

Each function is one decision with its objective written out, so tests can check that the
chosen value is an optimum (no neighbour does better) and agents only gather the inputs.
Every argument may be a float or an array over worlds; nothing branches on a value.
"""

from __future__ import annotations

import numpy as np


def burden_utility(
    share: np.ndarray,
    security: np.ndarray,
    others: np.ndarray,
    convexity: float | np.ndarray,
    norm: np.ndarray,
    kink: float | np.ndarray,
    curvature: float | np.ndarray,
    reward: float | np.ndarray,
    target: np.ndarray,
) -> np.ndarray:
    """D4 (C8, C10, C6) an ally's payoff from defence share s (all in shares of GDP).

    security ln(s + others): the coalition's aligned capability is a public good, concave, so
    the more others supply the less an extra unit of one's own is worth (Olson & Zeckhauser
    1966); own cost s + convexity s^2/2; domestic political cost of departing from the norm,
    kink (s - norm)+ + curvature/2 (s - norm)^2; the leader's reciprocity, -reward/2 (target -
    s)+^2, where target is the share at which what counts under its doctrine meets its demand.
    """
    above = np.maximum(share - norm, 0.0)
    short = np.maximum(target - share, 0.0)
    return (
        security * np.log(share + others)
        - share
        - 0.5 * convexity * share * share
        - kink * above
        - 0.5 * curvature * (share - norm) ** 2
        - 0.5 * reward * short * short
    )


def _marginal(share, security, others, convexity, norm, curvature, reward, target):
    """dU/ds without the kink (it is added by the caller on the side it applies)."""
    return (
        security / (share + others)
        - 1.0
        - convexity * share
        - curvature * (share - norm)
        + reward * np.maximum(target - share, 0.0)
    )


def burden_share(
    security: np.ndarray,
    others: np.ndarray,
    convexity: float | np.ndarray,
    norm: np.ndarray,
    kink: float | np.ndarray,
    curvature: float | np.ndarray,
    reward: float | np.ndarray,
    target: np.ndarray,
) -> np.ndarray:
    """D4 best response: the share maximising burden_utility, in closed form per world.

    The payoff is strictly concave, so its marginal is decreasing with one downward jump (the
    kink at the norm). Signs of the marginal at the norm and at the target say on which piece
    the optimum lies; on that piece the first-order condition security / (s + others) = a - b s
    is a quadratic with one positive root, 2q / (sqrt(p^2 + 4 b q) - p). If the marginal is
    positive just below the norm and negative just above, the optimum is the norm itself.
    """
    others = np.maximum(others, 1e-9)
    below_norm = _marginal(norm, security, others, convexity, norm, curvature, reward, target)
    above_norm = below_norm - kink
    at_target = _marginal(
        target, security, others, convexity, norm, curvature, reward, target
    ) - kink * (target > norm)
    upper = above_norm > 0.0  # the optimum lies above the norm
    short = at_target < 0.0  # ... and below the target (the reward is still earned)
    intercept = -1.0 + curvature * norm - kink * upper + reward * target * short
    slope = convexity + curvature + reward * short
    p = intercept - slope * others
    q = intercept * others + security
    root = 2.0 * q / np.maximum(np.sqrt(np.maximum(p * p + 4.0 * slope * q, 0.0)) - p, 1e-12)
    at_zero = _marginal(0.0, security, others, convexity, norm, curvature, reward, target)
    share = np.where((below_norm >= 0.0) & ~upper, norm, root)
    return np.where(at_zero - kink * (norm < 0.0) <= 0.0, 0.0, np.maximum(share, 0.0))


def nash_settlement(
    status_quo: np.ndarray,
    ally_reservation: np.ndarray,
    demand: np.ndarray,
    power: float | np.ndarray,
) -> np.ndarray:
    """D5 (C7) host-nation support by Nash bargaining (Nash 1950, generalised).

    If talks fail the expiring agreement is the fallback for both (withdrawal would hurt the
    leader, hedging the host), so the leader accepts no less than the status quo and the host
    pays no more than its reservation price, the status quo plus what the alliance is worth to
    it over hedging. The generalised Nash solution with leader power `power` splits that zone:
    status quo + power x (min(reservation, demand) - status quo). A demand beyond the
    reservation price cannot be had, so a large demand settles above the old payment and below
    the demand.
    """
    ceiling = np.minimum(np.maximum(ally_reservation, status_quo), demand)
    return status_quo + power * np.maximum(ceiling - status_quo, 0.0)


def firm_probability(gain: np.ndarray, temperature: float | np.ndarray) -> np.ndarray:
    """D6 (C5, C9) logit choice between standing firm and hedging (McFadden 1974).

    gain = EU(firm) - EU(hedge) in utility units; the probability of standing firm is the
    logistic of gain / temperature (the temperature is the spread of unobserved tastes).
    """
    return 0.5 * (1.0 + np.tanh(0.5 * gain / temperature))


def logit(p: np.ndarray | float) -> np.ndarray:
    """Inverse of the logistic, clipped away from 0 and 1."""
    p = np.clip(p, 1e-6, 1.0 - 1e-6)
    return np.log(p / (1.0 - p))
