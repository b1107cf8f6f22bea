"""Each school's intake against its ten nearest schools of the same phase: the measure of
The Challenge, SchoolDash and the iCoCo Foundation ("Understanding School Segregation in
England: 2011 to 2016", 2017).

A school is "segregated" (their term) when its share of a group (White British pupils; or
pupils eligible for free school meals) is more than 15 percentage points above or below the
share in its nearby schools, or when its share of either group (the group, or everyone
else) is less than half or more than twice the nearby share. "Nearby" is its ten nearest
schools of the same phase by straight-line distance, across LA borders; their share is of
their pupils pooled. Every school of a phase is placed with one k-d tree query.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial import cKDTree

NEIGHBOURS = 10
GAP = 0.15  # 15 percentage points
RATIO = 2  # less than half, or more than twice
HIGHER, LOWER, NOT = "higher", "lower", ""


def nearest(x: np.ndarray, y: np.ndarray, k: int = NEIGHBOURS) -> np.ndarray:
    """For each point, the indices of its ``k`` nearest other points (n × k).

    Ties in distance are broken by the lower index, with distances compared exactly
    (squared, from the coordinates), so the result does not depend on the tree: the
    brute-force check in the tests gives the same neighbours. Needs more than ``k`` points.
    """
    n = len(x)
    if n <= k:
        raise ValueError(f"need more than {k} points, got {n}")
    points = np.column_stack([x, y]).astype(float)
    tree = cKDTree(points)
    out = np.empty((n, k), dtype=np.int64)
    todo = np.arange(n)
    ask = min(n, k + 3)  # a few beyond the k-th: enough to see ties in almost every row
    while len(todo):
        _, found = tree.query(points[todo], k=ask)
        found = np.asarray(found).reshape(len(todo), ask)
        d2 = ((points[found] - points[todo][:, None, :]) ** 2).sum(axis=-1)
        d2[found == todo[:, None]] = np.inf  # never its own neighbour
        order = np.lexsort((found, d2), axis=-1)
        found = np.take_along_axis(found, order, axis=-1)
        d2 = np.take_along_axis(d2, order, axis=-1)
        # Sure only when a point farther than the k-th was seen (or every point was).
        sure = (d2[:, -1] > d2[:, k - 1]) | (ask >= n)
        out[todo[sure]] = found[sure, :k]
        todo = todo[~sure]
        ask = min(n, ask * 2)
    return out


def nearby_counts(numerator: np.ndarray, denominator: np.ndarray,
                  neighbours: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The group's members and all pupils of each school's neighbours taken together."""
    return numerator[neighbours].sum(axis=1), denominator[neighbours].sum(axis=1)


def classify(members: np.ndarray, pupils: np.ndarray, nearby_members: np.ndarray,
             nearby_pupils: np.ndarray) -> np.ndarray:
    """'higher', 'lower' or '' per school, by the published test (see the module's doc),
    from whole counts: a/b is the school's share, c/d the nearby share.

    The test is done in integers (e.g. a/b − c/d > 0.15 as 100(ad − cb) > 15bd), so a share
    exactly 15 points or exactly twice away is never misread by rounding. Every condition
    for 'higher' implies a/b > c/d and every one for 'lower' a/b < c/d, so a school is never
    both. Schools with no pupils, or whose neighbours have none, get ''.
    """
    a, b = np.asarray(members, np.int64), np.asarray(pupils, np.int64)
    c, d = np.asarray(nearby_members, np.int64), np.asarray(nearby_pupils, np.int64)
    ad, cb, bd = a * d, c * b, b * d
    gap_points = int(round(GAP * 100))
    higher = ((100 * (ad - cb) > gap_points * bd) | (ad > RATIO * cb)
              | (RATIO * (b - a) * d < (d - c) * b))
    lower = ((100 * (cb - ad) > gap_points * bd) | (RATIO * ad < cb)
             | ((b - a) * d > RATIO * (d - c) * b))
    defined = (b > 0) & (d > 0)
    out = np.full(len(a), NOT, dtype=object)
    out[higher & defined] = HIGHER
    out[lower & defined] = LOWER
    return out


TOO_FEW = "too few schools of the phase to compare"


def compare_by_phase(members: np.ndarray, pupils: np.ndarray, x: np.ndarray, y: np.ndarray,
                     phases: np.ndarray, comparable: np.ndarray, phase_names,
                     note: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each comparable school of each of ``phase_names`` against its ten nearest comparable
    schools of that phase: (nearby share, classification). A phase of ten schools or fewer
    is not compared, and ``note`` gets :data:`TOO_FEW` for its schools."""
    n = len(members)
    nearby = np.full(n, np.nan)
    label = np.full(n, NOT, dtype=object)
    for name in phase_names:
        pool = np.flatnonzero((phases == name) & comparable)
        if len(pool) <= NEIGHBOURS:
            note[pool] = TOO_FEW
            continue
        neighbours = pool[nearest(x[pool], y[pool])]
        c, d = nearby_counts(members, pupils, neighbours)
        nearby[pool] = c / d
        label[pool] = classify(members[pool], pupils[pool], c, d)
    return nearby, label
