"""2011 counts apportioned onto 2021 LSOAs / MSOAs, and whole 2011 districts on 2022 LAs.

The LSOA apportioning was how change since 2011 used to be measured. It is kept to compare
with (and for the district sums): a split 2011 LSOA passes its mix unchanged to each 2021
child, so 2011 is measured on coarser units than 2021 and change leans towards "more
segregated". Change is now measured on exact common units (:mod:`.common_units`).

LSOAs: the ONS LSOA (2011) to LSOA (2021) lookup (exact fit) says for each pair of
overlapping LSOAs how the 2011 area changed (``CHGIND``):

- **U** unchanged: the 2011 counts move as they are;
- **S** split: one 2011 LSOA became several 2021 LSOAs. Its counts are divided among the
  children *in proportion to the children's 2021 census populations* (the same share for
  every group: splitting by each group's 2021 numbers would carry 2021 segregation back
  into 2011 and bias change towards zero);
- **M** merged: several 2011 LSOAs became one 2021 LSOA; their counts are summed;
- **X** irregular (9 lookup rows, the 2013 district boundary changes): a 2011 LSOA whose
  children also take in other 2011 LSOAs. Its counts are divided among its children in
  proportion to each child's 2021 population divided by the child's number of 2011
  parents (an approximation: the child's population cannot be told apart by origin).

With ``integer=True`` (the default) each 2011 LSOA's group count is divided by the largest
remainder method, so every group stays a whole number and every 2011 LSOA's, LA's and the
national total is exact; ``integer=False`` keeps the fractional shares.

MSOAs: there is no OA 2011 → MSOA 2021 lookup, and the ONS MSOA (2011) → MSOA (2021)
lookup embedded by geographr keeps one row per 2011 MSOA (splits are lost, 7,182 of the
7,264 MSOA21s appear). So 2011 counts reach 2021 MSOAs by the LSOA route: 2011 LSOAs →
2021 LSOAs (above) → their 2021 MSOA (LSOA21s nest exactly in MSOA21s).

LAs: whole 2011 districts are summed into their 2022 successors (ONS LAD 2011 → LAD 2022
lookup derived from the LSOA lookups): 25 districts merged into 8 new authorities, 6
recoded in 2013. Three 2011 LSOAs moved to a neighbouring district in 2013 (minor
boundary transfers); whole-district sums leave them with the district that holds most of
the old district (``method="district"``), or ``method="lsoa"`` sums the harmonised LSOAs,
which moves them but has only the 15 LSOA-level groups.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

import numpy as np
import pandas as pd

from .. import census, geography, groups
from ..census import Counts
from ..errors import InputError
from ..resources import boundaries_file

CHANGE_TYPES = {
    "U": "unchanged",
    "S": "split (2011 counts divided in proportion to the 2021 populations of the parts)",
    "M": "merged (2011 counts summed)",
    "X": "irregular (divided in proportion to 2021 population per 2011 parent)",
}


def lsoa_lookup() -> pd.DataFrame:
    """ONS LSOA11 → LSOA21 lookup: code_2011, code_2021, change (U/S/M/X), la_code (2022)."""
    return geography.lsoa_lookup()


@cache
def lad_lookup() -> pd.DataFrame:
    """ONS-derived LAD11 → LAD22 lookup: code_2011, code_2022, n_lsoa11, share, change."""
    table = pd.read_parquet(boundaries_file("lookup_lad11_lad22.parquet"))
    return table.rename(columns={"LAD11CD": "code_2011", "LAD22CD": "code_2022",
                                 "share_of_lad11_lsoa11": "share"})


@cache
def msoa_of_lsoa() -> pd.Series:
    """2021 LSOA code → 2021 MSOA code."""
    table = pd.read_parquet(boundaries_file("lookup_lsoa21_msoa21.parquet"))
    return table.set_index("LSOA21CD")["MSOA21CD"]


# ----------------------------------------------------------------------------- pure core


def split_weights(parent: np.ndarray, child: np.ndarray,
                  child_population: np.ndarray) -> np.ndarray:
    """Share of each lookup row's 2011 parent that goes to its 2021 child.

    ``parent``/``child``: integer positions per lookup row; ``child_population``: 2021
    population per child position. Weight ∝ population / number of parents of the child,
    normalised within each parent; a parent whose children are all empty splits evenly.
    """
    parents_of_child = np.bincount(child, minlength=len(child_population))
    raw = child_population[child] / parents_of_child[child]
    per_parent = np.bincount(parent, raw)
    rows_per_parent = np.bincount(parent)
    even = per_parent[parent] == 0
    return np.where(even, 1.0 / rows_per_parent[parent],
                    raw / np.where(even, 1.0, per_parent[parent]))


def largest_remainder(counts: np.ndarray, parent: np.ndarray,
                      weights: np.ndarray) -> np.ndarray:
    """Whole-number shares of ``counts`` (parents × groups) for each lookup row.

    Row r gets ⌊counts[parent_r] · w_r⌋, and the units still owed to each parent and group
    go, one each, to its rows with the largest fractional parts (ties: lookup order), so
    each parent's counts are divided exactly.
    """
    quota = counts[parent] * weights[:, None]
    share = np.floor(quota + 1e-9)
    owed = counts - _sum_rows(share, parent, len(counts))
    fraction = quota - share
    rows = np.arange(len(parent))
    for k in range(counts.shape[1]):
        order = np.lexsort((rows, -fraction[:, k], parent))
        first = np.searchsorted(parent[order], parent[order], side="left")
        rank = np.arange(len(order)) - first
        gets = rank < owed[parent[order], k]
        share[order[gets], k] += 1
    return share


def _sum_rows(values: np.ndarray, index: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros((size, values.shape[1]))
    np.add.at(out, index, values)
    return out


def apportion(frame: pd.DataFrame, lookup: pd.DataFrame, population: pd.Series,
              group_codes: list[str], *, integer: bool = True) -> pd.DataFrame:
    """2011 counts (``frame``: code + group columns) moved onto 2021 units by ``lookup``.

    ``lookup``: code_2011, code_2021 (one row per overlapping pair); ``population``: 2021
    population by 2021 code. Returns code (2021), the groups and total, sorted by code.
    """
    parents = pd.Index(frame["code"])
    children = pd.Index(np.sort(lookup["code_2021"].unique()))
    parent = parents.get_indexer(lookup["code_2011"])
    child = children.get_indexer(lookup["code_2021"])
    if (parent < 0).any():
        missing = lookup["code_2011"].to_numpy()[parent < 0][0]
        raise ValueError(f"2011 unit {missing} of the lookup has no counts")
    counts = frame[group_codes].to_numpy(dtype=float)
    weights = split_weights(parent, child, population.reindex(children).fillna(0).to_numpy())
    moved = (largest_remainder(counts, parent, weights) if integer
             else counts[parent] * weights[:, None])
    summed = _sum_rows(moved, child, len(children))
    out = pd.DataFrame(summed.astype(np.int64) if integer else summed, columns=group_codes)
    out.insert(0, "code", children.to_numpy())
    out["total"] = out[group_codes].sum(axis=1)
    return out


def change_counts(lookup: pd.DataFrame, population_2011: pd.Series) -> pd.DataFrame:
    """How many lookup rows, 2011 and 2021 LSOAs and 2011 residents each change type covers."""
    table = lookup.assign(people=lookup["code_2011"].map(population_2011))
    first = ~table.duplicated("code_2011")  # count each 2011 LSOA's people once per type
    out = table.groupby("change", sort=True).agg(
        lookup_rows=("code_2011", "size"), lsoa_2011=("code_2011", "nunique"),
        lsoa_2021=("code_2021", "nunique"))
    out["residents_2011"] = table[first].groupby("change")["people"].sum()
    out = out.reindex(list(CHANGE_TYPES)).fillna(0).astype("int64").reset_index()
    out["handled"] = out["change"].map(CHANGE_TYPES)
    return out


# ----------------------------------------------------------------------------- loaders


def harmonise_2011_to_2021(level: str = "lsoa", classification: str = "broad5", *,
                           integer: bool = True) -> tuple[Counts, pd.DataFrame]:
    """2011 census counts on 2021 LSOAs or MSOAs, and counts of each change type handled.

    ``classification``: any the 2011 LSOA table maps to (``broad5`` — the one both
    censuses share below LA —, ``white_british2`` or ``ons2011_oa``). The groups are
    mapped first and then divided (see the module docstring for how). The returned
    :class:`Counts` has ``year`` 2011, 2021 unit codes and 2022 LA codes; its ``source``
    says so. The second table: change (U/S/M/X), lookup_rows, lsoa_2011, lsoa_2021,
    residents_2011, handled.
    """
    if level not in ("lsoa", "msoa"):
        raise InputError(None, None, None, f"2011 counts can be put on 2021 LSOAs or MSOAs, "
                         f"not {geography.LEVEL_NAMES.get(level, level)}s")
    before = census.load(2011, "lsoa").to(classification)
    population = census.load(2021, "lsoa").frame.set_index("code")["total"]
    lookup = lsoa_lookup()
    codes = groups.codes(classification)
    moved = apportion(before.frame, lookup, population, codes, integer=integer)
    la_of = geography.units(2021, "lsoa").set_index("code")["la_code"]
    moved.insert(1, "la_code", moved["code"].map(la_of))
    counts = replace(before, frame=moved, level="lsoa", source=before.source
                     + ", on 2021 LSOAs (ONS LSOA 2011 → 2021 lookup)")
    if level == "msoa":
        counts = to_msoa(counts)
    return counts, change_counts(lookup, before.frame.set_index("code")["total"])


def to_msoa(counts: Counts) -> Counts:
    """2021-LSOA counts summed to their 2021 MSOAs."""
    frame = counts.frame.assign(code=counts.frame["code"].map(msoa_of_lsoa()))
    summed = frame.groupby(["code", "la_code"], sort=True)[[*counts.groups, "total"]].sum()
    return replace(counts, frame=summed.reset_index(), level="msoa",
                   source=counts.source.replace("2021 LSOAs", "2021 MSOAs via 2021 LSOAs"))


def la_2011_on_2022(method: str = "district") -> tuple[Counts, pd.DataFrame]:
    """2011 census counts for every 2022 LA (331), and what was done to the 348 districts.

    ``method="district"``: QS201EW (18 groups) summed over whole 2011 districts into the
    2022 LA holding most of each district's LSOAs. ``method="lsoa"``: the harmonised LSOAs
    (15 LSOA-level groups) summed by their 2022 LA, which also moves the three LSOAs of
    the 2013 minor boundary transfers. The second table: change (unchanged, recoded,
    merged, minor_boundary_transfer), lad_2011, lad_2022, handled.
    """
    lookup = lad_lookup()
    if method == "lsoa":
        counts = harmonise_2011_to_2021("lsoa", "ons2011_oa")[0].by_authority()
    elif method == "district":
        main = lookup.sort_values("share", ascending=False).drop_duplicates("code_2011")
        before = census.load(2011, "la")
        frame = before.frame.assign(code=before.frame["code"].map(
            main.set_index("code_2011")["code_2022"]))
        summed = frame.groupby("code", sort=True)[[*before.groups, "total"]].sum().reset_index()
        summed.insert(1, "la_code", summed["code"])
        counts = replace(before, frame=summed, source=before.source + ", 2011 districts "
                         "summed into their 2022 successors")
    else:
        raise ValueError(f"method is 'district' or 'lsoa', not {method!r}")
    return counts, _district_changes(lookup, method)


def _district_changes(lookup: pd.DataFrame, method: str) -> pd.DataFrame:
    handled = {
        "unchanged": "same code and area",
        "recoded": "new code from the 2013 boundary changes; counts kept",
        "merged": "districts summed into the new authority",
        "minor_boundary_transfer": ("one LSOA moved to a neighbouring district: moved with "
                                    "the LSOA" if method == "lsoa" else "one LSOA moved to a "
                                    "neighbouring district: left with its 2011 district"),
    }
    out = lookup.groupby("change").agg(lad_2011=("code_2011", "nunique"),
                                       lad_2022=("code_2022", "nunique")).reset_index()
    out["handled"] = out["change"].map(handled)
    return out
