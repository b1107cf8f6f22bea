"""Schools against the residents around them (Harris and Johnston's comparison).

Each school's share of a group is set beside two neighbourhoods: its own small area (the
LSOA holding its point) and the nearest small areas, taken outward by the distance of their
centre from the school until they hold at least as many residents as the school has pupils
(all ages: the census has no ethnic group by age below LA level). The small areas are a
generic table — ``code, x, y`` and one count column per group plus ``total`` — so that
output areas can take the place of LSOAs without a change here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

FIRST_ASK = 16  # small areas looked at first for each school; more where they fall short


def enough_areas(distances_order: np.ndarray, totals: np.ndarray, need: np.ndarray
                 ) -> np.ndarray:
    """How many of each row's nearest areas (in order) it takes for their residents to reach
    ``need`` (at least one; all of them when they never do): n per row."""
    reached = np.cumsum(totals[distances_order], axis=1) >= need[:, None]
    first = np.argmax(reached, axis=1)
    return np.where(reached.any(axis=1), first + 1, distances_order.shape[1])


def around(x: np.ndarray, y: np.ndarray, pupils: np.ndarray, areas: pd.DataFrame,
           groups: Sequence[str]) -> pd.DataFrame:
    """For each point (a school with ``pupils``), the residents of the nearest small areas
    of ``areas`` that together hold at least ``pupils`` residents: their counts by group,
    the number of areas and the distance to the farthest area's centre (m)."""
    groups = list(groups)
    points = np.column_stack([areas["x"].to_numpy(float), areas["y"].to_numpy(float)])
    totals = areas["total"].to_numpy(float)
    counts = areas[groups].to_numpy(float)
    tree = cKDTree(points)
    n = len(x)
    taken = np.zeros(n, dtype=np.int64)
    radius = np.full(n, np.nan)
    summed = np.zeros((n, len(groups)))
    population = np.zeros(n)
    need = np.nan_to_num(np.asarray(pupils, float))
    todo = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    ask = min(FIRST_ASK, len(points))
    while len(todo):
        distance, index = tree.query(np.column_stack([x[todo], y[todo]]), k=ask)
        distance = np.asarray(distance).reshape(len(todo), ask)
        index = np.asarray(index).reshape(len(todo), ask)
        k = enough_areas(index, totals, need[todo])
        done = (k < ask) | (ask == len(points)) | (totals[index].sum(axis=1) >= need[todo])
        rows = todo[done]
        keep = np.arange(ask)[None, :] < k[done][:, None]  # the first k of each row
        chosen = np.where(keep, index[done], -1)
        weights = keep.astype(float)
        summed[rows] = np.einsum("rk,rkg->rg", weights, counts[np.maximum(chosen, 0)])
        population[rows] = (weights * totals[np.maximum(chosen, 0)]).sum(axis=1)
        taken[rows] = k[done]
        radius[rows] = distance[done][np.arange(len(rows)), k[done] - 1]
        todo = todo[~done]
        ask = min(len(points), ask * 4)
    out = pd.DataFrame(summed, columns=groups)
    out["total"] = population
    out["n_areas"] = taken
    out["radius_m"] = radius
    return out
