"""Write one LA's scorecard folder: index.html (self-contained) and data.csv (every number)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2
import pandas as pd

from .. import __version__, gaps
from ..io import staged_folder, write_csv
from ..resources import package_file
from .context import PDF_DOWNLOAD, National, scorecard_context
from .county import view_for
from .downloads import sheet_name, write_downloads
from .figures import FOLDER as FIGURES
from .figures import figure_files, png_bytes
from .pdf import PdfProcess, html_to_pdf
from .publication import Publication
from .responsive import scrolling_tables
from .text import number, ordinal
from .words import rank_or_reason

PDF_NAME = "scorecard.pdf"


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("scorecard.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Numbers as the page prints them: fixed decimals, thousands separators, a true minus.
    environment.filters["num"] = lambda value, decimals=2: number(float(value), int(decimals))
    environment.filters["sheet_name"] = sheet_name  # the workbook sheet a print note names
    return environment


def _css() -> str:
    return package_file("report/static/scorecard.css").read_text(encoding="utf-8")


def render_html(context: dict, medium: str = "screen") -> str:
    """The scorecard page: one HTML file with its CSS and figures inline.

    ``medium="print"`` is the same page as the PDF prints it: long tables give way to their
    latest period or to a pointer to the downloads, which WeasyPrint lays out far faster.
    """
    template = _environment().get_template("scorecard.html.j2")
    html = template.render(**context, css=_css(), version=__version__, medium=medium)
    return scrolling_tables(html) if medium == "screen" else html


def tidy_numbers(context: dict) -> pd.DataFrame:
    """Every number on the page, unrounded, one row each (the page's data.csv)."""
    la, year = context["la"], context["year"]
    rows = [{"section": "population", "measure": "usual_residents", "group": r["group"],
             "unit_level": "la", "value": r["count"], "n_units": 1, "note": ""}
            for r in context["population"]["rows"]]
    rows.append({"section": "population", "measure": "usual_residents", "group": "all",
                 "unit_level": "la", "value": context["population"]["total"], "n_units": 1,
                 "note": ""})
    segregation = context["segregation"]
    for r in segregation["rows"]:
        for index, cell in r["cells"].items():
            rows.append({"section": "segregation", "measure": index, "group": r["group"],
                         "unit_level": segregation["unit_level"], "value": cell["value"],
                         "rank": cell["rank"], "n_units": r["n_units"],
                         "note": "; ".join(t for t in (r["flag"], r["note"]) if t)})
    for r in segregation["inference"].itertuples(index=False):
        if r.index.endswith("_bias_corrected"):  # the corrected value itself, and its rank
            rows.append({"section": "segregation", "measure": r.index, "group": r.group,
                         "unit_level": segregation["unit_level"], "value": r.value,
                         "rank": rank_or_reason(r.rank, r.n_ranked, r.flag),
                         "n_units": r.n_units, "note": "; ".join(t for t in (r.flag, r.note) if t)})
        for column in ("expected", "lower", "upper"):
            rows.append({"section": "segregation", "measure": f"{r.index}:{column}",
                         "group": r.group, "unit_level": segregation["unit_level"],
                         "value": getattr(r, column), "n_units": r.n_units, "note": r.note})
    level = context["maps"]["level"]
    for r in context["maps"]["table"]:
        for group in r["shares"]:
            for measure, value in (("percent_of_residents", r["shares"][group]),
                                   ("location_quotient", r["lq"][group])):
                rows.append({"section": "maps", "measure": f"{measure}:{r['code']}",
                             "group": group, "unit_level": level, "value": value,
                             "n_units": 1, "note": ""})
        rows.append({"section": "maps", "measure": f"local_entropy:{r['code']}",
                     "group": "all", "unit_level": level, "value": r["entropy"],
                     "n_units": 1, "note": "natural logarithm; 0 to ln 5"})
    rows += context.get("change", {}).get("data_rows", [])  # change since 2011 (2021 only)
    rows += (context.get("english") or {}).get("data_rows", [])  # TS029 context (2021)
    rows += context.get("scales", {}).get("data_rows", [])  # OA, LSOA, MSOA, ward
    rows += context.get("schools", {}).get("data_rows", [])  # school segregation (England)
    table = pd.concat([pd.DataFrame(rows), _gaps_rows(context["gaps_table"])],
                      ignore_index=True)
    table.insert(0, "area_code", la["code"])
    table.insert(1, "area_name", la["name"])
    table.insert(2, "year", year)
    return table


GAPS_COLUMNS = ["time", "reference", "lower", "upper", "gap_pp", "gap_lower", "gap_upper",
                "ratio", "ratio_lower", "ratio_upper", "reliable", "flag", "geography_code",
                "geography_name", "numerator", "denominator", "national_name",
                "national_value"]


def _gaps_rows(gaps_table: pd.DataFrame) -> pd.DataFrame:
    """The race-equality measures, unrounded, in the download's long form."""
    if gaps_table.empty:
        return pd.DataFrame()
    rows = gaps_table.rename(columns={"ethnicity": "group"})
    rank = [("" if pd.isna(r) else f"{ordinal(int(r))} of {int(n)}")
            for r, n in zip(rows["rank"], rows["n_ranked"], strict=True)] \
        if "rank" in rows else ""
    rows = rows.assign(section="gaps:" + rows["domain"], unit_level=rows["geography_level"],
                       n_units=1, rank=rank, symbol=gaps.symbols(rows))
    return rows[["section", "measure", "group", "unit_level", "value", "rank", "n_units",
                 "note", *GAPS_COLUMNS, "symbol"]]


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def scorecard_folder(out: Path, year: int, la_code: str, la_name: str) -> Path:
    return Path(out) / str(year) / f"{la_code}-{slug(la_name)}"


def write_scorecard(national: National, la_code: str, out: Path,
                    formats: tuple[str, ...] = ("html",),
                    pdf_process: PdfProcess | None = None,
                    publication: Publication | None = None) -> Path:
    """Build and write one LA's scorecard; the folder appears whole or not at all.

    HTML, data.csv, data.xlsx, map.gpkg and figures/*.svg are always written; "pdf" in
    ``formats`` adds scorecard.pdf, rendered from the page's print version, and "png" a PNG
    of each figure. With ``pdf_process`` the PDF is
    laid out there while this process writes the rest.
    """
    national = view_for(national, la_code)
    context = scorecard_context(national, la_code, publication)
    if "pdf" in formats:
        context["downloads"].insert(0, dict(PDF_DOWNLOAD))
    pdf = None
    if "pdf" in formats:
        printed = render_html(context, "print")
        pdf = pdf_process.render(printed) if pdf_process else html_to_pdf(printed)
    target = scorecard_folder(out, national.year, la_code, context["la"]["name"])
    html, figures = figure_files(render_html(context), png="png" in formats)
    with staged_folder(target) as staging:
        (staging / "index.html").write_text(html, encoding="utf-8")
        folder = staging / FIGURES
        folder.mkdir()
        for name, svg in figures.items():
            (folder / f"{name}.svg").write_text(svg, encoding="utf-8")
            if "png" in formats:
                (folder / f"{name}.png").write_bytes(png_bytes(svg))
        write_csv(tidy_numbers(context), staging / "data.csv")
        write_downloads(staging, context)  # data.xlsx and map.gpkg
        if pdf is not None:
            (staging / PDF_NAME).write_bytes(pdf.result() if pdf_process else pdf)
    return target
