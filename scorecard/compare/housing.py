"""Housing tenure in a comparison: Census 2021 RM134 for each compared local authority.

2021 only: no 2011 table of tenure by ethnic group is embedded, so the comparison shows the
2021 figures side by side, with no change. Formatting only; the figures are the gaps
engine's (:func:`scorecard.indicators.all_measures`).
"""

from __future__ import annotations

import pandas as pd

from ..gaps import MIN_COUNT, SUPPRESSED
from ..report.text import ratio_text, who
from .selection import Area

TENURES = {"housing_owner_occupied": "Owning their home",
           "housing_social_rented": "Renting from a council or housing association",
           "housing_private_rented": "Renting privately or living rent free"}
GROUPS = ["White British", "Asian", "Black", "Mixed", "Other"]
REFERENCE = "White British"
NO_2011 = ("2021 only: no 2011 table of tenure by ethnic group is embedded, so no change "
           "since 2011 is shown.")
PHRASE = {"who": "households whose reference person is {group}"}


def housing_rows(areas: list[Area], measures: pd.DataFrame | None = None) -> pd.DataFrame:
    """The RM134 measures of the compared LAs and of their countries, unrounded."""
    if measures is None:
        from ..indicators import all_measures

        measures = all_measures()[0]
    codes = [a.code for a in areas if a.level == "la"]
    countries = {"E92000001" if c.startswith("E") else "W92000004" for c in codes}
    rows = measures[measures["measure"].isin(TENURES)
                    & measures["geography_code"].isin([*codes, *sorted(countries)])]
    return rows.reset_index(drop=True)


def _cell(row: pd.Series | None) -> str:
    if row is None or pd.isna(row["value"]):
        return "–"
    if row["numerator"] < MIN_COUNT:
        return SUPPRESSED
    return f"{row['value']:.1f}"


def housing_section(areas: list[Area], rows: pd.DataFrame) -> dict | None:
    """Context of the comparison's housing section: one table per tenure and a sentence per
    LA on home ownership; None when no compared area is a local authority."""
    las = [a for a in areas if a.level == "la"]
    if not las or rows.empty:
        return None
    keyed = rows.set_index(["measure", "geography_code", "ethnicity"])
    order = [(a.code, a.name) for a in las] + sorted(
        rows.loc[rows["geography_level"] == "country", ["geography_code", "geography_name"]]
        .drop_duplicates().itertuples(index=False, name=None))
    tables = []
    for measure, label in TENURES.items():
        lines = []
        for code, name in order:
            cells = [_cell(keyed.loc[(measure, code, g)] if (measure, code, g) in keyed.index
                           else None) for g in GROUPS]
            lines.append({"area": name, "cells": cells, "national": code[1:3] == "92"})
        tables.append({"measure": measure, "label": label, "rows": lines})
    sentences = []
    own = rows[(rows["measure"] == "housing_owner_occupied") & rows["reliable"]
               & (rows["geography_level"] == "lad") & ~rows["flag"].str.contains("count<10")
               & rows["ethnicity"].isin(GROUPS)]
    for area in las:
        part = own[own["geography_code"] == area.code]
        if part.empty:
            continue
        low = part.loc[part["ratio"].idxmin()]
        ref = keyed.loc[("housing_owner_occupied", area.code, REFERENCE)]
        sentences.append(
            f"In {area.name} in 2021, {low['value']:.1f}% of {who(low['ethnicity'], PHRASE)} "
            f"owned their home, against {ref['value']:.1f}% of {who(REFERENCE, PHRASE)}: "
            f"{ratio_text(low['ratio'])} times the rate (95% CI "
            f"{ratio_text(low['ratio_lower'], low['ratio'])} to "
            f"{ratio_text(low['ratio_upper'], low['ratio'])}).")
    return {"groups": GROUPS, "tables": tables, "sentences": sentences, "no_2011": NO_2011,
            "not_las": [a.name for a in areas if a.level != "la"]}


def housing_download(rows: pd.DataFrame) -> pd.DataFrame:
    """The section's figures in the comparison's data.csv form (unrounded)."""
    return pd.DataFrame({
        "section": "housing_2021", "area_code": rows["geography_code"],
        "area_name": rows["geography_name"], "index": rows["measure"],
        "group": rows["ethnicity"], "reference": rows["reference"], "value": rows["value"],
        "lower": rows["lower"], "upper": rows["upper"], "ratio": rows["ratio"],
        "ratio_lower": rows["ratio_lower"], "ratio_upper": rows["ratio_upper"],
        "note": ("households by the ethnic group of the household reference person; "
                 + rows["note"].fillna("")).str.rstrip("; ")})
