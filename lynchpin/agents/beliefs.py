"""Beliefs that an actor holds about the leader's resolve: a Beta distribution per world (D3).

"Does the US stand firm in a crisis?" is a yes/no event, so each observer keeps Beta(a, b)
over its probability and updates it by counting what it sees (the conjugate Beta-Bernoulli
update; reputation as Bayesian learning). Different crisis histories give different beliefs,
so worlds diverge after crises.
"""

from __future__ import annotations

import numpy as np


class ResolveBelief:
    """Beta(a, b) over the probability that the leader stands firm, as arrays over worlds."""

    def __init__(self, a: np.ndarray, b: np.ndarray) -> None:
        self.a = np.asarray(a, dtype=float).copy()
        self.b = np.asarray(b, dtype=float).copy()

    @classmethod
    def from_mean(cls, worlds: int, mean: float | np.ndarray, strength: float | np.ndarray):
        """A prior with this mean, worth `strength` observed crises (a + b = strength)."""
        mean = np.broadcast_to(np.asarray(mean, dtype=float), (worlds,))
        strength = np.broadcast_to(np.asarray(strength, dtype=float), (worlds,))
        return cls(mean * strength, (1.0 - mean) * strength)

    @property
    def mean(self) -> np.ndarray:
        """Expected probability that the leader stands firm."""
        return self.a / (self.a + self.b)

    @property
    def variance(self) -> np.ndarray:
        """Spread of the belief: private information about resolve (D2 input)."""
        total = self.a + self.b
        return self.a * self.b / (total * total * (total + 1.0))

    def update(self, observed: np.ndarray, stood_firm: np.ndarray, weight: float = 1.0) -> None:
        """Count one observation in the worlds where a crisis was observed."""
        seen = np.asarray(observed, dtype=bool)
        firm = np.asarray(stood_firm, dtype=bool)
        self.a = self.a + weight * (seen & firm)
        self.b = self.b + weight * (seen & ~firm)
