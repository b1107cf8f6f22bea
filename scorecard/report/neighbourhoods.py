"""The maps section: where each broad group lives, by LSOA, and how mixed each LSOA is.

Per LA and census year: a locator map; a page-wide map of local diversity (entropy) with
ward names where they fit; small multiples of each broad group's share of residents and of
its location quotient (LQ); one table per LSOA with every mapped value. The values come from
the segregation engine (:func:`scorecard.segregation.local_measures`); this module picks,
classes and labels them, and hands the downloads the same frame and geometry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import census, geography, groups
from ..segregation.local import local_measures
from . import map_classes, maps

if TYPE_CHECKING:
    from .context import National

MAP_LEVEL = "lsoa"  # both censuses have broad groups for LSOAs of their own vintage
PRINT_TABLE_ROWS = 40  # longer LSOA tables are left to the downloads in print
FEW_PER_UNIT = 10  # a group averaging fewer residents per LSOA gets a small-numbers note
MAX_ENTROPY = float(np.log(5))  # five broad groups in equal shares
MIN_MAP_UNITS = 2  # one LSOA (Isles of Scilly) would be a one-colour map


def _values(national: National, la_code: str) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None]:
    """The LA's LSOAs with counts, shares, LQs and entropy; its wards (2021) or None."""
    counts = national.map_counts.for_authority(la_code).frame
    shapes = national.polygons(MAP_LEVEL, la_code)
    shapes = (shapes[shapes["code"].isin(counts["code"])].sort_values("code")
              .reset_index(drop=True))
    counts = counts.set_index("code").loc[shapes["code"]].reset_index()
    codes = groups.codes("broad5")
    local = local_measures(counts[["code", "la_code", *codes]], unit="code", area="la_code",
                           groups=codes)
    la_totals = counts[codes].sum()
    wards = None
    if "ward" in geography.POLYGON_LEVELS[national.year]:
        wards = national.polygons("ward", la_code)
        wards = _with_ward_values(wards.sort_values("code").reset_index(drop=True),
                                  national.year, codes)
    columns = {"code": shapes["code"], "name": shapes["name"],
               **_ward_labels(shapes["code"], national.year if wards is not None else None),
               "residents": counts["total"]}
    for g in codes:
        columns[f"count_{g}"] = counts[g]
    total = counts["total"].to_numpy(dtype=float)
    for g in codes:
        columns[f"share_{g}"] = np.where(total > 0, 100 * counts[g] / np.maximum(total, 1),
                                         np.nan)
    for g in codes:
        lq = local[f"lq_{g}"].to_numpy(dtype=float)
        # The engine returns 0 when the LA has none of the group: no LQ can be drawn then.
        columns[f"lq_{g}"] = np.where(la_totals[g] > 0, lq, np.nan)
    columns["entropy"] = local["entropy"].to_numpy(dtype=float)
    columns["note"] = local["note"].to_numpy()
    frame = gpd.GeoDataFrame(pd.DataFrame(columns), geometry=shapes.geometry.to_numpy(),
                             crs=shapes.crs)
    return frame, wards


def _ward_labels(codes: pd.Series, year: int | None) -> dict[str, np.ndarray]:
    """The ward holding most residents of each LSOA (an exact sum of output areas); empty
    where the year has no ward polygons (``year`` None) or the LSOA no output areas."""
    if year is None:
        empty = np.full(len(codes), "", dtype=object)
        return {"ward_code": empty, "ward_name": empty.copy()}
    wards = census.resident_wards(year, MAP_LEVEL).set_index("code")
    return {column: wards[column].reindex(codes).fillna("").to_numpy(dtype=object)
            for column in ("ward_code", "ward_name")}


def _with_ward_values(wards: gpd.GeoDataFrame, year: int, codes: list[str]) -> gpd.GeoDataFrame:
    """Ward polygons with their residents by broad group: exact sums of output areas."""
    counts = census.from_output_areas(year, "ward").frame.set_index("code")
    here = counts.reindex(wards["code"])
    wards["residents"] = here["total"].to_numpy()
    for g in codes:
        wards[f"count_{g}"] = here[g].to_numpy()
    total = here["total"].to_numpy(dtype=float)
    for g in codes:
        wards[f"share_{g}"] = np.where(total > 0, 100 * here[g].to_numpy() / np.maximum(total, 1),
                                       np.nan)
    return wards


def column_notes(year: int) -> dict[str, tuple[str, str]]:
    """Each column of the per-LSOA table: (unit, what it holds), for the downloads."""
    level = geography.LEVEL_NAMES[MAP_LEVEL]
    notes = {
        "code": ("code", f"{level} code ({year} boundaries)"),
        "name": ("name", f"{level} name"),
        "ward_code": ("code", f"{geography.WARD_NAMES[year]} holding most of the LSOA's "
                      "residents (a sum of output areas; LSOAs are not nested in wards)"),
        "ward_name": ("name", "name of that ward"),
        "residents": ("count", "usual residents"),
    }
    labels = groups.labels("broad5")
    for g, label in labels.items():
        notes[f"count_{g}"] = ("count", f"{label} usual residents")
    for g, label in labels.items():
        notes[f"share_{g}"] = ("%", f"{label} residents as a percentage of the {level}'s "
                               "residents")
    for g, label in labels.items():
        notes[f"lq_{g}"] = ("ratio", f"location quotient of {label} residents: their share "
                            f"of the {level}'s residents ÷ their share of the LA's (1 = the "
                            "same; empty when the LA has none)")
    notes["entropy"] = ("nats", "diversity: entropy of the five broad groups' shares, natural "
                        f"log (0 = one group only; ln 5 = {MAX_ENTROPY:.4f} = five equal "
                        "groups)")
    notes["note"] = ("text", "why a value is empty, if one is")
    return notes


def _locator(national: National, la: pd.Series, outline) -> dict:
    return {"svg": maps.locator(national.year, outline),
            "alt": (f"Locator map of England and Wales, each local authority in light grey, "
                    f"{la['name']} in dark blue ({la['region_name']}).")}


def _diversity(base: maps.Basemap, frame: pd.DataFrame, la_name: str, level: str,
               year: int) -> dict:
    values = frame["entropy"].to_numpy()
    ok = ~np.isnan(values)
    upper = map_classes.breaks(year, "entropy")
    bounds = map_classes.labels(upper, "entropy")
    classes = map_classes.classify(values, upper)
    colours = maps.sequential(maps.DIVERSITY_PALETTE, len(upper))
    svg, named = maps.choropleth(
        base, classes, colours, bounds,
        title="",  # the heading and caption above and below it say what it is
        legend_title=f"Diversity: entropy of the five broad groups' shares (0 = one group only, "
                     f"{MAX_ENTROPY:.2f} = five equal groups); {map_classes.SHORT_METHOD}",
        ward_labels=True, legend_columns=3)
    n_wards = 0 if base.wards is None else len(base.wards)
    top = frame.loc[frame["entropy"].idxmax()]
    where = f" (ward {top['ward_name']})" if top["ward_name"] else ""
    if base.wards is None:
        ward_text = "No ward boundaries are drawn: there are no 2011 ward polygons here."
    elif not named:
        why = ("too many to name legibly" if n_wards > maps.MAX_WARD_LABELS
               else "none fits at this size")
        ward_text = (f"Grey lines are the {n_wards} wards; their names are not printed "
                     f"({why}); the table gives each {level}'s ward.")
    else:
        ward_text = (f"Grey lines are the {n_wards} wards; {len(named)} of them are named where "
                     f"the name fits; the table gives each {level}'s ward.")
    alt = (f"Map of the {len(frame)} {level}s of {la_name} shaded by diversity (entropy of the "
           f"five broad ethnic groups) in {len(bounds)} {map_classes.SHORT_METHOD}, from "
           f"{values[ok].min():.2f} to {values[ok].max():.2f}; the highest is {top['name']}"
           f"{where}. {ward_text}")
    return {"svg": svg, "alt": alt, "classes": bounds, "named_wards": named,
            "n_wards": n_wards, "ward_text": ward_text}


def _share_maps(base: maps.Basemap, frame: pd.DataFrame, labels: dict[str, str],
                level: str, year: int) -> list[dict]:
    """One map per group, all in the national share classes (one legend for the five)."""
    entries = []
    upper = map_classes.breaks(year, "share")
    colours = maps.sequential(maps.SHARE_PALETTE, len(upper))
    for g, label in labels.items():
        values = frame[f"share_{g}"].to_numpy()
        ok = ~np.isnan(values)
        classes = map_classes.classify(values, upper)
        svg, _ = maps.choropleth(base, classes, colours, [], title=label, legend_title="")
        top = frame.loc[frame[f"share_{g}"].idxmax()]
        where = f" in {top['name']}" + (f" ({top['ward_name']})" if top["ward_name"] else "")
        entries.append({"group": g, "label": label, "svg": svg,
                        "summary": f"{label} from {values[ok].min():.1f}% to "
                                   f"{values[ok].max():.1f}% (highest{where})"})
    return entries


def _lq_maps(base: maps.Basemap, frame: pd.DataFrame, labels: dict[str, str],
             la_name: str, level: str) -> list[dict]:
    entries = []
    colours = list(maps.LQ_COLOURS)
    for g, label in labels.items():
        values = frame[f"lq_{g}"].to_numpy()
        if np.isnan(values).all():
            entries.append({"group": g, "label": label, "svg": "", "summary":
                            f"{label}: no location quotient, {la_name} has no {label} "
                            "residents"})
            continue
        classes = maps.lq_classes(values)
        svg, _ = maps.choropleth(base, classes, colours, [], title=label, legend_title="")
        high = int((values >= 2).sum())
        low = int((values < 0.5).sum())
        entries.append({"group": g, "label": label, "svg": svg,
                        "summary": f"{label} from {np.nanmin(values):.2f} to "
                                   f"{np.nanmax(values):.2f}, {high} {level}s at twice the LA "
                                   f"share or more and {low} under half of it"})
    return entries


def _few_note(frame: pd.DataFrame, labels: dict[str, str], la_name: str, level: str) -> str:
    """A note naming the groups whose LQs rest on a few people per unit."""
    n = len(frame)
    few = [(label, int(frame[f"count_{g}"].sum())) for g, label in labels.items()
           if frame[f"count_{g}"].sum() < FEW_PER_UNIT * n]
    if not few:
        return ""
    parts = ", ".join(f"{label} ({count:,} residents, about {count / n:.0f} per {level})"
                      for label, count in few)
    return (f"Few residents of some groups live in {la_name}: {parts}. Their location "
            f"quotients rest on a few people in each {level} and change a lot with small "
            "moves.")


def maps_section(national: National, la_code: str) -> dict:
    """Context for the maps section (and, through ``frame`` and ``wards``, the downloads)."""
    la = national.authorities.set_index("code").loc[la_code]
    frame, wards = _values(national, la_code)
    base = maps.basemap(frame, wards)
    full = maps.basemap(frame, wards, full=True)
    level = geography.LEVEL_NAMES[MAP_LEVEL]
    labels = groups.labels("broad5")
    n = len(frame)
    drawn = n >= MIN_MAP_UNITS
    shares = _share_maps(base, frame, labels, level, national.year) if drawn else []
    lqs = _lq_maps(base, frame, labels, la["name"], level) if drawn else []
    share_upper = map_classes.breaks(national.year, "share")
    table = [{"code": r.code, "name": r.name, "ward": r.ward_name,
              "shares": {g: getattr(r, f"share_{g}") for g in labels},
              "lq": {g: getattr(r, f"lq_{g}") for g in labels}, "entropy": r.entropy}
             for r in frame.drop(columns="geometry").itertuples(index=False)]
    return {
        "level": level,
        "n_units": n,
        "group_labels": labels,
        "locator": _locator(national, la, base.outline),
        "drawn": drawn,
        "clip_note": (f"A small detached part of {la['name']} far off the rest (an island) "
                      "lies outside the maps' frame, so that the rest can be drawn larger; "
                      f"Table 5 lists every {level}." if base.clipped else ""),
        "not_drawn": "" if drawn else (
            f"{la['name']} has {n} {level}: a map of one area would be a single colour, "
            f"so no maps of its {level}s are drawn. Table 5 gives its values, and Figure 2 "
            "shows where it is."),
        "diversity": (_diversity(full, frame, la["name"], level, national.year) if drawn
                      else {"n_wards": 0 if wards is None else len(wards), "ward_text": ""}),
        "maps": shares,
        "share_legend": maps.legend_panel(
            maps.sequential(maps.SHARE_PALETTE, len(share_upper)),
            map_classes.labels(share_upper, "share"),
            f"% of the {level}'s residents; the same classes for every group and local "
            "authority", note="Each class holds its upper limit."),
        "shares_alt": (f"Five maps of the {n} {level}s of {la['name']}, one per broad ethnic "
                       f"group, shaded by the group's share of residents in "
                       f"{len(share_upper)} {map_classes.SHORT_METHOD}: "
                       + "; ".join(m["summary"] for m in shares) + "."),
        "lq_maps": lqs,
        "lq_legend": maps.legend_panel(
            list(maps.LQ_COLOURS), list(maps.LQ_LABELS),
            f"Location quotient: the group's share of the {level}'s residents ÷ its share in "
            f"{la['name']}", note="Orange: lower than the LA share. Purple: higher. Grey: "
            "about the same (0.8 to 1.25)."),
        "lq_labels": list(maps.LQ_LABELS),
        "lq_alt": (f"Five maps of the {n} {level}s of {la['name']}, one per broad ethnic group, "
                   f"shaded by location quotient (the group's share of the {level}'s residents "
                   f"divided by its share in {la['name']}) in seven fixed classes around 1, "
                   "orange below and purple above: " + "; ".join(m["summary"] for m in lqs)
                   + "."),
        "lq_method": maps.LQ_METHOD,
        "lq_few_note": _few_note(frame, labels, la["name"], level),
        "table": table,
        "print_table": n <= PRINT_TABLE_ROWS,
        "has_wards": wards is not None,
        "ward_name": geography.WARD_NAMES[national.year],
        "max_entropy": MAX_ENTROPY,
        "class_method": map_classes.METHOD,
        "source": national.map_counts.source,
        "wards_note": f"Grey lines are ward boundaries ({geography.WARD_NAMES[national.year]})."
        if wards is not None else "No ward polygons are available; none are drawn.",
        # For the downloads (data.xlsx, map.gpkg): every mapped value, unrounded, with geometry.
        "frame": frame,
        "wards": wards,
        "basemap": full,  # the page-wide basemap, shared with the Schools section's maps
        "column_notes": column_notes(national.year),
    }
