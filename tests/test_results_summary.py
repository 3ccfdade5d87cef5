"""The summary's one-sort quantiles are NumPy's quantiles, bit for bit (what summary.csv held)."""

from __future__ import annotations

import numpy as np
from conftest import vary
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lynchpin.model import simulate
from lynchpin.model.results import QUANTILES, quantiles_of_sorted

Q = np.array(list(QUANTILES.values()))


def _reference_summary(results) -> tuple[np.ndarray, np.ndarray]:
    """The summary's numbers as main computed them before: np.mean and np.quantile."""
    stacked = np.stack(list(results.values.values()))
    return stacked.mean(axis=2), np.quantile(stacked, Q, axis=2)


@settings(max_examples=200, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 4), st.integers(1, 60)),
        elements=st.one_of(
            st.floats(-1e9, 1e9), st.sampled_from([0.0, 1.0, -0.0, np.nan, np.inf, -np.inf])
        ),
    ),
    st.lists(st.floats(0, 1), min_size=1, max_size=6),
)
def test_quantiles_of_sorted_equal_numpy_bit_for_bit(values, q):
    with np.errstate(invalid="ignore"):
        expected = np.quantile(values, np.array(q), axis=1)
        got = quantiles_of_sorted(np.sort(values, axis=1), np.array(q))
    assert got.shape == expected.shape
    assert np.array_equal(got, expected, equal_nan=True)


def test_summary_equals_mean_and_quantile_over_worlds(baseline):
    results = simulate(vary(baseline, quarters=6), worlds=1000, seed=5, scenario="baseline")
    summary = results.summary()
    mean, quantiles = _reference_summary(results)
    assert np.array_equal(summary["mean"].to_numpy(), mean.ravel())
    for i, name in enumerate(QUANTILES):
        assert np.array_equal(summary[name].to_numpy(), quantiles[i].ravel()), name
