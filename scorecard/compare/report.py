"""The comparison report: a folder with index.html (self-contained), compare.pdf and data.csv.

:func:`write_comparison` checks every input first (names, years, peers, areas file), then
computes (:func:`.comparison.compare`), builds the page context here — formatting and plain
sentences only, no statistics — renders ``compare.html.j2`` and writes the folder whole.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import jinja2
import pandas as pd

from .. import __version__, geography, groups
from ..change.since2011 import CLASSIFICATION, caption
from ..errors import InputError
from ..gaps import MIN_COUNT, SUPPRESSED
from ..io import staged_folder, write_csv
from ..progress import progress_bar
from ..report.responsive import scrolling_tables
from ..report.text import join_names
from ..report.words import (
    READING,
    between,
    finite,
    group_words,
    number,
    percentile_text,
    rank_or_reason,
    rank_text,
    signed,
)
from ..resources import package_file
from ..segregation.battery import SMALL_GROUP, SMALL_NUMBERS_EXPECTED_D
from ..segregation.inference import DEFAULT_DRAWS, DEFAULT_SEED
from .comparison import PEER_KINDS, PEER_WORDS, STEPS, Comparison, compare, tidy
from .figures import AREA_COLOURS, areas_map, slope_panels
from .housing import housing_download, housing_rows, housing_section
from .selection import AREA_LEVELS, Area, check_years, resolve

INDEX_LABELS = {
    "dissimilarity": "Dissimilarity (D)",
    "isolation": "Isolation (xPx)",
    "exposure": "Exposure to all others (xPy)",
    "theil_h": "Theil's entropy index (H)",
}
INDEX_MEANINGS = {
    "dissimilarity": "the share of the group (or of all other residents) that would have to "
    "move to another unit for both to be spread evenly; 0 is an even spread, 1 complete "
    "separation",
    "isolation": "the group's share of the residents of the unit of the average member of "
    "the group; it rises with the group's size as well as with its separation",
    "exposure": "the share of all other residents in the unit of the average member of the "
    "group; it falls as the group grows, and isolation and exposure add up to 1",
    "theil_h": "how much less mixed the units are than the area as a whole (entropy), from "
    "0 (every unit mixed like the area) to 1 (no unit mixed at all)",
}
COMPONENTS = {
    "group_marginal": "Part from group shares (composition)",
    "unit_marginal": "Part from unit sizes",
    "structural": "Part from spread across units (structure)",
    "one_year_only": "Part from units or groups of one year only",
}
GEOGRAPHY = ("units common to both censuses: sets of 2011 and 2021 output areas that cover "
             "the same residents (unchanged and merged output areas, split output areas with "
             "all their parts, and where the output areas cannot be matched exactly, the "
             "smallest set of LSOAs that can), found from the ONS OA and LSOA 2011 to 2021 "
             "lookups; nothing is apportioned")
IN_TABLES = "five broad ethnic groups on units common to both censuses"
ATTRIBUTION = ("Source: Office for National Statistics licensed under the Open Government "
               "Licence v.3.0. Contains OS data © Crown copyright and database right 2021.")


# ----------------------------------------------------------------------------- formatting


def folder_name(areas: Sequence[Area]) -> str:
    """A readable folder name from the areas' names. Custom areas' names are the user's
    (any Unicode; two may share a slug, or have none): their folder also carries a short
    hash of the exact names, as does any name too long to read."""
    from ..report.render import slug

    text = slug("-".join(a.name for a in areas))
    if len(text) > 80 or not text or any(a.level == "custom" for a in areas):
        exact = "\0".join(f"{a.level}:{a.code}" for a in areas)
        digest = hashlib.sha1(exact.encode("utf-8")).hexdigest()[:8]
        text = f"{text[:70].rstrip('-')}-{digest}".lstrip("-")
    return text


# ----------------------------------------------------------------------------- context


def _area_rows(result: Comparison) -> list[dict]:
    las = geography.authorities(2021).set_index("code")
    counts = result.residents.set_index("area_code")
    rows = []
    for i, area in enumerate(result.areas):
        if area.level == "la":
            where = f"{las.loc[area.code, 'la_type']}, {las.loc[area.code, 'region_name']}"
        elif area.level == "region":
            where = "Country" if area.code.startswith("W") else "Region of England"
        else:
            where = "County council area" if area.code.startswith("E10") else "Custom area"
        rows.append({"code": area.code, "name": area.name, "level": AREA_LEVELS[area.level],
                     "where": where, "colour": AREA_COLOURS[i % len(AREA_COLOURS)],
                     "units": f"{int(counts.loc[area.code, 'units']):,}",
                     "residents_2011": f"{int(counts.loc[area.code, 'residents_2011']):,}",
                     "residents_2021": f"{int(counts.loc[area.code, 'residents_2021']):,}",
                     "note": area.note})
    return rows


def _reading(row) -> str:
    return READING.get(row["direction"], "") if finite(row["change"]) else ""


def _index_tables(result: Comparison, first_number: int) -> list[dict]:
    labels = groups.labels(CLASSIFICATION)
    change = result.change.set_index(["area_code", "index", "group"])
    ranked = (result.ranks.set_index(["area_code", "index", "group"])
              if not result.ranks.empty else None)
    colours = {a.code: AREA_COLOURS[i % len(AREA_COLOURS)] for i, a in enumerate(result.areas)}
    tables = []
    for k, (index, label) in enumerate(INDEX_LABELS.items()):
        blocks = []
        for group in groups.codes(CLASSIFICATION):
            rows = []
            for area in result.areas:
                row = change.loc[(area.code, index, group)]
                rank = (ranked.loc[(area.code, index, group)]
                        if ranked is not None and (area.code, index, group) in ranked.index
                        else None)
                rows.append({
                    "area": area.name, "colour": colours[area.code],
                    "from": number(row["value_from"]), "to": number(row["value_to"]),
                    "change": signed(row["change"]),
                    "interval": between(row["change_lower"], row["change_upper"]),
                    "reading": _reading(row),
                    "note": "" if finite(row["change"]) else row["note"].split(";")[0],
                    "rank_to": "" if rank is None else rank_or_reason(
                        rank["rank_to"], rank["n_to"], rank.get("flag", "")),
                    "percentile_to": "" if rank is None else percentile_text(
                        rank["percentile_to"]),
                    "rank_change": "" if rank is None else rank_or_reason(
                        rank["rank_change"], rank["n_change"], rank.get("flag", "")),
                    "flag": "" if rank is None else rank.get("flag", ""),
                    "peer_rank_to": "" if rank is None or "peer_rank_to" not in rank else
                    rank_text(rank["peer_rank_to"], rank["peer_n_to"]),
                })
            blocks.append({"label": f"{group_words(group, labels)} compared with all others",
                           "rows": rows})
        tables.append({"number": first_number + k, "index": index, "label": label,
                       "meaning": INDEX_MEANINGS[index], "blocks": blocks})
    return tables


def _summary(result: Comparison) -> list[str]:
    """One plain sentence per area on dissimilarity, and one on M."""
    out = []
    change = result.change
    m = change[(change["index"] == "mutual_information_m")].set_index("area_code")
    for area in result.areas:
        d = change[(change["area_code"] == area.code) & (change["index"] == "dissimilarity")
                   & change["change"].notna()]
        counts = d["direction"].map(READING).value_counts()
        parts = [f"{verb} for {counts[word]}" for word, verb in
                 (("fell", "fell"), ("rose", "rose"),
                  ("no reliable change", "showed no reliable change")) if counts.get(word)]
        sentence = (f"In {area.name}, dissimilarity (D) {join_names(parts)} of the {len(d)} "
                    "broad groups between 2011 and 2021 (each group compared with all other "
                    "residents, units common to both censuses).") if parts else (
                    f"In {area.name}, no dissimilarity (D) could be compared between 2011 and "
                    "2021.")
        if area.code in m.index and finite(m.loc[area.code, "change"]):
            row = m.loc[area.code]
            word = _reading(row)
            verb = {"rose": "rose", "fell": "fell"}.get(word, "changed")
            sentence += (f" The mutual information index (M, all five groups at once) {verb} "
                         f"from {number(row['value_from'])} to {number(row['value_to'])} "
                         f"(change {signed(row['change'])}, 95% interval "
                         f"{between(row['change_lower'], row['change_upper'])}"
                         + ("; no reliable change)." if word == "no reliable change" else ")."))
        out.append(sentence)
    return out


def _decomposition(result: Comparison) -> dict:
    wide = result.decomposition.pivot(index="area_code", columns="component", values="value")
    notes = result.decomposition.drop_duplicates("area_code").set_index("area_code")["note"]
    m = result.change[result.change["index"] == "mutual_information_m"].set_index("area_code")
    rows, sentences = [], []
    for i, area in enumerate(result.areas):
        parts = wide.loc[area.code]
        row = m.loc[area.code]
        one_year = parts["additions"] + parts["removals"]
        rows.append({"area": area.name, "colour": AREA_COLOURS[i % len(AREA_COLOURS)],
                     "from": number(parts["M1"]), "to": number(parts["M2"]),
                     "change": signed(parts["diff"]),
                     "interval": between(row["change_lower"], row["change_upper"]),
                     "reading": _reading(row),
                     "group_marginal": signed(parts["group_marginal"]),
                     "unit_marginal": signed(parts["unit_marginal"]),
                     "structural": signed(parts["structural"]),
                     "one_year_only": signed(one_year), "note": notes.get(area.code, "")})
        note = notes.get(area.code, "")
        if note or not finite(parts["diff"]):
            sentences.append(f"{area.name}: no decomposition ({note or 'no value'}).")
        else:
            composition, structure = parts["group_marginal"], parts["structural"]
            moved = (f"M {_verb(parts['diff'])} by {number(abs(parts['diff']), 3)}"
                     if round(abs(parts["diff"]), 3) else "M stayed about the same (a change "
                     "under 0.001)")
            sentences.append(
                f"{area.name}: {moved}; the change in the groups' shares alone "
                f"{_effect(composition)}, and the change in how the groups are spread across "
                f"units {_effect(structure)}.")
    return {"rows": rows, "components": COMPONENTS, "sentences": sentences}


def _verb(value: float) -> str:
    return "rose" if value > 0 else "fell" if value < 0 else "stayed the same"


def _effect(value: float) -> str:
    if not finite(value) or round(abs(value), 3) == 0:
        return "left it about the same (under 0.001)"
    return f"{'raised' if value > 0 else 'lowered'} it by {number(abs(value), 3)}"


def _stop_search(result: Comparison) -> dict | None:
    from ..report.text import ratio_text

    table = result.stop_search
    la_codes = [a.code for a in result.areas if a.level == "la"]
    if table.empty or not la_codes:
        return None
    info = result.stop_search_info
    names = {a.code: a.name for a in result.areas}
    order = [*la_codes, "K04000001"]
    rows, sentences = [], []
    for code in order:
        part = table[table["geography_code"] == code]
        if part.empty:
            continue
        name = names.get(code, part["geography_name"].iloc[0])
        small = ((part["numerator_from"] < MIN_COUNT) | (part["numerator_to"] < MIN_COUNT)
                 )[part["statistic"] == "value"].any()
        first_time, last_time = part["time_from"].iloc[0], part["time_to"].iloc[0]
        for statistic in ("value", "ratio"):
            for r in part[part["statistic"] == statistic].sort_values("ethnicity").to_dict(
                    "records"):
                hidden = small if statistic == "ratio" else (
                    r["numerator_from"] < MIN_COUNT or r["numerator_to"] < MIN_COUNT)
                dp = 1 if statistic == "value" else 2
                what = (f"{r['ethnicity']} residents, searches {info['unit']}"
                        if statistic == "value" else
                        f"Ratio, {r['ethnicity']} to {r['reference']} residents")
                rows.append({
                    "area": name, "measure": what, "national": code == "K04000001",
                    "from": SUPPRESSED if hidden else number(r["value_from"], dp),
                    "to": SUPPRESSED if hidden else number(r["value_to"], dp),
                    "change": SUPPRESSED if hidden else signed(r["change"], dp),
                    "interval": "" if hidden else between(r["change_lower"], r["change_upper"],
                                                          dp),
                    "reading": "" if hidden else READING.get(r["direction"], "")})
                if statistic == "ratio" and not hidden and code != "K04000001":
                    word = READING.get(r["direction"], "")
                    tail = (f"the ratio {word} by {number(abs(r['change']), 2)} (95% CI "
                            f"{between(r['change_lower'], r['change_upper'], 2)})"
                            if word in ("rose", "fell") else
                            f"no reliable change in the ratio (change {signed(r['change'], 2)},"
                            f" 95% CI {between(r['change_lower'], r['change_upper'], 2)})")
                    sentences.append(
                        f"In {name}, {r['ethnicity']} residents were "
                        f"{ratio_text(r['value_to'])} times as likely as {r['reference']} "
                        f"residents to be stopped and searched in {last_time} (95% CI "
                        f"{ratio_text(r['lower_to'], r['value_to'])} to "
                        f"{ratio_text(r['upper_to'], r['value_to'])}), and "
                        f"{ratio_text(r['value_from'])} times in {first_time}: {tail}.")
    missing = [a.name for a in result.areas if a.level == "la" and a.code not in
               set(table["geography_code"])]
    return {"rows": rows, "sentences": sentences, "name": info["name"],
            "source": info["source"], "caveats": info["caveats"], "unit": info["unit"],
            "time_from": str(table["time_from"].iloc[0]), "time_to": str(table["time_to"].iloc[0]),
            "missing": missing,
            "not_las": [a.name for a in result.areas if a.level != "la"]}


def _slope(result: Comparison) -> dict:
    labels = groups.labels(CLASSIFICATION)
    d = result.change[result.change["index"] == "dissimilarity"].set_index(["area_code",
                                                                           "group"])
    names = [a.name for a in result.areas]
    panels, alt_parts = [], []
    for group in groups.codes(CLASSIFICATION):
        values = [(float(d.loc[(a.code, group), "value_from"]),
                   float(d.loc[(a.code, group), "value_to"])) for a in result.areas]
        panels.append({"title": group_words(group, labels), "values": values})
        alt_parts.append(f"{group_words(group, labels)}: " + "; ".join(
            f"{a.name} {number(v[0])} to {number(v[1])}" for a, v in
            zip(result.areas, values, strict=True)))
    svg = slope_panels(panels, names, years=(2011, 2021), y_label="Dissimilarity (D)",
                       title="Dissimilarity (D) of each broad group from all other residents, "
                       "2011 and 2021")
    alt = ("Slope charts, one for each of the five broad ethnic groups, each with one line per "
           "area from its 2011 to its 2021 dissimilarity (D) on units common to both censuses. "
           + ". ".join(alt_parts) + ".")
    return {"svg": svg, "alt": alt}


def _geometries(areas: Sequence[Area]) -> tuple[object, list[tuple[str, object]]]:
    las = geography.polygons("la", 2021)
    region = geography.authorities(2021).set_index("code")["region_code"]
    shapes = []
    for area in areas:
        if area.level == "la":
            geometry = las.loc[las["code"] == area.code, "geometry"]
        elif area.level == "region":
            geometry = las.loc[las["code"].map(region) == area.code, "geometry"]
        else:  # output areas have no polygons here: their LSOAs, or the wards listed
            level = "ward" if area.listed_level == "ward" else "lsoa"
            wanted = set(area.listed) if level == "ward" else set(
                geography.oa_lookup(2021).set_index("code")["lsoa"].reindex(
                    list(area.units)).dropna())
            units = geography.units(2021, level).set_index("code")["la_code"]
            shapes_of = pd.concat([geography.polygons(level, 2021, code) for code in
                                   units.reindex(list(wanted)).dropna().unique()])
            geometry = shapes_of.loc[shapes_of["code"].isin(wanted), "geometry"]
        shapes.append((area.name, geometry.union_all()))
    return las, shapes


def _map(result: Comparison) -> dict:
    las, shapes = _geometries(result.areas)
    svg = areas_map(las, shapes, title="The compared areas in England and Wales")
    regions = {r["name"]: r["where"] for r in _area_rows(result)}
    alt = ("Map of the local authorities of England and Wales (2021 boundaries) with the "
           "compared areas coloured and named at the right: " +
           "; ".join(f"{name} ({regions[name]})" for name, _ in shapes) + ".")
    return {"svg": svg, "alt": alt}


def _peers(result: Comparison) -> dict | None:
    if not result.peer_kind:
        return None
    names = {a.code: a.name for a in result.areas}
    return {"kind": result.peer_kind, "words": PEER_WORDS[result.peer_kind],
            "groups": [{"name": names[code], "peers": ", ".join(peers)}
                       for code, peers in result.peer_groups.items()]}


def _units_caption(result: Comparison) -> str:
    """'on N units common to both censuses' for each area (one area: without its name)."""
    counts = result.residents.set_index("area_code")["units"]
    if len(result.areas) == 1:
        return caption(int(counts.iloc[0]))
    return "; ".join(f"{a.name} {caption(int(counts.loc[a.code]))}" for a in result.areas)


def comparison_context(result: Comparison, housing: pd.DataFrame | None = None) -> dict:
    """The template context of a comparison page (``housing``: :func:`.housing.housing_rows`
    of the areas, read from the embedded data when not given)."""
    names = [a.name for a in result.areas]
    if housing is None:
        housing = housing_rows(result.areas)
    index_tables = _index_tables(result, first_number=2)
    stop = _stop_search(result)
    return {
        "title": join_names(names),
        "areas": _area_rows(result),
        "has_las": any(a.level == "la" for a in result.areas),
        "n_las": len(geography.authorities(2021)),
        "small_group": SMALL_GROUP, "small_expected": SMALL_NUMBERS_EXPECTED_D,
        "geography": GEOGRAPHY,
        "in_tables": IN_TABLES,
        "units_caption": _units_caption(result),
        "classification": "the five broad ethnic groups (Asian, Black, Mixed, White, Other)",
        "summary": _summary(result),
        "slope": _slope(result),
        "map": _map(result),
        "index_tables": index_tables,
        "m_table_number": 2 + len(index_tables),
        "stop_table_number": 3 + len(index_tables),
        "decomposition": _decomposition(result),
        "stop": stop,
        "housing": housing_section(result.areas, housing),
        "housing_table_number": 4 + len(index_tables),
        "peers": _peers(result),
        "draws": result.draws,
        "seed": result.seed,
        "attribution": ATTRIBUTION,
    }


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("scorecard.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render_html(context: dict) -> str:
    """The comparison page: one HTML file with its CSS and figures inline."""
    css = package_file("report/static/scorecard.css").read_text(encoding="utf-8")
    html = _environment().get_template("compare.html.j2").render(**context, css=css,
                                                                 version=__version__)
    return scrolling_tables(html)


def html_to_pdf(html: str) -> bytes:
    """The page as an A4 PDF (the shared WeasyPrint path of the scorecards)."""
    from ..report.pdf import html_to_pdf as render_pdf

    return render_pdf(html)


# ----------------------------------------------------------------------------- writing


def check_peers(kind: str | None) -> str | None:
    if kind is not None and kind not in PEER_KINDS:
        raise InputError(None, None, None, f"--peers {kind}: choose one of "
                         + ", ".join(PEER_KINDS))
    return kind


def write_comparison(names: Sequence[str], out: str | Path, *, areas_file: str | Path | None
                     = None, years: str | Sequence[int] | None = None,
                     peers: str | None = None, draws: int = DEFAULT_DRAWS,
                     seed: int = DEFAULT_SEED, progress: bool = False) -> Path:
    """Compare two or more areas and write ``out/compare/<names>/`` with index.html,
    compare.pdf and data.csv. Bad input raises InputError before anything is written."""
    check_years(years)
    check_peers(peers)
    areas = resolve(names, areas_file)
    from ..report.pdf import check_pdf_engine

    check_pdf_engine()
    with progress_bar(len(areas) + STEPS + 3, "finding units common to both censuses",
                      enabled=progress) as step:
        result = compare(areas, peer_kind=peers, draws=draws, seed=seed, step=step)
        housing = housing_rows(result.areas)
        context = comparison_context(result, housing)
        step("page")
        html = render_html(context)
        numbers = pd.concat([tidy(result), housing_download(housing)], ignore_index=True)
        step("PDF")
        pdf = html_to_pdf(html)
        step("writing the folder")
        target = Path(out) / "compare" / folder_name(areas)
        with staged_folder(target) as staging:
            (staging / "index.html").write_text(html, encoding="utf-8")
            (staging / "compare.pdf").write_bytes(pdf)
            write_csv(numbers, staging / "data.csv")
    return target

