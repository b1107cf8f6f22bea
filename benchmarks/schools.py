"""Time school segregation for every LA: ours against an independent peer, in one process.

    python benchmarks/schools.py

Cases (each: our time, the peer's, peer ÷ ours, peak memory traced by tracemalloc in a second
run of each, largest absolute difference over every value compared):
- indices across schools: D, H and exposure of White British and of FSM pupils for every LA
  district and phase. Ours: the school engine (every index, group, phase, county, England and
  set of schools at once). Peer: PySAL ``segregation`` called per LA and phase, as its users do.
- ten nearest schools: each primary and secondary school's nearby White British share and
  classification. Ours: one k-d tree per phase. Peer: plain numpy, every distance (in blocks
  of rows), ties broken the same way, the rule in exact fractions.
- all school results (the target: under 5 s): the embedded inputs loaded (school census,
  LSOAs and their centres, 2021 output areas for D across neighbourhoods) and every result
  computed, imports excluded; no peer.
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
import warnings
from fractions import Fraction

# benchmarks/segregation.py is named like PySAL's package: drop this folder from the path.
sys.path = [p for p in sys.path
            if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from scorecard import census, schools  # noqa: E402
from scorecard.schools import data, indices, results  # noqa: E402

TARGET_ALL = 5.0


def timed(function, *args):
    started = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - started


def peak_mb(function, *args) -> float:
    tracemalloc.start()
    function(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


# --------------------------------------------------------------------------- indices


def ours_indices(frame, small_areas, residents, names):
    summary = results.school_results(frame, small_areas, residents, names).summary
    keep = ((summary["area_level"] == "la") & (summary["schools"] == "all")
            & summary["group"].isin(["white_british", "fsm"])
            & summary["index"].isin(["dissimilarity", "theil_h", "exposure"])
            & (summary["note"] == ""))
    return summary[keep].set_index(["area_code", "phase", "index", "group"])["value"]


def pysal_indices(frame):
    from segregation.singlegroup.dissim import _dissim
    from segregation.singlegroup.entropy import _entropy
    from segregation.singlegroup.interaction import _interaction

    pupils = indices.pupil_counts(frame)
    tables = {
        "white_british": pd.DataFrame({"white_british": pupils["white_british"],
                                       "total": pupils["pupils"]})[pupils["ethnicity_known"]],
        "fsm": pd.DataFrame({"fsm": pupils["fsm"], "total": pupils["fsm"] + pupils["not_fsm"]}
                            )[pupils["fsm_known"]],
    }
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for group, table in tables.items():
            table = table.assign(area=frame["district_code"], phase=frame["phase"])
            table = table[table["area"] != ""]
            for (area, phase), part in table.groupby(["area", "phase"], sort=True):
                if len(part) < 2:
                    continue
                for name, function in (("dissimilarity", _dissim), ("theil_h", _entropy),
                                       ("exposure", _interaction)):
                    out[(area, phase, name, group)] = function(part, group, "total")[0]
    return pd.Series(out)


# --------------------------------------------------------------------------- nearest


def ours_nearest(frame):
    pupils = indices.pupil_counts(frame)
    table = results.classify_schools(frame, pupils)
    return table[["nearby_white_british", "segregated_white_british"]]


def brute_nearest(frame, block: int = 1000):
    pupils = indices.pupil_counts(frame)
    x, y = frame["easting"].to_numpy(float), frame["northing"].to_numpy(float)
    nearby = np.full(len(frame), np.nan)
    label = np.full(len(frame), "", dtype=object)
    wb = np.nan_to_num(pupils["white_british"].to_numpy(float)).astype(np.int64)
    total = np.nan_to_num(pupils["pupils"].to_numpy(float)).astype(np.int64)
    for phase in ("primary", "secondary"):
        pool = np.flatnonzero((frame["phase"] == phase).to_numpy() & np.isfinite(x)
                              & pupils["ethnicity_known"].to_numpy() & (total > 0))
        px, py = x[pool], y[pool]
        for start in range(0, len(pool), block):
            rows = np.arange(start, min(start + block, len(pool)))
            d2 = (px[rows, None] - px[None, :]) ** 2 + (py[rows, None] - py[None, :]) ** 2
            d2[np.arange(len(rows)), rows] = np.inf
            # The ten smallest distances, ties at the tenth kept, then ordered by (distance,
            # index) exactly: the same rule as the engine, without a tree.
            tenth = np.partition(d2, 9, axis=1)[:, 9]
            order = np.empty((len(rows), 10), dtype=np.int64)
            for i in range(len(rows)):
                candidates = np.flatnonzero(d2[i] <= tenth[i])
                order[i] = candidates[np.lexsort((candidates, d2[i, candidates]))][:10]
            c = wb[pool][order].sum(axis=1)
            d = total[pool][order].sum(axis=1)
            nearby[pool[rows]] = c / d
            for i, row in enumerate(rows):
                s, n = (Fraction(int(wb[pool[row]]), int(total[pool[row]])),
                        Fraction(int(c[i]), int(d[i])))
                gap = Fraction(15, 100)
                if s - n > gap or s > 2 * n or (1 - s) < (1 - n) / 2:
                    label[pool[row]] = "higher"
                elif n - s > gap or s < n / 2 or (1 - s) > 2 * (1 - n):
                    label[pool[row]] = "lower"
    return pd.DataFrame({"nearby_white_british": nearby, "segregated_white_british": label})


# --------------------------------------------------------------------------- all results


def all_results():
    census.load.cache_clear()
    schools.small_areas.cache_clear()
    schools.residents.cache_clear()
    schools.area_names.cache_clear()
    data._embedded.cache_clear()
    return results.school_results(data.load(), schools.small_areas(), schools.residents(),
                                  schools.area_names())


def main() -> None:
    frame, small, names = data.load(), schools.small_areas(), schools.area_names()
    residents = schools.residents()
    ours_indices(frame, small, residents, names)  # warm-up
    rows = []

    ours, t_ours = timed(ours_indices, frame, small, residents, names)
    theirs, t_theirs = timed(pysal_indices, frame)
    both = pd.concat([ours.rename("ours"), theirs.rename("theirs")], axis=1, join="inner")
    rows.append(("indices across schools (PySAL per LA and phase)", t_ours, t_theirs,
                 peak_mb(ours_indices, frame, small, residents, names),
                 peak_mb(pysal_indices, frame),
                 float((both["ours"] - both["theirs"]).abs().max()), len(both)))

    ours, t_ours = timed(ours_nearest, frame)
    theirs, t_theirs = timed(brute_nearest, frame)
    compared = theirs["nearby_white_british"].notna()
    gap = (ours["nearby_white_british"] - theirs["nearby_white_british"])[compared].abs().max()
    same = (ours["segregated_white_british"] == theirs["segregated_white_british"])[compared]
    assert same.all(), f"{(~same).sum()} classifications differ"
    rows.append(("ten nearest schools (numpy brute force)", t_ours, t_theirs,
                 peak_mb(ours_nearest, frame), peak_mb(brute_nearest, frame), float(gap),
                 int(compared.sum())))

    _, t_all = timed(all_results)
    rows.append(("all school results, inputs loaded", t_all, None, peak_mb(all_results),
                 None, None, None))

    print("School segregation, every LA (DfE school census, January 2023), one process")
    print(f"{'case':<50} {'ours s':>7} {'peer s':>7} {'ratio':>6} {'ours MB':>8} "
          f"{'peer MB':>8} {'max diff':>9} {'values':>7}")
    for name, a, b, ma, mb, diff, n in rows:
        print(f"{name:<50} {a:7.2f} {'' if b is None else f'{b:7.2f}':>7} "
              f"{'' if b is None else f'{b / a:6.1f}':>6} {ma:8.1f} "
              f"{'' if mb is None else f'{mb:8.1f}':>8} "
              f"{'' if diff is None else f'{diff:9.1e}':>9} {'' if n is None else n:>7}")
    print(f"target for all school results: under {TARGET_ALL:.0f} s: "
          f"{'met' if t_all < TARGET_ALL else 'not met'} ({t_all:.2f} s)")


if __name__ == "__main__":
    main()
