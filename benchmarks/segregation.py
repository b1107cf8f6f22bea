"""Benchmark: our index engine vs PySAL ``segregation`` (a loop over LAs) on real census data.

Same battery at each level: the nine two-group indices of one group against the rest
(White British at 2011, White at 2021) and the eight multigroup indices over the level's
groups, for every LA. PySAL's Atkinson class always uses b = 0.5 (it ignores ``b``), so its
three Atkinson rows come from ``_atkinson`` directly. Prints level, times, ratio, peak
memory (tracemalloc, separate run) and the largest absolute difference; then times the
inference (199 draws) for all LAs at 2011 output-area level (White British vs the rest) and
at 2021 output-area level (each of the five broad groups vs the rest, as the scorecards).

Run: /work/venv/bin/python benchmarks/segregation.py
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
import warnings

# This file is named like PySAL's package: drop its folder from the path before importing it.
sys.path = [p for p in sys.path
            if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from segregation.multigroup import (  # noqa: E402
    MultiDissim,
    MultiDivergence,
    MultiDiversity,
    MultiInfoTheory,
    MultiNormExposure,
    MultiRelativeDiversity,
    SimpsonsConcentration,
    SimpsonsInteraction,
)
from segregation.singlegroup import CorrelationR, Dissim, Entropy, Gini, Interaction, Isolation  # noqa: E402
from segregation.singlegroup.atkinson import _atkinson  # noqa: E402

from scorecard import census  # noqa: E402
from scorecard.segregation import (  # noqa: E402
    ALL_TWO_GROUP_INDICES,
    MULTIGROUP_INDICES,
    Units,
    inference,
    multigroup,
    two_group,
)

LEVELS = [(2011, "oa", "white_british"), (2011, "lsoa", "white_british"),
          (2021, "oa", "white"), (2021, "lsoa", "white"), (2021, "msoa", "white")]
SINGLE = {"dissimilarity": Dissim, "gini": Gini, "theil_h": Entropy, "isolation": Isolation,
          "exposure": Interaction, "correlation_ratio": CorrelationR}
MULTI = dict(zip(MULTIGROUP_INDICES, (MultiDissim, MultiInfoTheory, MultiDivergence,
                                      SimpsonsInteraction, SimpsonsConcentration,
                                      MultiNormExposure, MultiRelativeDiversity,
                                      MultiDiversity), strict=True))


def ours(frame: pd.DataFrame, group: str, groups: list[str]) -> pd.DataFrame:
    """The whole battery from the wide frame: sort the units by LA (once, shared by both
    calls), every index for every LA, and the tidy table."""
    units = Units.of(frame, "la_code", groups)
    return pd.concat([two_group(units, group, indices=ALL_TWO_GROUP_INDICES),
                      multigroup(units, indices=MULTIGROUP_INDICES)])


def pysal(frame: pd.DataFrame, group: str, groups: list[str]) -> pd.DataFrame:
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for la, units in frame.groupby("la_code", sort=True):
            for name, cls in SINGLE.items():
                rows.append((la, name, cls(units, group, "total").statistic))
            for b in (0.1, 0.5, 0.9):
                rows.append((la, f"atkinson_{b}", _atkinson(units, group, "total", b=b)[0]))
            present = [g for g in groups if units[g].sum() > 0]
            for name, cls in MULTI.items():
                rows.append((la, name, cls(units, present).statistic))
    return pd.DataFrame(rows, columns=["area_code", "index", "pysal"])


def timed(function, *args, repeat: int = 1):
    """The result and the best wall time of ``repeat`` runs (the usual timeit practice: the
    minimum is the run least disturbed by the rest of the machine)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args)
        best = min(best, time.perf_counter() - start)
    return result, best


def peak_mib(function, *args) -> float:
    tracemalloc.start()
    function(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    print("ours: best of 5 runs; PySAL: one run (a loop over LAs, as its users write it)")
    print(f"{'level':<10} {'ours s':>8} {'PySAL s':>9} {'ratio':>8} {'ours MiB':>9} "
          f"{'PySAL MiB':>10} {'max |diff|':>11} {'compared':>9}")
    for year, level, group in LEVELS:
        counts = census.load(year, level)
        frame, groups = counts.frame, counts.groups
        ours(frame, group, groups)  # warm-up (imports, caches)
        mine, our_time = timed(ours, frame, group, groups, repeat=5)
        theirs, their_time = timed(pysal, frame, group, groups)
        both = mine.merge(theirs, on=["area_code", "index"])
        defined = both[both["note"] == ""]
        gap = (defined["value"] - defined["pysal"]).abs().max()
        our_mib = peak_mib(ours, frame, group, groups)
        their_mib = peak_mib(pysal, frame, group, groups)
        print(f"{year} {level:<5} {our_time:8.3f} {their_time:9.2f} "
              f"{their_time / our_time:7.0f}× {our_mib:9.1f} {their_mib:10.1f} {gap:11.1e} "
              f"{len(defined):9d}")
    cases = [("2011 OA, White British vs rest", census.load(2011, "oa").to("white_british2")),
             ("2021 OA, each broad group vs rest", census.load(2021, "oa"))]
    for label, counts in cases:
        for workers in (1, os.cpu_count() or 1):
            start = time.perf_counter()
            result = inference(counts.frame, area="la_code", groups=counts.groups, draws=199,
                               workers=workers)
            elapsed = time.perf_counter() - start
            print(f"inference {label}, all {result['area_code'].nunique()} LAs, 199 draws, "
                  f"{workers} worker(s): {elapsed:.1f} s (D, H, M, multigroup H with "
                  f"expected, bias-corrected, 95% intervals; rows with values: "
                  f"{int(np.isfinite(result['value']).sum())})")


if __name__ == "__main__":
    main()
