"""Build the static site: scorecards, a page per LA with its explorable map, national pages.

Layout of the site folder (every link relative, every folder link ending in index.html)::

    index.html  methods.html  data.html  comparisons.html   home and national pages
    assets/                     site.css, site.js (no library, no network request)
    downloads/                  results.csv, GeoPackage, GeoJSON, README.txt
    <year>/<code>-<slug>/       the scorecard folders (scorecard.report.batch.build_many)
    la/<code>-<slug>/           the LA's page: links to its scorecard files, explorable map
    compare/<slug>/index.html   comparison reports, when `scorecard compare` wrote any here

Scorecards are written by the report package; this module adds the pages around them. A
rerun updates the site: it is built in a staging copy of the folder (hard links to the files
already there) and swapped in whole at the end, so LAs built by an earlier run keep their
pages and a failed run leaves the site as it was.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import __version__, geography
from ..errors import InputError
from ..io import atomic_write_bytes, staged_folder, write_csv
from ..progress import progress_bar
from ..report.context import National
from ..report.render import scorecard_folder
from ..resources import package_file
from . import pages
from .data import BROAD, SiteData, attribution
from .downloads import write_downloads

MARKER = ".scorecard-site"
OWN = ("index.html", "methods.html", "data.html", "comparisons.html", "assets", "la",
       "downloads")
ASSETS = ("site.css", "site.js")


@dataclass
class SiteResult:
    """What a site build did."""

    out: Path
    las: list[str] = field(default_factory=list)  # LAs with a page, built now or before
    failed: dict[str, str] = field(default_factory=dict)  # LA code → one-line reason
    pages: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)  # stage → seconds


def resolve_authorities(authorities: Sequence[str], all_: bool, year: int) -> list[str]:
    """LA codes from names or codes (any case), or every LA with ``all_``."""
    if all_ and authorities:
        raise InputError(None, None, None, "give --authorities or --all, not both")
    if all_:
        return geography.authorities(year)["code"].tolist()
    return list(dict.fromkeys(geography.find_authority(a, year)["code"] for a in authorities))


def check_out(out: Path, year: int) -> None:
    """Refuse a folder that is not a site of the same year but has files the site would
    replace, so that a typo in --out can never overwrite someone's index.html."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(str(out), None, None, "is a file; --out needs a folder")
    marker = out / MARKER
    if marker.is_file():
        try:
            made = json.loads(marker.read_text(encoding="utf-8"))["year"]
        except (ValueError, KeyError, TypeError):
            raise InputError(str(marker), None, None, "is not a scorecard site marker; "
                             "remove it or choose another --out") from None
        if made != year:
            raise InputError(str(out), None, None, f"holds the {made} site; choose another "
                             f"--out for {year}")
        return
    clash = [name for name in OWN if (out / name).exists()]
    if clash:
        raise InputError(str(out), None, None, f"is not a scorecard site but has "
                         f"{', '.join(clash)}, which the site would replace; choose an "
                         "empty or new folder")


def _build_scorecards(codes: list[str], year: int, out: Path, formats: tuple[str, ...],
                      jobs: int, quiet: bool) -> dict[str, str]:
    """Write the scorecard folders (progress bar, worker processes); failures by LA code."""
    from ..report.batch import build_many

    result = build_many(codes, year=year, out=out, formats=formats, jobs=jobs, quiet=quiet)
    return dict(result.failed)


def scorecards_present(out: Path, las: pd.DataFrame, year: int) -> dict[str, Path]:
    """LA code → scorecard folder, for every LA whose scorecard is in the site."""
    found = {}
    for code, name in las[["code", "name"]].itertuples(index=False):
        folder = scorecard_folder(out, year, code, name)
        if (folder / "index.html").is_file():
            found[code] = folder
    return found


def _write_assets(out: Path) -> None:
    with staged_folder(out / "assets") as staging:
        for name in ASSETS:
            (staging / name).write_bytes(package_file(f"site/static/{name}").read_bytes())


def _write_page(path: Path, html: str) -> None:
    atomic_write_bytes(path, html.encode("utf-8"))


def _write_la_page(data: SiteData, out: Path, code: str, folder: Path,
                   comparisons: list[dict]) -> None:
    context = pages.la_context(data, code, out, folder, comparisons)
    page_dir = pages.la_page_dir(out, code, context["la"]["name"])
    table = pd.concat([data.unit_values(level)[data.unit_values(level)["la_code"] == code]
                       .assign(level=level) for level in data.levels], ignore_index=True)
    with staged_folder(page_dir) as staging:
        write_csv(table, staging / "areas.csv")
        (staging / "index.html").write_text(pages.render("la.html.j2", **context),
                                            encoding="utf-8")


def copy_comparisons(source: Path | None, out: Path) -> list[str]:
    """Comparison reports that `scorecard compare` wrote to ``source/compare/`` (default
    reports/), copied into the site's compare/ folder so that the site links them; a copy
    already in the site is replaced whole. Returns the folders copied."""
    if source is None or Path(source).resolve() == Path(out).resolve():
        return []
    copied = []
    for page in sorted(Path(source).glob("compare/*/index.html")):
        target = Path(out) / "compare" / page.parent.name
        with staged_folder(target) as staging:
            for item in page.parent.iterdir():
                if item.is_file():
                    shutil.copy2(item, staging / item.name)
        copied.append(page.parent.name)
    return copied


def build_site(out: Path, *, authorities: Sequence[str] = (), all_: bool = False,
               year: int = 2021, formats: tuple[str, ...] = ("html",), jobs: int = 2,
               quiet: bool = False, comparisons_from: Path | None = None) -> SiteResult:
    """Build (or update) the site in ``out``: scorecards of the LAs asked for, a page for
    every LA whose scorecard is in the site, the home, methods, data and comparisons pages
    and the national downloads. Bad input raises InputError before anything is written."""
    started = time.perf_counter()
    out = Path(out)
    codes = resolve_authorities(authorities, all_, year)
    check_out(out, year)
    if "pdf" in formats:
        from ..report.pdf import check_pdf_engine

        check_pdf_engine()
    result = SiteResult(out)
    # The whole site is built in a staging copy (hard links to the files already there) and
    # swapped in at the end: a failure or a full disk leaves the site as it was.
    with staged_folder(out, keep_contents=True) as staging:
        _build_into(staging, codes, year, formats, jobs, quiet, result, comparisons_from)
    result.seconds = time.perf_counter() - started
    return result


def _build_into(out: Path, codes: list[str], year: int, formats: tuple[str, ...], jobs: int,
                quiet: bool, result: SiteResult, comparisons_from: Path | None) -> None:
    atomic_write_bytes(out / MARKER, json.dumps({"year": year, "version": __version__})
                       .encode("utf-8"))
    clock = time.perf_counter()
    if codes:
        result.failed = _build_scorecards(codes, year, out, formats, jobs, quiet)
    result.timings["scorecards"] = time.perf_counter() - clock
    clock = time.perf_counter()
    data = SiteData(National(year))
    # A page for every LA asked for (even if its scorecard failed: the map still stands)
    # and for every LA whose scorecard an earlier run left in the site.
    present = scorecards_present(out, data.national.authorities, year)
    names = data.las.set_index("code")["name"]
    for code in codes:
        present.setdefault(code, scorecard_folder(out, year, code, names[code]))
    present = dict(sorted(present.items()))
    copy_comparisons(comparisons_from, out)
    comparisons = pages.comparisons_in(out)
    links = {code: pages.href(pages.la_page_dir(out, code, names[code]) / "index.html", out)
             for code in present}

    with progress_bar(len(present) + 2, "Writing site pages", enabled=not quiet) as step:
        _write_assets(out)
        for code, folder in present.items():
            try:
                _write_la_page(data, out, code, folder, comparisons)
            except Exception as error:  # noqa: BLE001 - one LA's page must not stop the site
                result.failed[code] = f"authority page: {type(error).__name__}: {error}"
                links.pop(code, None)
            step()
        result.timings["authority pages"] = time.perf_counter() - clock
        clock = time.perf_counter()
        downloads = write_downloads(data, out / "downloads")
        step()
        result.timings["downloads"] = time.perf_counter() - clock
        clock = time.perf_counter()
        _write_national_pages(data, out, links, downloads, comparisons)
        step()
        result.timings["national pages"] = time.perf_counter() - clock
    result.las = [code for code in present if code in links]
    result.pages = len(result.las) + 3 + bool(comparisons)


def _write_national_pages(data: SiteData, out: Path, links: dict[str, str],
                          downloads: list[dict], comparisons: list[dict]) -> None:
    common = {"root": "", "year": data.year, "attribution": attribution(data.year),
              "has_comparisons": bool(comparisons), "unit": data.index_unit}
    las = data.las
    search = [[code, name, links.get(code)] for code, name in
              las[["code", "name"]].itertuples(index=False)]
    home = pages.render(
        "home.html.j2", **common, page="home", map=pages.national_map(data, links),
        table=pages.league_table(data, links), found=pages.what_we_found(data),
        search_json=pages.script_json(search), n_built=len(links), n_las=len(las),
        comparisons=[dict(c, href=pages.href(c["path"], out)) for c in comparisons])
    _write_page(out / "index.html", home)
    _write_page(out / "methods.html", methods_page(data, common))
    _write_page(out / "data.html", pages.render(
        "data.html.j2", **common, page="data",
        downloads=[dict(d, href=pages.href(d["path"], out)) for d in downloads]))
    if comparisons:
        _write_page(out / "comparisons.html", pages.render(
            "comparisons.html.j2", **common, page="comparisons",
            comparisons=[dict(c, href=pages.href(c["path"], out)) for c in comparisons]))


def methods_page(data: SiteData, common: dict | None = None) -> str:
    """The site's methods page: areas and units, indices, neighbourhood measures, map
    shading, race-equality measures, schools (2021 sites) and sources."""
    from ..schools import data as school_data

    common = common or {"root": "", "year": data.year, "attribution": attribution(data.year),
                        "has_comparisons": False, "unit": data.index_unit}
    schools = data.year == 2021  # the school census is matched to the 2021 LAs
    return pages.render(
        "methods.html.j2", **common, page="methods", n_las=len(data.las), groups=BROAD,
        levels=data.levels, has_wards=data.has_wards, unit_sources=_unit_sources(data),
        indicators=_indicator_rows(data), schools=schools,
        school_source=school_data.SOURCE, school_period=school_data.PERIOD,
        wales_note=school_data.WALES_NOTE)


def _unit_sources(data: SiteData) -> list[str]:
    from .. import census

    return [census.EMBEDDED[(data.year, "la")].source,
            *[data.source(level) for level in data.levels]]


def _indicator_rows(data: SiteData) -> list[dict]:
    if data.year != 2021:
        return []
    _, catalogue = data.national.measures
    embedded = catalogue[catalogue["file"] != ""]
    return embedded[["name", "domain_name", "source", "year", "geography_level",
                     "caveats"]].to_dict("records")
