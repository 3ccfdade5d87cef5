"""Distributions a parameter may take instead of a number, sampled by inverse CDF.

Every family is truncated to the parameter's registry bounds, and every draw is the inverse
CDF of one uniform number: a world's draw of a parameter depends only on that parameter's own
uniform stream (lynchpin/model/rng.py), so changing one parameter's distribution never shifts
another's draws, and two distributions of the same parameter stay coupled (monotone in u).

Scenario forms (YAML / --set / batch keys):
    {uniform: [lo, hi]}          {triangular: [lo, mode, hi]}
    {normal: {mean: m, sd: s}}   {lognormal: {median: m, sigma: s}} or {lognormal: {mean, sd}}
    {beta: {a: .., b: ..}}       (for parameters whose bounds lie inside 0..1: shares, rates)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

FAMILIES: tuple[str, ...] = ("uniform", "triangular", "normal", "lognormal", "beta")
_TINY = 1e-12


@dataclass(frozen=True)
class Distribution:
    """One family with its arguments, truncated to [low, high] (the registry bounds).

    args: uniform (lo, hi); triangular (lo, mode, hi); normal (mean, sd); lognormal (median,
    sigma of log); beta (a, b).
    """

    family: str
    args: tuple[float, ...]
    low: float
    high: float

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF of the truncated distribution at uniforms u in [0, 1)."""
        u = np.asarray(u, dtype=float)
        if self.family == "uniform":
            lo, hi = self.args
            return lo + u * (hi - lo)
        if self.family == "triangular":
            return _triangular_ppf(u, *self.args)
        f_lo, f_hi = self.cdf(self.low), self.cdf(self.high)
        return np.clip(self._untruncated_ppf(f_lo + u * (f_hi - f_lo)), self.low, self.high)

    def cdf(self, x: float | np.ndarray) -> np.ndarray:
        """CDF of the untruncated normal, lognormal or beta (the families that are truncated;
        uniform and triangular specs must lie inside the bounds)."""
        from scipy import special

        x = np.asarray(x, dtype=float)
        if self.family == "normal":
            mean, sd = self.args
            return special.ndtr((x - mean) / sd)
        if self.family == "lognormal":
            median, sigma = self.args
            safe = np.maximum(x, _TINY)
            return np.where(x > 0, special.ndtr((np.log(safe / median)) / sigma), 0.0)
        a, b = self.args
        return special.betainc(a, b, np.clip(x, 0.0, 1.0))

    def _untruncated_ppf(self, q: np.ndarray) -> np.ndarray:
        from scipy import special

        q = np.clip(q, _TINY, 1.0 - _TINY)
        if self.family == "normal":
            mean, sd = self.args
            return mean + sd * special.ndtri(q)
        if self.family == "lognormal":
            median, sigma = self.args
            return median * np.exp(sigma * special.ndtri(q))
        a, b = self.args
        return special.betaincinv(a, b, q)

    def spec(self) -> dict[str, Any]:
        """The scenario form of this distribution (loading it back gives the same one)."""
        if self.family in ("uniform", "triangular"):
            return {self.family: [float(v) for v in self.args]}
        if self.family == "normal":
            return {"normal": {"mean": self.args[0], "sd": self.args[1]}}
        if self.family == "lognormal":
            return {"lognormal": {"median": self.args[0], "sigma": self.args[1]}}
        return {"beta": {"a": self.args[0], "b": self.args[1]}}

    def describe(self) -> str:
        """Short text for tables: 'triangular(0.04, 0.08, 0.12)'."""
        if self.family == "lognormal":
            return f"lognormal(median {self.args[0]:.4g}, sigma {self.args[1]:.4g})"
        if self.family == "normal":
            return f"normal(mean {self.args[0]:.4g}, sd {self.args[1]:.4g})"
        if self.family == "beta":
            return f"beta(a {self.args[0]:.4g}, b {self.args[1]:.4g})"
        return f"{self.family}({', '.join(f'{v:.4g}' for v in self.args)})"


def is_distribution(value: object) -> bool:
    """True for a mapping that names a family (so `extends` merges it as one value)."""
    return isinstance(value, Mapping) and any(key in FAMILIES for key in value)


def _triangular_ppf(u: np.ndarray, lo: float, mode: float, hi: float) -> np.ndarray:
    width = hi - lo
    if width <= 0:
        return np.full_like(u, lo)
    split = (mode - lo) / width
    left = lo + np.sqrt(u * width * (mode - lo))
    right = hi - np.sqrt((1.0 - u) * width * (hi - mode))
    return np.where(u < split, left, right)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _numbers(value: object, count: int, what: str) -> tuple[tuple[float, ...], str]:
    if not isinstance(value, list | tuple) or len(value) != count:
        return (), f"expected a list of {count} numbers [{what}], got {value!r}"
    numbers = tuple(_number(v) for v in value)
    if any(n is None for n in numbers):
        return (), f"expected {count} numbers [{what}], got {value!r}"
    return numbers, ""  # type: ignore[return-value]


def _keys(value: object, keys: tuple[str, ...]) -> tuple[dict[str, float], str]:
    if not isinstance(value, Mapping) or set(value) != set(keys):
        wanted = ", ".join(f"{k}: .." for k in keys)
        return {}, f"expected a mapping {{{wanted}}}, got {value!r}"
    numbers = {k: _number(value[k]) for k in keys}
    bad = [k for k, n in numbers.items() if n is None]
    if bad:
        return {}, f"{bad[0]} must be a number, got {value[bad[0]]!r}"
    return numbers, ""  # type: ignore[return-value]


def parse_distribution(value: object, low: float, high: float) -> tuple[Distribution | None, str]:
    """(Distribution, '') for a valid scenario form inside [low, high], else (None, why)."""
    if not isinstance(value, Mapping) or len(value) != 1:
        return None, (
            f"a distribution is a mapping with exactly one family ({', '.join(FAMILIES)}), "
            f"got {value!r}"
        )
    family, body = next(iter(value.items()))
    bounds = f"the parameter's range {low:g}..{high:g}"
    if family not in FAMILIES:
        from lynchpin.scenario.messages import did_you_mean

        return None, f"unknown distribution family {family!r} (known: {', '.join(FAMILIES)})" + (
            did_you_mean(family, FAMILIES)
        )
    if family == "uniform":
        args, problem = _numbers(body, 2, "lo, hi")
        if problem:
            return None, f"uniform: {problem}"
        lo, hi = args
        if lo > hi:
            return None, f"uniform: lo {lo:g} > hi {hi:g}"
        if lo < low - _TINY or hi > high + _TINY:
            return None, f"uniform: [{lo:g}, {hi:g}] goes outside {bounds}"
        return Distribution(family, args, low, high), ""
    if family == "triangular":
        args, problem = _numbers(body, 3, "lo, mode, hi")
        if problem:
            return None, f"triangular: {problem}"
        lo, mode, hi = args
        if not lo <= mode <= hi:
            return None, f"triangular: need lo <= mode <= hi, got [{lo:g}, {mode:g}, {hi:g}]"
        if lo < low - _TINY or hi > high + _TINY:
            return None, f"triangular: [{lo:g}, {hi:g}] goes outside {bounds}"
        return Distribution(family, args, low, high), ""
    if family == "beta":
        numbers, problem = _keys(body, ("a", "b"))
        if problem:
            return None, f"beta: {problem}"
        if numbers["a"] <= 0 or numbers["b"] <= 0:
            return None, f"beta: a and b must be > 0, got a {numbers['a']:g}, b {numbers['b']:g}"
        if low < -_TINY or high > 1 + _TINY:
            return None, f"beta: is for shares in 0..1, but {bounds} is not inside 0..1"
        return Distribution(family, (numbers["a"], numbers["b"]), low, high), ""
    return _parse_location_scale(family, body, low, high, bounds)


def _parse_location_scale(
    family: str, body: object, low: float, high: float, bounds: str
) -> tuple[Distribution | None, str]:
    """normal {mean, sd}; lognormal {median, sigma} or {mean, sd} (of the value itself)."""
    if family == "lognormal" and isinstance(body, Mapping) and "median" in body:
        numbers, problem = _keys(body, ("median", "sigma"))
        if problem:
            return None, f"lognormal: {problem}"
        if numbers["sigma"] <= 0:
            return None, f"lognormal: sigma must be > 0, got {numbers['sigma']:g}"
        if numbers["median"] <= 0:
            return None, f"lognormal: median must be > 0, got {numbers['median']:g}"
        centre = numbers["median"]
        args = (centre, numbers["sigma"])
    else:
        numbers, problem = _keys(body, ("mean", "sd"))
        if problem:
            return None, f"{family}: {problem}"
        mean, sd = numbers["mean"], numbers["sd"]
        if sd <= 0:
            return None, f"{family}: sd must be > 0, got {sd:g}"
        centre = mean
        if family == "lognormal":
            if mean <= 0:
                return None, f"lognormal: mean must be > 0, got {mean:g}"
            sigma2 = math.log1p((sd / mean) ** 2)
            args = (mean * math.exp(-sigma2 / 2), math.sqrt(sigma2))
        else:
            args = (mean, sd)
    if not low - _TINY <= centre <= high + _TINY:
        return None, f"{family}: centre {centre:g} is outside {bounds}"
    if family == "lognormal" and high <= 0:
        return None, f"lognormal: needs positive values, but {bounds} has none"
    return Distribution(family, args, low, high), ""
