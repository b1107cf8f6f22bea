"""Two-group segregation indices for every area at once.

A group is compared with a reference: the rest of the population (``reference=None``) or a
named group. Units are grouped by area with one sort, and every index is a handful of
``np.add.reduceat`` calls over all areas together — no loop over areas. The sort can be done
once and shared by several calls: pass :class:`Units` in place of the frame. Within a call,
:class:`Pair` works out the shares, totals and logarithms the indices share only once.

Formulas follow Massey and Denton (1988) exactly as PySAL ``segregation`` 2.5 implements them
(x the group, y the reference, t = x + y, p = x/t, P = X/T in the area):
- dissimilarity      D   = ½ Σ |x_i/X − y_i/Y|
- gini               G   = Σ_i Σ_j t_i t_j |p_i − p_j| / (2 T² P (1 − P))
- atkinson_b         A   = 1 − P/(1−P) |Σ (1−p_i)^(1−b) p_i^b t_i / (P T)|^(1/(1−b))
- theil_h            H   = Σ t_i (E − E_i) / (T E), E the binary entropy of the group share
- isolation          xPx = Σ (x_i/X)(x_i/t_i)
- exposure           xPy = Σ (x_i/X)(y_i/t_i)
- correlation_ratio  V   = (xPx − P) / (1 − P)
Units with no residents count as p = 0, as in PySAL. Every kernel but ``gini`` also takes
arrays with leading axes (e.g. simulation draws × units): areas run along the last axis.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property, partial

import numpy as np
import pandas as pd

TWO_GROUP_INDICES = ("dissimilarity", "isolation", "exposure", "theil_h")
ATKINSON_SHAPES = (0.1, 0.5, 0.9)
ALL_TWO_GROUP_INDICES = ("dissimilarity", "gini", *(f"atkinson_{b}" for b in ATKINSON_SHAPES),
                         "theil_h", "isolation", "exposure", "correlation_ratio")
MIN_UNITS = 2
MIN_GROUP = 1


@dataclass(frozen=True)
class Areas:
    """Units sorted by area, with where each area's run of units starts."""

    codes: np.ndarray  # one per area, sorted
    starts: np.ndarray  # index of each area's first unit in the sorted unit arrays
    order: np.ndarray  # permutation that sorts units by area
    in_order: bool = False  # the units were already sorted by area: ``order`` is 0, 1, …

    @classmethod
    def of(cls, area: np.ndarray | pd.Series) -> Areas:
        # A Series factorizes in its own (Arrow) storage: several times faster than objects.
        index, codes = pd.factorize(area if isinstance(area, pd.Series) else np.asarray(area),
                                    sort=True)
        in_order = bool((index[1:] >= index[:-1]).all())
        order = np.arange(len(index)) if in_order else np.argsort(index, kind="stable")
        sorted_index = index if in_order else index[order]
        starts = np.flatnonzero(np.r_[True, sorted_index[1:] != sorted_index[:-1]])
        return cls(np.asarray(codes, dtype=object), starts, order, in_order)

    @property
    def sizes(self) -> np.ndarray:
        """Number of units in each area."""
        return np.diff(np.r_[self.starts, len(self.order)])

    @property
    def index(self) -> np.ndarray:
        """Position of each (sorted) unit's area in ``codes``."""
        return np.repeat(np.arange(len(self.codes)), self.sizes)

    def arrange(self, values: np.ndarray) -> np.ndarray:
        """Per-unit values in the input order, put in sorted order (no copy if already so)."""
        return values if self.in_order else values.take(self.order)

    def sum(self, values: np.ndarray, axis: int = -1) -> np.ndarray:
        """Per-area sums of per-unit values already in sorted order (units along ``axis``)."""
        if values.shape[axis] == 0:
            shape = list(values.shape)
            shape[axis] = 0
            return np.zeros(shape)
        return np.add.reduceat(values, self.starts, axis=axis)

    def spread(self, per_area: np.ndarray, axis: int = -1) -> np.ndarray:
        """Per-area values repeated for each unit of the area (sorted order)."""
        return np.repeat(per_area, self.sizes, axis=axis)


def _safe_divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, 0 where the denominator is 0 (callers note those areas)."""
    out = np.zeros(np.broadcast(numerator, denominator).shape)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _xlogx(p: np.ndarray) -> np.ndarray:
    """p ln p with 0 ln 0 = 0."""
    p = np.asarray(p, dtype=float)
    out = np.log(p, out=np.zeros(p.shape), where=p > 0)
    out *= p
    return out


def _binary_entropy(p: np.ndarray) -> np.ndarray:
    """−p ln p − (1−p) ln(1−p), with 0 ln 0 = 0."""
    return -(_xlogx(p) + _xlogx(1.0 - p))


@dataclass(frozen=True)
class Units:
    """The units of a wide counts table sorted by area once, to share between index calls.

    Sorting (factorising the area codes and reordering every count) is the costliest step
    for a small battery of indices, so :func:`two_group` and ``multigroup`` accept a
    ``Units`` in place of the frame. ``counts`` is units × groups, stored group by group
    (column-major): per-unit totals and per-area sums then read contiguous memory.
    """

    areas: Areas
    counts: np.ndarray  # units × groups, sorted by area
    groups: tuple[str, ...]

    @classmethod
    def of(cls, frame: pd.DataFrame, area: str | None = "area",
           groups: Sequence[str] | None = None) -> Units:
        """The units of ``frame`` sorted by ``area`` (None: one area called ``all``), with
        ``groups`` (default: every numeric column but area and total) as float counts."""
        groups = group_columns(frame, area, groups)
        areas = Areas.of(frame[area] if area else np.full(len(frame), "all", dtype=object))
        by_group = np.empty((len(groups), len(frame)))
        for row, name in zip(by_group, groups, strict=True):
            row[:] = areas.arrange(frame[name].to_numpy(dtype=float))
        return cls(areas, by_group.T, tuple(groups))

    @cached_property
    def t(self) -> np.ndarray:
        """Unit totals over all groups."""
        return self.counts.sum(axis=-1)

    @cached_property
    def populated(self) -> np.ndarray:
        """Number of units with residents in each area."""
        return self.areas.sum((self.t > 0).astype(np.int64))

    def column(self, group: str) -> np.ndarray:
        """One group's counts per unit."""
        return self.counts[:, self.groups.index(group)]


class Pair:
    """A group's counts x and its reference's y per unit (sorted by area, units on the last
    axis), with the totals, shares and logarithms that several indices need, each worked
    out once: logarithms and powers cost far more than sums."""

    def __init__(self, x: np.ndarray, y: np.ndarray, areas: Areas,
                 t: np.ndarray | None = None):
        self.x, self.y, self.areas = x, y, areas
        self.t = x + y if t is None else t  # unit totals

    @cached_property
    def X(self) -> np.ndarray:
        return self.areas.sum(self.x)

    @cached_property
    def Y(self) -> np.ndarray:
        return self.areas.sum(self.y)

    @cached_property
    def T(self) -> np.ndarray:
        return self.X + self.Y

    @cached_property
    def P(self) -> np.ndarray:
        """The group's share of each area."""
        return _safe_divide(self.X, self.T)

    @cached_property
    def p(self) -> np.ndarray:
        """The group's share of each unit (0 in empty units)."""
        return _safe_divide(self.x, self.t)

    @cached_property
    def log_p(self) -> np.ndarray:
        """ln p, and 0 where p = 0."""
        return np.log(self.p, out=np.zeros(self.p.shape), where=self.p > 0)

    @cached_property
    def log_q(self) -> np.ndarray:
        """ln(1 − p), and 0 where p = 1."""
        q = 1.0 - self.p
        return np.log(q, out=np.zeros(q.shape), where=q > 0)

    @cached_property
    def unit_entropy(self) -> np.ndarray:
        """−p ln p − (1−p) ln(1−p) of each unit."""
        return -(self.p * self.log_p + (1.0 - self.p) * self.log_q)

    @cached_property
    def mixed_t(self) -> np.ndarray:
        """t in units with both groups (0 < p < 1), 0 elsewhere."""
        return np.where((self.p > 0) & (self.p < 1), self.t, 0.0)


def _dissimilarity_of(pair: Pair) -> np.ndarray:
    areas = pair.areas
    gap = np.abs(pair.x * areas.spread(_safe_divide(1.0, pair.X))
                 - pair.y * areas.spread(_safe_divide(1.0, pair.Y)))
    return 0.5 * areas.sum(gap)


def _share_order(p: np.ndarray, areas: Areas) -> np.ndarray:
    """Permutation sorting (sorted) units by share p within each area: a lexsort by (area,
    p) done as an argsort by p then a stable sort by area, with area positions in the
    smallest integer type so that numpy radix-sorts them: ~4× faster than ``np.lexsort``."""
    by_share = np.argsort(p)
    area_index = areas.index.astype(np.min_scalar_type(len(areas.codes)))
    return by_share[np.argsort(area_index[by_share], kind="stable")]


def _gini_of(pair: Pair) -> np.ndarray:
    """Σ_{i<j} |x_j t_i − x_i t_j| over units sorted by p within area, by cumulative sums."""
    areas = pair.areas
    order = _share_order(pair.p, areas)
    xs, ts = pair.x[order], pair.t[order]
    before_t = np.cumsum(ts) - ts  # Σ t over all earlier units (any area)
    before_x = np.cumsum(xs) - xs
    first = areas.starts
    before_t -= areas.spread(before_t[first])  # keep only earlier units of the same area
    before_x -= areas.spread(before_x[first])
    pairs = areas.sum(xs * before_t - ts * before_x)
    P = pair.P
    return _safe_divide(pairs, pair.T * pair.T * P * (1 - P))


def _atkinson_of(pair: Pair, b: float) -> np.ndarray:
    """With (1−p)^(1−b) p^b = exp((1−b) ln(1−p) + b ln p) from the shared logarithms: one
    exponential per unit instead of two powers (the terms are 0 unless 0 < p < 1)."""
    P, T = pair.P, pair.T
    inner = pair.areas.sum(np.exp((1 - b) * pair.log_q + b * pair.log_p) * pair.mixed_t)
    return 1 - _safe_divide(P, 1 - P) * np.abs(_safe_divide(inner, P * T)) ** (1 / (1 - b))


def _isolation_of(pair: Pair) -> np.ndarray:
    """Σ (x_i/X) p_i."""
    return _safe_divide(pair.areas.sum(pair.x * pair.p), pair.X)


def _exposure_of(pair: Pair) -> np.ndarray:
    """Σ (x_i/X)(y_i/t_i) = Σ y_i p_i / X."""
    return _safe_divide(pair.areas.sum(pair.y * pair.p), pair.X)


def _correlation_ratio_of(pair: Pair) -> np.ndarray:
    P = pair.P
    return _safe_divide(_isolation_of(pair) - P, 1 - P)


def _theil_h_of(pair: Pair) -> np.ndarray:
    E = _binary_entropy(pair.P)
    gaps = pair.t * (pair.areas.spread(E) - pair.unit_entropy)
    return _safe_divide(pair.areas.sum(gaps), pair.T * E)


PAIR_KERNELS: dict[str, Callable[[Pair], np.ndarray]] = {
    "dissimilarity": _dissimilarity_of,
    "gini": _gini_of,
    **{f"atkinson_{b}": partial(_atkinson_of, b=b) for b in ATKINSON_SHAPES},
    "theil_h": _theil_h_of,
    "isolation": _isolation_of,
    "exposure": _exposure_of,
    "correlation_ratio": _correlation_ratio_of,
}


def _on_counts(kernel: Callable[[Pair], np.ndarray]
               ) -> Callable[[np.ndarray, np.ndarray, Areas], np.ndarray]:
    """The index as a function of (x, y, areas), the form simulation code calls."""
    def index(x: np.ndarray, y: np.ndarray, areas: Areas) -> np.ndarray:
        return kernel(Pair(x, y, areas))
    return index


KERNELS: dict[str, Callable[[np.ndarray, np.ndarray, Areas], np.ndarray]] = {
    name: _on_counts(kernel) for name, kernel in PAIR_KERNELS.items()}
_dissimilarity = KERNELS["dissimilarity"]
_theil_h = KERNELS["theil_h"]


def _why_undefined(x, y, areas: Areas, min_units: int, group: str, reference: str,
                   min_group: int = MIN_GROUP) -> np.ndarray:
    """Per area: '' where indices are defined, else the reason in plain words."""
    populated = areas.sum(((x + y) > 0).astype(np.int64))
    return _reasons(areas.sum(x), areas.sum(y), populated, min_units, group, reference,
                    min_group)


def _reasons(X, Y, populated, min_units: int, group: str, reference: str,
             min_group: int) -> np.ndarray:
    """Per area: the first reason that applies, '' if none (object array)."""
    reasons = np.full(len(X), "", dtype=object)
    reasons[populated < min_units] = f"fewer than {min_units} units with residents"
    reasons[(Y == 0) & (reasons == "")] = f"no {reference} residents"
    reasons[(X == 0) & (reasons == "")] = f"no {group} residents"
    if min_group > 1:
        small = (min_group > X) & (reasons == "")
        reasons[small] = f"fewer than {min_group} {group} residents"
    return reasons


def group_columns(frame: pd.DataFrame, area: str | None,
                  groups: Sequence[str] | None) -> list[str]:
    """The count columns: ``groups`` if given, else every numeric column but area and total."""
    if groups is not None:
        return list(groups)
    return [c for c in frame.columns if c not in (area, "total")
            and pd.api.types.is_numeric_dtype(frame[c])]


def sorted_counts(frame: pd.DataFrame, area: str | None,
                  groups: Sequence[str]) -> tuple[Areas, np.ndarray]:
    """Areas of the units and the units × groups counts, sorted by area."""
    units = Units.of(frame, area, groups)
    return units.areas, units.counts


def as_units(frame: pd.DataFrame | Units, area: str | None,
             groups: Sequence[str] | None) -> Units:
    """``frame`` sorted by area, unless it already is (then ``area`` is not used, and
    ``groups``, if given, must be among its groups)."""
    if not isinstance(frame, Units):
        return Units.of(frame, area, groups)
    if groups is not None and list(groups) != list(frame.groups):
        return Units(frame.areas, frame.counts[:, [frame.groups.index(g) for g in groups]],
                     tuple(groups))
    return frame


def pair(counts: np.ndarray, groups: Sequence[str], group: str,
         reference: str | None) -> tuple[np.ndarray, np.ndarray, str]:
    """The group's counts, the reference's counts (the rest when None) and its name."""
    x = counts[..., list(groups).index(group)]
    if reference is None:
        return x, counts.sum(axis=-1) - x, "rest"
    return x, counts[..., list(groups).index(reference)], reference


def tidy(codes: np.ndarray, indices: Sequence[str], group: str, reference: str,
         values: np.ndarray, notes: np.ndarray, populated: np.ndarray) -> pd.DataFrame:
    """One row per index × area (index-major) in the engine's tidy columns; ``values`` and
    ``notes`` are indices × areas, and a value is kept only where its note is ''."""
    n = len(codes)
    return pd.DataFrame({
        "area_code": np.tile(codes, len(indices)),
        "index": np.repeat(np.asarray(indices, dtype=object), n),
        "group": group,
        "reference": reference,
        "value": np.where(notes == "", values, np.nan).ravel(),
        "n_units": np.tile(populated, len(indices)),
        "note": notes.ravel(),
    })


def two_group(
    frame: pd.DataFrame | Units,
    group: str,
    *,
    reference: str | None = None,
    area: str | None = "area",
    groups: Sequence[str] | None = None,
    indices: Sequence[str] = TWO_GROUP_INDICES,
    min_units: int = MIN_UNITS,
    min_group: int = MIN_GROUP,
) -> pd.DataFrame:
    """Two-group indices of ``group`` against ``reference`` in every area of a wide table.

    ``frame`` has one row per unit, an ``area`` column (None: one area called ``all``) and
    one count column per group; or it is :class:`Units` (the table already sorted by area,
    e.g. shared with other calls). With ``reference=None`` the reference is every other
    group in ``groups`` (default: all numeric columns except ``total``). Areas with fewer
    than ``min_units`` populated units or fewer than ``min_group`` members of the group get
    no value. Returns a tidy table: area_code, index, group, reference, value, n_units,
    note — a row with no value says why. Index names: see ``ALL_TWO_GROUP_INDICES``.
    """
    unknown = [name for name in indices if name not in KERNELS]
    if unknown:
        raise ValueError(f"unknown two-group index {unknown[0]!r}; known: {', '.join(KERNELS)}")
    units = as_units(frame, area, groups)
    x = units.column(group)
    if reference is None:
        counts = Pair(x, units.t - x, units.areas, t=units.t)
        populated = units.populated
    else:
        counts = Pair(x, units.column(reference), units.areas)
        populated = units.areas.sum((counts.t > 0).astype(np.int64))
    notes = _reasons(counts.X, counts.Y, populated, min_units, group,
                     "other" if reference is None else reference, min_group)
    values = np.array([PAIR_KERNELS[name](counts) for name in indices]).reshape(
        len(indices), len(units.areas.codes))
    return tidy(units.areas.codes, indices, group, "rest" if reference is None else reference,
                values, np.tile(notes, (len(indices), 1)), populated)
