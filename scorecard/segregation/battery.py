"""The set of indices a scorecard shows, as one tidy table for every LA of a census year."""

from __future__ import annotations

import pandas as pd

from .. import geography, groups
from ..census import Counts
from .twogroup import TWO_GROUP_INDICES, two_group

RESULT_COLUMNS = ["area_code", "area_name", "area_level", "year", "unit_level", "index",
                  "group", "reference", "value", "n_units", "note"]


def _comparisons(counts: Counts) -> list[tuple[str, pd.DataFrame]]:
    """(classification, wide table) pairs: White British vs others, and broad groups vs rest."""
    tables = []
    for target in ("white_british2", "broad5"):
        if groups.can_map(counts.classification, target):
            tables.append((target, counts.to(target).frame))
    return tables


def scorecard_indices(counts: Counts, las: pd.DataFrame | None = None) -> pd.DataFrame:
    """Dissimilarity, isolation, exposure and Theil's H for every LA, over ``counts``' units.

    White British vs all other groups where the classification has that split, and each
    broad group vs the rest. One tidy row per LA × index × group.
    """
    if las is None:
        las = geography.authorities(counts.year)
    results = []
    for target, frame in _comparisons(counts):
        focal = ["white_british"] if target == "white_british2" else groups.codes("broad5")
        for group in focal:
            results.append(two_group(frame, group, area="la_code", groups=groups.codes(target),
                                     indices=TWO_GROUP_INDICES))
    table = pd.concat(results, ignore_index=True)
    names = dict(zip(las["code"], las["name"], strict=True))
    table["area_name"] = table["area_code"].map(names)
    table["area_level"] = "la"
    table["year"] = counts.year
    table["unit_level"] = counts.level
    return table[RESULT_COLUMNS]
