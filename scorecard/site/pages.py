"""The site's pages: template contexts gathered from :class:`SiteData`, rendered with Jinja.

Every link is relative and names its file (``…/index.html``, never a bare folder), so the
site works from ``file://`` as well as from any static host.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import jinja2
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from .. import __version__, geography
from ..report.render import slug
from ..report.text import number, ordinal, ratio_text, reading_of_dissimilarity
from ..report.words import NOT_RANKED, rank_or_reason, rank_text
from ..segregation.battery import RANKED_AMONG, SMALL_GROUP, SMALL_NUMBERS_EXPECTED_D
from .data import BROAD, HOUSING, HOUSING_GROUPS, SiteData, attribution, group_labels
from .layers import (
    ENTROPY,
    Layer,
    dissimilarity_layers,
    lq_layers,
    share_layers,
)
from .maps import Level, build_map, place_labels, script_json  # noqa: F401 - used by build
from .schools import layers as school_layers
from .schools import school_level
from .svg import Frame

SITE_TITLE = "Race equality scorecards"
SCORECARD_FILES = {  # file in a scorecard folder → what the LA page calls it
    "index.html": "The scorecard (web page)",
    "scorecard.pdf": "The scorecard (PDF, A4)",
    "data.csv": "Every number on the scorecard, unrounded (CSV)",
    "data.xlsx": "Every number on the scorecard (Excel workbook)",
    "map.gpkg": "The scorecard's map layers (GeoPackage, British National Grid)",
}
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        # The report's templates under report/: the site's methods page includes the
        # scorecards' own account of the school measures rather than a second copy.
        loader=jinja2.ChoiceLoader([
            jinja2.PackageLoader("scorecard.site", "templates"),
            jinja2.PrefixLoader({"report": jinja2.PackageLoader("scorecard.report",
                                                                 "templates")})]),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["thousands"] = lambda n: f"{int(n):,}"
    env.filters["size"] = human_size
    env.filters["fixed"] = lambda v, dp: "–" if v is None or not np.isfinite(v) else (
        f"{v:,.{dp}f}")
    return env


def render(template: str, **context) -> str:
    return _environment().get_template(template).render(
        **context, version=__version__, site_title=SITE_TITLE, ogl_url=OGL_URL)


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1024
    return ""  # unreachable


def href(target: Path, page_dir: Path) -> str:
    """A relative link from a page's folder to a file, with forward slashes."""
    return Path(os.path.relpath(target, page_dir)).as_posix()


def la_page_dir(out: Path, la_code: str, la_name: str) -> Path:
    return Path(out) / "la" / f"{la_code}-{slug(la_name)}"


# -- the national map and league table ---------------------------------------------------


def _missing(note: str) -> str:
    return f"no value: {note}" if note else "no value"


def _d_texts(las: pd.DataFrame, group: str) -> list[str]:
    """D as the map and league table show it: corrected for small numbers with its interval
    and rank (among the LAs where the group is large enough to rank), the raw value beside
    it; for a group too small to rank, why it is not ranked."""
    texts = []
    columns = [f"d_{group}", f"d_lower_{group}", f"d_upper_{group}", f"d_raw_{group}",
               f"d_rank_{group}", f"d_n_ranked_{group}", f"d_flag_{group}", "index_note"]
    for value, low, high, raw, rank, n, flag, note in las[columns].itertuples(index=False):
        if pd.isna(value):
            texts.append(_missing(note))
            continue
        text = (f"{number(value, 2)} corrected for small numbers (95% CI {number(low, 2)} to "
                f"{number(high, 2)}; raw D {number(raw, 2)})")
        texts.append(f"{text}; {flag}" if flag else
                     f"{text}, {rank_text(rank, n)} {RANKED_AMONG} (1st = highest)")
    return texts


def _suppressed(flags: pd.Series) -> np.ndarray:
    """Ratios resting on a count under 10 (the group's or the reference group's)."""
    return flags.fillna("").str.contains("count<10", regex=False).to_numpy()


def _unavailable(flags: pd.Series) -> np.ndarray:
    """Ratios the source lacks ([x]): the group's or the reference group's records."""
    return flags.fillna("").str.contains("not available", regex=False).to_numpy()


def _missing_reason(las: pd.DataFrame) -> str:
    reasons = sorted({r for r in las["ss_unavailable"].fillna("") if r})
    return "; ".join(reasons)


def _ratio_texts(las: pd.DataFrame, prefix: str, missing: np.ndarray | None = None,
                 reasons: pd.Series | None = None) -> tuple[list[str], np.ndarray]:
    """Hover text of each LA's ratio (``{prefix}_ratio`` with its interval, reliability and
    note) and which ratios are suppressed (a count under 10); ``missing`` ratios (the source
    lacks them, for ``reasons``) read [x]."""
    missing = np.zeros(len(las), dtype=bool) if missing is None else missing
    reasons = pd.Series("", index=las.index) if reasons is None else reasons
    hidden = _suppressed(las[f"{prefix}_flag"]) & ~missing
    texts = []
    columns = [f"{prefix}_{c}" for c in ("ratio", "lower", "upper", "reliable", "note")]
    for (ratio, low, high, reliable, note), hide, lack, reason in zip(
            las[columns].itertuples(index=False), hidden, missing, reasons, strict=True):
        if lack:
            texts.append(f"[x] not available: {reason}")
        elif hide:
            texts.append("[c] suppressed: a count under 10")
        elif pd.isna(ratio):
            texts.append(_missing(note if isinstance(note, str) else ""))
        elif pd.isna(low):
            texts.append(f"{ratio_text(ratio)} ({note})" if note else ratio_text(ratio))
        else:
            reading = "" if reliable else "; no reliable difference"
            texts.append(f"{ratio_text(ratio)} (95% CI {ratio_text(low, ratio)} to "
                         f"{ratio_text(high, ratio)}){reading}")
    return texts, hidden


def stop_search_layer(las: pd.DataFrame) -> tuple[Layer, list[str], np.ndarray, np.ndarray]:
    year = las["ss_year"].dropna().iloc[0] if las["ss_year"].notna().any() else ""
    layer = Layer("ss_ratio", "ss_ratio", "ratio", "Stop and search", "Black vs White",
                  f"Stop and search rate of Black residents ÷ rate of White residents, {year} "
                  "(searches per resident; Black includes Mixed White and Black)",
                  "times the White rate")
    missing = _unavailable(las["ss_flag"])
    texts, hidden = _ratio_texts(las, "ss", missing, las["ss_unavailable"].fillna(""))
    return layer, texts, hidden, missing


def housing_layers(las: pd.DataFrame) -> list[tuple[Layer, list[str], np.ndarray]]:
    """One layer per tenure and group: the group's rate ÷ the White British rate, 2021
    (households, by the ethnic group of the household reference person)."""
    out = []
    for short, heading in HOUSING.values():
        for group in HOUSING_GROUPS:
            prefix = f"{short}_{group.lower()}"
            if f"{prefix}_ratio" not in las or las[f"{prefix}_ratio"].isna().all():
                continue
            layer = Layer(f"{prefix}_ratio", f"{prefix}_ratio", "ratio",
                          f"Households: {heading.lower()}", f"{group} vs White British",
                          f"{heading}: households whose reference person is {group} ÷ "
                          "households whose reference person is White British, 2021",
                          "times the White British rate")
            out.append((layer, *_ratio_texts(las, prefix)))
    return out


def _la_info(las: pd.DataFrame) -> list[str]:
    return [f"{t}, {r} · {n:,} residents" for t, r, n in
            las[["la_type", "region", "residents"]].itertuples(index=False)]


# Places named on the national map for bearings: the largest city of each region and Wales's
# capital, by LA code (the label is the place, not always the LA's formal name).
PLACES = {"E09000001": "London", "E08000025": "Birmingham", "E08000003": "Manchester",
          "E08000035": "Leeds", "E08000012": "Liverpool", "E08000021": "Newcastle",
          "E06000023": "Bristol", "W06000015": "Cardiff", "E06000016": "Leicester",
          "E06000026": "Plymouth", "E07000148": "Norwich", "E06000045": "Southampton",
          "E06000010": "Hull", "E06000018": "Nottingham", "W06000011": "Swansea"}


def national_map(data: SiteData, links: dict[str, str]) -> dict:
    """England and Wales by LA, shaded by a chosen share, index or ratio."""
    shapes = data.la_shapes
    labels = group_labels()
    layers = [*share_layers(BROAD),
              *dissimilarity_layers({g: labels[g] for g in data.index_groups},
                                    f"{data.index_unit}s")]
    texts = {f"d_{g}": _d_texts(shapes, g) for g in data.index_groups}
    unranked = {f"d_{g}": shapes[f"d_flag_{g}"].fillna("").ne("").to_numpy()
                for g in data.index_groups}  # shown on hover, not shaded beside ranked LAs
    suppressed, unavailable, notes = {}, {}, {}
    if shapes["ss_ratio"].notna().any():
        layer, texts["ss_ratio"], suppressed["ss_ratio"], unavailable["ss_ratio"] = \
            stop_search_layer(shapes)
        notes["ss_ratio"] = _missing_reason(shapes)
        layers.append(layer)
    for layer, layer_texts, hidden in housing_layers(shapes):
        texts[layer.id], suppressed[layer.id] = layer_texts, hidden
        layers.append(layer)
    layers += [layer for layer in school_layers() if shapes[layer.column].notna().any()]
    level = Level("la", "local authorities", shapes, layers, _la_info(shapes),
                  links=[links.get(code) for code in shapes["code"]], texts=texts,
                  suppressed=suppressed, unavailable=unavailable, missing_notes=notes,
                  unranked=unranked)
    frame = Frame.around(shapes.total_bounds, step=100)
    default = "d_asian" if "d_asian" in texts else layers[0].id
    places = shapes[shapes["code"].isin(PLACES)]
    points = shapely.point_on_surface(places.geometry.to_numpy())
    labels = place_labels([(shapely.get_x(p), shapely.get_y(p), PLACES[code])
                           for p, code in zip(points, places["code"], strict=True)], frame)
    return build_map("national-map", [level], frame, default_layer=default,
                     title=f"Map of the {len(shapes)} local authorities of England and Wales, "
                     f"{data.year}",
                     description="Each local authority is shaded by the measure chosen above "
                     "the map; the league table below gives every value.", labels=labels)


def what_we_found(data: SiteData) -> list[str]:
    """A few national sentences for the home page, picked from the league table's values:
    per broad group, the authority ranked first by corrected D and how many of the ranked
    read very high (LAs where the group is too small to rank are left out)."""
    las = data.las
    labels = group_labels()
    sentences = []
    for g in data.index_groups:
        values = las.loc[las[f"d_rank_{g}"].notna(), ["name", f"d_{g}", f"d_rank_{g}"]]
        if values.empty:
            continue
        top = values.sort_values(f"d_rank_{g}").iloc[0]
        high = int((values[f"d_{g}"] >= 0.6).sum())
        sentences.append(
            f"{labels[g]} residents: the dissimilarity from all others over {data.index_unit}s, "
            f"corrected for small numbers, was highest in {top['name']} "
            f"({top[f'd_{g}']:.2f}) of the {len(values)} {RANKED_AMONG}; {high} of them read "
            f"very high (0.6 or more), {data.year}.")
    if las["ss_ratio"].notna().any():
        shown = las[las["ss_ratio"].notna() & ~_suppressed(las["ss_flag"])]
        reliable = shown[shown["ss_reliable"] & (shown["ss_ratio"] > 1)]
        year = las["ss_year"].dropna().iloc[0]
        sentences.append(
            f"Stop and search, {year}: in {len(reliable)} of the {len(shown)} local "
            "authorities with a figure, Black residents were reliably more likely than White "
            "residents to be stopped and searched (95% interval of the ratio above 1).")
    return sentences


def league_table(data: SiteData, links: dict[str, str]) -> dict:
    """Every LA with D of each group corrected for small numbers (the raw D beside it), and
    the stop-and-search ratio; ordered by the first group's corrected D, highest first."""
    las = data.las
    labels = group_labels()
    columns = []
    for g in data.index_groups:  # each D with its rank beside it, not only on hover
        columns.append({"key": f"d_{g}", "label": f"D {labels[g]}, corrected", "title":
                        f"Dissimilarity of {labels[g]} residents from all others, over "
                        f"{data.index_unit}s, corrected for small numbers (raw D in brackets; "
                        "* a group too small to rank: not ranked, listed after the ranked)"})
        columns.append({"key": f"d_rank_{g}", "label": "Rank", "rank_of": f"d_{g}",
                        "title": f"Rank of corrected D {labels[g]} among the {RANKED_AMONG} "
                        "(1st = highest)"})
    ss = las["ss_ratio"].notna().any()
    ss_texts, hidden, missing = stop_search_layer(las)[1:] if ss else ([], [], [])
    titles = {f"d_{g}": _d_texts(las, g) for g in data.index_groups}
    rows = []
    for i, row in enumerate(las.itertuples(index=False)):
        cells = []
        for column in columns:
            value = getattr(row, column["key"])
            if "rank_of" in column:
                flag = getattr(row, column["rank_of"].replace("d_", "d_flag_", 1))
                cells.append({"v": "" if pd.isna(value) else f"{int(value)}",
                              "text": NOT_RANKED if flag else
                              "–" if pd.isna(value) else ordinal(int(value)),
                              "title": titles[column["rank_of"]][i]})
                continue
            raw = getattr(row, column["key"].replace("d_", "d_raw_", 1))
            flag = getattr(row, column["key"].replace("d_", "d_flag_", 1))
            # sorting by D sorts the ranked LAs: a group too small to rank goes last
            cells.append({"v": "" if pd.isna(value) or flag else f"{value:.6g}",
                          "text": "–" if pd.isna(value) else
                          f"{number(value, 2)} ({number(raw, 2)}){'*' if flag else ''}",
                          "title": titles[column["key"]][i]})
        if ss:
            value = row.ss_ratio
            shown = not (pd.isna(value) or hidden[i] or missing[i])
            cells.append({"v": f"{value:.6g}" if shown else "",
                          "text": ratio_text(value) if shown else (
                              "[x]" if missing[i] else "[c]" if hidden[i] else "–"),
                          "title": ss_texts[i]})
            low, high = row.ss_lower, row.ss_upper
            cells.append({"v": f"{low:.6g}" if shown and not pd.isna(low) else "",
                          "text": f"{ratio_text(low, value)} to {ratio_text(high, value)}"
                          if shown and not pd.isna(low) else "", "title": ss_texts[i]})
        rows.append({"code": row.code, "name": row.name, "href": links.get(row.code),
                     "region": row.region, "la_type": row.la_type,
                     "residents": row.residents, "cells": cells,
                     "order": getattr(row, columns[1]["key"]) if columns else 0})
    school_columns = []  # after the stop-and-search cell, in the cells' order
    for layer in school_layers():
        if not las[layer.column].notna().any():
            continue
        for row, values in zip(rows, las[layer.column], strict=True):
            row["cells"].append({"v": "" if pd.isna(values) else f"{values:.6g}",
                                 "text": layer.text(values) if not pd.isna(values) else "–",
                                 "title": layer.label})
        school_columns.append({"key": layer.column, "label": layer.short,
                               "title": layer.label})
    if ss:
        year = las["ss_year"].dropna().iloc[0]
        columns.append({"key": "ss_ratio", "label": f"Stop and search, Black ÷ White, {year}",
                        "title": "Stop and search rate of Black residents divided by the "
                        "rate of White residents (police.uk records; searches, not people; "
                        "Black includes Mixed White and Black)"})
        columns.append({"key": "ss_interval", "label": "95% interval",
                        "title": "95% confidence interval of the stop-and-search ratio"})
    columns += school_columns  # their cells were added after the stop-and-search cell
    _housing_columns(las, columns, rows)
    # Default order: the first group's rank by corrected D (groups too small to rank, and no
    # value, last, by name).
    rows.sort(key=lambda r: (pd.isna(r["order"]), 0 if pd.isna(r["order"]) else r["order"],
                             r["name"].lower()))
    return {"columns": columns, "rows": rows, "n": len(rows),
            "sorted_by": columns[0]["key"] if columns else "",
            "small_group": SMALL_GROUP, "small_expected": SMALL_NUMBERS_EXPECTED_D,
            "ss_year": las["ss_year"].dropna().iloc[0] if ss else "",
            "ss_missing": _missing_reason(las) if ss else "",
            "housing": any(c["key"].startswith("own_") for c in columns)}


def _housing_columns(las: pd.DataFrame, columns: list[dict], rows: list[dict]) -> None:
    """League-table columns of home ownership, each group ÷ White British, 2021 (rows are
    still in the order of ``las``)."""
    for layer, texts, hidden in housing_layers(las):
        if not layer.id.startswith("own_"):
            continue
        group = layer.short.split(" vs ")[0]
        columns.append({"key": layer.id, "label": f"Home ownership, {group} ÷ White British, "
                        "2021", "title": layer.label})
        for i, value in enumerate(las[layer.column]):
            shown = not (pd.isna(value) or hidden[i])
            rows[i]["cells"].append({"v": f"{value:.6g}" if shown else "",
                                     "text": ratio_text(value) if shown else (
                                         "[c]" if hidden[i] else "–"),
                                     "title": texts[i]})


# -- one LA -----------------------------------------------------------------------------


def _unit_level(data: SiteData, level: str, la_code: str, layers: list[Layer]) -> Level:
    shapes = data.unit_shapes[level]
    shapes = shapes[shapes["la_code"] == la_code].sort_values("code", ignore_index=True)
    values = data.unit_values(level).set_index("code")
    values = values.drop(columns=[c for c in ("name", "la_code") if c in values])
    frame = shapes.join(values, on="code")
    info = []
    for residents, ward in zip(frame["residents"], frame.get("ward_name", [""] * len(frame)),
                               strict=True):
        text = f"{int(residents):,} residents"
        info.append(f"{text} · centre in {ward} ward" if ward else text)
    name = geography.LEVEL_NAMES[level]
    return Level(level, f"{name}s", frame, layers, info)


def outline(geometries) -> BaseGeometry:
    """The union of an LA's units: a fast coverage union, or a full union where the
    generalised units are not a clean coverage (a few LAs, e.g. Milton Keynes)."""
    try:
        return shapely.coverage_union_all(geometries)
    except shapely.errors.GEOSException:
        return shapely.union_all(geometries)


def explore_map(data: SiteData, la_code: str, la_name: str, default_layer: str) -> dict:
    layers = [*share_layers(BROAD), *lq_layers(BROAD), ENTROPY]
    levels = [_unit_level(data, level, la_code, layers) for level in data.levels]
    outline_shape = outline(levels[0].frame.geometry.values)
    frame = Frame.around(outline_shape.bounds, step=1)
    overlay = ""
    if data.has_wards:  # ward lines over every level (wards are a level with values too)
        wards = data.ward_shapes
        wards = wards[wards["la_code"] == la_code].sort_values("code", ignore_index=True)
        overlay = "".join(frame.path(g) for g in wards.geometry)
    if data.year == 2021:  # the school census is matched to 2021 LAs
        schools = school_level(data.national.schools.schools, la_code)
        if schools is not None:
            levels.append(schools)
    first = levels[0]
    return build_map(
        "la-map", levels, frame, default_layer=default_layer,
        outline=frame.path(outline_shape), overlay=overlay,
        title=f"Map of the {len(first.frame)} {first.label} of {la_name}, {data.year}",
        description="Each area is shaded by the measure chosen above the map. The table "
        "of values below the map gives every value.")


def _default_layer(row: pd.Series) -> str:
    """The broad group other than White with the largest share of the LA's residents."""
    others = [g for g in BROAD if g != "white"]
    return f"share_{max(others, key=lambda g: row[f'share_{g}'])}"


def scorecard_files(folder: Path, page_dir: Path) -> list[dict]:
    """Every file of a scorecard folder, known ones first, with its size and a link."""
    if not folder.is_dir():
        return []
    found = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    order = list(SCORECARD_FILES)
    found.sort(key=lambda p: (order.index(p.name) if p.name in order else len(order), p.name))
    return [{"href": href(p, page_dir), "name": p.name,
             "label": SCORECARD_FILES.get(p.name, p.name), "size": p.stat().st_size}
            for p in found]


def la_context(data: SiteData, la_code: str, out: Path, scorecard_folder: Path,
               comparisons: list[dict]) -> dict:
    las = data.las.set_index("code")
    row = las.loc[la_code]
    page_dir = la_page_dir(out, la_code, row["name"])
    labels = group_labels()
    figures = []
    for g in data.index_groups:
        value, raw = row[f"d_{g}"], row[f"d_raw_{g}"]
        figures.append({
            "label": labels[g], "share": row.get(f"share_{g}"),
            "d": None if pd.isna(value) else value,
            "lower": row[f"d_lower_{g}"], "upper": row[f"d_upper_{g}"],
            "raw": None if pd.isna(raw) else raw, "flag": row[f"d_flag_{g}"],
            "rank": "" if pd.isna(value) else rank_or_reason(
                row[f"d_rank_{g}"], row[f"d_n_ranked_{g}"], row[f"d_flag_{g}"]),
            "reading": "" if pd.isna(raw) else reading_of_dissimilarity(raw)})
    explore = explore_map(data, la_code, row["name"], _default_layer(row))
    values = [{"level": geography.LEVEL_NAMES[level],
               "rows": data.unit_values(level)[data.unit_values(level)["la_code"] == la_code]
               .to_dict("records")} for level in data.levels]
    return {
        "root": "../../", "year": data.year, "attribution": attribution(data.year),
        "page": "la", "has_comparisons": bool(comparisons), "unit": data.index_unit,
        "la": {"code": la_code, "name": row["name"], "type": row["la_type"],
               "region": row["region"], "residents": int(row["residents"])},
        "files": scorecard_files(scorecard_folder, page_dir),
        "figures": figures, "index_note": row["index_note"],
        "small_group": SMALL_GROUP, "small_expected": SMALL_NUMBERS_EXPECTED_D,
        "map": explore, "values": values, "groups": BROAD,
        "sources": [data.source(level) for level in data.levels],
        "comparisons": [dict(c, href=href(c["path"], page_dir)) for c in comparisons
                        if la_code in c["codes"]],
    }


def comparisons_in(out: Path) -> list[dict]:
    """Comparison reports already in the site folder (``compare/<slug>/index.html``)."""
    found = []
    for page in sorted(Path(out).glob("compare/*/index.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        match = re.search(r"<title>(.*?)</title>", text, flags=re.S | re.I)
        title = " ".join(match.group(1).split()) if match else page.parent.name
        codes = set(re.findall(r"\b[EW]0[6-9]\d{6}\b", text))
        found.append({"path": page, "title": jinja2.utils.markupsafe.Markup(title).unescape(),
                      "codes": codes})
    return found
