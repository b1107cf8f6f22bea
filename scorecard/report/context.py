"""Everything a scorecard page shows for one LA, gathered from the engines' tidy results.

National results (indices for every LA) are computed once per year in :class:`National`
and shared by every LA built in the same run. Nothing here computes a statistic: it picks,
formats and labels what the loaders and engines returned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .. import census, geography, groups, indicators
from ..census import Counts
from ..gaps import BREAK_FOLD, BREAK_P, METHODS, SYMBOLS_NOTE
from ..segregation.battery import (
    CORRECTED,
    SMALL_GROUP,
    SMALL_NUMBERS_EXPECTED_D,
    national_inference,
    scorecard_indices,
)
from ..segregation.inference import DEFAULT_DRAWS
from ..segregation.scales import between_wards, scale_indices
from ..segregation.twogroup import MIN_UNITS
from . import charts
from .change_section import change_section
from .context_notes import data_as_of, english_section, figure_periods
from .domains import domain_sections
from .glance import gap_grid, key_figures
from .headlines import HEADLINE_MIN_COUNT, HEADLINE_MIN_RESIDENTS, headline_findings
from .neighbourhoods import MAP_LEVEL, maps_section
from .publication import Publication
from .scales_section import scales_section
from .schools_section import schools_section
from .text import authority_kind, join_names, plural, reading_of_dissimilarity
from .words import rank_or_reason

INDEX_LABELS = {
    "dissimilarity": "Dissimilarity (D)",
    "isolation": "Isolation (xPx)",
    "exposure": "Exposure to all others (xPy)",
    "theil_h": "Theil's entropy index (H)",
}
INDEX_ORDER = list(INDEX_LABELS)
ATTRIBUTION = ("Source: Office for National Statistics licensed under the Open Government "
               "Licence v.3.0. Contains OS data © Crown copyright and database right {year}.")


@dataclass
class National:
    """One census year's inputs and all-LA results, shared by every LA built in a run."""

    year: int
    unit_counts: Counts | None = None  # user-supplied counts replace the embedded finest units
    indicator_tables: tuple = ()  # user-supplied local indicator tables (validated)
    schools_file: Path | None = None  # a user's school census table (else the embedded one)
    _cache: dict = field(default_factory=dict, repr=False)

    @cached_property
    def authorities(self) -> pd.DataFrame:
        return geography.authorities(self.year)

    @cached_property
    def la_counts(self) -> Counts:
        return census.load(self.year, "la")

    @cached_property
    def index_counts(self) -> Counts:
        """The finest units with counts: output areas in both years (or the user's table)."""
        if self.unit_counts is not None:
            return self.unit_counts
        return census.load(self.year, census.available(self.year)[0])

    @cached_property
    def inferred(self) -> pd.DataFrame:
        """Expected, bias-corrected D and H with intervals for every LA (one run, cached)."""
        return national_inference(self.index_counts)

    @cached_property
    def indices(self) -> pd.DataFrame:
        """Every LA's indices, D and H ranked on their bias-corrected values."""
        return scorecard_indices(self.index_counts, self.authorities, self.inferred)

    @cached_property
    def scales(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Every LA's indices at OA, LSOA, MSOA and ward (tidy), and its OA-level M and H
        split between and within wards; all from the output areas summed."""
        oa = self.own_units(census.load_as(self.year, "oa", "broad5").frame)
        lookup = geography.oa_lookup(self.year).set_index("code")[list(geography.OA_PARENTS)]
        frame = oa.join(lookup, on="code")
        codes = groups.codes("broad5")
        table = scale_indices(frame, codes, codes)
        if groups.can_map(census.load(self.year, "oa").classification, "white_british2"):
            split = self.own_units(census.load_as(self.year, "oa", "white_british2").frame)
            split = split.join(lookup, on="code")
            british = scale_indices(split, groups.codes("white_british2"), ["white_british"])
            table = pd.concat([table, british[british["group"] == "white_british"]],
                              ignore_index=True)
        names = dict(zip(self.authorities["code"], self.authorities["name"], strict=True))
        table.insert(1, "area_name", table["area_code"].map(names))
        table.insert(2, "area_level", "la")
        table.insert(3, "year", self.year)
        return table, between_wards(frame, codes)

    def own_units(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Units (rows with ``la_code``) as the areas of this run see them: as they are for
        LAs; a county's view relabels its districts' units to the county."""
        return frame

    ranked = True  # an LA's indices are ranked among all LAs; a county's are not

    def district_names(self) -> list[str]:
        """The districts the page's area is made of (none for an LA)."""
        return []

    def change_of(self, la_code: str) -> pd.DataFrame:
        from ..change import la_change

        return la_change(la_code)

    def gaps_of(self, la_code: str) -> pd.DataFrame:
        return indicators.gaps_for(la_code, self.indicator_tables, measures=self.measures)

    def english_of(self, la_code: str, la_name: str) -> dict | None:
        return english_section(la_code, la_name, self.year)

    def schools_in(self, schools: pd.DataFrame, la_code: str) -> pd.DataFrame:
        """The schools of one LA's page (by the district the school lies in)."""
        return schools[schools["district_code"] == la_code]

    @property
    def scale_source(self) -> str:
        return (f"{census.EMBEDDED[(self.year, 'oa')].source}, summed to LSOAs, MSOAs and "
                f"{geography.WARD_NAMES[self.year]}s with the ONS output-area lookups")

    @cached_property
    def measures(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Race-equality measures of every area (embedded + the user's tables) and catalogue."""
        return indicators.all_measures(self.indicator_tables)

    @cached_property
    def schools(self):
        """School results for every LA (the embedded school census, or the user's)."""
        from ..schools import national as school_results

        return school_results(self.schools_file)

    def schools_for(self, la_code: str):
        """School results for one LA's page: the first LA of a run gets results focused on
        it (half the work); a run that asks again (a worker building many LAs) computes
        every LA's once and shares them, as with polygons."""
        from ..schools import national as school_results

        if "schools" in self.__dict__ or self._cache.get("schools asked"):
            return self.schools
        self._cache["schools asked"] = True
        return school_results(self.schools_file, focus=[la_code])

    @cached_property
    def map_counts(self) -> Counts:
        return census.load_as(self.year, MAP_LEVEL, "broad5")

    def polygons(self, level: str, la_code: str) -> gpd.GeoDataFrame:
        """One LA's polygons at ``level``. The first LA reads only its own rows; a run that
        asks again (a worker building many LAs) reads the level whole once and slices it."""
        whole = self._cache.get(("polygons", level))
        if whole is None:
            if ("polygons asked", level) not in self._cache:
                self._cache[("polygons asked", level)] = True
                return geography.polygons(level, self.year, la_code)
            whole = self._cache[("polygons", level)] = geography.polygons(level, self.year)
        return whole[whole["la_code"] == la_code].reset_index(drop=True)


def _population(national: National, la_code: str) -> dict:
    counts = national.la_counts.for_authority(la_code)
    row = counts.frame.iloc[0]
    total = int(row["total"])
    detailed = groups.labels(counts.classification)
    short = groups.labels(counts.classification, short=True)
    to_broad = groups.mapping(counts.classification, "broad5")
    broad_labels = groups.labels("broad5")
    rows = [{"group": code, "label": detailed[code], "short_label": short[code],
             "broad": broad_labels[to_broad[code]], "count": int(row[code]),
             "percent": 100 * row[code] / total} for code in counts.groups]
    broad = counts.to("broad5").frame.iloc[0]
    broad_rows = [{"group": code, "label": label, "count": int(broad[code]),
                   "percent": 100 * broad[code] / total} for code, label in broad_labels.items()]
    ranked = sorted(rows, key=lambda r: -r["count"])
    chart = charts.share_bars([f"{r['short_label']} ({r['broad']})" for r in ranked],
                              [r["percent"] for r in ranked],
                              title=f"Usual residents by ethnic group, {national.year}")
    largest = ranked[0]
    alt = (f"Bar chart of the share of usual residents in each of {len(rows)} ethnic groups in "
           f"{national.year}. The largest group is {largest['label']} at "
           f"{largest['percent']:.1f}%. The table below gives every value.")
    return {"total": total, "rows": rows, "broad_rows": broad_rows, "chart": chart,
            "chart_alt": alt, "classification": groups.DESCRIPTIONS[counts.classification],
            "source": census.EMBEDDED[(national.year, "la")].source}


def _rank_text(row) -> str:
    """'15th of 141' (of the LAs where the group is large enough to rank); 'not ranked'
    for a flagged group; blank without a value."""
    return rank_or_reason(row["rank"], row["n_ranked"], row["flag"])


def _segregation(national: National, la_code: str) -> dict:
    table = national.indices[national.indices["area_code"] == la_code]
    unit_counts = national.index_counts
    labels = {**groups.labels("broad5"), **groups.labels("white_british2")}
    rows = []
    for group, part in table.groupby("group", sort=False):
        values = part.set_index("index")
        note = values["note"].iloc[0]
        d = values.loc["dissimilarity", "value"]
        cells = {}
        for index in INDEX_ORDER:
            # D and H are ranked on their bias-corrected values (raw D favours small groups).
            ranked = f"{index}_bias_corrected" if index in CORRECTED else index
            rank = _rank_text(values.loc[ranked]) if ranked in values.index and not note else ""
            cells[index] = {"value": values.loc[index, "value"], "rank": rank,
                            "ranked_on": "corrected" if index in CORRECTED else "value"}
        raw = values.loc["dissimilarity"]
        corrected = values.loc["dissimilarity_bias_corrected"] \
            if "dissimilarity_bias_corrected" in values.index else None
        shown = not note and corrected is not None and pd.notna(corrected["value"])
        rows.append({
            "group": group,
            "label": labels[group],
            "cells": cells,
            "expected": raw["expected"] if shown else None,
            "lower": raw["lower"] if shown else None,
            "upper": raw["upper"] if shown else None,
            "corrected": corrected["value"] if shown else None,
            "corrected_lower": corrected["lower"] if shown else None,
            "corrected_upper": corrected["upper"] if shown else None,
            "corrected_rank": _rank_text(corrected) if shown else "",
            "n_ranked": (int(corrected["n_ranked"]) if shown and pd.notna(corrected["n_ranked"])
                         else None),
            "reading": "" if note else reading_of_dissimilarity(d),
            "flag": values["flag"].iloc[0] if not note else "",
            "group_count": int(values["group_count"].iloc[0]),
            "note": note,
            "n_units": int(values["n_units"].iloc[0]),
        })
    level = geography.LEVEL_NAMES[unit_counts.level]
    notes = {r["note"] for r in rows}
    # Identical "no value" rows (a one-LSOA LA) collapse into one line naming the groups.
    no_value = notes.pop() if len(notes) == 1 and rows and rows[0]["note"] else ""
    missing_split = not groups.can_map(unit_counts.classification, "white_british2")
    inference = table[table["index"].isin([*CORRECTED, *(f"{i}_bias_corrected"
                                                        for i in CORRECTED)])]
    return {
        "rows": rows,
        "no_value": no_value,
        "all_groups": join_names([r["label"] for r in rows]),
        "inference": inference[["area_code", "index", "group", "reference", "value",
                                "expected", "lower", "upper", "rank", "n_ranked", "n_units",
                                "flag", "note"]].reset_index(drop=True),
        "index_labels": INDEX_LABELS,
        "unit_level": level,
        "n_units": rows[0]["n_units"] if rows else 0,
        "units_phrase": plural(rows[0]["n_units"] if rows else 0, level),
        "draws": DEFAULT_DRAWS, "small_group": SMALL_GROUP,
        "small_expected": SMALL_NUMBERS_EXPECTED_D,
        "n_las": len(national.authorities),
        "ranked": national.ranked,
        "source": unit_counts.source,
        "white_british_note": (
            f"White British and all other residents: no {national.year} table embedded below "
            f"local authority level splits White British from other White groups (the finest, "
            f"{unit_counts.source}, has {len(unit_counts.groups)} groups; TS021's 19 detailed "
            "groups exist upstream at output-area level but are not embedded), so this "
            "comparison is not shown." if missing_split else ""),
    }


def _domains(national: National, la_code: str) -> tuple[list[dict] | None, pd.DataFrame]:
    """The seven domains (2021 LAs only: the indicator tables use current codes)."""
    if national.year != indicators.YEAR:
        return None, pd.DataFrame()
    table = national.gaps_of(la_code)
    return domain_sections(table), table


BOUNDARIES = {
    2011: "Boundaries: ONS Open Geography Portal, LSOAs (December 2011), census merged wards "
          "(2011, dissolved from output areas) and local authority districts (2011), "
          "generalised and simplified for maps",
    2021: "Boundaries: ONS Open Geography Portal, LSOAs (December 2021), wards (May 2022) "
          "and local authority districts (December 2021, the 2022 districts), "
          "generalised and coverage-simplified for maps",
}


def _methods(national: National, population: dict, segregation: dict, maps: dict,
             gaps_table: pd.DataFrame) -> dict:
    """What the methods section states: thresholds, draws, and each table the page uses."""
    data = [f"Population: {population['source']}", f"Segregation: {segregation['source']}",
            f"Maps: {maps['source']}", BOUNDARIES[national.year]]
    if not gaps_table.empty:
        shown = gaps_table[gaps_table["value"].notna()]
        sources = shown.drop_duplicates("source")[["source", "year"]]
        data += [f"Race equality: {row.source}" + (f", {row.year}" if row.year else "")
                 for row in sources.itertuples()]
    kinds = set(gaps_table["kind"]) if not gaps_table.empty and "kind" in gaps_table else set()
    what = {"proportion": "shares of people (proportions)",
            "rate": "rates of events or people per resident"}
    interval_methods = [{"what": what[kind], **{k: v for k, v in method.items()
                                                 if k.endswith("_name")}}
                        for kind, method in METHODS.items() if kind in kinds]
    return {"min_units": MIN_UNITS, "draws": DEFAULT_DRAWS, "data": data,
            "small_group": SMALL_GROUP, "small_expected": SMALL_NUMBERS_EXPECTED_D,
            "interval_methods": interval_methods, "headline_min_count": HEADLINE_MIN_COUNT,
            "headline_min_residents": HEADLINE_MIN_RESIDENTS, "break_fold": f"{BREAK_FOLD:g}",
            "break_p": f"{BREAK_P:g}"}


# The page's sections in reading order, each a partial template: a new section is one entry
# here (and its partial); the contents list is made from the same entries.
SECTIONS = (
    {"id": "headlines", "template": "_headlines.html.j2", "title": "Headline findings"},
    {"id": "population", "template": "_population.html.j2",
     "title": "1. Population by ethnic group"},
    {"id": "segregation", "template": "_segregation.html.j2",
     "title": "2. Residential segregation"},
    {"id": "maps", "template": "_maps.html.j2", "title": "3. Maps of neighbourhoods"},
    {"id": "schools", "template": "_schools.html.j2", "title": "Schools"},
    {"id": "equality", "template": "_domains.html.j2",
     "title": "4. Race equality in seven domains"},
    {"id": "methods", "template": "_methods.html.j2", "title": "5. Methods"},
    {"id": "sources", "template": "_sources.html.j2", "title": "6. Sources, licence and downloads"},
)
# Downloads written beside every page (the PDF is added when it is built).
DOWNLOADS = (
    {"label": "CSV", "href": "data.csv", "what": "every number, unrounded"},
    {"label": "XLSX", "href": "data.xlsx", "what": "workbook, a sheet per section"},
    {"label": "GeoPackage", "href": "map.gpkg", "what": "the mapped LSOAs, for GIS"},
)
PDF_DOWNLOAD = {"label": "PDF", "href": "scorecard.pdf", "what": "A4, for print"}


def scorecard_context(national: National, la_code: str,
                      publication: Publication | None = None) -> dict:
    """The template context for one LA's scorecard."""
    la = national.authorities.set_index("code").loc[la_code]
    domains, gaps_table = _domains(national, la_code)
    context = {
        "la": {"code": la_code, "name": la["name"], "region": la["region_name"],
               "type": la["la_type"],
               "kind": authority_kind(la["la_type"], la["region_name"]),
               "districts": national.district_names()},
        "year": national.year,
        "population": _population(national, la_code),
        "segregation": _segregation(national, la_code),
        "change": change_section(national, la_code),
        "scales": scales_section(national, la_code),
        "maps": maps_section(national, la_code),
        "domains": domains,
        "gaps_table": gaps_table,
        "symbols_note": SYMBOLS_NOTE,
        "attribution": ATTRIBUTION.format(year=2021 if national.year == 2021 else 2011),
    }
    context["english"] = national.english_of(la_code, la["name"])
    context["periods"] = figure_periods(national.year, gaps_table, context["english"])
    context["data_as_of"] = data_as_of(national.year, gaps_table)
    context["schools"] = schools_section(national, la_code, la["name"],
                                         context["maps"].get("basemap"))
    context["methods"] = _methods(national, context["population"], context["segregation"],
                                  context["maps"], gaps_table)
    context["headlines"] = headline_findings(context)
    context["key_figures"] = key_figures(context)
    context["gap_grid"] = gap_grid(domains)
    context["sections"] = [dict(s) for s in SECTIONS]
    context["downloads"] = [dict(d) for d in DOWNLOADS]
    context["publication"] = publication or Publication()
    context["commentary"] = context["publication"].commentary
    return context
