"""The Schools section of a scorecard: key figures, maps of the LA's schools by how their
intake differs from their ten nearest schools, a table of schools, D across schools beside D
across neighbourhoods, and plain sentences. Figures come from ``scorecard.schools``; this
module picks, formats and draws them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

from .. import groups
from ..schools import data as school_data
from ..schools import text as school_text
from ..schools.indices import SCHOOL_SETS
from ..schools.results import add_intervals
from . import charts, maps, svgkit

if TYPE_CHECKING:
    from .context import National

PHASES = ("primary", "secondary")
PRINT_TABLE_ROWS = 60  # more schools than this: the printed page points to the downloads
SMALL_SCHOOL = 10  # shares of schools with fewer pupils are not shown (counts under 10)
# Deviation from the ten nearest schools, percentage points: five classes on a diverging
# palette (ColorBrewer PuOr, its middle made light grey as on the location-quotient maps).
DEVIATION_BREAKS = (-15.0, -5.0, 5.0, 15.0)
DEVIATION_LABELS = ("15 or more points lower", "5 to 15 lower", "within 5 points",
                    "5 to 15 higher", "15 or more points higher")
DEVIATION_COLOURS = ("#b35806", "#f1a340", "#e3e3e3", "#998ec3", "#542788")
RING = "#1a1a1a"
SERIES = {"residents": ("{units} (all residents)", charts.OKABE_ITO[2]),
          "primary": ("primary schools", charts.OKABE_ITO[0]),
          "secondary": ("secondary schools", charts.OKABE_ITO[5])}


def _pct(value) -> str:
    return "" if not school_text.present(value) else f"{100 * value:.1f}%"


def _num(value, places: int = 2) -> str:
    return "" if not school_text.present(value) else f"{value:.{places}f}"


def _cell(summary: school_text.Figures, area: str, phase: str, index: str, group: str,
          schools: str = "all", *, share: bool = False, rank: bool = False) -> str:
    row = school_text.value_of(summary, area, phase, index, group, schools)
    if row is None:
        return "–"
    if not school_text.present(row["value"]):
        return "no value"
    text = _pct(row["value"]) if share else _num(row["value"])
    if rank and school_text.present(row["rank"]):
        text += f" ({school_text.ordinal(int(row['rank']))} of {int(row['n_ranked'])})"
    return text


def _key_rows(summary: school_text.Figures, code: str) -> list[dict]:
    """Table rows: a measure, then its value for primary and secondary schools, in the LA
    and in England."""
    england = school_text.ENGLAND
    specs = [
        ("Schools compared with their ten nearest", "share_segregated", "white_british",
         "all", "count"),
        ("Dissimilarity (D), White British vs all other pupils (rank among LAs)",
         "dissimilarity", "white_british", "all", "rank"),
        ("D expected if pupils were placed at random", "dissimilarity", "white_british",
         "all", "expected"),
        ("D corrected for small numbers (95% interval)", "dissimilarity_bias_corrected",
         "white_british", "all", "interval"),
        ("Theil's entropy index (H), White British", "theil_h", "white_british", "all", ""),
        ("Exposure of White British pupils to all others (xPy)", "exposure", "white_british",
         "all", ""),
        ("Share of schools \u201csegregated\u201d by White British share",
         "share_segregated", "white_british", "all", "share"),
        ("Multigroup H, five broad groups", "multigroup_theil_h", "all", "all", ""),
        ("D, pupils eligible for free school meals vs all others (rank)", "dissimilarity",
         "fsm", "all", "rank"),
        ("Gorard's segregation index, free school meals", "gorard_segregation", "fsm", "all",
         ""),
        ("Share of schools \u201csegregated\u201d by free school meals share",
         "share_segregated", "fsm", "all", "share"),
        ("D, White British, without schools with a religious character", "dissimilarity",
         "white_british", "no_faith", ""),
        ("D, White British, without selective schools", "dissimilarity", "white_british",
         "no_selective", ""),
    ]
    rows = []
    for label, index, group, schools, kind in specs:
        values = []
        for area in (code, england):
            for phase in PHASES:
                row = school_text.value_of(summary, area, phase, index, group, schools)
                if row is None:
                    values.append("–")
                elif kind == "count":
                    values.append(f"{int(row['n_units']):,}")
                elif not school_text.present(row["value"]) and kind != "expected":
                    values.append("no value")
                elif kind == "share":
                    values.append(_pct(row["value"]))
                elif kind == "rank":
                    values.append(_cell(summary, area, phase, index, group, schools,
                                        rank=area != england))
                elif kind == "expected":
                    values.append(_num(row["expected"]) or "–")
                elif kind == "interval" and school_text.present(row["lower"]):
                    values.append(f"{row['value']:.2f} ({row['lower']:.2f} to "
                                  f"{row['upper']:.2f})")
                else:
                    values.append(_num(row["value"]) or "–")
        rows.append({"label": label, "values": values})
    return rows


def _deviation_classes(deviation: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(deviation), -1, np.digitize(np.nan_to_num(deviation),
                                                         DEVIATION_BREAKS))


def school_map(base: maps.Basemap, schools: pd.DataFrame, phase: str, la_name: str) -> str:
    """The LA (its LSOAs in light grey, its outline) with one dot per school of the phase,
    coloured by its share of White British pupils minus its ten nearest schools' share, and
    ringed when the published test calls it "segregated". Drawn on the maps' primitives."""
    width, max_height = maps.FULL_WIDTH, maps.FULL_MAX_HEIGHT
    title = f"{phase.capitalize()} schools, {la_name}, January 2023"
    top = maps.TITLE_SIZE * 1.25 + 4
    frame, map_width, map_height = maps._map_frame(base, width, max_height, top)
    body = [svgkit.text_element(0, maps.TITLE_SIZE, title, size=maps.TITLE_SIZE, bold=True),
            svgkit.path_element(maps._path_data(base.outline, frame, closed=True),
                                fill="#f2f2f2", stroke="none")]
    if base.edges is not None:
        body.append(svgkit.path_element(maps._path_data(base.edges, frame, closed=False),
                                        fill="none", stroke="#ffffff", stroke_width=".5"))
    body.append(svgkit.path_element(maps._path_data(shapely.boundary(base.outline), frame,
                                                    closed=False),
                                    fill="none", stroke=maps.OUTLINE_COLOUR, stroke_width=".8"))
    mine = schools[(schools["phase"] == phase) & schools["easting"].notna()]
    deviation = 100 * (mine["share_white_british"] - mine["nearby_white_british"]).to_numpy(float)
    classes = _deviation_classes(deviation)
    radius = 3.2 if len(mine) < 80 else 2.4
    xy = frame.tenths(mine[["easting", "northing"]].to_numpy(float)) / 10
    order = np.argsort(np.abs(np.nan_to_num(deviation)), kind="stable")  # largest on top
    for i in order:
        colour = maps.NO_DATA_COLOUR if classes[i] < 0 else DEVIATION_COLOURS[classes[i]]
        ringed = mine["segregated_white_british"].iloc[i] != ""
        body.append(f'<circle cx="{svgkit.num(xy[i, 0])}" cy="{svgkit.num(xy[i, 1])}" '
                    f'r="{svgkit.num(radius)}" fill="{colour}" stroke="'
                    f'{RING if ringed else "#ffffff"}" stroke-width="{"1" if ringed else ".5"}"/>')
    bottom = top + map_height
    body += maps._scale_and_north(frame, map_width, bottom + 9)
    height = bottom + 18
    legend, used = maps._legend(
        list(DEVIATION_COLOURS), list(DEVIATION_LABELS),
        "Share of White British pupils minus that of the ten nearest schools of the same "
        "phase (percentage points). Black ring: \u201csegregated\u201d by the published test.",
        x=0, y=height + 2, width=width, columns=3, missing=bool((classes < 0).any()))
    body += legend
    return svgkit.svg_document(width, height + used + 4, body)


def _chart(summary: school_text.Figures, code: str) -> tuple[str, str, list[dict]]:
    """D of each broad group across neighbourhoods and across primary and secondary schools."""
    labels, values, colours, texts, table = [], [], [], [], []
    broad = groups.labels("broad5")
    units = _neighbourhood_units(summary, code)
    for group, name in broad.items():
        row = {"group": name}
        for series, (words, colour) in SERIES.items():
            words = words.format(units=units)
            found = school_text.value_of(summary, code, series, "dissimilarity", group,
                                         schools="" if series == "residents" else "all")
            value = found["value"] if found is not None else math.nan
            row[series] = _num(value) or "no value"
            if school_text.present(value):
                labels.append(f"{name}: {words}")
                values.append(float(value))
                colours.append(colour)
                texts.append(f"{value:.2f}")
        ratio = {p: school_text.value_of(summary, code, p, "dissimilarity_ratio", group)
                 for p in PHASES}
        for phase in PHASES:
            row[f"ratio_{phase}"] = _num(ratio[phase]["value"] if ratio[phase] is not None
                                         else None) or "no value"
        table.append(row)
    svg = charts.bar_chart(labels, values, title=None, axis_label="Dissimilarity (D): 0 even, "
                           "1 complete separation", value_labels=texts, colours=colours,
                           cap=1.0) if labels else ""
    alt = ("Bar chart of the dissimilarity of each broad ethnic group from all others, "
           f"across the {units} (all residents, Census 2021) and across the primary and "
           "secondary schools (pupils, January 2023). Table S2 gives every value.")
    return svg, alt, table


def _neighbourhood_units(summary: school_text.Figures, code: str) -> str:
    """The units of D across neighbourhoods of an LA, in words ("output areas")."""
    rows = [school_text.value_of(summary, code, "residents", "dissimilarity", g, schools="")
            for g in groups.codes("broad5")]
    return school_text.neighbourhood_words(next((r for r in rows if r is not None), None))


def _school_rows(schools: pd.DataFrame) -> list[dict]:
    rows = []
    ordered = schools[schools["phase"].isin(PHASES)].sort_values(
        ["phase", "school_name", "urn"])
    for r in ordered.itertuples(index=False):
        small = not (r.pupils >= SMALL_SCHOOL)
        fsm_small = not (r.fsm_pupils + r.not_fsm >= SMALL_SCHOOL)
        label = {"higher": "\u201csegregated\u201d: higher share",
                 "lower": "\u201csegregated\u201d: lower share", "": ""}
        rows.append({
            "urn": r.urn, "name": r.school_name, "phase": r.phase,
            "faith": r.denomination if r.faith else "",
            "selective": "selective" if r.selective else "",
            "pupils": "[c]" if small else f"{int(r.pupils):,}",
            "wb": "[c]" if small else _pct(r.share_white_british),
            "nearby_wb": _pct(r.nearby_white_british),
            "class_wb": label[r.segregated_white_british] or r.note_white_british,
            "fsm": "[c]" if fsm_small else _pct(r.share_fsm),
            "nearby_fsm": _pct(r.nearby_fsm),
            "class_fsm": label[r.segregated_fsm] or r.note_fsm,
        })
    return rows


def _data_rows(summary: pd.DataFrame, code: str) -> list[dict]:
    """The section's figures, unrounded, for data.csv."""
    mine = summary[summary["area_code"] == code]
    rows = []
    for r in mine.itertuples(index=False):
        measure = f"{r.phase}:{r.schools}:{r.index}" if r.schools else f"{r.phase}:{r.index}"
        # Ranks of all schools only: results focused on one LA rank nothing else, and a
        # page must read the same whichever way its results were computed.
        ranked = r.schools == "all" and school_text.present(r.rank)
        rows.append({"section": "schools", "measure": measure, "group": r.group,
                     "unit_level": r.unit_level, "value": r.value,
                     "rank": r.rank if ranked else None,
                     "n_units": r.n_units, "note": r.note, "lower": r.lower,
                     "upper": r.upper})
    return rows


SCHOOL_FIELDS = {  # per-school figures in data.csv: column → (group, what it is)
    "pupils": ("all", "pupils with ethnicity recorded"),
    "share_white_british": ("white_british", "share of pupils"),
    "nearby_white_british": ("white_british", "share of the pupils of the ten nearest schools"),
    "share_fsm": ("fsm", "share of pupils counted for free school meals"),
    "nearby_fsm": ("fsm", "share of the pupils of the ten nearest schools"),
    **{f"{kind}_{g}": (g, words) for g in ("asian", "black", "mixed", "white", "other")
       for kind, words in (("share", "share of pupils"),
                           ("lsoa", "share of the residents of the school's LSOA (2021)"),
                           ("around", "share of the residents of the nearest LSOAs holding "
                                      "as many residents as the school has pupils"))},
}


def _school_data_rows(schools: pd.DataFrame) -> list[dict]:
    """Each school's figures, unrounded, for data.csv (measure ``field:URN``; the note names
    the school and its classifications)."""
    rows = []
    for r in schools.to_dict("records"):
        note = (f"{r['school_name']} ({r['phase']}); White British: "
                f"{r['segregated_white_british'] or 'not segregated'}; free school meals: "
                f"{r['segregated_fsm'] or 'not segregated'}")
        for field, (group, _) in SCHOOL_FIELDS.items():
            rows.append({"section": "schools", "measure": f"{field}:{r['urn']}", "group": group,
                         "unit_level": "school", "value": r[field], "n_units": 1,
                         "note": note})
    return rows


def not_covered(note: str) -> dict:
    return {"covered": False, "note": note}


def schools_section(national: National, la_code: str, la_name: str,
                    base: maps.Basemap | None) -> dict:
    """The template's ``schools`` context for one LA."""
    if national.year != 2021:
        return not_covered("The school census (January 2023) is matched to the 2021 local "
                           "authorities: see this authority's 2021 scorecard.")
    results = national.schools_for(la_code)
    mine = national.schools_in(results.schools, la_code).reset_index(drop=True)
    if mine.empty:
        return not_covered(school_data.WALES_NOTE if la_code.startswith("W") else
                           "No school of the school census lies in this authority.")
    areas = [la_code, school_text.ENGLAND]
    summary = results.summary[results.summary["area_code"].isin(areas)]
    summary = add_intervals(summary, results.cells, [la_code], phases=PHASES, workers=1)
    figures = school_text.Figures(summary)
    counts = mine["phase"].value_counts()
    sentences = []
    for phase in PHASES:
        for sentence in (school_text.dissimilarity_sentence(figures, la_code, la_name, phase),
                         school_text.share_sentence(figures, la_code, la_name, phase),
                         school_text.share_sentence(figures, la_code, la_name, phase, "fsm"),
                         school_text.ratio_sentence(figures, la_code, la_name, phase)):
            if sentence:
                sentences.append(sentence)
    chart, chart_alt, chart_table = _chart(figures, la_code)
    units = _neighbourhood_units(figures, la_code)
    section_maps = []
    for phase in PHASES:
        if base is not None and counts.get(phase, 0):
            n = int(counts.get(phase, 0))
            section_maps.append({
                "phase": phase, "svg": school_map(base, mine, phase, la_name),
                "alt": f"Map of the {n} {phase} schools of {la_name}, each coloured by its "
                       "share of White British pupils minus that of its ten nearest "
                       f"{phase} schools. Table S3 lists every school."})
    table = _school_rows(mine)
    return {
        "covered": True, "note": "",
        "period": school_data.PERIOD,
        "counts": {p: int(counts.get(p, 0)) for p in (*PHASES, "special_ap")},
        "key_rows": _key_rows(figures, la_code),
        "sentences": sentences,
        "maps": section_maps,
        "chart": chart, "chart_alt": chart_alt, "chart_table": chart_table,
        "neighbourhood_units": units, "neighbourhood_column": units[:1].upper() + units[1:],
        "table": table,
        "print_table": len(table) <= PRINT_TABLE_ROWS,
        "school_sets": SCHOOL_SETS,
        "published": {p: f"{100 * v:.1f}%" for p, v in school_text.PUBLISHED_2016.items()},
        "source": school_data.SOURCE,
        "attribution": school_data.ATTRIBUTION,
        "data_rows": _data_rows(summary, la_code) + _school_data_rows(mine),
    }
