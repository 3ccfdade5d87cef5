"""Naive forecasts on the same points as the model: the floor any model must beat.

Each is Gaussian, fitted on the observations a forecaster at the origin had (the fitting
window up to the year before a series' first scored point), and forecasts every scored year:

- persistence: the last observed value; spread of a zero-drift random walk (RMS of the
  window's year-on-year changes x sqrt(horizon));
- trend: the window's least-squares line; spread of its prediction interval;
- AR(1): mean reversion to the window's mean at the window's lag-1 autocorrelation; spread
  of the h-step AR(1) forecast. With fewer than three consecutive-year pairs phi is 0 (the
  window's mean and sd: climatology).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NAIVE_METHODS: tuple[str, ...] = ("persistence", "trend", "ar1")
# Floor on a naive sd as a fraction of the series' level, so a window of identical values
# cannot give a zero-width (infinitely confident) forecast.
MIN_RELATIVE_SD = 0.01


@dataclass(frozen=True)
class Gaussian:
    """A normal predictive distribution for one point."""

    mean: float
    sd: float


def _floor(sd: float, values: np.ndarray) -> float:
    scale = float(np.mean(np.abs(values))) if len(values) else 1.0
    return float(max(sd, MIN_RELATIVE_SD * max(scale, 1e-9)))


def _consecutive(years: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(previous, next) pairs of observations exactly one year apart."""
    lookup = dict(zip(years.tolist(), values.tolist(), strict=True))
    pairs = [(lookup[y - 1], lookup[y]) for y in years.tolist() if y - 1 in lookup]
    if not pairs:
        return np.array([]), np.array([])
    before, after = np.array(pairs).T
    return before, after


def persistence(years: np.ndarray, values: np.ndarray, target: int) -> Gaussian:
    """Last observed value; random-walk spread from the window's annual changes."""
    before, after = _consecutive(years, values)
    step = float(np.sqrt(np.mean((after - before) ** 2))) if len(before) else np.std(values)
    horizon = target - int(years.max())
    return Gaussian(float(values[np.argmax(years)]), _floor(step * np.sqrt(horizon), values))


def trend(years: np.ndarray, values: np.ndarray, target: int) -> Gaussian:
    """Least-squares line through the window; its prediction-interval sd at `target`."""
    n = len(values)
    x = years.astype(float)
    slope, intercept = np.polyfit(x, values, 1)
    residuals = values - (intercept + slope * x)
    s = float(np.sqrt(np.sum(residuals**2) / max(n - 2, 1)))
    sxx = float(np.sum((x - x.mean()) ** 2))
    sd = s * np.sqrt(1.0 + 1.0 / n + (target - x.mean()) ** 2 / sxx)
    return Gaussian(float(intercept + slope * target), _floor(sd, values))


def ar1(years: np.ndarray, values: np.ndarray, target: int) -> Gaussian:
    """AR(1) around the window mean; h-step mean and sd."""
    mu = float(values.mean())
    before, after = _consecutive(years, values)
    if len(before) < 3:
        return Gaussian(mu, _floor(float(np.std(values, ddof=1)), values))
    x, y = before - mu, after - mu
    phi = float(np.clip(np.sum(x * y) / np.sum(x * x), -0.99, 0.99))
    sigma = float(np.sqrt(np.mean((y - phi * x) ** 2)))
    horizon = target - int(years.max())
    last = float(values[np.argmax(years)])
    mean = mu + phi**horizon * (last - mu)
    var = sigma**2 * (1.0 - phi ** (2 * horizon)) / (1.0 - phi**2)
    return Gaussian(mean, _floor(float(np.sqrt(var)), values))


FORECASTERS = {"persistence": persistence, "trend": trend, "ar1": ar1}


def naive_forecast(method: str, years: np.ndarray, values: np.ndarray, target: int) -> Gaussian:
    """The `method` forecast of `target` from observations (years, values) before it."""
    if len(values) < 2:
        raise ValueError(f"{method}: needs at least two observations, got {len(values)}")
    if target <= int(np.max(years)):
        raise ValueError(f"{method}: target {target} is not after the window")
    return FORECASTERS[method](np.asarray(years), np.asarray(values, float), target)
