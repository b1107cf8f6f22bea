"""All school results for every area at once: the per-school table and the tidy summary.

Pure: takes the schools frame, the small-area table and the names of the areas, returns
frames. ``scorecard.schools.national`` loads the inputs and calls :func:`school_results`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import groups
from ..segregation.twogroup import Units, two_group
from . import data, indices, nearest, neighbourhoods

SUMMARY_COLUMNS = ["area_code", "area_name", "area_level", "year", "unit_level", "phase",
                   "schools", "index", "group", "reference", "value", "lower", "upper",
                   "expected", "rank", "n_ranked", "n_units", "note"]
CLASSIFIED_PHASES = ("primary", "secondary")
# Units of D across neighbourhoods, as the pages and tables name them.
NEIGHBOURHOOD_WORDS = {"oa": "output areas", "lsoa": "LSOAs", "msoa": "MSOAs", "ward": "wards"}
MEASURES = {"white_british": ("white_british", "pupils"), "fsm": ("fsm", "fsm_pupils")}


@dataclass(frozen=True)
class SchoolResults:
    """``schools``: one row per school (wide); ``summary``: tidy rows per area; ``cells``:
    the table of units behind the indices, kept to add intervals for chosen areas."""

    schools: pd.DataFrame
    summary: pd.DataFrame
    cells: pd.DataFrame

    def for_area(self, code: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """One LA's (or county's) schools and summary rows."""
        mine = (self.schools["district_code"] == code) | (self.schools["la_code"] == code)
        return (self.schools[mine].reset_index(drop=True),
                self.summary[self.summary["area_code"] == code].reset_index(drop=True))


def classify_schools(schools: pd.DataFrame, pupils: pd.DataFrame) -> pd.DataFrame:
    """Each primary and secondary school's share of White British pupils and of pupils
    eligible for free school meals beside that of its ten nearest schools of the same phase
    (across LA borders), and the published classification. One k-d tree per phase and
    measure, over England's located schools with pupils counted."""
    n = len(schools)
    out = pd.DataFrame(index=range(n))
    x, y = schools["easting"].to_numpy(float), schools["northing"].to_numpy(float)
    located = np.isfinite(x) & np.isfinite(y)
    phase = schools["phase"].to_numpy(object)
    wanted = {"white_british": (pupils["white_british"], pupils["pupils"],
                                pupils["ethnicity_known"]),
              "fsm": (pupils["fsm"], pupils["fsm"] + pupils["not_fsm"], pupils["fsm_known"])}
    for measure, (members, total, known) in wanted.items():
        a = np.nan_to_num(members.to_numpy(float)).astype(np.int64)
        b = np.nan_to_num(total.to_numpy(float)).astype(np.int64)
        share = np.full(n, np.nan)
        np.divide(a, b, out=share, where=b > 0)
        note = np.full(n, "", dtype=object)
        note[~known.to_numpy()] = ("not counted in the school census" if measure != "fsm" else
                                   "free school meals not counted, or more pupils eligible "
                                   "than counted, in the school census")
        note[known.to_numpy() & ~located] = "no location: not compared with nearby schools"
        nearby, label = nearest.compare_by_phase(a, b, x, y, phase,
                                                 located & known.to_numpy() & (b > 0),
                                                 CLASSIFIED_PHASES, note)
        other = ~np.isin(phase, CLASSIFIED_PHASES)
        note[other] = "special schools and alternative provision are not compared"
        out[f"share_{measure}"] = share
        out[f"nearby_{measure}"] = nearby
        out[f"segregated_{measure}"] = label
        out[f"note_{measure}"] = note
    return out


def neighbourhood_shares(schools: pd.DataFrame, pupils: pd.DataFrame,
                         small_areas: pd.DataFrame, focus: list[str] | None = None
                         ) -> pd.DataFrame:
    """Each school's share of each broad group beside its own LSOA's and that of the
    nearest small areas holding as many residents as it has pupils (only the schools of the
    ``focus`` LAs, if given; NaN for the others)."""
    broad = groups.codes("broad5")
    out = pd.DataFrame(index=range(len(schools)))
    own = small_areas.set_index("code").reindex(schools["lsoa_code"].to_numpy())
    total = pupils["pupils"].to_numpy(float)
    x = schools["easting"].to_numpy(float)
    if focus is not None:
        x = np.where(schools["district_code"].isin(focus) | schools["la_code"].isin(focus),
                     x, np.nan)
    near = neighbourhoods.around(x, schools["northing"].to_numpy(float), total, small_areas,
                                 broad)
    for code in broad:
        out[f"share_{code}"] = pupils[code].to_numpy(float) / np.where(total > 0, total, np.nan)
        out[f"lsoa_{code}"] = own[code].to_numpy(float) / own["total"].to_numpy(float)
        out[f"around_{code}"] = near[code].to_numpy() / np.where(near["total"] > 0,
                                                                 near["total"], np.nan)
    out["around_residents"] = near["total"].to_numpy()
    out["around_areas"] = near["n_areas"].to_numpy()
    out["around_radius_m"] = near["radius_m"].to_numpy()
    return out


def classification_shares(table: pd.DataFrame, schools: pd.DataFrame) -> pd.DataFrame:
    """Per LA, county and England, phase and measure: the share of schools classified as
    segregated (and as higher, lower), among the schools compared. Counted with one
    ``bincount`` per level and measure over (area, phase) keys."""
    rows = []
    phase = schools["phase"].to_numpy(object)
    classified = np.isin(phase, CLASSIFIED_PHASES)
    phase_index = np.searchsorted(np.array(CLASSIFIED_PHASES, dtype=object),
                                  np.where(classified, phase, CLASSIFIED_PHASES[0]))
    district = schools["district_code"].to_numpy(object)
    county = schools["la_code"].to_numpy(object)
    levels = [("la", district, district != ""),
              ("county", county, pd.Series(county).str.startswith("E10").to_numpy()),
              ("country", np.full(len(schools), indices.ENGLAND, dtype=object),
               np.ones(len(schools), bool))]
    n_phases = len(CLASSIFIED_PHASES)
    for level, area, usable in levels:
        keep = usable & classified
        codes, areas = pd.factorize(area[keep], sort=True)
        key = codes * n_phases + phase_index[keep]
        size = len(areas) * n_phases
        for measure in MEASURES:
            label = table[f"segregated_{measure}"].to_numpy(object)[keep]
            compared = (table[f"nearby_{measure}"].notna()
                        & (table[f"note_{measure}"] == "")).to_numpy()[keep]
            counts = {name: np.bincount(key, weights=compared & condition, minlength=size)
                      for name, condition in (("compared", True),
                                              ("higher", label == nearest.HIGHER),
                                              ("lower", label == nearest.LOWER))}
            present = np.bincount(key, minlength=size) > 0
            n = counts["compared"][present]
            cell_area = np.repeat(np.asarray(areas, dtype=object), n_phases)[present]
            cell_phase = np.tile(np.array(CLASSIFIED_PHASES, dtype=object), len(areas))[present]
            for index, values in (("share_segregated", counts["higher"] + counts["lower"]),
                                  ("share_segregated_higher", counts["higher"]),
                                  ("share_segregated_lower", counts["lower"])):
                share = np.full(len(n), np.nan)
                np.divide(values[present], n, out=share, where=n > 0)
                rows.append(pd.DataFrame({
                    "area_code": cell_area, "area_level": level, "phase": cell_phase,
                    "schools": "all", "index": index, "group": measure,
                    "reference": "ten nearest schools of the same phase", "value": share,
                    "n_units": n.astype(np.int64),
                    "note": np.where(n > 0, "", "no school compared")}))
    return pd.concat(rows, ignore_index=True)


def residential_dissimilarity(areas: pd.DataFrame, level: str) -> pd.DataFrame:
    """D of each broad group against the rest across the small areas of each LA (all ages;
    ``level`` names them: output areas on the pages), the residential figure set beside D
    across schools."""
    units = Units.of(areas, "la_code", groups.codes("broad5"))
    parts = [two_group(units, g, indices=("dissimilarity",)) for g in groups.codes("broad5")]
    table = pd.concat(parts, ignore_index=True)
    return table.assign(area_level="la", phase="residents", schools="", unit_level=level)


def dissimilarity_ratios(school_rows: pd.DataFrame, residents: pd.DataFrame) -> pd.DataFrame:
    """D across schools over D across neighbourhoods, per LA, phase and broad group."""
    d = school_rows[(school_rows["index"] == "dissimilarity") & (school_rows["area_level"] == "la")
                    & (school_rows["schools"] == "all")
                    & school_rows["phase"].isin(CLASSIFIED_PHASES)
                    & school_rows["group"].isin(groups.codes("broad5"))]
    merged = d.merge(residents[["area_code", "group", "value", "note"]],
                     on=["area_code", "group"], suffixes=("", "_residents"))
    value = merged["value"] / merged["value_residents"].where(merged["value_residents"] > 0)
    note = np.where(merged["note"] != "", merged["note"],
                    np.where(merged["note_residents"] != "", merged["note_residents"],
                             np.where(value.isna(), "no residential value", "")))
    level = residents["unit_level"].iloc[0] if len(residents) else ""
    words = NEIGHBOURHOOD_WORDS.get(level, level)
    return merged.assign(index="dissimilarity_ratio", value=value.where(note == ""),
                         reference=f"D across {words} (all usual residents)", note=note
                         )[[c for c in d.columns]]


def school_results(schools: pd.DataFrame, small_areas: pd.DataFrame, residents: pd.DataFrame,
                   names: dict[str, str], *, residents_level: str = "oa",
                   focus: list[str] | None = None) -> SchoolResults:
    """Every school result for every LA: indices across schools (ranked), the nearby-school
    classification and its shares, schools against their neighbourhoods and D ratios.

    ``small_areas`` (LSOAs with centres) give each school's own and surrounding residents;
    ``residents`` (units of ``residents_level``, output areas by default) give D across
    neighbourhoods and so the denominator of the D ratio.

    ``focus`` (LA codes; a scorecard's own LA) keeps for other LAs only what ranks and
    national figures need: indices of all schools of each phase (not without faith or
    selective schools, nor by county) and no neighbourhood comparison of their schools."""
    pupils = indices.pupil_counts(schools)
    table = indices.cells(schools, pupils, focus)
    school_rows = indices.between_school_indices(table)
    neighbourhoods = residential_dissimilarity(residents, residents_level)
    classified = classify_schools(schools, pupils)
    summary = pd.concat([
        school_rows.assign(unit_level="school"),
        classification_shares(classified, schools).assign(unit_level="school"),
        neighbourhoods.assign(unit_level=residents_level),
        dissimilarity_ratios(school_rows, neighbourhoods).assign(
            unit_level=f"school / {residents_level}"),
    ], ignore_index=True)
    summary = indices.rank_cells(summary)
    if focus is not None:  # other LAs lack these cells: no rank among a handful
        partial = (summary["schools"] != "all") | (summary["area_level"] == "county")
        summary.loc[partial, ["rank", "n_ranked"]] = pd.NA
    summary["area_name"] = summary["area_code"].map(names).fillna("")
    summary["year"] = data.YEAR
    summary = summary.reindex(columns=SUMMARY_COLUMNS)
    per_school = pd.concat([
        schools[["urn", "school_name", "la_code", "district_code", "lsoa_code", "placement",
                 "phase", "denomination", "faith", "selective", "headcount"]],
        pupils[["pupils", "fsm", "not_fsm"]].rename(columns={"fsm": "fsm_pupils"}),
        classified,
        neighbourhood_shares(schools, pupils, small_areas, focus),
        schools[["easting", "northing"]]], axis=1)
    return SchoolResults(per_school, summary, table)


def add_intervals(summary: pd.DataFrame, cells: pd.DataFrame,
                  area_codes: list[str] | None = None, **options) -> pd.DataFrame:
    """The summary with expected values, 95% intervals and bias-corrected rows for D and H
    across all schools of the areas in ``area_codes`` (default: every area)."""
    from_schools = summary["unit_level"] == "school"
    base = summary[from_schools].drop(columns=["expected", "lower", "upper"])
    merged = indices.with_inference(base, cells, area_codes=area_codes, **options)
    names = dict(zip(summary["area_code"], summary["area_name"], strict=False))
    merged["area_name"] = merged["area_code"].map(names)
    merged["year"] = data.YEAR
    merged["unit_level"] = "school"
    return pd.concat([merged, summary[~from_schools]], ignore_index=True).reindex(
        columns=SUMMARY_COLUMNS)
