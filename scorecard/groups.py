"""Ethnic-group classifications and the mappings between them, read from data files.

``groups.csv`` lists every classification (ONS 2021 19 groups, ONS 2011 18 groups, the
2011 output-area set, the TS022 MSOA set, broad 5, White British vs all others) and
``group_map.csv`` says which group of one classification falls in which group of another.
Code asks these tables; it never spells a list of group names.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from .resources import package_file

DESCRIPTIONS = {
    "ons2021_19": "ONS Census 2021 ethnic group, 19 groups (TS021)",
    "ons2011_18": "ONS Census 2011 ethnic group, 18 groups (QS201EW)",
    "ons2011_oa": "ONS Census 2011 ethnic group at output-area and LSOA level: 14 published "
    "groups (the four Mixed groups combined) and White: Gypsy or Irish Traveller "
    "derived as the rest of the total (KS201EW)",
    "ts022_broad6": "ONS Census 2021 TS022 high-level groups, Black split by background",
    "broad5": "Broad ethnic groups: Asian, Black, Mixed, White, Other",
    "white_british2": "White British and all other ethnic groups",
    "dfe_pupil_18": "Department for Education school census pupil ethnicity, 18 groups "
    "(recorded by schools; Chinese is a group of its own, counted with Asian in the broad "
    "groups)",
}


@cache
def _groups() -> pd.DataFrame:
    return pd.read_csv(package_file("groups.csv"), dtype={"order": int})


@cache
def _group_map() -> pd.DataFrame:
    return pd.read_csv(package_file("group_map.csv"))


def classifications() -> list[str]:
    """Names of every classification known."""
    return list(dict.fromkeys(_groups()["classification"]))


def classification(name: str) -> pd.DataFrame:
    """The groups of one classification in their published order: code, label, short_label."""
    table = _groups()
    rows = table[table["classification"] == name]
    if rows.empty:
        raise KeyError(f"unknown classification {name!r}; known: {', '.join(classifications())}")
    return rows.sort_values("order").reset_index(drop=True)


def codes(name: str) -> list[str]:
    """Group codes of a classification, in published order."""
    return classification(name)["code"].tolist()


def labels(name: str, *, short: bool = False) -> dict[str, str]:
    """Group code → label (the source's wording, or the short form for charts)."""
    rows = classification(name)
    return dict(zip(rows["code"], rows["short_label" if short else "label"], strict=True))


def mapping(source: str, to: str) -> dict[str, str]:
    """Group code in ``source`` → group code in ``to``; raises if ``to`` is not reachable."""
    if source == to:
        return {code: code for code in codes(source)}
    table = _group_map()
    rows = table[(table["from_classification"] == source) & (table["to_classification"] == to)]
    missing = set(codes(source)) - set(rows["from_code"])
    if rows.empty or missing:
        raise KeyError(f"{source} cannot be mapped to {to}")
    return dict(zip(rows["from_code"], rows["to_code"], strict=True))


def can_map(source: str, to: str) -> bool:
    """Whether every group of ``source`` falls in one group of ``to``."""
    try:
        mapping(source, to)
    except KeyError:
        return False
    return True


def map(frame: pd.DataFrame, *, source: str, to: str) -> pd.DataFrame:  # noqa: A001
    """Sum a wide table's group columns from ``source`` into the groups of ``to``.

    Columns that are not groups of ``source`` (unit code, area, total) are kept in front.
    """
    lookup = mapping(source, to)
    group_columns = [c for c in frame.columns if c in lookup]
    target = [c for c in codes(to) if c in {lookup[g] for g in group_columns}]
    membership = np.zeros((len(group_columns), len(target)), dtype=np.int64)
    for i, column in enumerate(group_columns):
        membership[i, target.index(lookup[column])] = 1
    summed = frame[group_columns].to_numpy(dtype=np.int64) @ membership
    other = frame.drop(columns=group_columns)
    return pd.concat([other, pd.DataFrame(summed, columns=target, index=frame.index)], axis=1)


def detect(columns: list[str]) -> str | None:
    """The classification whose group codes are exactly the given columns (order ignored)."""
    wanted = set(columns)
    for name in classifications():
        if set(codes(name)) == wanted:
            return name
    return None
