"""The ``scorecard`` command: parse, call the library, map bad input to exit code 2."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from . import __version__, census, geography
from .errors import EXIT_BAD_INPUT, InputError, OutputError
from .io import csv_text, read_table, whole_numbers, write_csv
from .outputs import check_output
from .processes import signals_as_exit
from .segregation.inference import MAX_DRAWS, MIN_DRAWS


def _year(text: str) -> int:
    try:
        return geography.check_year(int(text))
    except (ValueError, InputError):
        raise argparse.ArgumentTypeError(f"{text!r}: choose 2011 or 2021") from None


def _bounded(low: int, high: int | None = None, what: str = "a whole number"):
    """An argparse type: a whole number from ``low`` to ``high``, or a one-line error."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if value < low or (high is not None and value > high):
            bound = f"from {low:,} to {high:,}" if high is not None else f"at least {low:,}"
            raise argparse.ArgumentTypeError(f"{text!r}: give {what} {bound}")
        return value

    return parse


# Draws are capped because every draw's statistics are kept (see inference.MAX_DRAWS).
MAX_JOBS = 256
_draws = _bounded(MIN_DRAWS, MAX_DRAWS, "a number of draws")
_seed = _bounded(0, None, "a seed")
_jobs = _bounded(1, MAX_JOBS, "a number of processes")

# Free space asked for before a command starts: generous estimates of what it writes.
SCORECARD_BYTES = 8_000_000  # one LA's folder with its PDF (the largest LAs)
SITE_BYTES = 150_000_000  # the national pages and downloads
FILE_BYTES = 1_000_000

FORMATS = ("html", "pdf", "png")


def _formats(text: str) -> tuple[str, ...]:
    """``"html,pdf"`` → ("html", "pdf"); HTML is always written (the PDF is made from it);
    "png" adds a PNG of each figure beside its SVG."""
    chosen = [part.strip().lower() for part in text.split(",") if part.strip()]
    if not chosen or any(part not in FORMATS for part in chosen):
        raise argparse.ArgumentTypeError(f"{text!r}: choose from {', '.join(FORMATS)}")
    return tuple(f for f in FORMATS if f in chosen or f == "html")


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line (the command, the problem, where to find help), exit 2."""

    def error(self, message: str):
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {' '.join(message.split())} "
                  f"(see {self.prog} --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="scorecard",
        description="Segregation and race-equality scorecards for local authorities in "
        "England and Wales, from ONS census data.")
    parser.add_argument("--version", action="version", version=f"scorecard {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                     parser_class=_Parser)

    listing = commands.add_parser("list", help="list every local authority of a census year")
    listing.add_argument("--year", type=_year, default=2021, help="2011 or 2021 (default 2021)")
    listing.set_defaults(run=run_list)

    build = commands.add_parser("build", help="write the scorecard of one or more authorities")
    build.add_argument("authorities", nargs="*", metavar="AUTHORITY",
                       help="LA code or name, e.g. Bradford or E08000032")
    build.add_argument("--all", action="store_true", help="every LA of the census year")
    build.add_argument("--year", type=_year, default=2021, help="census year (default 2021)")
    build.add_argument("--out", type=Path, default=Path("reports"),
                       help="output folder (default reports/)")
    build.add_argument("--format", type=_formats, default=("html", "pdf"),
                       metavar="html,pdf,png",
                       help="what to write besides data.csv, data.xlsx, map.gpkg and the "
                       "figures' SVGs (default html,pdf; the PDF is made from the HTML; png "
                       "adds a PNG of each figure, with the png extra)")
    build.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                       help="CPUs to use (default: all): one worker process per LA "
                       "at a time, or, for one LA, a second process for its PDF")
    build.add_argument("--counts", type=Path, metavar="FILE",
                       help="your own wide counts table (CSV, XLSX or Parquet) for the "
                       "segregation indices, instead of the embedded census units")
    build.add_argument("--indicators", type=Path, nargs="+", default=[], metavar="FILE",
                       help="local indicator tables (the template's form) to add to the "
                       "race-equality domains")
    publishing = build.add_argument_group(
        "publishing", "the publisher's name, logo and words on the cover, the footer and "
        "beside the figures (all optional)")
    publishing.add_argument("--commentary", type=Path, metavar="FILE",
                            help="local commentary in Markdown, by section and author (see "
                            "examples/commentary.md); one AUTHORITY only")
    publishing.add_argument("--publisher", metavar="NAME", help="who publishes the scorecard")
    publishing.add_argument("--logo", type=Path, metavar="FILE",
                            help="the publisher's logo, PNG or SVG (under 500 kB)")
    publishing.add_argument("--contact", metavar="TEXT", help="an e-mail or web address")
    publishing.add_argument("--published", metavar="YYYY-MM-DD", help="date of publication")
    publishing.add_argument("--next-update", metavar="TEXT", help="e.g. 'March 2027'")
    publishing.add_argument("--address", metavar="URL", help="the page's web address, "
                            "printed on the PDF; one AUTHORITY only")
    build.add_argument("--schools", type=Path, metavar="FILE",
                       help="your own school census table (the DfE columns) for the Schools "
                       "section, instead of the embedded January 2023 census")
    build.add_argument("--quiet", action="store_true", help="print nothing but errors")
    build.set_defaults(run=run_build)

    validate = commands.add_parser(
        "validate", help="check a counts table or a local indicator table and report problems")
    validate.add_argument("file", type=Path)
    validate.add_argument("--year", type=_year, default=None,
                          help="census year of the boundaries a counts table must match")
    validate.set_defaults(run=run_validate)

    indices = commands.add_parser("indices", help="segregation indices of any wide counts table")
    indices.add_argument("counts_file", type=Path, metavar="COUNTS_FILE",
                         help="CSV, XLSX or Parquet, one row per unit, one column per group")
    indices.add_argument("--unit", required=True, metavar="COL", help="column of unit codes")
    indices.add_argument("--area", metavar="COL",
                         help="column of area codes (default: the whole table is area 'all')")
    indices.add_argument("--groups", required=True, metavar="A,B,C",
                         help="count columns, comma-separated (two: that pair)")
    indices.add_argument("--reference", metavar="G", help="compare each group with G")
    indices.add_argument("--decompose", action="store_true",
                         help="split M and H into between- and within-area parts")
    indices.add_argument("--inference", action="store_true",
                         help="expected D under random allocation and 95%% intervals")
    indices.add_argument("--spatial", action="store_true",
                         help="add spatial dissimilarity and spatial proximity, on the "
                         "embedded polygons of the units (LSOAs, MSOAs, wards, LAs) or on "
                         "--geometry")
    indices.add_argument("--geometry", type=Path, metavar="FILE",
                         help="polygons of the units (GeoPackage or GeoParquet, a column "
                         "named as --unit or 'code'); implies --spatial")
    indices.add_argument("--seed", type=_seed, default=None,
                         help="seed of the random draws (a whole number ≥ 0)")
    indices.add_argument("--draws", type=_draws, default=None,
                         help=f"number of random draws, {MIN_DRAWS} to {MAX_DRAWS:,} (default "
                         "199; memory grows with draws × areas)")
    indices.add_argument("--out", type=Path, metavar="FILE", help="write CSV here (default: "
                         "print to the terminal)")
    indices.set_defaults(run=run_indices)

    gaps = commands.add_parser("gaps", help="race-equality gaps of one authority (2021 LAs)")
    gaps.add_argument("authority", metavar="AUTHORITY")
    gaps.add_argument("--indicators", type=Path, nargs="+", default=[], metavar="FILE",
                      help="local indicator tables in the template's form")
    gaps.add_argument("--out", type=Path, metavar="FILE",
                      help="write the tidy table as CSV (default: print a summary)")
    gaps.set_defaults(run=run_gaps)

    sources = commands.add_parser(
        "sources", help="every embedded table: publisher, table, period, geography, licence "
        "and where it came from")
    sources.add_argument("--out", type=Path, metavar="FILE",
                         help="write the table as CSV (default: print it)")
    sources.set_defaults(run=run_sources)

    compare = commands.add_parser(
        "compare", help="compare two or more authorities (or regions, or your own areas) "
        "2011 to 2021: HTML, PDF and CSV")
    compare.add_argument("authorities", nargs="*", metavar="AUTHORITY",
                         help="LA code or name, region name, or an area of --areas")
    compare.add_argument("--years", default="2011,2021", metavar="Y1,Y2",
                         help="the two censuses (only 2011,2021)")
    compare.add_argument("--peers", metavar="KIND", help="also rank among peers: region, "
                         "type or neighbours (15 nearest by size and ethnic mix)")
    compare.add_argument("--areas", type=Path, metavar="FILE", help="your own areas: a table "
                         "with columns code (2021 LSOA or ward codes) and area (its name)")
    compare.add_argument("--out", type=Path, default=Path("reports"),
                         help="output folder (default reports/); writes OUT/compare/<names>/")
    compare.add_argument("--seed", type=_seed, default=None,
                         help="seed of the bootstrap draws (a whole number ≥ 0)")
    compare.add_argument("--quiet", action="store_true", help="print nothing but errors")
    compare.set_defaults(run=run_compare)

    schools = commands.add_parser(
        "schools", help="school segregation of an authority (or --all): indices across "
        "schools, each school against its ten nearest schools and its neighbourhood")
    schools.add_argument("authority", nargs="?", metavar="AUTHORITY",
                         help="LA code or name (2021 LAs)")
    schools.add_argument("--all", action="store_true", help="every LA, county and England")
    schools.add_argument("--phase", choices=("primary", "secondary", "special_ap"),
                         help="one phase only (default: all)")
    schools.add_argument("--schools", type=Path, metavar="FILE",
                         help="your own school census table in the DfE columns (e.g. a later "
                         "year, or Wales), instead of the embedded January 2023 census")
    schools.add_argument("--out", type=Path, metavar="FILE",
                         help="write the tidy summary as CSV here, and one row per school "
                         "beside it (FILE's name with -schools); default: print key figures")
    schools.add_argument("--no-intervals", action="store_true",
                         help="leave out expected values, bias-corrected D and 95%% intervals "
                         "(random draws: about 0.5 s an LA, 30 s for --all)")
    schools.add_argument("--seed", type=int, default=None, help="seed of the random draws")
    schools.set_defaults(run=run_schools)

    site = commands.add_parser(
        "site", help="build a static website: national map and league table, a page per "
        "authority with its scorecard and an explorable map, methods and downloads")
    site.add_argument("--authorities", nargs="+", default=[], metavar="AUTHORITY",
                      help="LA codes or names to build scorecards for")
    site.add_argument("--all", action="store_true", help="every LA of the census year")
    site.add_argument("--out", type=Path, default=Path("site"),
                      help="site folder (default site/); rerun to add authorities")
    site.add_argument("--year", type=_year, default=2021, help="census year (default 2021)")
    site.add_argument("--format", type=_formats, default=("html", "pdf"), metavar="html,pdf",
                      help="scorecard formats (default html,pdf; html skips the PDFs)")
    site.add_argument("--comparisons", type=Path, default=Path("reports"), metavar="DIR",
                      help="also link the comparisons `scorecard compare` wrote to "
                      "DIR/compare/ (default reports/), copied into the site")
    site.add_argument("--jobs", type=_jobs, default=2, metavar="N",
                      help="worker processes for the scorecards (default 2)")
    site.add_argument("--check", action="store_true",
                      help="then check every link of the site (no broken link, no request "
                      "outside it)")
    site.add_argument("--quiet", action="store_true", help="print nothing but errors")
    site.set_defaults(run=run_site)
    return parser


def run_list(args: argparse.Namespace) -> int:
    las = geography.authorities(args.year)
    width = int(las["name"].str.len().max())
    for row in las.itertuples(index=False):
        print(f"{row.code}  {row.name:<{width}}  {row.la_type}, {row.region_name}")
    return 0


def _authorities_to_build(args: argparse.Namespace) -> list[str]:
    if args.all and args.authorities:
        raise InputError(None, None, None, "give AUTHORITY names or --all, not both")
    if args.all:
        return geography.authorities(args.year)["code"].tolist()
    if not args.authorities:
        raise InputError(None, None, None, "name at least one AUTHORITY, or use --all")
    found = [_authority_or_county(text, args) for text in args.authorities]
    return list(dict.fromkeys(found))


def _authority_or_county(text: str, args: argparse.Namespace) -> str:
    """An LA's code, or a county council's (built as the area of its districts)."""
    county = geography.find_county(text)
    if county is None:
        return geography.find_authority(text, args.year)["code"]
    if args.year != 2021:
        raise InputError(None, None, None, f"{county[1]} is built from its 2021 districts; "
                         "use --year 2021")
    if args.counts:
        raise InputError(str(args.counts), None, None, f"{county[1]} is built from the "
                         "embedded output areas of its districts; build it without --counts")
    return county[0]


def _publication(args: argparse.Namespace, codes: list[str]):
    from .report.publication import read_publication

    for option, value in (("--commentary", args.commentary), ("--address", args.address)):
        if value and len(codes) != 1:
            raise InputError(None, None, None, f"{option} belongs to one authority's page; "
                             f"build that authority alone")
    return read_publication(publisher=args.publisher, logo=args.logo, contact=args.contact,
                            published=args.published, next_update=args.next_update,
                            address=args.address, commentary=args.commentary)


def run_build(args: argparse.Namespace) -> int:
    from .report.batch import build_many
    from .report.context import National

    # Everything is checked before anything is computed or written.
    codes = _authorities_to_build(args)
    check_output(args.out, need=SCORECARD_BYTES * len(codes))
    if args.indicators and args.year != 2021:
        raise InputError(str(args.indicators[0]), None, None, "local indicator tables are "
                         "of 2021 local authorities; --indicators works with --year 2021 only")
    publication = _publication(args, codes)
    unit_counts = census.read(args.counts, args.year) if args.counts else None
    if unit_counts is not None:
        _check_counts_cover(unit_counts, codes, args.counts)
    if args.indicators:
        _warn_about(args.indicators)
        National(args.year, indicator_tables=tuple(args.indicators)).measures  # noqa: B018
    if "pdf" in args.format:
        from .report.pdf import check_pdf_engine

        check_pdf_engine()
    if "png" in args.format:
        from .report.figures import check_png_engine

        check_png_engine()
    jobs = args.jobs or os.cpu_count() or 1

    def report(code: str, status: str, detail: str) -> None:
        if status != "ok":
            print(f"scorecard: {code}: failed: {detail}", file=sys.stderr)

    schools_file = None
    if args.schools:
        from .schools import national

        national(args.schools)  # checked before anything is written
        schools_file = args.schools
    result = build_many(codes, year=args.year, out=args.out, formats=args.format, jobs=jobs,
                        quiet=args.quiet, indicator_tables=tuple(args.indicators),
                        unit_counts=unit_counts, on_done=report, publication=publication,
                        schools_file=schools_file)
    if not args.quiet:
        for folder in result.built.values():  # every file written, once the bar is gone
            for path in sorted(folder.iterdir()):
                print(path)
        print(f"{len(result.built)} of {len(codes)} scorecards written to {args.out} in "
              f"{result.seconds:.1f} s" + (f"; {len(result.failed)} failed (above)"
                                          if result.failed else ""))
    return 1 if result.failed else 0


def _check_counts_cover(counts: census.Counts, codes: list[str], path: Path) -> None:
    """A counts table must have units inside every LA built from it (not one row per LA)."""
    if counts.level == "la":
        raise InputError(str(path), None, "code", "the table's codes are local authorities; "
                         "segregation needs the units inside an LA (output areas, LSOAs, "
                         "MSOAs or wards)")
    present = set(counts.frame["la_code"])
    missing = [code for code in codes if code not in present]
    if missing:
        names = geography.authorities(counts.year).set_index("code")["name"]
        has = sorted(present)
        raise InputError(str(path), None, "code", f"no unit of the table lies in "
                         f"{names.get(missing[0], missing[0])} ({missing[0]}); its "
                         f"{counts.year} units are in " + ", ".join(
                             f"{names.get(c, c)} ({c})" for c in has[:3])
                         + (f" and {len(has) - 3} more LAs" if len(has) > 3 else ""))


def _is_indicator_table(path: Path) -> bool:
    """Local indicator tables (the template) have an 'indicator' column; counts tables don't."""
    columns = {c.strip().lower() for c in read_table(path).columns}
    return "indicator" in columns


def _warn_about(tables: Sequence[Path]) -> None:
    """Print each local table's warnings (e.g. an indicator id not in the catalogue)."""
    from .indicators import validate_user_table

    for path in tables:
        for warning in validate_user_table(path).attrs.get("warnings", []):
            print(f"scorecard: warning: {path}: {warning}", file=sys.stderr)


def run_validate(args: argparse.Namespace) -> int:
    from .schools import data as school_data

    if school_data.is_school_table(read_table(args.file).columns):
        schools = school_data.read(args.file)
        print(f"{args.file}: OK: {len(schools):,} state-funded schools "
              + ", ".join(f"({n:,} {phase})" for phase, n in
                          schools["phase"].value_counts().sort_index().items())
              + f", {schools['district_code'].replace('', None).nunique()} LA districts, "
              f"{int(schools['headcount'].sum()):,} pupils")
        return 0
    if _is_indicator_table(args.file):
        from .indicators import validate_user_table

        table = validate_user_table(args.file)
        for warning in table.attrs.get("warnings", []):
            print(f"scorecard: warning: {args.file}: {warning}", file=sys.stderr)
        print(f"{args.file}: OK: {len(table):,} rows, {table['indicator'].nunique()} "
              f"indicators, {table['la_code'].nunique()} areas")
        return 0
    counts = census.read(args.file, args.year)
    print(f"{args.file}: OK: {len(counts.frame):,} {geography.LEVEL_NAMES[counts.level]}s of "
          f"{counts.year}, {len(counts.groups)} groups ({counts.classification}), "
          f"{int(counts.frame['total'].sum()):,} people")
    return 0


def run_indices(args: argparse.Namespace) -> int:
    from .segregation.table import compute

    if args.out:
        check_output(args.out, kind="file", need=FILE_BYTES)
    if (args.draws is not None or args.seed is not None) and not args.inference:
        raise InputError(None, None, None, "--draws and --seed set the simulation of "
                         "--inference; add --inference or leave them out")
    path = str(args.counts_file)
    frame = read_table(args.counts_file)
    groups = [g.strip() for g in args.groups.split(",") if g.strip()]
    for column in [args.unit, *([args.area] if args.area else []), *groups]:
        if column not in frame.columns:
            raise InputError(path, 1, column, "no such column; the table has: "
                             + ", ".join(frame.columns))
    for column in groups:
        frame[column] = whole_numbers(frame[column], path, column)
    options = {k: v for k, v in (("seed", args.seed), ("draws", args.draws)) if v is not None}
    try:
        table = compute(frame, unit=args.unit, area=args.area, groups=groups,
                        reference=args.reference, decompose=args.decompose,
                        inference=args.inference, **options)
    except InputError as error:
        error.path = error.path or path  # the engine knows the cells, the CLI the file
        raise
    if args.spatial or args.geometry:
        table = pd.concat([table, _spatial_rows(frame, args, groups)], ignore_index=True)
    if args.out:
        write_csv(table, args.out)
    else:
        print(csv_text(table), end="")
    return 0


def _spatial_rows(frame: pd.DataFrame, args: argparse.Namespace,
                  groups: list[str]) -> pd.DataFrame:
    """Spatial dissimilarity and proximity of each compared group (contiguity built once)."""
    from . import api
    from .progress import progress_bar
    from .segregation.table import comparisons
    from .unit_geometry import polygons_for

    pairs = comparisons(groups, args.reference)
    with progress_bar(len(pairs) + 1, "neighbours of the units") as step:
        polygons = polygons_for(frame, args.unit, counts_path=str(args.counts_file),
                                geometry=args.geometry)
        if args.area:
            polygons[args.area] = frame[args.area].to_numpy()
        weights = api.contiguity_weights(polygons, unit=args.unit, area=args.area)
        parts = []
        for group, reference in pairs:
            step(f"spatial indices of {group}")
            parts.append(api.spatial_indices(frame, group, polygons=polygons, weights=weights,
                                             reference=reference, unit=args.unit,
                                             area=args.area, groups=groups))
        step()
    return pd.concat(parts, ignore_index=True)


def run_gaps(args: argparse.Namespace) -> int:
    from .indicators import gaps_for

    _warn_about(args.indicators)
    if args.out:
        check_output(args.out, kind="file", need=FILE_BYTES)
    table = gaps_for(args.authority, args.indicators)
    if args.out:
        write_csv(table, args.out)
        return 0
    shown = table[["domain", "measure", "time", "ethnicity", "reference", "value", "gap_pp",
                   "ratio", "reliable", "note"]]
    with pd.option_context("display.max_rows", None, "display.width", 160,
                           "display.max_colwidth", 50):
        print(shown.to_string(index=False))
    return 0


def run_sources(args: argparse.Namespace) -> int:
    from .resources import indicators_file

    table = pd.read_csv(indicators_file("sources.csv"), dtype=str, keep_default_na=False)
    if args.out:
        write_csv(table, args.out)
        return 0
    for row in table.itertuples(index=False):
        print(f"{row.file}\n  {row.publisher}, {row.table}: {row.title}\n"
              f"  period: {row.period}; geography: {row.geography}; rows: {int(row.rows):,}\n"
              f"  licence: {row.licence}; from: {row.came_from}")
    return 0


def run_compare(args: argparse.Namespace) -> int:
    from time import perf_counter

    from .compare.report import write_comparison  # imports matplotlib: only when comparing

    started = perf_counter()
    check_output(args.out / "compare", need=SCORECARD_BYTES)
    options = {"seed": args.seed} if args.seed is not None else {}
    folder = write_comparison(args.authorities, args.out, areas_file=args.areas,
                              years=args.years, peers=args.peers, progress=not args.quiet,
                              **options)
    if not args.quiet:
        print(f"{folder / 'index.html'}  ({perf_counter() - started:.1f} s)")
    return 0


def run_schools(args: argparse.Namespace) -> int:
    from .schools import report_tables

    if args.all == bool(args.authority):
        raise InputError(None, None, None, "name one AUTHORITY, or use --all")
    code = None if args.all else geography.find_authority(args.authority, 2021)["code"]
    options = {"seed": args.seed} if args.seed is not None else {}
    from .progress import progress_bar

    with progress_bar(4 if not args.no_intervals else 1, "School results",
                      enabled=args.all) as step:
        summary, schools, note = report_tables(code, schools_file=args.schools,
                                               phase=args.phase,
                                               intervals=not args.no_intervals, step=step,
                                               **options)
    if args.out:
        write_csv(summary, args.out)
        write_csv(schools, args.out.with_name(f"{args.out.stem}-schools{args.out.suffix}"))
    if note and args.out:
        print(f"scorecard: {note}", file=sys.stderr)
    if not args.out:
        from .schools.text import key_figures

        print("\n".join(key_figures(summary, code)))
    return 0


def run_site(args: argparse.Namespace) -> int:
    from .site import build_site, check_site

    check_output(args.out, need=SITE_BYTES)
    result = build_site(args.out, authorities=args.authorities, all_=args.all,
                        year=args.year, formats=args.format, jobs=args.jobs, quiet=args.quiet,
                        comparisons_from=args.comparisons)
    for code, reason in result.failed.items():
        print(f"scorecard: {code}: scorecard failed: {reason}", file=sys.stderr)
    if not args.quiet:
        print(f"{args.out / 'index.html'}: {len(result.las)} authority pages, "
              f"{result.seconds:.1f} s")
    if args.check:
        report = check_site(args.out)
        for problem in report.problems:
            print(f"scorecard: {problem}", file=sys.stderr)
        if not args.quiet:
            print(f"checked {report.pages} pages, {report.references:,} links: "
                  f"{len(report.problems)} problems")
        if report.problems:
            return 1
    return 1 if result.failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        with signals_as_exit():
            return args.run(args)
    except (InputError, OutputError) as error:
        print(f"scorecard: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # before OSError, of which it is a kind
        # The reader stopped early (`scorecard list | head`): end quietly, as Unix tools do.
        # Python would report the failed flush of stdout at exit; point it at devnull first.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as error:  # writing failed: a full disk, a folder made read-only …
        print(f"scorecard: error: {OutputError.from_os_error(error)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
