"""Time the scorecard builds a user runs: one LA cold, then every LA, HTML and PDF.

Each case is the real command in a fresh process (imports and national results included),
timed by wall clock, with the peak memory of the largest process and the size written.

    python benchmarks/report.py              # all four cases (the all-PDF one takes minutes)
    python benchmarks/report.py --quick      # one LA cold only

The one-LA cases run ``--repeat`` times (default 3): the table gives the median, with the
fastest and slowest beside it (a shared 2-CPU machine varies by a second or more).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = [  # name, arguments after `scorecard build`, target seconds
    ("one LA (Bradford), HTML", ["Bradford", "--format", "html"], None),
    ("one LA (Bradford), HTML + PDF", ["Bradford", "--format", "html,pdf"], 10),
    ("all 331 LAs, HTML", ["--all", "--format", "html", "--jobs", "2"], 180),
    ("all 331 LAs, HTML + PDF", ["--all", "--format", "html,pdf", "--jobs", "2"], 900),
]


def _size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def run_case(arguments: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="scorecard-bench-") as out:
        command = [sys.executable, "-m", "scorecard.cli", "build", *arguments, "--out", out,
                   "--quiet"]
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        files, size = _size(Path(out))
    # ru_maxrss of children: the largest single process (kB on Linux).
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": seconds, "exit": result.returncode, "files": files,
            "megabytes": size / 1e6, "peak_mb": peak_mb, "stderr": result.stderr.strip()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the one-LA cases")
    parser.add_argument("--no-all-pdf", action="store_true", help="skip all LAs with PDF")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each one-LA case")
    args = parser.parse_args()
    cases = CASES[:2] if args.quick else CASES[:3] if args.no_all_pdf else CASES
    print(f"scorecard build timings on {os.cpu_count()} CPUs (wall clock, fresh process)")
    header = f"{'case':<32} {'seconds':>8} {'target':>7} {'met':>4} {'files':>6} " \
             f"{'MB out':>7} {'peak MB':>8}  runs (s)"
    print(header)
    print("-" * len(header))
    for name, arguments, target in cases:
        runs = [run_case(arguments) for _ in range(args.repeat if "--all" not in arguments
                                                   else 1)]
        times = sorted(r["seconds"] for r in runs)
        row = runs[0] | {"seconds": statistics.median(times)}
        spread = " ".join(f"{t:.1f}" for t in times) if len(times) > 1 else ""
        met = "" if target is None else ("yes" if row["seconds"] < target else "NO")
        print(f"{name:<32} {row['seconds']:>8.1f} {target or '':>7} {met:>4} "
              f"{row['files']:>6} {row['megabytes']:>7.1f} {row['peak_mb']:>8.0f}  {spread}",
              flush=True)
        if row["exit"] != 0:
            print(f"  exit {row['exit']}: {row['stderr'][-500:]}")


if __name__ == "__main__":
    main()
