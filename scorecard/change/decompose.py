"""Why M changed: the Shapley decomposition of a difference in the mutual information index.

After Elbers' R ``segregation::mutual_difference(method = "shapley")`` (Deutsch,
Flückiger and Silber 2009; Elbers 2023), for every area at once. With table A (first year)
and B (second year) over the units and groups both years have (the *overlap*), write
m_XYZ for the M of the table whose group margins come from X, unit margins from Y and
association structure (odds ratios) from Z, made by iterative proportional fitting (IPF)
of Z's table to the margins of X and Y. Then

    diff           = M2 − M1 = additions + removals + group_marginal + unit_marginal + structural
    additions      = M2 − m_BBB      (units or groups present only in the second year)
    removals       = m_AAA − M1      (units or groups present only in the first year)
    group_marginal = ¼ (m_BAA − m_AAA + m_BBA − m_ABA + m_BBB − m_ABB + m_BAB − m_AAB)
    unit_marginal  = ¼ (m_ABA − m_AAA + m_BBA − m_BAA + m_BBB − m_BAB + m_ABB − m_AAB)
    structural     = ½ (m_AAB − m_AAA) + ½ (m_BBB − m_BBA)

The parts add up to the difference exactly (the terms telescope) whether or not IPF has
fully converged. ``group_marginal`` is the change due to the groups' shares of the area
(composition), ``unit_marginal`` to the units' sizes, ``structural`` to how groups are
spread over units with both margins held fixed. As in Elbers' code, cells empty in one
year but not the other get 1e-4 before IPF so that the fitted margins can be reached.
IPF runs on all areas together (one vectorised step per iteration, no loop over areas).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..segregation.multigroup import Table
from ..segregation.twogroup import MIN_UNITS, Areas, _safe_divide

COMPONENTS = ("M1", "M2", "diff", "additions", "removals", "group_marginal",
              "unit_marginal", "structural")
FILL = 1e-4


def _m(counts: np.ndarray, areas: Areas) -> np.ndarray:
    return Table(counts, areas).M


def ipf(source: np.ndarray, areas: Areas, unit_target: np.ndarray, group_target: np.ndarray,
        *, units: bool = True, groups: bool = True, precision: float = 1e-10,
        max_iterations: int = 10_000) -> np.ndarray:
    """Scale ``source`` (units × groups, sorted by area) to the target unit totals and/or
    per-area group totals, keeping its odds ratios. One margin alone needs one step."""
    x = source.copy()
    for _ in range(max_iterations):
        if groups:
            current = areas.sum(x, axis=-2)
            x *= areas.spread(_safe_divide(group_target, current), axis=-2)
        if units:
            x *= _safe_divide(unit_target, x.sum(axis=-1))[:, None]
        if not (units and groups):
            break
        current = areas.sum(x, axis=-2)
        wanted = group_target > 0
        gap = np.abs(np.log(current[wanted] / group_target[wanted])) if wanted.any() else [0]
        if np.max(gap) <= precision:
            break
    return x


def _overlap(a: np.ndarray, b: np.ndarray, areas: Areas) -> np.ndarray:
    """Cells of units populated in both years and of groups present in both in the area."""
    units = (a.sum(axis=-1) > 0) & (b.sum(axis=-1) > 0)
    present = (areas.sum(a, axis=-2) > 0) & (areas.sum(b, axis=-2) > 0)
    return units[:, None] & areas.spread(present, axis=-2)


def decompose_difference(a: np.ndarray, b: np.ndarray, areas: Areas,
                         precision: float = 1e-10) -> dict[str, np.ndarray]:
    """The components of :data:`COMPONENTS` per area, for count arrays sorted by area."""
    common = _overlap(a, b, areas)
    A, B = a * common, b * common
    fill_a = np.where(common & (A == 0) & (B > 0), FILL, A)
    fill_b = np.where(common & (B == 0) & (A > 0), FILL, B)
    margins = {name: (x.sum(axis=-1), areas.sum(x, axis=-2))
               for name, x in (("A", fill_a), ("B", fill_b))}

    def fitted(source, group_from, unit_from, **which):
        return _m(ipf(source, areas, margins[unit_from][0], margins[group_from][1],
                      precision=precision, **which), areas)

    m = {"AAA": _m(A, areas), "BBB": _m(B, areas),
         "BBA": fitted(fill_a, "B", "B"), "ABA": fitted(fill_a, "A", "B", groups=False),
         "BAA": fitted(fill_a, "B", "A", units=False),
         "AAB": fitted(fill_b, "A", "A"), "BAB": fitted(fill_b, "B", "A", groups=False),
         "ABB": fitted(fill_b, "A", "B", units=False)}
    M1, M2 = _m(a, areas), _m(b, areas)
    return {
        "M1": M1, "M2": M2, "diff": M2 - M1,
        "additions": M2 - m["BBB"], "removals": m["AAA"] - M1,
        "group_marginal": 0.25 * (m["BAA"] - m["AAA"] + m["BBA"] - m["ABA"]
                                  + m["BBB"] - m["ABB"] + m["BAB"] - m["AAB"]),
        "unit_marginal": 0.25 * (m["ABA"] - m["AAA"] + m["BBA"] - m["BAA"]
                                 + m["BBB"] - m["BAB"] + m["ABB"] - m["AAB"]),
        "structural": 0.5 * (m["AAB"] - m["AAA"]) + 0.5 * (m["BBB"] - m["BBA"]),
    }


def _aligned(before: pd.DataFrame, after: pd.DataFrame, unit: str, area: str,
             groups: list[str]) -> tuple[Areas, np.ndarray, np.ndarray]:
    """Both years on the union of units (absent = empty), sorted by area."""
    keys = [unit, area]
    joined = before[keys + groups].merge(after[keys + groups], on=keys, how="outer",
                                         suffixes=("_a", "_b"))
    areas = Areas.of(np.asarray(joined[area], dtype=object))
    a = joined[[f"{g}_a" for g in groups]].fillna(0).to_numpy(dtype=float)[areas.order]
    b = joined[[f"{g}_b" for g in groups]].fillna(0).to_numpy(dtype=float)[areas.order]
    return areas, a, b


def mutual_difference(before: pd.DataFrame, after: pd.DataFrame, *, groups: Sequence[str],
                      unit: str = "code", area: str | None = "la_code",
                      precision: float = 1e-10) -> pd.DataFrame:
    """Shapley decomposition of the change in M from ``before`` to ``after`` in every area.

    ``before``/``after``: wide tables, one row per unit, with ``unit`` and ``area`` columns
    (None: one area ``all``) and the ``groups`` count columns; a unit must lie in the same
    area in both. Returns a tidy table: area_code, index (mutual_information_m), component
    (see :data:`COMPONENTS`), value, note. The last five components sum to ``diff``.
    """
    groups = list(groups)
    if area is None:
        before, after, area = before.assign(_area="all"), after.assign(_area="all"), "_area"
    areas, a, b = _aligned(before, after, unit, area, groups)
    parts = decompose_difference(a, b, areas, precision)
    populated = np.minimum(areas.sum((a.sum(axis=-1) > 0).astype(np.int64)),
                           areas.sum((b.sum(axis=-1) > 0).astype(np.int64)))
    empty = populated == 0
    note = np.select([empty, populated < MIN_UNITS],
                     ["no residents in one of the years",
                      f"fewer than {MIN_UNITS} units with residents in a year: M is 0"], "")
    rows = [pd.DataFrame({"area_code": areas.codes, "index": "mutual_information_m",
                          "component": name,
                          "value": np.where(empty, np.nan, parts[name]), "note": note})
            for name in COMPONENTS]
    return pd.concat(rows, ignore_index=True)
