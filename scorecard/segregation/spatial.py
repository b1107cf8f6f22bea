"""Spatial two-group indices for every area at once: spatial dissimilarity and proximity.

Neighbours come from one libpysal Queen contiguity built over every unit's polygon (EPSG:27700)
and restricted to links inside the same area, so the weights of all areas form one sparse
block-diagonal matrix; PySAL ``segregation`` builds the same links one area at a time.

- spatial_dissimilarity (Morrill 1991, as PySAL ``SpatialDissim``):
  SD = D − Σ_ij c_ij |p_i − p_j| / Σ_ij c_ij, c the (optionally row-standardised) weights.
- spatial_proximity (Massey and Denton 1988, as PySAL ``SpatialProximity``):
  SP = (X P_xx + Y P_yy) / (T P_tt), P_xx = Σ_ij x_i x_j c_ij / X², with PySAL's proximity
  c_ij = 1 − exp(−d_ij / Σ_k d_jk) between unit centroids and c_ii = 1 − exp(−(α a_i)^β).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp

from . import twogroup as tg

SPATIAL_INDICES = ("spatial_dissimilarity", "spatial_proximity")


def contiguity(polygons: gpd.GeoDataFrame, area: str = "la_code") -> sp.csr_array:
    """Queen contiguity between polygons (rows in their order), links only within an area."""
    with warnings.catch_warnings():  # islands are expected (e.g. the Isles of Scilly)
        warnings.simplefilter("ignore")
        import libpysal  # imported here: ~0.5 s that scorecards without spatial indices skip

        w = libpysal.weights.Queen.from_dataframe(polygons, use_index=False)
    links = sp.coo_array(w.sparse)
    owner = pd.factorize(polygons[area])[0]
    same = owner[links.row] == owner[links.col]
    return sp.csr_array((links.data[same], (links.row[same], links.col[same])),
                        shape=links.shape)


def _aligned(frame: pd.DataFrame, polygons: gpd.GeoDataFrame, unit: str) -> np.ndarray:
    """Row of ``polygons`` for each row of ``frame``; every unit must have a polygon."""
    position = pd.Index(polygons["code"]).get_indexer(frame[unit])
    if (position < 0).any():
        missing = frame[unit].iloc[int(np.flatnonzero(position < 0)[0])]
        raise ValueError(f"unit {missing!r} has no polygon")
    return position


def spatial_dissimilarity(
    frame: pd.DataFrame,
    group: str,
    weights: sp.sparray,
    *,
    reference: str | None = None,
    area: str | None = "area",
    groups: Sequence[str] | None = None,
    standardize: bool = False,
    min_units: int = tg.MIN_UNITS,
) -> pd.DataFrame:
    """Spatial dissimilarity of ``group`` in every area; ``weights`` is units × units in the
    order of ``frame``'s rows (e.g. ``contiguity`` of the units' polygons)."""
    groups = tg.group_columns(frame, area, groups)
    areas, counts = tg.sorted_counts(frame, area, groups)
    x, y, reference_name = tg.pair(counts, groups, group, reference)
    w = sp.coo_array(sp.csr_array(weights)[areas.order][:, areas.order])
    if standardize:
        row_sums = np.bincount(w.row, w.data, minlength=w.shape[0])
        w = sp.coo_array((w.data / row_sums[w.row], (w.row, w.col)), shape=w.shape)
    p = tg._safe_divide(x, x + y)
    owner = areas.index[w.row]
    n_areas = len(areas.codes)
    spread = np.bincount(owner, w.data * np.abs(p[w.row] - p[w.col]), minlength=n_areas)
    total = np.bincount(owner, w.data, minlength=n_areas)
    values = tg._dissimilarity(x, y, areas) - tg._safe_divide(spread, total)
    notes = tg._why_undefined(x, y, areas, min_units, group,
                              "other" if reference is None else reference)
    notes = np.where((notes == "") & (total == 0), "no two units of the area are neighbours",
                     notes)
    return _tidy(areas, "spatial_dissimilarity", group, reference_name, values, notes, x + y)


def _pairs(areas: tg.Areas) -> tuple[np.ndarray, np.ndarray]:
    """Every ordered pair (i, j) of units in the same area, i and j in sorted order."""
    sizes = areas.sizes[areas.index]  # the size of each unit's area
    first = np.repeat(np.arange(len(sizes)), sizes)
    row_start = np.repeat(np.cumsum(sizes) - sizes, sizes)
    area_start = np.repeat(areas.starts[areas.index], sizes)
    second = area_start + np.arange(len(first)) - row_start
    return first, second


def spatial_proximity(
    frame: pd.DataFrame,
    group: str,
    polygons: gpd.GeoDataFrame,
    *,
    unit: str = "code",
    reference: str | None = None,
    area: str | None = "area",
    groups: Sequence[str] | None = None,
    alpha: float = 0.6,
    beta: float = 0.5,
    min_units: int = tg.MIN_UNITS,
) -> pd.DataFrame:
    """Spatial proximity of ``group`` in every area, from the units' polygons (EPSG:27700).

    Memory grows with Σ (units per area)²: fine for LSOAs and MSOAs within LAs.
    """
    groups = tg.group_columns(frame, area, groups)
    areas, counts = tg.sorted_counts(frame, area, groups)
    x, y, reference_name = tg.pair(counts, groups, group, reference)
    shapes = polygons.iloc[_aligned(frame, polygons, unit)[areas.order]]
    centroid = shapes.geometry.centroid
    cx, cy, size = centroid.x.to_numpy(), centroid.y.to_numpy(), shapes.geometry.area.to_numpy()
    i, j = _pairs(areas)
    distance = np.hypot(cx[i] - cx[j], cy[i] - cy[j])
    row_sum = np.bincount(i, distance, minlength=len(cx))  # Σ_k d_ik (= Σ_k d_ki)
    closeness = 1 - np.exp(-tg._safe_divide(distance, row_sum[j]))
    diagonal = i == j
    closeness[diagonal] = 1 - np.exp(-((alpha * size[i[diagonal]]) ** beta))
    owner = areas.index[i]
    n_areas = len(areas.codes)

    def mean_proximity(v):
        return np.bincount(owner, v[i] * v[j] * closeness, minlength=n_areas)

    t = x + y
    X, Y, T = areas.sum(x), areas.sum(y), areas.sum(t)
    Pxx = tg._safe_divide(mean_proximity(x), X ** 2)
    Pyy = tg._safe_divide(mean_proximity(y), Y ** 2)
    Ptt = tg._safe_divide(mean_proximity(t), T ** 2)
    values = tg._safe_divide(X * Pxx + Y * Pyy, T * Ptt)
    notes = tg._why_undefined(x, y, areas, min_units, group,
                              "other" if reference is None else reference)
    return _tidy(areas, "spatial_proximity", group, reference_name, values, notes, t)


def _tidy(areas, index, group, reference, values, notes, t) -> pd.DataFrame:
    return pd.DataFrame({
        "area_code": areas.codes, "index": index, "group": group, "reference": reference,
        "value": np.where(notes == "", values, np.nan),
        "n_units": areas.sum((t > 0).astype(np.int64)), "note": notes})
