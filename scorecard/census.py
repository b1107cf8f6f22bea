"""Ethnic-group counts per unit and census year: the embedded tables and user-supplied ones.

Every table, embedded or supplied, passes the same validation and comes back as a
:class:`Counts`: a wide frame (``code, la_code, <group codes…>, total``) with its
classification, year, level and source.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import geography, groups
from .errors import InputError
from .io import FIRST_DATA_ROW, read_table, whole_numbers
from .resources import indicators_file


@dataclass(frozen=True)
class EmbeddedTable:
    file: str
    classification: str
    source: str


EMBEDDED = {
    (2011, "oa"): EmbeddedTable(
        "census2011_oa_ethnic.parquet", "ons2011_oa",
        "ONS Census 2011, KS201EW Ethnic group, output areas"),
    (2011, "lsoa"): EmbeddedTable(
        "census2011_lsoa_ethnic.parquet", "ons2011_oa",
        "ONS Census 2011, KS201EW Ethnic group, LSOAs"),
    (2011, "la"): EmbeddedTable(
        "census2011_la_ethnic.parquet", "ons2011_18",
        "ONS Census 2011, QS201EW Ethnic group, local authorities"),
    (2021, "oa"): EmbeddedTable(
        "census2021_oa_ethnic.parquet", "broad5",
        "ONS Census 2021, TS021 Ethnic group (5 broad groups), output areas"),
    (2021, "lsoa"): EmbeddedTable(
        "census2021_lsoa_ethnic.parquet", "broad5",
        "ONS Census 2021, TS021 Ethnic group (5 broad groups), LSOAs"),
    (2021, "msoa"): EmbeddedTable(
        "census2021_msoa_ethnic.parquet", "ts022_broad6",
        "ONS Census 2021, TS022 Ethnic group (detailed), high-level groups, MSOAs"),
    (2021, "la"): EmbeddedTable(
        "census2021_la_ethnic.parquet", "ons2021_19",
        "ONS Census 2021, TS021 Ethnic group (19 groups), local authorities"),
}


@dataclass(frozen=True)
class Counts:
    """Counts of people by ethnic group in units of one level and year."""

    frame: pd.DataFrame  # code, la_code, <group codes>, total
    classification: str
    year: int
    level: str
    source: str

    @property
    def groups(self) -> list[str]:
        return [c for c in groups.codes(self.classification) if c in self.frame.columns]

    def to(self, classification: str) -> Counts:
        """The same counts in a coarser classification (e.g. broad5, white_british2)."""
        frame = groups.map(self.frame, source=self.classification, to=classification)
        return replace(self, frame=frame[["code", "la_code", *groups.codes(classification),
                                          "total"]], classification=classification)

    def for_authority(self, la_code: str) -> Counts:
        return replace(self, frame=self.frame[self.frame["la_code"] == la_code]
                       .reset_index(drop=True))

    def by_authority(self) -> Counts:
        """The units summed to their LAs."""
        summed = self.frame.groupby("la_code", sort=True)[[*self.groups, "total"]].sum()
        summed = summed.reset_index().rename(columns={"la_code": "code"})
        summed.insert(1, "la_code", summed["code"])
        return replace(self, frame=summed, level="la")

    def long(self) -> pd.DataFrame:
        """Tidy form: code, la_code, group, count."""
        return self.frame.melt(id_vars=["code", "la_code"], value_vars=self.groups,
                               var_name="group", value_name="count")


def available(year: int) -> list[str]:
    """Levels with embedded counts for a census year, finest first."""
    return [level for level in geography.LEVELS if (year, level) in EMBEDDED]


@cache
def load(year: int, level: str) -> Counts:
    """Embedded counts for a census year and level, validated like a user's table."""
    geography.check_year(year)
    table = EMBEDDED.get((year, level))
    if table is None:
        raise InputError(None, None, None, f"no embedded {year} counts at "
                         f"{geography.LEVEL_NAMES.get(level, level)} level; there are: "
                         + ", ".join(available(year)))
    path = indicators_file(table.file)
    frame = pd.read_parquet(path)
    counts = validate(frame, path=str(path), year=year, level=level, source=table.source)
    if counts.classification != table.classification:
        raise InputError(str(path), 1, None, f"expected {table.classification} groups")
    return counts


@cache
def load_as(year: int, level: str, classification: str) -> Counts:
    """Embedded counts in a coarser classification, converted once per process."""
    return load(year, level).to(classification)


@cache
def from_output_areas(year: int, level: str, classification: str = "broad5") -> Counts:
    """Embedded output-area counts summed to LSOAs, MSOAs, wards or LAs of the same census:
    every scale on the same people and groups (OAs nest exactly in each)."""
    oa = load_as(year, "oa", classification)
    if level == "oa":
        return oa
    lookup = geography.oa_lookup(year).set_index("code")
    parent = lookup[level] if level != "la" else lookup["la_code"]
    frame = oa.frame.assign(code=parent.reindex(oa.frame["code"]).to_numpy())
    summed = frame.groupby(["code", "la_code"], sort=True)[[*oa.groups, "total"]].sum()
    plural = {"lsoa": "LSOAs", "msoa": "MSOAs", "la": "local authorities",
              "ward": "census merged wards (2011)" if year == 2011 else "wards (May 2022)"}
    return replace(oa, frame=summed.reset_index(), level=level,
                   source=f"{oa.source}, summed to {plural[level]}")


@cache
def resident_wards(year: int, level: str) -> pd.DataFrame:
    """The ward holding most of the residents of each LSOA or MSOA of a census: an exact sum
    of its output areas by ward (2021: May 2022 wards; 2011: census merged wards), ties to
    the lower ward code. A label for maps and tables (LSOAs and MSOAs are not nested in
    wards). Columns: code, ward_code, ward_name, ward_share (of the unit's residents)."""
    oa = load(year, "oa").frame[["code", "total"]]
    lookup = geography.oa_lookup(year).set_index("code")
    frame = pd.DataFrame({"code": lookup[level].reindex(oa["code"]).to_numpy(),
                          "ward_code": lookup["ward"].reindex(oa["code"]).to_numpy(),
                          "residents": oa["total"].to_numpy()})
    summed = frame.groupby(["code", "ward_code"], sort=True)["residents"].sum().reset_index()
    share = summed["residents"] / summed.groupby("code")["residents"].transform("sum")
    summed["ward_share"] = share.fillna(0.0)
    best = (summed.sort_values(["code", "residents", "ward_code"],
                               ascending=[True, False, True], kind="stable")
            .drop_duplicates("code", ignore_index=True))
    names = geography.units(year, "ward").set_index("code")["name"]
    best["ward_name"] = names.reindex(best["ward_code"]).fillna("").to_numpy(dtype=object)
    return best[["code", "ward_code", "ward_name", "ward_share"]]


def read(path: str | Path, year: int | None = None, *, source: str | None = None) -> Counts:
    """A user's wide counts table (CSV, XLSX or Parquet): one row per unit, one column per group.

    Columns: ``code`` (GSS codes of OAs, LSOAs, MSOAs, wards or LAs), optionally ``la_code``
    (checked against the lookup), ``name`` and ``total`` (checked against the group sum), and
    one column per group, named by group code or ONS label of one classification.
    """
    frame = read_table(path)
    return validate(frame, path=str(path), year=year, level=None,
                    source=source or f"user table {Path(path).name}")


# --------------------------------------------------------------------------- validation


def validate(frame: pd.DataFrame, *, path: str, year: int | None, level: str | None,
             source: str) -> Counts:
    """Check a wide counts table and return it clean, or raise one InputError naming the cell."""
    if "code" not in frame.columns:
        raise InputError(path, 1, "code", "missing column: every table needs a 'code' column "
                         "of GSS unit codes")
    group_columns, classification = _group_columns(frame, path)
    codes = frame["code"].astype(str).str.strip().str.upper()
    _check_codes_present_and_unique(codes, path)
    units, year, level = _place_units(codes, path, year, level)
    counts = pd.DataFrame({"code": codes.to_numpy(), "la_code": units["la_code"].to_numpy()})
    for column, group in group_columns.items():
        counts[group] = whole_numbers(frame[column], path, column)
    counts = counts[["code", "la_code", *[g for g in groups.codes(classification)
                                          if g in counts.columns]]]
    group_sum = counts.iloc[:, 2:].sum(axis=1).to_numpy()
    if "total" in frame.columns:
        total = whole_numbers(frame["total"], path, "total")
        wrong = np.flatnonzero(total != group_sum)
        if len(wrong):
            i = wrong[0]
            raise InputError(path, i + FIRST_DATA_ROW, "total",
                             f"the groups add up to {group_sum[i]:,} but the total is "
                             f"{total[i]:,}")
    counts["total"] = group_sum
    if "la_name" in frame.columns:
        _check_claimed_la(geography.resolve_la_names(frame["la_name"].astype(str), year, path=path,
                                                     column="la_name"), units, path, "la_name")
    if "la_code" in frame.columns:
        claimed = frame["la_code"].astype(str).str.strip().str.upper()
        _check_claimed_la(claimed, units, path, "la_code")
    return Counts(counts, classification, year, level, source)


def _group_columns(frame: pd.DataFrame, path: str) -> tuple[dict[str, str], str]:
    """Map the table's group columns to group codes of the one classification they spell."""
    reserved = {"code", "name", "la_code", "la_name", "total"}
    candidates = [c for c in frame.columns if c not in reserved]
    best: tuple[tuple[int, int], str, dict[str, str]] | None = None
    for name in groups.classifications():
        by_text = {code: code for code in groups.codes(name)}
        by_text.update({label: code for code, label in groups.labels(name).items()})
        found = {c: by_text[c] for c in candidates if c in by_text}
        # Most columns recognised first; among equals, the classification with none missing.
        score = (len(found), -len(set(by_text.values()) - set(found.values())))
        if best is None or score > best[0]:
            best = (score, name, found)
    assert best is not None
    _, classification, found = best
    unknown = [c for c in candidates if c not in found]
    if not found:
        raise InputError(path, 1, candidates[0] if candidates else None,
                         "no column is an ethnic group; name group columns by code or ONS "
                         "label (e.g. asian, black, mixed, white, other)")
    if unknown:
        raise InputError(path, 1, unknown[0], f"not a group of {classification} "
                         f"({groups.DESCRIPTIONS[classification]})")
    if len(set(found.values())) < len(found):
        column = next(c for c in found if list(found.values()).count(found[c]) > 1)
        raise InputError(path, 1, column, "the same group is given twice (by code and label)")
    missing = [g for g in groups.codes(classification) if g not in found.values()]
    if missing:
        raise InputError(path, 1, None, f"missing group column {missing[0]!r} of "
                         f"{classification}: every group of a classification must be given")
    return found, classification


def _check_codes_present_and_unique(codes: pd.Series, path: str) -> None:
    blank = np.flatnonzero((codes == "") | (codes == "NONE") | (codes == "NAN"))
    if len(blank):
        raise InputError(path, blank[0] + FIRST_DATA_ROW, "code", "the unit code is blank")
    repeated = codes.duplicated(keep="first").to_numpy()
    if repeated.any():
        i = int(np.flatnonzero(repeated)[0])
        first = int(np.flatnonzero(codes.to_numpy() == codes.iloc[i])[0])
        raise InputError(path, i + FIRST_DATA_ROW, "code",
                         f"{codes.iloc[i]} appears again (first at row {first + FIRST_DATA_ROW})")


def _place_units(codes: pd.Series, path: str, year: int | None,
                 level: str | None) -> tuple[pd.DataFrame, int, str]:
    """Look every code up among the units of its vintage; infer level (and year) from them."""
    if year is None or level is None:
        all_units = pd.concat([geography.units(y) for y in geography.YEARS], ignore_index=True)
        first = all_units[all_units["code"] == codes.iloc[0]]
        if first.empty:
            raise InputError(path, FIRST_DATA_ROW, "code",
                             f"{codes.iloc[0]} is not an OA, LSOA, MSOA, ward or LA code of "
                             "2011 or 2021")
        if year is None:
            year = max(set(first["year"]))
        if level is None:
            level = first["level"].iloc[0]
    known = geography.units(year, level)
    # Object arrays: hashing plain strings is several times faster than Arrow-backed ones.
    index = pd.Index(known["code"].to_numpy(dtype=object))
    position = index.get_indexer(codes.to_numpy(dtype=object))
    placed = known.iloc[np.maximum(position, 0)].reset_index(drop=True)
    placed.loc[position < 0, ["code", "la_code"]] = None
    placed["code"] = codes.to_numpy()
    missing = np.flatnonzero(position < 0)
    if len(missing):
        all_units = pd.concat([geography.units(y) for y in geography.YEARS], ignore_index=True)
        i = int(missing[0])
        code = codes.iloc[i]
        elsewhere = all_units[all_units["code"] == code]
        if not elsewhere.empty:
            same_year = elsewhere[elsewhere["year"] == year]
            other_year, other_level = (same_year if len(same_year) else elsewhere)[
                ["year", "level"]].iloc[0]
            if other_year != year:
                raise InputError(path, i + FIRST_DATA_ROW, "code",
                                 f"{code} is a {other_year} {geography.LEVEL_NAMES[other_level]}"
                                 f" code but the table is used with {year} boundaries; the "
                                 "table's vintage does not match")
            raise InputError(path, i + FIRST_DATA_ROW, "code",
                             f"{code} is a {geography.LEVEL_NAMES[other_level]}, but the table "
                             f"is of {geography.LEVEL_NAMES[level]}s: one level per table")
        raise InputError(path, i + FIRST_DATA_ROW, "code",
                         f"{code} is not a {year} {geography.LEVEL_NAMES[level]} code")
    return placed, year, level


def _check_claimed_la(claimed: pd.Series, units: pd.DataFrame, path: str, column: str) -> None:
    wrong = np.flatnonzero(claimed.to_numpy() != units["la_code"].to_numpy())
    if len(wrong):
        i = int(wrong[0])
        raise InputError(path, i + FIRST_DATA_ROW, column,
                         f"{units['code'].iloc[i]} lies in {units['la_code'].iloc[i]}, not in "
                         f"the LA it claims ({claimed.iloc[i]})")
