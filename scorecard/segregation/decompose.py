"""Exact decomposition of the mutual information index M and Theil's H across a hierarchy.

For units nested in areas nested in a parent (the whole table, or e.g. a region), Theil's
decomposition (Mora and Ruiz-Castillo 2011; Elbers' R ``segregation``: ``mutual_within``,
``mutual_local``) splits the parent's M exactly:

    M = M_between + Σ_w p_w M_w          p_w = T_w / T  (area w's population share)
    H = M / E = H_between + Σ_w p_w (E_w / E) H_w

where M_between treats areas as units and M_w is the M of area w's own units. M also splits
over groups: M = Σ_k P_k L_k with L_k = Σ_i p_{i|k} ln(p_{i|k} / p_i), the local
segregation of group k (``mutual_local`` with units and groups swapped).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .multigroup import Table, entropy, mutual_information
from .twogroup import Areas, _safe_divide, group_columns

COLUMNS = ["area_code", "parent_code", "index", "group", "component", "value", "weight",
           "contribution", "n_units", "note"]


def _parent_of_area(frame: pd.DataFrame, area: str, parent: str | None) -> pd.DataFrame:
    """One row per area with its parent; an area split over parents is an error."""
    if parent is None:
        return pd.DataFrame({area: pd.unique(frame[area]), "parent": "all"})
    pairs = frame[[area, parent]].drop_duplicates()
    split = pairs[area].duplicated()
    if split.any():
        raise ValueError(f"area {pairs[area][split].iloc[0]!r} lies in more than one {parent}")
    return pairs.rename(columns={parent: "parent"})


def _group_contributions(table: Table) -> tuple[np.ndarray, np.ndarray]:
    """Per parent × group: local segregation L_k and its weight P_k (Σ_k P_k L_k = M)."""
    x = table.counts
    within_group = _safe_divide(x, table.areas.spread(table.G, axis=-2))  # p_{i|k}
    unit_share = _safe_divide(table.t, table.areas.spread(table.T))[:, None]  # p_i
    log_ratio = np.zeros(x.shape)
    np.log(_safe_divide(within_group, unit_share), out=log_ratio, where=x > 0)
    local = table.areas.sum(within_group * log_ratio, axis=0)
    return local, table.P


def decompose(
    frame: pd.DataFrame,
    *,
    area: str,
    groups: Sequence[str] | None = None,
    parent: str | None = None,
) -> pd.DataFrame:
    """M and H of each parent split into between-area, within-area and per-group parts.

    ``frame``: one row per unit with an ``area`` column, an optional ``parent`` column (None:
    the whole table is one parent called ``all``) and one count column per group. Returns a
    tidy table (see ``COLUMNS``): for each parent and index (mutual_information_m,
    multigroup_theil_h), rows with component ``total``, ``between`` and ``within``; one
    ``area`` row per area (value = the area's own index, weight, contribution = weight ×
    value); one ``group`` row per group. Contributions of the area rows sum to ``within``,
    between + within = total, and the group contributions sum to the total.
    """
    groups = group_columns(frame, area, groups)
    if parent is not None:
        groups = [g for g in groups if g != parent]
    links = _parent_of_area(frame, area, parent)
    parent_of = dict(zip(links[area], links["parent"], strict=True))
    parent_values = np.asarray(frame[area].map(parent_of), dtype=object)
    counts = frame[list(groups)].to_numpy(dtype=float)

    # Units within parents: totals and group parts.
    by_parent = Areas.of(parent_values)
    units = Table(counts[by_parent.order], by_parent)
    M, E = mutual_information(units), entropy(units)
    local, share = _group_contributions(units)
    # Areas as units within parents: the between part.
    summed = pd.DataFrame(counts, columns=groups).groupby(
        np.asarray(frame[area], dtype=object), sort=True).sum()
    area_codes = summed.index.to_numpy(dtype=object)
    area_parent = np.array([parent_of[a] for a in area_codes], dtype=object)
    between_areas = Areas.of(area_parent)
    between = mutual_information(Table(summed.to_numpy()[between_areas.order], between_areas))
    # Units within each area: the within parts.
    by_area = Areas.of(np.asarray(frame[area], dtype=object))
    inner = Table(counts[by_area.order], by_area)
    M_w, E_w = mutual_information(inner), entropy(inner)
    parent_index = np.searchsorted(by_parent.codes, area_parent)
    p_w = _safe_divide(inner.T, units.T[parent_index])
    n_units_area = by_area.sizes
    return _rows(by_parent, units, M, E, between, local, share, groups,
                 by_area.codes, area_parent, parent_index, M_w, E_w, p_w, n_units_area)


def _rows(by_parent, units, M, E, between, local, share, groups, area_codes, area_parent,
          parent_index, M_w, E_w, p_w, n_units_area) -> pd.DataFrame:
    """Assemble the tidy decomposition table: M as it is, H as M / E of the parent."""
    one_group = "only one group has residents: H is undefined"
    parent_note = np.where(E > 0, "", one_group)
    inverse_E = _safe_divide(np.ones_like(E), E)
    H_w = _safe_divide(M_w, E_w)
    area_note = np.where(E_w > 0, "", one_group)
    specs = {  # index: (scale of parent parts, area value, area weight, area note, parent note)
        "mutual_information_m": (np.ones_like(E), M_w, p_w, np.full(len(M_w), ""),
                                 np.full(len(E), "")),
        "multigroup_theil_h": (inverse_E, H_w, p_w * E_w * inverse_E[parent_index],
                               area_note, parent_note),
    }
    parts = []
    for index, (scale, value_w, weight_w, note_w, note) in specs.items():
        contribution_w = p_w * M_w * scale[parent_index]  # = weight_w × value_w
        within = np.bincount(parent_index, contribution_w, minlength=len(E))
        defined = note == ""
        for component, value in (("total", M * scale), ("between", between * scale),
                                 ("within", within)):
            value = np.where(defined, value, np.nan)
            parts.append(_frame(by_parent.codes, by_parent.codes, index, "all", component,
                                value, np.nan, value, by_parent.sizes, note))
        parts.append(_frame(area_codes, area_parent, index, "all", "area",
                            np.where(note_w == "", value_w, np.nan), weight_w, contribution_w,
                            n_units_area, note_w))
        for k, group in enumerate(groups):
            weight = share[:, k] * scale
            parts.append(_frame(by_parent.codes, by_parent.codes, index, group, "group",
                                np.where(defined, local[:, k], np.nan),
                                np.where(defined, weight, np.nan),
                                np.where(defined, weight * local[:, k], np.nan),
                                by_parent.sizes, note))
    return pd.concat(parts, ignore_index=True)[COLUMNS]


def _frame(area_code, parent_code, index, group, component, value, weight, contribution,
           n_units, note) -> pd.DataFrame:
    return pd.DataFrame({"area_code": area_code, "parent_code": parent_code, "index": index,
                         "group": group, "component": component, "value": value,
                         "weight": weight, "contribution": contribution, "n_units": n_units,
                         "note": note})
