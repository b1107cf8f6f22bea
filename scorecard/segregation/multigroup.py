"""Multigroup segregation and diversity indices for every area at once.

All groups enter together (``group`` is ``"all"``). Formulas follow Reardon and Firebaugh
(2002) as PySAL ``segregation`` 2.5 implements them, with natural logarithms. In an area with
T residents, t_i in unit i, x_ik of group k, p_ik = x_ik/t_i, P_k = X_k/T:
- multigroup_dissimilarity (Sakoda)  Σ_i Σ_k t_i |p_ik − P_k| / (2 T I)
- multigroup_theil_h                  M / E
- mutual_information_m                M = Σ_i Σ_k (x_ik/T) ln(p_ik / P_k)
- simpson_interaction                 I = Σ_k P_k (1 − P_k)
- simpson_concentration               Λ = Σ_k P_k²  (Simpson's concentration; 1 − I)
- normalised_exposure                 Σ_i Σ_k t_i (p_ik − P_k)² / (1 − P_k) / T
- relative_diversity                  Σ_i Σ_k t_i (p_ik − P_k)² / (T I)
- multigroup_diversity                E = −Σ_k P_k ln P_k  (Theil's entropy)
Groups with no members in an area drop out (0 ln 0 = 0), so an absent group changes nothing.
Kernels take counts with units on axis −2 and groups on axis −1 (leading axes allowed), in
either memory layout; :class:`~.twogroup.Units` stores them group by group, which makes the
per-unit and per-area sums read contiguous memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cached_property

import numpy as np
import pandas as pd

from .twogroup import MIN_UNITS, Areas, Units, _safe_divide, _xlogx, as_units, tidy

MULTIGROUP_INDICES = ("multigroup_dissimilarity", "multigroup_theil_h", "mutual_information_m",
                      "simpson_interaction", "simpson_concentration", "normalised_exposure",
                      "relative_diversity", "multigroup_diversity")


class Table:
    """Per-unit and per-area margins of a units × groups count array, computed once."""

    def __init__(self, counts: np.ndarray, areas: Areas, t: np.ndarray | None = None):
        self.counts = counts
        self.areas = areas
        self.t = counts.sum(axis=-1) if t is None else t  # unit totals (pass them if known)
        self.G = areas.sum(counts, axis=-2)  # area × group totals
        self.T = self.G.sum(axis=-1)  # area totals
        self.P = _safe_divide(self.G, self.T[..., None])  # area group shares

    def unit_shares(self) -> np.ndarray:
        return _safe_divide(self.counts, self.t[..., None])

    def spread_P(self) -> np.ndarray:
        return self.areas.spread(self.P, axis=-2)

    def spread_like_counts(self, per_area: np.ndarray) -> np.ndarray:
        """Area × group values repeated for each unit, in the memory layout of ``counts``
        (so that elementwise work with the counts reads both in step)."""
        if self.counts.strides[-2] >= self.counts.strides[-1]:  # unit by unit
            return self.areas.spread(per_area, axis=-2)
        by_group = self.areas.spread(np.swapaxes(per_area, -1, -2), axis=-1)
        return np.swapaxes(by_group, -1, -2)

    @cached_property
    def M(self) -> np.ndarray:
        """Mutual information M = Σ_k Σ_i (x_ik/T) ln(p_ik / P_k), zero cells dropped.

        Computed as E + (1/T) Σ_i (Σ_k x_ik ln x_ik − t_i ln t_i), since Σ_k x_ik ln p_ik =
        Σ_k x_ik ln x_ik − t_i ln t_i: no units × groups divide, and x ln x of whole counts
        comes from a table (see ``count_xlogx``).
        """
        cells = self.areas.sum(count_xlogx(self.counts), axis=-2).sum(axis=-1)
        within = cells - self.areas.sum(_xlogx(self.t))
        entropy_of_area = -_xlogx(self.P).sum(axis=-1)
        return np.where(self.T > 0, entropy_of_area + _safe_divide(within, self.T), 0.0)

    @cached_property
    def squared_gaps(self) -> np.ndarray:
        """Σ_i t_i (p_ik − P_k)² per area and group, as Σ_i x_ik²/t_i − T P_k² (the cross
        term sums to −2 T P_k², since Σ_i t_i p_ik = X_k = T P_k): one units × groups pass."""
        weighted = np.multiply(self.counts, self.counts)
        weighted *= _safe_divide(1.0, self.t)[..., None]
        gaps = self.areas.sum(weighted, axis=-2) - self.T[..., None] * self.P ** 2
        return np.maximum(gaps, 0.0)  # a sum of squares: only rounding can make it negative

    def per_area(self, per_unit_group: np.ndarray) -> np.ndarray:
        """Sum a units × groups array over units and groups, per area."""
        return self.areas.sum(per_unit_group.sum(axis=-1))


def count_xlogx(counts: np.ndarray) -> np.ndarray:
    """x ln x of every count (0 ln 0 = 0), as ``_xlogx`` gives it.

    Logarithms are the slowest step of the multigroup battery. Census counts are whole
    numbers, mostly small, so when every count is a whole number no larger than the number
    of counts, x ln x is read from a table of k ln k (k = 0 … the largest count) computed
    by ``_xlogx`` itself: a logarithm per distinct value instead of per cell, same values.
    """
    if counts.size == 0:
        return _xlogx(counts)
    largest = counts.max()
    if not (counts.min() >= 0 and largest <= counts.size):  # also False for NaN
        return _xlogx(counts)
    whole = counts.astype(np.min_scalar_type(int(largest)))  # small: less memory to read
    if not np.array_equal(whole, counts):
        return _xlogx(counts)
    table = _xlogx(np.arange(int(largest) + 1, dtype=float))
    if whole.flags.f_contiguous and not whole.flags.c_contiguous:
        return table[whole.T].T  # write the result in the counts' own memory order
    return table[whole]


def entropy(table: Table) -> np.ndarray:
    return -_xlogx(table.P).sum(axis=-1)


def interaction(table: Table) -> np.ndarray:
    return (table.P * (1 - table.P)).sum(axis=-1)


def mutual_information(table: Table) -> np.ndarray:
    return table.M


def _dissimilarity(table: Table) -> np.ndarray:
    gap = table.spread_like_counts(table.P)  # |x_ik − t_i P_k|, worked out in place
    gap *= table.t[..., None]
    np.subtract(table.counts, gap, out=gap)
    np.abs(gap, out=gap)
    return _safe_divide(table.per_area(gap), 2 * table.T * interaction(table))


def _squared_gaps(table: Table, weight: np.ndarray) -> np.ndarray:
    """Σ_k weight_k Σ_i t_i (p_ik − P_k)², per area."""
    return (table.squared_gaps * weight).sum(axis=-1)


def _normalised_exposure(table: Table) -> np.ndarray:
    weight = _safe_divide(np.ones_like(table.P), 1 - table.P)
    return _safe_divide(_squared_gaps(table, weight), table.T)


def _relative_diversity(table: Table) -> np.ndarray:
    return _safe_divide(_squared_gaps(table, np.ones_like(table.P)),
                        table.T * interaction(table))


def _theil_h(table: Table) -> np.ndarray:
    return _safe_divide(mutual_information(table), entropy(table))


KERNELS: dict[str, Callable[[Table], np.ndarray]] = {
    "multigroup_dissimilarity": _dissimilarity,
    "multigroup_theil_h": _theil_h,
    "mutual_information_m": mutual_information,
    "simpson_interaction": interaction,
    "simpson_concentration": lambda table: (table.P ** 2).sum(axis=-1),
    "normalised_exposure": _normalised_exposure,
    "relative_diversity": _relative_diversity,
    "multigroup_diversity": entropy,
}
# Indices that describe the area's mix only, so one populated unit is enough.
COMPOSITION_ONLY = {"simpson_interaction", "simpson_concentration", "multigroup_diversity"}


def why_undefined(table: Table, min_units: int) -> tuple[np.ndarray, np.ndarray]:
    """Per area: the reason segregation indices are undefined ('' if defined), and the
    reason composition indices are undefined."""
    populated = table.areas.sum((table.t > 0).astype(np.int64))
    present = (table.G > 0).sum(axis=-1)
    composition = np.full(len(table.T), "", dtype=object)
    composition[table.T == 0] = "no residents"
    segregation = composition.copy()
    segregation[(populated < min_units) & (segregation == "")] = (
        f"fewer than {min_units} units with residents")
    segregation[(present < 2) & (segregation == "")] = "only one group has residents"
    return segregation, composition


def multigroup(
    frame: pd.DataFrame | Units,
    *,
    area: str | None = "area",
    groups: Sequence[str] | None = None,
    indices: Sequence[str] = MULTIGROUP_INDICES,
    min_units: int = MIN_UNITS,
) -> pd.DataFrame:
    """Multigroup indices over all ``groups`` in every area of a wide table.

    ``frame`` has one row per unit, an ``area`` column (None: one area called ``all``) and
    one count column per group (default: all numeric columns except ``total``); or it is
    :class:`~.twogroup.Units` (the table already sorted by area, e.g. shared with
    ``two_group``). Returns a tidy table: area_code, index, group ("all"), reference (""),
    value, n_units, note.
    """
    unknown = [name for name in indices if name not in KERNELS]
    if unknown:
        raise ValueError(f"unknown multigroup index {unknown[0]!r}; known: {', '.join(KERNELS)}")
    units = as_units(frame, area, groups)
    table = Table(units.counts, units.areas, t=units.t)
    segregation_note, composition_note = why_undefined(table, min_units)
    shape = (len(indices), len(units.areas.codes))
    notes = np.array([composition_note if name in COMPOSITION_ONLY else segregation_note
                      for name in indices], dtype=object).reshape(shape)
    values = np.array([KERNELS[name](table) for name in indices]).reshape(notes.shape)
    return tidy(units.areas.codes, indices, "all", "", values, notes, units.populated)
