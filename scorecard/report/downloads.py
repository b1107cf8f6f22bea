"""Downloads beside each scorecard page: data.xlsx for officers and map.gpkg for GIS users.

Both hold the page's numbers unrounded, from the same context the page is rendered from;
nothing here computes a statistic. The workbook has a "Read me" sheet (what each sheet holds,
sources, licence, symbols), then one sheet per section with a title, source and units above a
frozen header. The GeoPackage holds the LA's LSOAs with every mapped value (and, for 2021,
its wards) in British National Grid (EPSG:27700). Both files are byte-identical from run to
run: no timestamps are left in them.
"""

from __future__ import annotations

import io
import re
import sqlite3
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter

from .. import __version__, gaps, geography
from ..gaps import LOW_RELIABILITY, SUPPRESSED, SYMBOLS_NOTE
from ..indicators import DOMAINS
from .words import rank_or_reason

WORKBOOK_NAME = "data.xlsx"
GEOPACKAGE_NAME = "map.gpkg"
MAPS_SHEET = "Maps by LSOA"  # the page's print note names this sheet
NOT_AVAILABLE = "[x]"  # GSS symbol: not available

# number formats by unit: the cell keeps every digit, the format only shows fewer
FORMATS = {"count": "#,##0", "%": "0.0", "ratio": "0.00", "index": "0.000", "nats": "0.000",
           "value": "#,##0.0"}
HEADER_FILL = "#DCE6F0"
MUTED_COLOUR = "#4A4A4A"
LINK_COLOUR = "#0B4F8A"


class Book:
    """An XlsxWriter workbook in memory with the cell formats the sheets share. The first
    sheet is "Read me", filled last (it lists the other sheets)."""

    def __init__(self, buffer: io.BytesIO) -> None:
        self.workbook = xlsxwriter.Workbook(buffer, {
            "in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
            "strings_to_urls": False, "nan_inf_to_errors": True})
        add = self.workbook.add_format
        self.title = add({"bold": True, "font_size": 13})
        self.muted = add({"italic": True, "font_color": MUTED_COLOUR})
        self.header = add({"bold": True, "bg_color": HEADER_FILL, "text_wrap": True,
                           "valign": "top"})
        self.unit = add({"italic": True, "font_color": MUTED_COLOUR, "bg_color": HEADER_FILL})
        self.numbers = {unit: add({"num_format": code}) for unit, code in FORMATS.items()}
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.wrap_title = add({"bold": True, "font_size": 13, "text_wrap": True,
                               "valign": "top"})
        self.wrap_bold = add({"bold": True, "text_wrap": True, "valign": "top"})
        self.wrap_link = add({"font_color": LINK_COLOUR, "underline": 1, "text_wrap": True,
                              "valign": "top"})
        self.read_me = self.workbook.add_worksheet("Read me")

    def add_sheet(self, name: str):
        return self.workbook.add_worksheet(name)


def write_downloads(folder: Path, context: dict) -> None:
    """Write data.xlsx and map.gpkg into ``folder`` (the scorecard's staged folder)."""
    write_workbook(Path(folder) / WORKBOOK_NAME, context)
    write_geopackage(Path(folder) / GEOPACKAGE_NAME, context)


# --------------------------------------------------------------------------- workbook


def _cell(value):
    """A value as a number, text or nothing: numpy scalars unwrapped, NaN/NA empty."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _shown_width(value) -> int:
    return len(f"{value:,.3f}" if isinstance(value, float) else str(value))


def _table_sheet(book: Book, name: str, *, title: str, notes: list[str],
                 columns: list[tuple[str, str, str]], rows: list[list]) -> None:
    """A sheet: title, notes, a header of (name, unit) rows frozen above the data.

    ``columns`` are (key, heading, unit); the unit picks the cells' number format.
    """
    sheet = book.add_sheet(name)
    sheet.write(0, 0, title, book.title)
    for i, note in enumerate(notes, start=1):
        sheet.write(i, 0, note, book.muted)
    header = len(notes) + 2  # under the title, the notes and a blank row (0-based)
    for col, (_, heading, unit) in enumerate(columns):
        sheet.write(header, col, heading, book.header)
        sheet.write(header + 1, col, unit, book.unit)
    first = header + 2
    formats = [book.numbers.get(unit) for _, _, unit in columns]
    widths = [max(len(heading) * 0.6, len(unit)) for _, heading, unit in columns]
    for r, row in enumerate(rows):
        for col, value in enumerate(row):
            value = _cell(value)
            if value is None:
                continue
            sheet.write(first + r, col, value, formats[col])
            if r < 400:  # column widths from the first rows, as a reader sees them
                widths[col] = max(widths[col], _shown_width(value))
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width + 2, 8), 60))
    sheet.freeze_panes(first, 0)
    sheet.autofilter(header, 0, max(first + len(rows) - 1, header), len(columns) - 1)


def _place(context: dict, census: bool = True) -> str:
    la = context["la"]
    return f"{la['name']} ({la['code']})" + (f", Census {context['year']}" if census else "")


def _population_sheet(book: Book, context: dict) -> None:
    population = context["population"]
    total = population["total"]
    rows = [["group", r["group"], r["label"], r["broad"], r["count"], r["percent"]]
            for r in population["rows"]]
    rows += [["broad group", r["group"], r["label"], r["label"], r["count"], r["percent"]]
             for r in population["broad_rows"]]
    rows.append(["all", "all", "All usual residents", "", total, 100.0])
    _table_sheet(
        book, "Population", title=f"Usual residents by ethnic group, {_place(context)}",
        notes=[f"Source: {population['source']}. Classification: "
               f"{population['classification']}.",
               "Rows: each ethnic group, then the five broad groups, then all usual "
               "residents. Percentages are unrounded."],
        columns=[("level", "Level", "text"), ("group", "Group code", "code"),
                 ("label", "Ethnic group", "name"), ("broad", "Broad group", "name"),
                 ("count", "Usual residents", "count"),
                 ("percent", "Percentage of usual residents", "%")],
        rows=rows)


def _segregation_sheet(book: Book, context: dict) -> None:
    segregation = context["segregation"]
    inference = segregation["inference"].set_index(["group", "index"])
    labels = segregation["index_labels"]
    rows = []
    for r in segregation["rows"]:
        for index, cell in r["cells"].items():
            extra = (inference.loc[(r["group"], index)]
                     if (r["group"], index) in inference.index else None)
            rows.append([r["group"], r["label"], labels.get(index, index), index,
                         cell["value"],
                         None if extra is None else extra["expected"],
                         None if extra is None else extra["lower"],
                         None if extra is None else extra["upper"],
                         cell["rank"], r["n_units"],
                         "; ".join(t for t in (r["flag"], r["note"]) if t)])
            corrected = (r["group"], f"{index}_bias_corrected")
            if corrected in inference.index:
                extra = inference.loc[corrected]
                rank = rank_or_reason(extra["rank"], extra["n_ranked"], extra["flag"])
                rows.append([r["group"], r["label"], f"{labels.get(index, index)}, "
                             "bias-corrected", corrected[1], extra["value"], extra["expected"],
                             extra["lower"], extra["upper"], rank, r["n_units"],
                             "; ".join(t for t in (r["flag"], r["note"]) if t)])
    _table_sheet(
        book, "Segregation",
        title=f"Segregation indices, {segregation['unit_level']}s within {_place(context)}",
        notes=[f"Source: {segregation['source']}. Indices after Massey and Denton (1988); "
               "each group compared with all other residents.",
               "Expected: the index if residents were placed at random (simulation); the 95% "
               "interval is of the index. Rank among the local authorities of England and "
               "Wales where the group is large enough to rank ('15th of 141': of 141 ranked; "
               "1st = highest); D and H are ranked on their values corrected for small "
               "numbers (the bias-corrected rows); 'not ranked', with the reason in the "
               "note, where the group is too small. Values unrounded."],
        columns=[("group", "Group code", "code"), ("label", "Ethnic group", "name"),
                 ("measure", "Index", "name"), ("index", "Index code", "code"),
                 ("value", "Value", "index"), ("expected", "Expected at random", "index"),
                 ("lower", "95% interval, lower", "index"),
                 ("upper", "95% interval, upper", "index"),
                 ("rank", "Rank among LAs", "text"),
                 ("n_units", f"{segregation['unit_level']}s (n)", "count"),
                 ("note", "Note", "text")],
        rows=rows)


def _maps_sheet(book: Book, context: dict) -> None:
    maps = context["maps"]
    frame = maps["frame"].drop(columns="geometry")
    notes = maps["column_notes"]
    headings = _map_headings(maps)
    columns = [(c, headings.get(c, c), notes[c][0]) for c in frame.columns]
    _table_sheet(
        book, MAPS_SHEET,
        title=f"Share of residents, location quotient and diversity, each {maps['level']} of "
              f"{_place(context)}",
        notes=[f"Source: {maps['source']}; boundaries from the ONS Open Geography Portal.",
               "Every value on the maps, unrounded; the columns are explained on the Read me "
               "sheet. The same table with boundaries is map.gpkg."],
        columns=columns, rows=frame.to_numpy(dtype=object).tolist())


def _map_headings(maps: dict) -> dict[str, str]:
    labels = maps["group_labels"]
    level = maps["level"]
    headings = {"code": f"{level} code", "name": f"{level} name", "ward_code": "Ward code",
                "ward_name": "Ward name", "residents": "Usual residents",
                "entropy": "Diversity (entropy)", "note": "Note"}
    for g, label in labels.items():
        headings[f"count_{g}"] = f"{label} residents"
        headings[f"share_{g}"] = f"{label}, % of residents"
        headings[f"lq_{g}"] = f"{label}, location quotient"
    return headings


GAP_COLUMNS = [
    ("name", "Indicator", "name"), ("measure", "Indicator code", "code"),
    ("time", "Period", "text"), ("ethnicity", "Ethnic group", "name"),
    ("reference", "Reference group", "name"), ("geography_name", "Area", "name"),
    ("geography_code", "Area code", "code"), ("numerator", "Count", "count"),
    ("denominator", "Of", "count"), ("value", "Value", "value"), ("unit", "Unit", "text"),
    ("lower", "95% CI, lower", "value"), ("upper", "95% CI, upper", "value"),
    ("gap_pp", "Gap to reference", "value"), ("gap_lower", "Gap, 95% CI lower", "value"),
    ("gap_upper", "Gap, 95% CI upper", "value"), ("ratio", "Ratio to reference", "ratio"),
    ("ratio_lower", "Ratio, 95% CI lower", "ratio"),
    ("ratio_upper", "Ratio, 95% CI upper", "ratio"),
    ("reliable", "Reliable difference", "text"), ("symbol", "Symbol", "text"),
    ("flag", "Flag", "text"), ("national_name", "Comparator", "name"),
    ("national_value", "Comparator value", "value"), ("rank", "Rank among areas", "count"),
    ("n_ranked", "Areas ranked", "count"), ("note", "Note", "text"),
    ("source", "Source", "text"), ("caveats", "Caveats", "text"),
]


def sheet_name(heading: str) -> str:
    """An Excel sheet name (31 characters, none of []:*?/\\) from a domain heading."""
    name = re.sub(r"[\[\]:*?/\\]", " ", heading)
    if len(name) > 31:
        name = re.sub(r"^Support for (the )?", "", name)
    return name[:31]


def _domain_sheets(book: Book, context: dict) -> list[tuple[str, str]]:
    table = context["gaps_table"]
    if context.get("domains") is None or table is None or table.empty:
        return []
    table = table.assign(
        symbol=gaps.symbols(table),  # what the page shows instead of the value, or beside it
        reliable=np.where(table["value"].isna(), "",
                          np.where(table["reliable"].astype(bool), "yes", "no")))
    keys = [key for key, _, _ in GAP_COLUMNS]
    # One conversion to rows for the whole table (pandas is slow per small frame).
    present = [k for k in keys if k in table.columns]
    values = table.reindex(columns=present).astype(object)
    values = values.where(values.notna(), None).to_numpy().tolist()
    position = {k: i for i, k in enumerate(present)}
    domain_of = table["domain"].tolist()
    written = []
    for domain, heading in DOMAINS.items():
        name = sheet_name(heading)
        sources = sorted({s for s, d in zip(table["source"], domain_of, strict=True)
                          if d == domain and isinstance(s, str) and s})
        rows = [[row[position[k]] if k in position else None for k in keys]
                for row, d in zip(values, domain_of, strict=True) if d == domain]
        _table_sheet(
            book, name, title=f"{heading}: measures by ethnic group, "
                              f"{_place(context, census=False)}",
            notes=[f"Sources: {'; '.join(sources) if sources else 'none built in'}.",
                   "Values unrounded, as published by the source; a row without a value "
                   f"says why in its note. {SYMBOLS_NOTE} The symbol column shows what the "
                   "page replaces by a symbol."],
            columns=GAP_COLUMNS, rows=rows)
        written.append((name, f"{heading}: every measure, period and ethnic group with its "
                              "gap and ratio to the reference group"))
    return written


def _read_me(book: Book, context: dict, domain_sheets: list[tuple[str, str]]) -> None:
    sheet = book.read_me
    maps = context["maps"]
    la = context["la"]
    lines: list[tuple[str, str]] = [
        (f"Race equality scorecard: {la['name']} ({la['code']}), Census {context['year']}",
         "title"),
        (f"{la.get('kind') or la['type']}. Made with scorecard {__version__}. Every value "
         "here is unrounded; the page (index.html) and PDF round them.", ""),
        ("", ""),
        ("Sheets", "heading"),
        ("Population\tUsual residents by ethnic group and broad group (counts, percentages).",
         ""),
        ("Segregation\tSegregation indices of each broad group, with the value expected at "
         "random, 95% intervals and rank among local authorities.", ""),
        (f"{MAPS_SHEET}\tEvery value on the maps, one row per {maps['level']}: counts, "
         "shares, location quotients, diversity, ward.", ""),
    ]
    lines += [(f"{name}\t{text}", "") for name, text in domain_sheets]
    if not domain_sheets:
        lines.append(("(no domain sheets)\tThe race-equality indicators are published for "
                      "2021 local authorities only.", ""))
    lines += [("", ""), (f"Columns of '{MAPS_SHEET}'", "heading")]
    headings = _map_headings(maps)
    lines += [(f"{headings.get(c, c)}\t{unit}: {text}", "")
              for c, (unit, text) in maps["column_notes"].items()]
    lines += [
        ("", ""), ("Methods", "heading"),
        (f"Location quotient: a group's share of an {maps['level']}'s residents divided by its "
         f"share of all residents of {la['name']}. Averaged over {maps['level']}s weighted by "
         "residents it is 1.", ""),
        ("Diversity: the entropy −Σ p ln p of the five broad groups' shares p in the "
         f"{maps['level']} (0 to ln 5 = {maps['max_entropy']:.4f}).", ""),
        (f"Map classes: shares and diversity in {maps['class_method']}; location quotients "
         f"in {maps['lq_method']}: "
         + ", ".join(maps["lq_labels"]) + ".", ""),
        ("", ""), ("Sources", "heading"),
        (f"Population: {context['population']['source']}.", ""),
        (f"Segregation: {context['segregation']['source']}.", ""),
        (f"Maps: {maps['source']}; boundaries from the ONS Open Geography Portal, generalised "
         "(fine for maps, not for measuring areas).", ""),
    ]
    table = context["gaps_table"]
    if table is not None and not table.empty:
        with_values = table[table["value"].notna()]
        lines += [(f"Race-equality measures: {s}.", "")
                  for s in sorted({s for s in with_values["source"].dropna() if s})]
    lines += [
        ("", ""), ("Licence", "heading"), (context["attribution"], ""),
        ("", ""), ("Symbols", "heading"),
        (f"{SUPPRESSED}\tsuppressed on the page: a count under 10 (the value is kept here).",
         ""),
        (f"{LOW_RELIABILITY}\tlow reliability: a denominator under 30.", ""),
        (f"{NOT_AVAILABLE}\tnot available (the page's symbol for a location quotient of a "
         "group the LA has none of).", ""),
        ("(empty)\tno value; the row's note says why.", ""),
        ("", ""), ("Rebuild or extend this scorecard", "heading"),
        ("Rebuild\tscorecard build " + la["code"] + " (the open-source scorecard tool; its "
         "README says how to install it).", ""),
        ("Add a local table\tFill in the tool's indicators/template.csv (one row per area, "
         "period, indicator and ethnic group) and run: scorecard build " + la["code"]
         + " --indicators FILE. Check it first with: scorecard validate FILE.", ""),
        ("Add local commentary\tscorecard build " + la["code"] + " --commentary FILE "
         "(Markdown; see the tool's examples/commentary.md), with --publisher, --logo, "
         "--contact, --published and --next-update for the cover.", ""),
    ]
    sheet_names = {"Population", "Segregation", MAPS_SHEET, *(n for n, _ in domain_sheets)}
    first_format = {"title": book.wrap_title, "heading": book.wrap_bold, "": book.wrap}
    for row, (text, style) in enumerate(lines):
        cells = text.split("\t") if text else []
        for col, value in enumerate(cells):
            if col == 0 and style == "" and len(cells) > 1 and value in sheet_names:
                sheet.write_url(row, 0, f"internal:'{value}'!A1", book.wrap_link,
                                string=value)
            else:
                sheet.write(row, col, value, first_format[style] if col == 0 else book.wrap)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 110)


def workbook_bytes(context: dict) -> bytes:
    """The workbook as bytes, deterministic: fixed zip times and no document timestamps."""
    buffer = io.BytesIO()
    book = Book(buffer)
    _population_sheet(book, context)
    _segregation_sheet(book, context)
    _maps_sheet(book, context)
    domain_sheets = _domain_sheets(book, context)
    _read_me(book, context, domain_sheets)
    book.workbook.set_properties({"author": f"scorecard {__version__}"})
    book.workbook.close()
    return _without_timestamps(buffer.getvalue())


def _without_timestamps(xlsx: bytes) -> bytes:
    """Rewrite the zip with a fixed date on every member and the document dates removed,
    so that the same scorecard gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"",
                              data)
            member = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            target.writestr(member, data)
    return out.getvalue()


def write_workbook(path: Path, context: dict) -> None:
    Path(path).write_bytes(workbook_bytes(context))


# --------------------------------------------------------------------------- GeoPackage


def write_geopackage(path: Path, context: dict) -> None:
    """The LA's LSOAs with every mapped value (layer ``lsoa``) and its wards with residents by
    broad group (``ward``: May 2022 wards in 2021, census merged wards in 2011), EPSG:27700."""
    maps = context["maps"]
    attribution = context["attribution"]
    units = maps["frame"].to_crs(27700)
    units.insert(2, "la_code", context["la"]["code"])
    layers = [("lsoa", units, f"{maps['level']}s of {context['la']['name']} with shares, "
                              f"location quotients and diversity, Census {context['year']}. "
                              f"{maps['source']}. {attribution}")]
    wards = maps.get("wards")
    if wards is not None and len(wards):
        values = [c for c in wards.columns if c.startswith(("residents", "count_", "share_"))]
        wards = wards.to_crs(27700)[["code", "name", "la_code", *values, "geometry"]]
        ward_name = geography.WARD_NAMES[context["year"]]
        layers.append(("ward", wards, f"{ward_name[:1].upper()}{ward_name[1:]}s of "
                                      f"{context['la']['name']} with usual residents by broad "
                                      "ethnic group (sums of output areas; shares in %), "
                                      f"generalised. {attribution}"))
    for i, (layer, frame, description) in enumerate(layers):
        frame.to_file(path, layer=layer, driver="GPKG", engine="pyogrio",
                      mode="w" if i == 0 else "a",
                      layer_options={"DESCRIPTION": description})
    fix_gpkg_dates(path, CENSUS_DAY[context["year"]])


CENSUS_DAY = {2011: "2011-03-27T00:00:00.000Z", 2021: "2021-03-21T00:00:00.000Z"}


def fix_gpkg_dates(path: Path, stamp: str) -> None:
    """Date the layers by census day instead of the time of writing (GDAL's default), so
    that reruns give the same bytes."""
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute("UPDATE gpkg_contents SET last_change = ?", (stamp,))
            tables = {r[0] for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "gpkg_metadata_reference" in tables:
                connection.execute("UPDATE gpkg_metadata_reference SET timestamp = ?",
                                   (stamp,))
    finally:
        connection.close()
