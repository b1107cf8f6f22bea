"""Build time of the whole static site: all 331 LAs of 2021, HTML only (or with PDFs).

    python benchmarks/site.py [--pdf] [--jobs 2] [--out DIR] [--limit N] [--check]

Runs `scorecard site --all` through the library (progress bars on a terminal) and prints
one table: time per stage (scorecards, authority pages, downloads, national pages, link
check), the site's size and its number of pages and files. There is no peer to compare
with: no other tool builds this site. The output folder is a temporary one, removed at the
end, unless --out is given.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from scorecard import geography
from scorecard.site import build_site, check_site


def _size(folder: Path) -> tuple[int, int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
    pages = sum(1 for p in files if p.suffix == ".html")
    return sum(p.stat().st_size for p in files), len(files), pages


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", action="store_true", help="also render every scorecard's PDF")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--out", type=Path, help="keep the site here (default: a temp folder)")
    parser.add_argument("--limit", type=int, help="only the first N LAs (a quick trial)")
    parser.add_argument("--check", action="store_true", help="also time the link checker")
    args = parser.parse_args()

    codes = geography.authorities(2021)["code"].tolist()[: args.limit]
    formats = ("html", "pdf") if args.pdf else ("html",)
    temporary = None
    if args.out is None:
        temporary = Path(tempfile.mkdtemp(prefix="scorecard-site-"))
        out = temporary / "site"
    else:
        out = args.out
    try:
        started = time.perf_counter()
        result = build_site(out, authorities=codes, formats=formats, jobs=args.jobs)
        total = time.perf_counter() - started
        rows = [(stage, seconds) for stage, seconds in result.timings.items()]
        if args.check:
            clock = time.perf_counter()
            report = check_site(out)
            rows.append((f"link check ({report.pages} pages, {report.references:,} links, "
                         f"{len(report.problems)} problems)", time.perf_counter() - clock))
        size, n_files, n_pages = _size(out)
        downloads, _, _ = _size(out / "downloads")
        print()
        print(f"Site of {len(codes)} LAs, 2021, formats {','.join(formats)}, {args.jobs} "
              f"workers on {os.cpu_count()} CPUs (shared machine: times vary)")
        print(f"{'stage':<58}{'seconds':>10}")
        for stage, seconds in rows:
            print(f"{stage:<58}{seconds:>10.1f}")
        print(f"{'total (build_site)':<58}{total:>10.1f}")
        print(f"{'per LA':<58}{total / max(len(codes), 1):>10.2f}")
        print(f"size {size / 2**20:,.1f} MB in {n_files:,} files ({n_pages:,} HTML pages); "
              f"national downloads {downloads / 2**20:,.1f} MB; "
              f"{len(result.las)} authority pages, {len(result.failed)} scorecards failed")
        for code, reason in list(result.failed.items())[:10]:
            print(f"  failed {code}: {reason}", file=sys.stderr)
        return 1 if result.failed else 0
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
