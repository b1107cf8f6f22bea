"""Binomial draws by table inversion: the binomial distribution itself, whatever the path."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from scorecard.segregation import tabled_binomial


def chi_square_p(draws: np.ndarray, n: int, p: float) -> float:
    """Pearson's test of draws against scipy's Binomial(n, p), cells expecting ≥ 20."""
    observed = np.bincount(draws.ravel(), minlength=n + 1)
    expected = stats.binom.pmf(np.arange(n + 1), n, p) * draws.size
    keep = expected >= 20
    tail = draws.size - expected[keep].sum()  # pooled rare values, counted both ways
    chi = ((observed[keep] - expected[keep]) ** 2 / expected[keep]).sum()
    if tail >= 20:
        chi += (draws.size - observed[keep].sum() - tail) ** 2 / tail
    return stats.chi2.sf(chi, keep.sum() - (0 if tail >= 20 else 1))


@pytest.mark.parametrize(("n", "p"), [(300, 0.02), (300, 0.4), (20, 0.9), (3, 0.2),
                                      (600, 0.1), (4500, 0.3)])
def test_draws_follow_the_binomial(n, p):
    rng = np.random.default_rng(n)
    cells = np.full((200, 500), n)
    draws = tabled_binomial.binomial(rng, cells, np.zeros(200, dtype=int), np.full(200, p))
    assert chi_square_p(draws, n, p) > 1e-4


def test_each_cell_gets_its_own_n_and_key():
    rng = np.random.default_rng(1)
    n = np.array([[10] * 4000, [200] * 4000, [0] * 4000, [200] * 4000])
    key = np.array([1, 1, 2, 7])
    p = np.array([0.3, 0.3, 0.5, 0.05])
    draws = tabled_binomial.binomial(rng, n, key, p)
    assert (draws[2] == 0).all()
    assert chi_square_p(draws[0], 10, 0.3) > 1e-4
    assert chi_square_p(draws[1], 200, 0.3) > 1e-4
    assert chi_square_p(draws[3], 200, 0.05) > 1e-4


def test_values_outside_the_window_come_from_the_exact_tails(monkeypatch):
    # A window of ±0.5 sd sends most draws to the tails (scipy's inverse CDF): still exact.
    monkeypatch.setattr(tabled_binomial, "WINDOW_SD", 0.5)
    monkeypatch.setattr(tabled_binomial, "WINDOW_SLACK", 0)
    rng = np.random.default_rng(2)
    draws = tabled_binomial.binomial(rng, np.full((50, 400), 400), np.zeros(50, dtype=int),
                                     np.full(50, 0.3))
    assert chi_square_p(draws, 400, 0.3) > 1e-4


def test_keys_too_costly_to_table_are_drawn_by_numpy(monkeypatch):
    monkeypatch.setattr(tabled_binomial, "ENTRIES_PER_DRAW", 0.0)
    rng = np.random.default_rng(3)
    draws = tabled_binomial.binomial(rng, np.full((50, 400), 80), np.zeros(50, dtype=int),
                                     np.full(50, 0.6))
    assert chi_square_p(draws, 80, 0.6) > 1e-4


def test_same_generator_state_same_draws():
    n = np.random.default_rng(0).integers(0, 500, size=(30, 40))
    key, p = np.arange(30) % 3, (np.arange(30) % 3 + 1) / 10
    one = tabled_binomial.binomial(np.random.default_rng(9), n, key, p)
    two = tabled_binomial.binomial(np.random.default_rng(9), n, key, p)
    assert (one == two).all() and (one <= n).all() and (one >= 0).all()
