"""The race-equality indicator catalogue, the embedded observations and user-supplied tables.

Seven domains after the Runnymede Trust's Race Equality Scorecard. The catalogue
(``indicators/catalogue.csv``) says for each indicator what it measures, its source, level,
reference group and caveats, and which embedded table holds it (empty: a user must supply
it). Embedded observations are tidy (one row per area × group × period × measure); a user
table in the template's form (``indicators/template.csv``) is validated by
:func:`validate_user_table` and joins them. :func:`gaps_for` returns one LA's scorecard table.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import gaps, geography
from .errors import InputError
from .io import read_table
from .resources import indicators_file

__all__ = ["DOMAINS", "catalogue", "observations", "area_lookup", "validate_user_table",
           "user_observations", "all_measures", "gaps_for"]

DOMAINS = {  # id → heading, in the order of the Runnymede scorecards
    "education": "Education",
    "employment": "Employment",
    "housing": "Housing",
    "health": "Health",
    "criminal_justice": "Criminal justice",
    "civic_participation": "Civic participation",
    "bme_voluntary_sector": "Support for the BME voluntary sector",
}
# Catalogue columns that shape the words: what the numerator counts when it counts events
# rather than people ("searches"), "yes" for a crude rate that is never headlined, and a
# note on how the source groups people (said wherever the figure is shown).
WORDING_COLUMNS = ("events", "crude", "group_note")
DOMAIN_NOTES = {  # said under a domain heading that keeps Runnymede's wording
    "bme_voluntary_sector": "BME stands for Black and minority ethnic, the term of the "
                            "Runnymede Trust's Race Equality Scorecard for this domain; "
                            "elsewhere this page names each ethnic group.",
}
NATIONAL = {"K04000001": "England and Wales", "E92000001": "England", "W92000004": "Wales"}
YEAR = 2021  # the LA codes of the observations (2021 = 2022 in England and Wales)

TEMPLATE_COLUMNS = ["la_code", "period", "domain", "indicator", "ethnic_group", "numerator",
                    "denominator", "value", "lower", "upper", "reference", "unit", "name",
                    "source", "note"]
REQUIRED = TEMPLATE_COLUMNS[:5]
DESCRIBED = ["name", "source", "note"]  # optional words about an indicator, one per indicator
USER_SOURCE = "your table"
USER_CAVEAT = "Supplied with the table; not checked against a published source."
NUMBERS = ["numerator", "denominator", "value", "lower", "upper"]
SUPPRESSED_MARKS = {"x", "c", "z", "u", "..", ".", ":", "*", "-", "–", "~", "n/a", "na",
                    "[c]", "[x]", "[z]", "[u]", "[low]", "suppressed", "supp"}
COUNT_UNITS = {"percent": ("proportion", 100.0), "per 100": ("rate", 100.0),
               "per 1,000": ("rate", 1e3), "per 10,000": ("rate", 1e4),
               "per 100,000": ("rate", 1e5)}  # unit of counts → kind, scale
UNIT_ALIASES = {"%": "percent", "per cent": "percent", "per 1000": "per 1,000",
                "per 10000": "per 10,000", "per 100000": "per 100,000"}


@cache
def catalogue() -> pd.DataFrame:
    """One row per indicator: id, domain, name, source, …, kind, scale (float), file."""
    table = pd.read_csv(indicators_file("catalogue.csv"), dtype=str, keep_default_na=False)
    for column in WORDING_COLUMNS:  # optional wording columns: empty when absent
        if column not in table:
            table[column] = ""
    table = table.fillna("")
    table["scale"] = table["scale"].astype(float)
    table["domain_name"] = table["domain"].map(DOMAINS)
    return table


@cache
def area_lookup() -> pd.DataFrame:
    """Each 2021 LAD's upper-tier LA (for education) and police force area."""
    return pd.read_parquet(indicators_file("ind_area_lookup.parquet"))


@cache
def source_gaps() -> pd.DataFrame:
    """Known gaps in the sources (``indicators/source_gaps.csv``): measure, area_code (a
    police force area or LA; a force area covers its LAs too), first and last period, and
    the reason. Figures in them are missing, not small: published as ``[x]``."""
    return pd.read_csv(indicators_file("source_gaps.csv"), dtype=str, keep_default_na=False)


def mark_source_gaps(obs: pd.DataFrame) -> pd.DataFrame:
    """``obs`` with an ``unavailable`` column: the reason a row falls in a known source gap,
    '' otherwise."""
    out = obs.assign(unavailable="")
    pfa = area_lookup().set_index("lad_code")["pfa_code"]
    force = out["geography_code"].map(pfa).fillna("")
    for gap in source_gaps().itertuples(index=False):
        inside = ((out["measure"] == gap.measure)
                  & ((out["geography_code"] == gap.area_code) | (force == gap.area_code))
                  & (out["time"].astype(str) >= gap.first_period)
                  & (out["time"].astype(str) <= gap.last_period))
        out.loc[inside, "unavailable"] = gap.reason
    return out


@cache
def observations() -> pd.DataFrame:
    """All embedded observations, in the tidy form of scripts/build_indicators.py, with the
    known source gaps marked (:func:`mark_source_gaps`)."""
    files = sorted(set(catalogue()["file"]) - {""})
    return mark_source_gaps(pd.concat([pd.read_parquet(indicators_file(f)) for f in files],
                                      ignore_index=True))


def _area_names() -> dict[str, tuple[str, str]]:
    """Code → (name, level) for every area a user table may name."""
    names = {code: (name, "country") for code, name in NATIONAL.items()}
    lookup = area_lookup()
    names |= {c: (n, "utla") for c, n in zip(lookup["utla_code"], lookup["utla_name"],
                                               strict=True) if c.startswith("E10")}
    las = geography.authorities(YEAR)
    names |= {c: (n, "lad") for c, n in zip(las["code"], las["name"], strict=True)}
    return names


def _user_words(table: pd.DataFrame) -> pd.DataFrame:
    """Per indicator of a user table: its name, source line, note and periods."""
    first = table.groupby("indicator", sort=False)[DESCRIBED].first()
    periods = table.groupby("indicator", sort=False)["period"].agg(
        lambda p: ", ".join(sorted(set(p))))
    return first.assign(periods=periods)


def user_observations(table: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A validated user table as observations, and catalogue rows for its indicators: new
    ones in full, catalogued ones with the source, period and note the table gives."""
    names = _area_names()
    obs = pd.DataFrame({
        "measure": table["indicator"], "geography_code": table["la_code"],
        "geography_name": table["la_code"].map(lambda c: names[c][0]),
        "geography_level": table["la_code"].map(lambda c: names[c][1]),
        "time": table["period"], "ethnicity": table["ethnic_group"],
        "numerator": table["numerator"], "denominator": table["denominator"],
        "value": table["value"], "lower": table["lower"], "upper": table["upper"],
        "note": ""})
    words = _user_words(table)
    cat = catalogue().set_index("id")
    firsts = table.drop_duplicates("indicator").set_index("indicator")
    known = firsts.index.isin(cat.index)
    rows = pd.DataFrame({
        "id": firsts.index, "domain": firsts["domain"].to_numpy(),
        "name": words["name"].where(words["name"] != "", words.index).to_numpy(),
        "source": words["source"].where(words["source"] != "", USER_SOURCE).to_numpy(),
        "reference": firsts["reference"].to_numpy(), "higher_is": "neither",
        "unit": firsts["unit"].to_numpy(), "kind": firsts["kind"].to_numpy(),
        "scale": firsts["scale"].to_numpy(dtype=float), "file": "",
        "caveats": words["note"].where(words["note"] != "", USER_CAVEAT).to_numpy(),
        "year": words["periods"].to_numpy(), "geography_level": "", "user_supply": "",
        "user_supply_wales": "", "subjects": "", "who": "", "likely_to": "",
        **{column: "" for column in WORDING_COLUMNS}, "from_user": True})
    for column in ("subjects", "who", "likely_to", "higher_is", "geography_level",
                   "numerator", "denominator", "ethnic_classification", "user_supply",
                   "user_supply_wales"):
        if column in cat:  # a catalogued indicator keeps its own words about who is counted
            rows.loc[known, column] = firsts.index[known].map(cat[column]).to_numpy()
    rows.loc[known, "name"] = np.where(words["name"][known] != "", words["name"][known],
                                       firsts.index[known].map(cat["name"]))
    rows["domain_name"] = rows["domain"].map(DOMAINS)
    return obs, rows


def _combined(extra_tables: Sequence[Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    cat, obs = catalogue(), observations()
    keys = ["measure", "geography_code", "time", "ethnicity"]
    for path in extra_tables:
        user_obs, user_cat = user_observations(validate_user_table(path))
        clash = user_obs.merge(obs[keys], on=keys)
        if len(clash):
            first = clash.iloc[0]
            raise InputError(str(path), None, "indicator",
                             f"{first['measure']!r} for {first['geography_code']}, "
                             f"{first['time']}, {first['ethnicity']!r} is already given by "
                             "an earlier table")
        # The table's own rows describe its indicators, catalogued ones included: their
        # source, periods and notes are the table's, not the catalogue's "not embedded".
        cat = pd.concat([cat[~cat["id"].isin(user_cat["id"])], user_cat], ignore_index=True)
        obs = pd.concat([obs, user_obs], ignore_index=True)
    return cat, obs


@cache
def _embedded_measures() -> pd.DataFrame:
    return gaps.add_context(gaps.measures(observations(), catalogue()))


def all_measures(extra_tables: Sequence[Path] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The measures table (:data:`scorecard.gaps.COLUMNS` + context) for every area, and the
    catalogue it was computed with (embedded, plus any new indicators of the user tables)."""
    if not extra_tables:
        return _embedded_measures().copy(), catalogue().copy()
    cat, obs = _combined([Path(p) for p in extra_tables])
    return gaps.add_context(gaps.measures(obs, cat)), cat


def police_area(name: str) -> str:
    """A police force area as a reader says it: 'Metropolitan Police' → 'the Metropolitan
    Police area', 'London, City of' → 'the City of London Police area', 'Devon & Cornwall'
    → 'the Devon and Cornwall Police area'."""
    name = re.sub(r"^(.*), City of$", r"City of \1", name.strip()).replace(" & ", " and ")
    return f"the {name if name.endswith('Police') else name + ' Police'} area"


def place(name: str, level: str) -> str:
    """The area of a figure as words: police force areas as :func:`police_area`, others
    by name."""
    return police_area(name) if level == "pfa" else name


def _areas_of(la: pd.Series) -> pd.DataFrame:
    """The areas whose figures an LA's scorecard shows, with a note for borrowed ones."""
    code, name = la["code"], la["name"]
    row = area_lookup().set_index("lad_code").loc[code]
    areas = [(code, "")]
    if row["utla_code"] != code:
        how = row["utla_note"] if row["utla_note"].startswith("the former") else (
            "the county (upper-tier) council area")
        areas.append((row["utla_code"], f"figure for {row['utla_name']}, {how}, which "
                                        f"includes {name}; no figure is published for {name}"))
    areas.append((row["pfa_code"], f"figure for {police_area(row['pfa_name'])}, "
                                   f"which includes {name}"))
    return pd.DataFrame(areas, columns=["geography_code", "area_note"])


def _missing_rows(found: pd.DataFrame, cat: pd.DataFrame, la: pd.Series,
                  in_source: str | None = None) -> pd.DataFrame:
    """A row with no value and a note for every indicator the LA has no figure for
    (``in_source``: the note when the embedded source has the indicator but not the area)."""
    missing = cat[~cat["id"].isin(found["measure"])]
    source_note = in_source or f"no data for {la['name']} in the source"
    supply = "no data: not in the embedded data; a table you could supply: "
    supply_text = missing["user_supply"].fillna("")
    from_user = missing.get("from_user", pd.Series(False, index=missing.index))
    in_yours = f"no data for {la['name']} in your table"
    why = np.where(from_user.fillna(False).astype(bool),
                   np.where(supply_text != "", in_yours + "; a table you could supply: "
                            + supply_text, in_yours),
                   np.where(missing["file"] == "", supply + supply_text,
                            np.where(supply_text != "",
                                     f"{source_note}; a table you could supply: "
                                     + supply_text, source_note)))
    return pd.DataFrame({"measure": missing["id"], "geography_code": la["code"],
                         "geography_name": la["name"], "reference": missing["reference"],
                         "unit": missing["unit"], "reliable": False, "flag": "", "note": why})


def supply_for(cat: pd.DataFrame, la_code: str) -> pd.Series:
    """The table a user could supply for each indicator: a Welsh source for a Welsh LA
    where the catalogue names one (education, homelessness and the rest are devolved)."""
    english = cat["user_supply"].fillna("")
    if not la_code.startswith("W") or "user_supply_wales" not in cat:
        return english
    welsh = cat["user_supply_wales"].fillna("")
    return welsh.where(welsh != "", english)


def gaps_for(la_code: str, extra_tables: Sequence[Path] = (), *,
             measures: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> pd.DataFrame:
    """One LA's race-equality table: every indicator, group and period, with gaps.

    ``la_code``: a 2021 LA code or name. ``extra_tables``: user tables in the template's
    form (CSV, XLSX or Parquet), validated first (InputError names file, row and column).
    ``measures``: the result of :func:`all_measures` for those tables, when the caller
    builds many LAs and computes it once.
    Columns: those of :data:`scorecard.gaps.COLUMNS`, the national figure and the LA's rank
    (see :func:`scorecard.gaps.add_context`), ``area_note`` (set when the figure is its
    county's or police force area's) and the catalogue's domain, domain_name, name,
    higher_is, source, year and caveats. An indicator with no figure for the LA is one row
    with an empty value and a note saying why. Values are unrounded (the download form);
    :func:`scorecard.gaps.published` gives the rounded, suppressed form for publication.
    """
    la = geography.find_authority(la_code, YEAR)
    return _gaps(la, _areas_of(la), extra_tables, measures)


def gaps_for_county(county_code: str, extra_tables: Sequence[Path] = (), *,
                    measures: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> pd.DataFrame:
    """A county council's race-equality table, as :func:`gaps_for`: the figures published
    for the county itself (education, by upper-tier area) and for its police force area when
    all its districts share one. District figures are not summed into a county figure (the
    sources publish rates and ratios, not the counts a sum needs): such an indicator is a
    row with no value and a note saying so."""
    la = geography.county_row(county_code)
    _, districts = geography.county_districts()[county_code]
    rows = area_lookup().set_index("lad_code").loc[districts]
    obs, cat = _combined([Path(p) for p in extra_tables]) if extra_tables else (
        observations(), catalogue())
    summed = summed_districts(obs, county_code, la["name"], districts)
    if len(summed):
        national = obs[(obs["geography_level"] == "country")
                       & obs["measure"].isin(set(summed["measure"]))]
        table, _ = measures if measures is not None else all_measures(extra_tables)
        own = gaps.add_context(gaps.measures(pd.concat([summed, national], ignore_index=True),
                                             cat))
        own = own[own["geography_code"] == county_code]
        measures = (pd.concat([table, own], ignore_index=True), cat)
    areas = [(county_code, "")]
    if rows["pfa_code"].nunique() == 1:
        areas.append((rows["pfa_code"].iloc[0], f"figure for "
                      f"{police_area(rows['pfa_name'].iloc[0])}, which includes {la['name']}"))
    missing = (f"no figure for {la['name']} as a whole: the source publishes this indicator "
               "for districts as rates without their counts, which cannot be summed (each "
               "district's scorecard has its figure)")
    return _gaps(la, pd.DataFrame(areas, columns=["geography_code", "area_note"]),
                 extra_tables, measures, missing=missing)


def summed_districts(obs: pd.DataFrame, code: str, name: str,
                     districts: list[str]) -> pd.DataFrame:
    """Observations of an area of whole districts (a county council): each count-based
    district indicator (numerator and denominator, no published rate) summed over the
    districts, where every district has it for that period and group."""
    keys = ["measure", "time", "ethnicity"]
    published = set(obs.loc[obs["geography_code"] == code, "measure"])
    rows = obs[obs["geography_code"].isin(districts) & ~obs["measure"].isin(published)
               & obs["value"].isna()
               & obs["numerator"].notna() & obs["denominator"].notna()]
    rows = rows.assign(unavailable=rows.get("unavailable", pd.Series("", index=rows.index))
                       .fillna(""))
    # A district in a known source gap leaves the sum incomplete: the county's row is too.
    summed = rows.groupby(keys, sort=False).agg(
        numerator=("numerator", "sum"), denominator=("denominator", "sum"),
        unavailable=("unavailable", "max"), n=("geography_code", "nunique")).reset_index()
    summed = summed[summed["n"] == len(districts)].drop(columns="n")
    summed = summed.assign(geography_code=code, geography_name=name, geography_level="utla",
                           note=f"sum of the {len(districts)} districts' counts")
    return summed.reindex(columns=obs.columns)


def _gaps(la: pd.Series, areas: pd.DataFrame, extra_tables: Sequence[Path],
          measures: tuple[pd.DataFrame, pd.DataFrame] | None,
          missing: str | None = None) -> pd.DataFrame:
    table, cat = measures if measures is not None else all_measures(extra_tables)
    cat = cat.assign(user_supply=supply_for(cat, la["code"]))
    found = table.merge(areas, on="geography_code")
    found = pd.concat([found, _missing_rows(found, cat, la, missing)], ignore_index=True)
    found["area_note"] = found["area_note"].fillna("")
    found["reliable"] = found["reliable"].astype(bool)
    info = cat.set_index("id").reindex(columns=[
        "domain", "domain_name", "name", "higher_is", "source", "year", "caveats", "subjects",
        "who", "likely_to", "kind", "user_supply", *WORDING_COLUMNS]).fillna("")
    found = found.join(info, on="measure")
    order = {d: i for i, d in enumerate(DOMAINS)}
    found["_order"] = found["domain"].map(order)
    found["_position"] = found["measure"].map({m: i for i, m in enumerate(cat["id"])})
    return (found.sort_values(["_order", "_position", "time", "ethnicity"],
                              na_position="first")
            .drop(columns=["_order", "_position"]).reset_index(drop=True))


# ---------------------------------------------------------------------------------------
# User tables


def _fail(path: str, rows: pd.Series | pd.Index, column: str | None, message: str):
    """Raise an InputError at the first row flagged (``rows``: spreadsheet row numbers)."""
    row = int(rows[0]) if len(rows) else None
    raise InputError(path, row, column, message)


def _columns(raw: pd.DataFrame, path: str) -> pd.DataFrame:
    columns = {c: c.strip().lower().replace(" ", "_") for c in raw.columns}
    raw = raw.rename(columns=columns)
    unknown = [c for c in raw.columns if c not in TEMPLATE_COLUMNS]
    if unknown:
        raise InputError(path, 1, unknown[0], "unknown column; the template's columns are "
                         + ", ".join(TEMPLATE_COLUMNS))
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise InputError(path, 1, missing[0], "missing column (see indicators/template.csv)")
    if "value" not in raw and not {"numerator", "denominator"} <= set(raw.columns):
        raise InputError(path, 1, "numerator" if "denominator" in raw else "denominator",
                         "missing column: give numerator and denominator, or value")
    for column in TEMPLATE_COLUMNS:
        if column not in raw:
            raw[column] = ""
    raw = raw[TEMPLATE_COLUMNS].fillna("").astype(str)
    raw.index = pd.RangeIndex(2, len(raw) + 2)  # spreadsheet rows: the header is row 1
    return raw


def _number_column(t: pd.DataFrame, column: str, path: str) -> pd.Series:
    """Text → float: blank is NaN; thousands separators are accepted; markers are not."""
    text = t[column].str.strip()
    marked = text.str.lower().isin(SUPPRESSED_MARKS)
    if marked.any():
        _fail(path, t.index[marked], column,
              f"{text[marked].iloc[0]!r} marks a suppressed or unavailable figure; leave "
              "out the row (or the whole group) instead of a marker")
    plain = text.str.replace(r"^(-?\d{1,3}(,\d{3})+)(\.\d+)?$",
                             lambda m: m.group(0).replace(",", ""), regex=True)
    number = pd.to_numeric(plain.where(plain != ""), errors="coerce")
    bad = (plain != "") & (number.isna() | ~np.isfinite(number.fillna(0)))
    if bad.any():
        _fail(path, t.index[bad], column, f"{text[bad].iloc[0]!r} is not a number")
    if (number < 0).any():
        _fail(path, t.index[number < 0], column, "negative numbers are not allowed")
    return number.astype(float)


def _period(t: pd.DataFrame, path: str) -> pd.Series:
    """'2021' (calendar) or '2021/22' (financial or academic; '2021-22' is accepted too)."""
    parts = t["period"].str.extract(r"^(\d{4})(?:\.0)?(?:[/-](\d{2}|\d{4}))?$")
    bad = parts[0].isna()
    if bad.any():
        _fail(path, t.index[bad], "period", f"{t['period'][bad].iloc[0]!r} is not a period; "
              "write a year (2021) or a financial or academic year (2021/22)")
    start = parts[0].astype(float)
    end = parts[1].fillna("").str[-2:]
    wrong = (end != "") & (end != ((start + 1) % 100).map(lambda y: f"{int(y):02d}"))
    if wrong.any():
        _fail(path, t.index[wrong], "period", f"{t['period'][wrong].iloc[0]!r} does not span "
              "two consecutive years")
    return np.where(end == "", parts[0], parts[0] + "/" + end)


def _codes(t: pd.DataFrame, path: str) -> pd.Series:
    codes = t["la_code"].str.upper().str.strip()
    known = _area_names()
    bad = ~codes.isin(known)
    if bad.any():
        code = codes[bad].iloc[0]
        hint = (" (a 2011 code; use the 2021 code)" if code in
                set(geography.authorities(2011)["code"]) else
                "; use a 2021 LA code (E06, E07, E08, E09, W06), a county (E10) or "
                "E92000001 / W92000004 / K04000001")
        _fail(path, t.index[bad], "la_code", f"{t['la_code'][bad].iloc[0]!r} is not a "
              f"local authority code{hint}")
    return codes


def _domains(t: pd.DataFrame, path: str) -> pd.Series:
    names = {k: k for k in DOMAINS} | {v.lower(): k for k, v in DOMAINS.items()}
    names |= {k.replace("_", " "): k for k in DOMAINS}
    domain = t["domain"].str.strip().str.lower().map(names)
    bad = domain.isna()
    if bad.any():
        _fail(path, t.index[bad], "domain", f"{t['domain'][bad].iloc[0]!r} is not a domain; "
              "use one of " + ", ".join(DOMAINS))
    return domain


def _clean(raw: pd.DataFrame, path: str) -> pd.DataFrame:
    t = raw.map(str.strip)
    for column in REQUIRED:
        empty = t[column] == ""
        if empty.any():
            _fail(path, t.index[empty], column, "empty cell")
    bad = ~t["indicator"].str.fullmatch(r"[a-z][a-z0-9_]*")
    if bad.any():
        _fail(path, t.index[bad], "indicator", f"{t['indicator'][bad].iloc[0]!r}: an "
              "indicator id is lower-case letters, digits and _ (e.g. employment_rate)")
    t["la_code"], t["domain"] = _codes(t, path), _domains(t, path)
    t["period"] = _period(t, path)
    for column in NUMBERS:
        t[column] = _number_column(t, column, path)
    return t


def _row_shape(t: pd.DataFrame, path: str) -> pd.Series:
    """Each row is counts (numerator and denominator) or a value, never both or neither."""
    has = t[NUMBERS].notna()
    one = has["numerator"] ^ has["denominator"]
    if one.any():
        column = "denominator" if has["numerator"][one].iloc[0] else "numerator"
        _fail(path, t.index[one], column, "numerator and denominator go together; one is empty")
    counts = has["numerator"]
    both, neither = counts & has["value"], ~counts & ~has["value"]
    if both.any():
        _fail(path, t.index[both], "value", "give numerator and denominator, or value, not both")
    if neither.any():
        _fail(path, t.index[neither], "value", "no figure: give numerator and denominator, or "
              "value (leave out rows of suppressed figures)")
    half = has["lower"] ^ has["upper"]
    if half.any():
        _fail(path, t.index[half], "upper" if has["lower"][half].iloc[0] else "lower",
              "lower and upper go together")
    if (counts & has["lower"]).any():
        _fail(path, t.index[counts & has["lower"]], "lower", "lower and upper belong to a value; "
              "for counts the interval is computed")
    return counts


def _within(t: pd.DataFrame, path: str, column: str, what: str,
            shown: pd.Series | None = None) -> None:
    """Every row of an indicator has the same ``column``; ``shown`` names, per row, the
    user's column to point at when ``column`` is derived (never an internal name)."""
    first = t.groupby("indicator")[column].transform("first")
    bad = t[column] != first
    if bad.any():
        row = t[bad].iloc[0]
        where = column if shown is None else shown[bad].iloc[0]
        _fail(path, t.index[bad], where, f"{str(row[column])!r} differs from "
              f"{str(first[bad].iloc[0])!r} in an earlier row of indicator "
              f"{row['indicator']!r}: {what}")


def _kinds(t: pd.DataFrame, counts: pd.Series, path: str) -> pd.DataFrame:
    """Kind, scale and unit per row: the catalogue's, or from the table's own unit."""
    cat = catalogue().set_index("id")
    embedded = t["indicator"].map(cat["file"]).fillna("") != ""
    if embedded.any():
        _fail(path, t.index[embedded], "indicator", f"{t['indicator'][embedded].iloc[0]!r} is "
              "embedded already; give your own figures a new indicator id")
    listed = t["indicator"].isin(cat.index)
    unit = t["unit"].str.lower()
    t["unit"] = unit.map(UNIT_ALIASES).fillna(unit)
    clash = listed & (t["unit"] != "") & (t["unit"] != t["indicator"].map(cat["unit"]))
    if clash.any():
        wanted = t["indicator"][clash].map(cat["unit"]).iloc[0]
        _fail(path, t.index[clash], "unit", f"the catalogue's unit for "
              f"{t['indicator'][clash].iloc[0]!r} is {wanted!r}")
    _described(t, listed, path)
    t.loc[counts & (t["unit"] == ""), "unit"] = "percent"
    unit_kind = t["unit"].map(COUNT_UNITS)
    bad = counts & ~listed & unit_kind.isna()
    if bad.any():
        _fail(path, t.index[bad], "unit", f"{t['unit'][bad].iloc[0]!r}: for counts use percent, "
              "per 100, per 1,000, per 10,000 or per 100,000")
    t["kind"] = np.where(counts, unit_kind.map(lambda k: k[0], na_action="ignore"), "value")
    t["scale"] = np.where(counts, unit_kind.map(lambda k: k[1], na_action="ignore"), 1.0)
    for column in ("kind", "scale", "unit"):
        t[column] = t["indicator"].map(cat[column]).where(listed, t[column])
    expects = t["kind"].isin(["proportion", "rate"])
    wrong = listed & (expects != counts)
    if wrong.any():
        _fail(path, t.index[wrong], "value" if counts[wrong].iloc[0] else "numerator",
              f"the catalogue's indicator {t['indicator'][wrong].iloc[0]!r} is given as "
              + ("numerator and denominator" if expects[wrong].iloc[0] else "a value")
              + ", not as " + ("a value" if expects[wrong].iloc[0] else "counts"))
    return t


def _described(t: pd.DataFrame, listed: pd.Series, path: str) -> None:
    """A new indicator (an id not in the catalogue) says what it is: a name and a unit."""
    for column, example in (("name", "Councillors per 100,000 adult residents"),
                            ("unit", "percent, per 1,000, per 100,000 or points")):
        given = t.groupby("indicator")[column].transform(lambda v: (v != "").any())
        bad = ~listed & ~given
        if bad.any():
            indicator = t["indicator"][bad].iloc[0]
            hint = _did_you_mean(indicator)
            _fail(path, t.index[bad], column, f"{indicator!r} is not in the catalogue, so "
                  f"its rows need a {column} column (e.g. {example}){hint}")


def _did_you_mean(indicator: str) -> str:
    """'; did you mean 'civic_councillors' (Councillors per 100,000 …)?' or ''."""
    cat = catalogue()
    ids = cat["id"].tolist()
    close = difflib.get_close_matches(indicator, ids, n=1, cutoff=0.6)
    if not close:  # a shared word: councillors_per_100k → civic_councillors
        words = {w for w in indicator.split("_") if len(w) > 3}
        close = [i for i in ids if words & {w for w in i.split("_") if len(w) > 3}][:1]
    if not close:
        return ""
    name = cat.set_index("id").loc[close[0], "name"]
    return f"; did you mean {close[0]!r} ({name})?"


def user_table_warnings(table: pd.DataFrame) -> list[str]:
    """Plain warnings about a valid user table: indicator ids not in the catalogue (with a
    did-you-mean), which are shown as new indicators under the table's own name."""
    known = set(catalogue()["id"])
    warnings = []
    for indicator, rows in table.groupby("indicator", sort=False):
        if indicator in known:
            continue
        name = rows["name"].iloc[0]
        warnings.append(f"indicator {indicator!r} is not in the catalogue, so it is shown "
                        f"as a new indicator, {name!r} ({rows['unit'].iloc[0]})"
                        f"{_did_you_mean(indicator)}")
    return warnings


def _references(t: pd.DataFrame, path: str) -> pd.Series:
    """The comparison group: the catalogue's, the table's own, or White / White British."""
    cat = catalogue().set_index("id")["reference"]
    listed = t["indicator"].isin(cat.index)
    given = t["reference"]
    clash = listed & (given != "") & (given != t["indicator"].map(cat))
    if clash.any():
        _fail(path, t.index[clash], "reference", "the catalogue's reference group for "
              f"{t['indicator'][clash].iloc[0]!r} is {t['indicator'][clash].map(cat).iloc[0]!r}")
    groups = t.groupby("indicator")["ethnic_group"].agg(set)
    default = groups.map(lambda g: "White" if "White" in g else
                         "White British" if "White British" in g else "")
    reference = given.where(given != "", t["indicator"].map(default))
    reference = reference.where(~listed, t["indicator"].map(cat))
    present = pd.Series([r in groups[i] for r, i in zip(reference, t["indicator"], strict=True)],
                        index=t.index)
    absent = (reference != "") & ~present
    unset = (reference == "") & ~listed
    if unset.any():
        _fail(path, t.index[unset], "reference", f"indicator {t['indicator'][unset].iloc[0]!r} "
              "has no White or White British rows: name its comparison group in a reference "
              "column")
    if absent.any():
        whose = "the catalogue's reference group" if listed[absent].iloc[0] else \
            "the reference group"
        _fail(path, t.index[absent], "ethnic_group" if listed[absent].iloc[0] else "reference",
              f"{whose} {reference[absent].iloc[0]!r} has no rows in indicator "
              f"{t['indicator'][absent].iloc[0]!r}: add its rows, which every gap is "
              "measured against")
    keys = [t["indicator"], t["la_code"], t["period"]]
    # An indicator without a reference group (a catalogued share of money) compares nothing.
    alone = ~(t["ethnic_group"] == reference).groupby(keys).transform("any") & (reference != "")
    if alone.any():
        row = t[alone].iloc[0]
        _fail(path, t.index[alone], "ethnic_group", f"indicator {row['indicator']!r} has no "
              f"row of its reference group {reference[alone].iloc[0]!r} for {row['la_code']} "
              f"in {row['period']}: add it, or leave out that area and period")
    return reference


def _consistent(t: pd.DataFrame, counts: pd.Series, path: str) -> None:
    t = t.assign(_basis=np.where(counts, "counts", "value"),
                 _form=np.where(t["period"].str.len() == 4, "calendar year", "two-year period"))
    _within(t, path, "domain", "an indicator belongs to one domain")
    _within(t, path, "_form", "periods of one indicator must all be years or all be 2021/22",
            shown=pd.Series("period", index=t.index))
    _within(t, path, "_basis", "one indicator is all counts or all values",
            shown=pd.Series(np.where(counts, "numerator", "value"), index=t.index))
    _within(t, path, "reference", "one reference group per indicator")
    _within(t, path, "unit", "one unit per indicator")



def _fill_down(t: pd.DataFrame, path: str) -> None:
    """Name, source, note and unit are said once per indicator: blank cells take the
    indicator's value from another row; two different values are an error."""
    for column in [*DESCRIBED, "unit"]:
        given = t[t[column] != ""]
        _within(given, path, column, f"one {column} per indicator (blank cells are fine)")
        first = given.groupby("indicator")[column].first().astype(object)
        t[column] = t[column].where(t[column] != "",
                                    t["indicator"].map(first).astype(object).fillna(""))


def _values(t: pd.DataFrame, path: str) -> None:
    zero = t["denominator"] == 0
    if zero.any():
        _fail(path, t.index[zero], "denominator", "the denominator is 0")
    over = (t["kind"] == "proportion") & (t["numerator"] > t["denominator"])
    if over.any():
        _fail(path, t.index[over], "numerator", "the numerator is larger than the denominator")
    outside = (t["lower"] > t["value"]) | (t["upper"] < t["value"])
    if outside.any():
        _fail(path, t.index[outside], "lower" if (t["lower"] > t["value"])[outside].iloc[0]
              else "upper", "the value lies outside its interval (lower ≤ value ≤ upper)")
    keys = ["la_code", "period", "indicator", "_group"]
    folded = t.assign(_group=t["ethnic_group"].str.casefold())
    twice = folded.duplicated(keys)
    if twice.any():
        row = folded[twice].iloc[0]
        earlier = folded.index[(folded[keys] == row[keys]).all(axis=1)][0]
        _fail(path, t.index[twice], "ethnic_group",
              f"duplicated row: {row['la_code']}, {row['period']}, {row['indicator']}, "
              f"{row['ethnic_group']!r} is already in row {earlier} (group names are compared "
              "ignoring case)")


def validate_user_table(path: str | Path) -> pd.DataFrame:
    """Read and check a user's indicator table in the template's form; return it tidy.

    Columns (see ``indicators/template.csv``): la_code (2021 LA code, county E10 code or
    E92000001 / W92000004 / K04000001), period (2021 or 2021/22), domain (one of
    :data:`DOMAINS`, id or heading), indicator (an id; a catalogue id fills that row),
    ethnic_group, then numerator and denominator, or value with optional lower and upper;
    optional reference (the comparison group, default White or White British) and unit
    (percent, per 1,000, …). CSV (a UTF-8 byte-order mark is fine), XLSX or Parquet.
    Any problem raises :class:`InputError` naming the file, spreadsheet row and column.
    Returns the template columns cleaned (numbers as floats) plus kind and scale.
    """
    name = str(path)
    t = _clean(_columns(read_table(path), name), name)
    _fill_down(t, name)
    counts = _row_shape(t, name)
    t = _kinds(t, counts, name)
    t["reference"] = _references(t, name)
    _consistent(t, counts, name)
    _values(t, name)
    t["scale"] = t["scale"].astype(float)
    t = t.reset_index(drop=True)
    t.attrs["warnings"] = user_table_warnings(t)
    return t
