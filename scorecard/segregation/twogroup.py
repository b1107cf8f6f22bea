"""Two-group segregation indices for every area at once.

A group is compared with a reference: the rest of the population (``reference=None``) or a
named group. Units are grouped by area with one sort, and every index is a handful of
``np.add.reduceat`` calls over all areas together — no loop over areas.

Formulas follow Massey and Denton (1988), as PySAL ``segregation`` implements them:
- dissimilarity   D   = ½ Σ |x_i/X − y_i/Y|
- isolation       xPx = Σ (x_i/X)(x_i/t_i)
- exposure        xPy = Σ (x_i/X)(y_i/t_i)
- Theil's H       H   = Σ t_i (E − E_i) / (T E), E the binary entropy of the group share
where x is the group, y the reference and t = x + y in each unit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

TWO_GROUP_INDICES = ("dissimilarity", "isolation", "exposure", "theil_h")
MIN_UNITS = 2


@dataclass(frozen=True)
class Areas:
    """Units sorted by area, with where each area's run of units starts."""

    codes: np.ndarray  # one per area, sorted
    starts: np.ndarray  # index of each area's first unit in the sorted unit arrays
    order: np.ndarray  # permutation that sorts units by area

    @classmethod
    def of(cls, area: np.ndarray) -> Areas:
        order = np.argsort(area, kind="stable")
        sorted_area = area[order]
        starts = np.flatnonzero(np.r_[True, sorted_area[1:] != sorted_area[:-1]])
        return cls(sorted_area[starts], starts, order)

    def sum(self, values: np.ndarray) -> np.ndarray:
        """Per-area sums of per-unit values already in sorted order."""
        return np.add.reduceat(values, self.starts) if len(values) else np.zeros(0)

    def spread(self, per_area: np.ndarray) -> np.ndarray:
        """Per-area values repeated for each unit of the area (sorted order)."""
        sizes = np.diff(np.r_[self.starts, len(self.order)])
        return np.repeat(per_area, sizes)


def _safe_divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    out = np.zeros(np.broadcast(numerator, denominator).shape)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _binary_entropy(p: np.ndarray) -> np.ndarray:
    """−p ln p − (1−p) ln(1−p), with 0 ln 0 = 0."""
    q = 1.0 - p
    out = np.zeros_like(p)
    for share in (p, q):
        positive = share > 0
        out[positive] -= share[positive] * np.log(share[positive])
    return out


def _dissimilarity(x, y, areas: Areas) -> np.ndarray:
    X, Y = areas.sum(x), areas.sum(y)
    gap = np.abs(_safe_divide(x, areas.spread(X)) - _safe_divide(y, areas.spread(Y)))
    return 0.5 * areas.sum(gap)


def _isolation(x, y, areas: Areas) -> np.ndarray:
    X = areas.sum(x)
    return areas.sum(_safe_divide(x, areas.spread(X)) * _safe_divide(x, x + y))


def _exposure(x, y, areas: Areas) -> np.ndarray:
    X = areas.sum(x)
    return areas.sum(_safe_divide(x, areas.spread(X)) * _safe_divide(y, x + y))


def _theil_h(x, y, areas: Areas) -> np.ndarray:
    t = x + y
    T = areas.sum(t)
    E = _binary_entropy(_safe_divide(areas.sum(x), T))
    E_unit = _binary_entropy(_safe_divide(x, t))
    return _safe_divide(areas.sum(t * (areas.spread(E) - E_unit)), T * E)


KERNELS: dict[str, Callable[[np.ndarray, np.ndarray, Areas], np.ndarray]] = {
    "dissimilarity": _dissimilarity,
    "isolation": _isolation,
    "exposure": _exposure,
    "theil_h": _theil_h,
}


def _why_undefined(x, y, areas: Areas, min_units: int, group: str, reference: str) -> np.ndarray:
    """Per area: '' where indices are defined, else the reason in plain words."""
    X, Y = areas.sum(x), areas.sum(y)
    populated = areas.sum(((x + y) > 0).astype(np.int64))
    reasons = np.full(len(areas.codes), "", dtype=object)
    reasons[populated < min_units] = f"fewer than {min_units} units with residents"
    reasons[(Y == 0) & (reasons == "")] = f"no {reference} residents"
    reasons[(X == 0) & (reasons == "")] = f"no {group} residents"
    return reasons


def two_group(
    frame: pd.DataFrame,
    group: str,
    *,
    reference: str | None = None,
    area: str | None = "area",
    groups: Sequence[str] | None = None,
    indices: Sequence[str] = TWO_GROUP_INDICES,
    min_units: int = MIN_UNITS,
) -> pd.DataFrame:
    """Two-group indices of ``group`` against ``reference`` in every area of a wide table.

    ``frame`` has one row per unit, an ``area`` column (None: one area called ``all``) and
    one count column per group. With ``reference=None`` the reference is every other group
    in ``groups`` (default: all numeric columns except ``total``). Returns a tidy table:
    area_code, index, group, reference, value, n_units, note — a row with no value says why.
    """
    if groups is None:
        groups = [c for c in frame.columns if c not in (area, "total")
                  and pd.api.types.is_numeric_dtype(frame[c])]
    area_values = np.asarray(frame[area]) if area else np.full(len(frame), "all", dtype=object)
    areas = Areas.of(area_values)
    counts = frame[list(groups)].to_numpy(dtype=float)[areas.order]
    x = counts[:, list(groups).index(group)]
    if reference is None:
        y = counts.sum(axis=1) - x
        reference_name = "rest"
    else:
        y = counts[:, list(groups).index(reference)]
        reference_name = reference
    notes = _why_undefined(x, y, areas, min_units, group, "other" if reference is None
                           else reference)
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
