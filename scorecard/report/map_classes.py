"""National map classes: one set of breaks for every group's share and every LA, per census.

A shade then means the same on every map of every page: "12% to 35% of residents" is the
same colour for Asian residents in Bradford and White residents in Cornwall. The breaks are
mapclassify's Jenks–Caspall natural breaks over every LSOA's five broad-group shares (and,
for diversity, every LSOA's entropy) in England and Wales, rounded for the legend. They are
stored in ``map_classes.csv`` beside the code: computing them takes mapclassify several
seconds over 178,000 values, which a one-LA build cannot spend; ``python -m
scorecard.report.map_classes`` rewrites the file and tests/test_maps.py checks it against a
fresh mapclassify run. Jenks–Caspall rather than Fisher–Jenks: it is deterministic without
numba (whose import alone costs seconds) and close to Fisher–Jenks' optimum.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from .. import census, groups
from ..resources import package_file

FILE = "map_classes.csv"
METHOD = ("Jenks–Caspall natural breaks (mapclassify) over every LSOA of England and Wales, "
          "the same classes for every group and local authority")
SHORT_METHOD = "national Jenks–Caspall classes"
CLASSES = {"share": 6, "entropy": 5}
DECIMALS = {"share": 0, "entropy": 2}
TOP = {"share": 100.0, "entropy": float(np.log(5))}


def national_values(year: int) -> dict[str, np.ndarray]:
    """Every LSOA's broad-group shares (percent, pooled) and entropy, for one census."""
    counts = census.load_as(year, "lsoa", "broad5").frame
    codes = groups.codes("broad5")
    values = counts[codes].to_numpy(dtype=float)
    total = counts["total"].to_numpy(dtype=float)
    keep = total > 0
    shares = values[keep] / total[keep, None]
    logs = np.log(np.where(shares > 0, shares, 1.0))
    return {"share": 100 * shares.ravel(), "entropy": -(shares * logs).sum(axis=1)}


def compute(year: int) -> pd.DataFrame:
    """The breaks from scratch with mapclassify (seconds): year, measure, class, upper."""
    import mapclassify  # only here: the pages read the stored breaks

    rows = []
    for measure, values in national_values(year).items():
        bins = mapclassify.JenksCaspall(values, k=CLASSES[measure]).bins
        upper = np.round(bins[:-1], DECIMALS[measure]).tolist() + [TOP[measure]]
        rows += [{"year": year, "measure": measure, "class": i, "upper": u}
                 for i, u in enumerate(upper)]
    return pd.DataFrame(rows)


@cache
def _table() -> pd.DataFrame:
    return pd.read_csv(package_file(FILE))


def breaks(year: int, measure: str) -> np.ndarray:
    """Upper limits of the national classes (each class holds its upper limit)."""
    table = _table()
    rows = table[(table["year"] == year) & (table["measure"] == measure)]
    return rows.sort_values("class")["upper"].to_numpy(dtype=float)


def classify(values: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Class of each value (−1 when missing): the first class whose upper limit it reaches."""
    values = np.asarray(values, dtype=float)
    found = np.searchsorted(upper, np.nan_to_num(values), side="left")
    return np.where(np.isnan(values), -1, np.minimum(found, len(upper) - 1))


def labels(upper: np.ndarray, measure: str) -> list[str]:
    """'0% to 3%', '3% to 12%' …: contiguous, so the legend has no gaps."""
    unit = "%" if measure == "share" else ""
    places = DECIMALS[measure]
    lower = [0.0, *upper[:-1]]
    return [f"{a:.{places}f}{unit} to {b:.{places}f}{unit}" for a, b in zip(lower, upper,
                                                                              strict=True)]


def main() -> None:
    table = pd.concat([compute(year) for year in (2011, 2021)], ignore_index=True)
    path = package_file(FILE)
    path.write_text(table.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    print(f"{path}: {len(table)} class limits")


if __name__ == "__main__":
    main()
