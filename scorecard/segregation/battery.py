"""The set of indices a scorecard shows, as one tidy table for every LA of a census year."""

from __future__ import annotations

import pandas as pd

from .. import geography, groups
from ..census import Counts
from .inference import inference
from .twogroup import TWO_GROUP_INDICES, Units, two_group

RESULT_COLUMNS = ["area_code", "area_name", "area_level", "year", "unit_level", "index",
                  "group", "reference", "value", "rank", "n_ranked", "n_units", "note"]
INFERENCE_COLUMNS = ["area_code", "index", "group", "reference", "value", "expected", "lower",
                     "upper", "n_units", "note"]


def _comparisons(counts: Counts) -> list[tuple[str, list[str], pd.DataFrame]]:
    """(classification, focal groups, wide table): White British vs others, broad vs rest."""
    tables = []
    for target in ("white_british2", "broad5"):
        if groups.can_map(counts.classification, target):
            focal = ["white_british"] if target == "white_british2" else groups.codes(target)
            tables.append((target, focal, counts.to(target).frame))
    return tables


def rank_among_areas(table: pd.DataFrame) -> pd.DataFrame:
    """Rank each area within its index × group (1 = highest value) among areas with a value."""
    ranked = table.copy()
    keys = ranked.groupby(["index", "group"], sort=False)["value"]
    ranked["rank"] = keys.rank(ascending=False, method="min").astype("Int64")
    ranked["n_ranked"] = keys.transform("count").astype("Int64")
    return ranked


def scorecard_indices(counts: Counts, las: pd.DataFrame | None = None) -> pd.DataFrame:
    """Dissimilarity, isolation, exposure and Theil's H for every LA, over ``counts``' units.

    White British vs all other groups where the classification has that split, and each
    broad group vs the rest. One tidy row per LA × index × group, with the LA's rank among
    all LAs that have a value (1 = highest).
    """
    if las is None:
        las = geography.authorities(counts.year)
    results = []
    for target, focal, frame in _comparisons(counts):
        units = Units.of(frame, "la_code", groups.codes(target))  # sorted once per table
        for group in focal:
            results.append(two_group(units, group, indices=TWO_GROUP_INDICES))
    table = rank_among_areas(pd.concat(results, ignore_index=True))
    names = dict(zip(las["code"], las["name"], strict=True))
    table["area_name"] = table["area_code"].map(names)
    table["area_level"] = "la"
    table["year"] = counts.year
    table["unit_level"] = counts.level
    return table[RESULT_COLUMNS]


def scorecard_inference(counts: Counts, la_code: str, *, draws: int = 199,
                        seed: int | None = None) -> pd.DataFrame:
    """Expected D and H under random allocation, and bootstrap 95% intervals, for one LA.

    The same comparisons as :func:`scorecard_indices`; seeded, so reruns give the same values.
    """
    options = {"seed": seed} if seed is not None else {}
    parts = []
    for target, focal, frame in _comparisons(counts):
        own = frame[frame["la_code"] == la_code]
        pairs = [(group, None) for group in focal]
        result = inference(own, area="la_code", groups=groups.codes(target), pairs=pairs,
                           draws=draws, workers=1, **options)
        parts.append(result[result["group"].isin(focal)])
    return pd.concat(parts, ignore_index=True)[INFERENCE_COLUMNS]
