"""Two-group segregation indices for every area at once.

A group is compared with a reference: the rest of the population (``reference=None``) or a
named group. Units are grouped by area with one sort, and every index is a handful of
``np.add.reduceat`` calls over all areas together — no loop over areas.

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
from functools import partial

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

    @classmethod
    def of(cls, area: np.ndarray | pd.Series) -> Areas:
        # A Series factorizes in its own (Arrow) storage: several times faster than objects.
        index, codes = pd.factorize(area if isinstance(area, pd.Series) else np.asarray(area),
                                    sort=True)
        order = np.argsort(index, kind="stable")
        sorted_index = index[order]
        starts = np.flatnonzero(np.r_[True, sorted_index[1:] != sorted_index[:-1]])
        return cls(np.asarray(codes, dtype=object), starts, order)

    @property
    def sizes(self) -> np.ndarray:
        """Number of units in each area."""
        return np.diff(np.r_[self.starts, len(self.order)])

    @property
    def index(self) -> np.ndarray:
        """Position of each (sorted) unit's area in ``codes``."""
        return np.repeat(np.arange(len(self.codes)), self.sizes)

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


def _dissimilarity(x, y, areas: Areas) -> np.ndarray:
    X, Y = areas.sum(x), areas.sum(y)
    gap = np.abs(_safe_divide(x, areas.spread(X)) - _safe_divide(y, areas.spread(Y)))
    return 0.5 * areas.sum(gap)


def _gini(x, y, areas: Areas) -> np.ndarray:
    """Σ_{i<j} |x_j t_i − x_i t_j| over units sorted by p within area, by cumulative sums."""
    t = x + y
    p = _safe_divide(x, t)
    area_index = areas.index
    order = np.lexsort((p, area_index))
    xs, ts = x[order], t[order]
    before_t = np.cumsum(ts) - ts  # Σ t over all earlier units (any area)
    before_x = np.cumsum(xs) - xs
    first = areas.starts
    before_t -= areas.spread(before_t[first])  # keep only earlier units of the same area
    before_x -= areas.spread(before_x[first])
    pairs = areas.sum(xs * before_t - ts * before_x)
    X, T = areas.sum(x), areas.sum(t)
    P = _safe_divide(X, T)
    return _safe_divide(pairs, T * T * P * (1 - P))


def _atkinson(x, y, areas: Areas, b: float) -> np.ndarray:
    t = x + y
    X, T = areas.sum(x), areas.sum(t)
    P = _safe_divide(X, T)
    p = _safe_divide(x, t)
    inner = areas.sum((1 - p) ** (1 - b) * p ** b * t)
    return 1 - _safe_divide(P, 1 - P) * np.abs(_safe_divide(inner, P * T)) ** (1 / (1 - b))


def _isolation(x, y, areas: Areas) -> np.ndarray:
    X = areas.sum(x)
    return areas.sum(_safe_divide(x, areas.spread(X)) * _safe_divide(x, x + y))


def _exposure(x, y, areas: Areas) -> np.ndarray:
    X = areas.sum(x)
    return areas.sum(_safe_divide(x, areas.spread(X)) * _safe_divide(y, x + y))


def _correlation_ratio(x, y, areas: Areas) -> np.ndarray:
    P = _safe_divide(areas.sum(x), areas.sum(x + y))
    return _safe_divide(_isolation(x, y, areas) - P, 1 - P)


def _theil_h(x, y, areas: Areas) -> np.ndarray:
    t = x + y
    T = areas.sum(t)
    E = _binary_entropy(_safe_divide(areas.sum(x), T))
    E_unit = _binary_entropy(_safe_divide(x, t))
    return _safe_divide(areas.sum(t * (areas.spread(E) - E_unit)), T * E)


KERNELS: dict[str, Callable[[np.ndarray, np.ndarray, Areas], np.ndarray]] = {
    "dissimilarity": _dissimilarity,
    "gini": _gini,
    **{f"atkinson_{b}": partial(_atkinson, b=b) for b in ATKINSON_SHAPES},
    "theil_h": _theil_h,
    "isolation": _isolation,
    "exposure": _exposure,
    "correlation_ratio": _correlation_ratio,
}


def _why_undefined(x, y, areas: Areas, min_units: int, group: str, reference: str,
                   min_group: int = MIN_GROUP) -> np.ndarray:
    """Per area: '' where indices are defined, else the reason in plain words."""
    X, Y = areas.sum(x), areas.sum(y)
    populated = areas.sum(((x + y) > 0).astype(np.int64))
    reasons = np.full(len(areas.codes), "", dtype=object)
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
    area_values = frame[area] if area else np.full(len(frame), "all", dtype=object)
    areas = Areas.of(area_values)
    counts = frame[list(groups)].to_numpy(dtype=float)[areas.order]
    return areas, counts


def pair(counts: np.ndarray, groups: Sequence[str], group: str,
         reference: str | None) -> tuple[np.ndarray, np.ndarray, str]:
    """The group's counts, the reference's counts (the rest when None) and its name."""
    x = counts[..., list(groups).index(group)]
    if reference is None:
        return x, counts.sum(axis=-1) - x, "rest"
    return x, counts[..., list(groups).index(reference)], reference


def two_group(
    frame: pd.DataFrame,
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
    one count column per group. With ``reference=None`` the reference is every other group
    in ``groups`` (default: all numeric columns except ``total``). Areas with fewer than
    ``min_units`` populated units or fewer than ``min_group`` members of the group get no
    value. Returns a tidy table: area_code, index, group, reference, value, n_units, note —
    a row with no value says why. Index names: see ``ALL_TWO_GROUP_INDICES``.
    """
    groups = group_columns(frame, area, groups)
    unknown = [name for name in indices if name not in KERNELS]
    if unknown:
        raise ValueError(f"unknown two-group index {unknown[0]!r}; known: {', '.join(KERNELS)}")
    areas, counts = sorted_counts(frame, area, groups)
    x, y, reference_name = pair(counts, groups, group, reference)
    notes = _why_undefined(x, y, areas, min_units, group,
                           "other" if reference is None else reference, min_group)
    populated = areas.sum(((x + y) > 0).astype(np.int64))
    rows = []
    for name in indices:
        values = KERNELS[name](x, y, areas)
        rows.append(pd.DataFrame({
            "area_code": areas.codes,
            "index": name,
            "group": group,
            "reference": reference_name,
            "value": np.where(notes == "", values, np.nan),
            "n_units": populated,
            "note": notes,
        }))
    return pd.concat(rows, ignore_index=True)
