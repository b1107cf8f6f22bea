"""Integration context that is not broken down by ethnic group: English proficiency.

Census 2021 TS029 counts residents aged 3 and over by proficiency in English. The table is
not by ethnic group, so it gives no gap between groups: the scorecard shows it beside the
population as context for the whole area, with its country's figure and the LA's rank.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from .gaps import comparator_codes
from .resources import indicators_file

ENGLISH = "english_not_well_or_at_all"
SOURCE = "ONS Census 2021, TS029 Proficiency in English language (residents aged 3 and over)"


@cache
def english_table() -> pd.DataFrame:
    """The embedded TS029 rows: every LA and England, Wales, England and Wales."""
    return pd.read_parquet(indicators_file("context_english_lad.parquet"))


def english_proficiency(table: pd.DataFrame) -> pd.DataFrame:
    """Share of residents aged 3+ who cannot speak English well or at all, per area, with
    its country's share and the LA's rank (1 = highest share) among all LAs.

    ``table``: tidy rows (geography_code, geography_name, geography_level, time,
    numerator, denominator). Returns one row per LA with ``value`` (percent),
    ``national_code``, ``national_name``, ``national_value``, ``rank`` and ``n_ranked``.
    """
    rows = table.assign(value=100 * table["numerator"] / table["denominator"])
    national = rows[rows["geography_level"] == "country"].set_index("geography_code")
    las = rows[rows["geography_level"] == "lad"].copy()
    own, _ = comparator_codes(las["geography_code"])
    las["national_code"] = own.to_numpy()
    las["national_name"] = las["national_code"].map(national["geography_name"])
    las["national_value"] = las["national_code"].map(national["value"])
    las["rank"] = las["value"].rank(method="min", ascending=False).astype(int)
    las["n_ranked"] = len(las)
    return las.reset_index(drop=True)


@cache
def _embedded() -> pd.DataFrame:
    return english_proficiency(english_table()).set_index("geography_code")


def english_for(la_code: str) -> dict | None:
    """One LA's English-proficiency figures, or None if the LA has no row (e.g. 2011)."""
    table = _embedded()
    if la_code not in table.index:
        return None
    row = table.loc[la_code]
    return {"time": str(row["time"]), "numerator": int(row["numerator"]),
            "denominator": int(row["denominator"]), "value": float(row["value"]),
            "national_name": row["national_name"],
            "national_value": float(row["national_value"]), "rank": int(row["rank"]),
            "n_ranked": int(row["n_ranked"]), "source": SOURCE}


def english_for_districts(districts: list[str]) -> dict | None:
    """The English-proficiency figures of an area of whole LAs (a county council's
    districts): their residents summed, the country's share beside it, no rank (the ranks
    are among LAs)."""
    table = _embedded()
    rows = table.reindex(districts).dropna(subset=["numerator"])
    if len(rows) != len(districts):
        return None
    numerator, denominator = int(rows["numerator"].sum()), int(rows["denominator"].sum())
    return {"time": str(rows["time"].iloc[0]), "numerator": numerator,
            "denominator": denominator, "value": 100 * numerator / denominator,
            "national_name": rows["national_name"].iloc[0],
            "national_value": float(rows["national_value"].iloc[0]), "rank": None,
            "n_ranked": None, "source": SOURCE}
