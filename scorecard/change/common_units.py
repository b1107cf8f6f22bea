"""Units common to both censuses: sets of 2011 and 2021 output areas that hold the same people.

Nothing is apportioned. A *common unit* is a set of 2011 OAs and a set of 2021 OAs covering
the same ground, so each census's counts on it are plain sums of its own OAs. They are the
connected components of a graph whose nodes are the OAs of both censuses, built from the ONS
lookups as follows.

1. **LSOA components.** The connected components of the exact LSOA (2011) ↔ LSOA (2021)
   lookup (34,630 in England and Wales) are exact common units: every OA of either census
   lies in one of them. They are the fallback.
2. **OA relation within an LSOA component.** The ONS OA (2011) → OA (2021) lookup is a best
   fit with one row per 2011 OA: an unchanged OA keeps its code, several 2011 OAs on one 2021
   OA are a merge (exact), and a 2011 OA that was split appears once, on one child with a new
   code; its other children are the 2021 OAs absent from the lookup. Within the LSOA component,
   those absent children are joined to the *candidate parents*: the 2011 OAs whose one-to-one
   row has a new code. With one candidate the split family is exact at OA level; with several,
   all of the component's candidates, their listed children and its absent children form one
   unit (still exact, coarser).
3. **Fallback.** A whole LSOA component is one unit where the OA relation cannot be made exact:
   it holds an irregular LSOA change (``X``), absent children but no candidate parent, or a
   lookup row whose 2021 OA lies in another LSOA component.

Every step is array work over the whole country (one sparse graph, ``scipy.sparse.csgraph``);
no loop over LAs or components.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

KINDS = {
    "oa": "output areas: unchanged, or merged 2011 OAs on one 2021 OA",
    "oa_split": "output areas: a split 2011 OA (or several in one LSOA) with all its 2021 parts",
    "lsoa": "LSOAs: a component of the LSOA (2011) ↔ LSOA (2021) lookup",
}


@dataclass(frozen=True)
class CommonUnits:
    """Which common unit each OA of each census belongs to, and what each unit is.

    ``units``: one row per common unit: code, la_code (2022), kind (see :data:`KINDS`),
    n_oa_2011, n_oa_2021, n_la (2022 LAs its 2021 OAs lie in; 1 but for the 2013 boundary
    changes). ``of_2011`` / ``of_2021``: OA code → common unit code.
    """

    units: pd.DataFrame
    of_2011: pd.Series
    of_2021: pd.Series


def _components(n_nodes: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)),
                       shape=(n_nodes, n_nodes))
    return connected_components(graph, directed=False)[1]


def lsoa_components(lookup: pd.DataFrame) -> tuple[pd.Series, pd.Series, np.ndarray]:
    """Component of every 2011 LSOA and every 2021 LSOA, and which components are irregular.

    ``lookup``: code_2011, code_2021, change (U/S/M/X), one row per overlapping pair.
    """
    lsoa11 = pd.Index(np.sort(lookup["code_2011"].to_numpy(dtype=object)).tolist()).unique()
    lsoa21 = pd.Index(np.sort(lookup["code_2021"].to_numpy(dtype=object)).tolist()).unique()
    left = lsoa11.get_indexer(lookup["code_2011"].to_numpy(dtype=object))
    right = len(lsoa11) + lsoa21.get_indexer(lookup["code_2021"].to_numpy(dtype=object))
    component = _components(len(lsoa11) + len(lsoa21), left, right)
    irregular = np.zeros(component.max() + 1, dtype=bool)
    irregular[component[left[(lookup["change"] == "X").to_numpy()]]] = True
    return (pd.Series(component[:len(lsoa11)], index=lsoa11),
            pd.Series(component[len(lsoa11):], index=lsoa21), irregular)


def _positions(component: pd.Series, codes: pd.Series, message: str) -> np.ndarray:
    """The component of each code (object arrays: fast hashing)."""
    where = pd.Index(component.index.to_numpy(dtype=object)).get_indexer(
        codes.to_numpy(dtype=object))
    if (where < 0).any():
        raise ValueError(message)
    return component.to_numpy()[where]


def common_units(oa_2011: pd.DataFrame, oa_2021: pd.DataFrame,
                 lsoa_lookup: pd.DataFrame) -> CommonUnits:
    """The common units of two censuses' output areas (see the module docstring).

    ``oa_2011``: code, lsoa, oa_2021 (the ONS best-fit 2021 OA, one row per 2011 OA);
    ``oa_2021``: code, lsoa, la_code; ``lsoa_lookup``: code_2011, code_2021, change.
    """
    comp11, comp21, irregular = lsoa_components(lsoa_lookup)
    n_comp = len(irregular)
    c11 = _positions(comp11, oa_2011["lsoa"], "an output area's LSOA is not in the LSOA lookup")
    c21 = _positions(comp21, oa_2021["lsoa"], "an output area's LSOA is not in the LSOA lookup")
    target = pd.Index(oa_2021["code"].to_numpy(dtype=object)).get_indexer(
        oa_2011["oa_2021"].to_numpy(dtype=object))
    if (target < 0).any():
        raise ValueError("a 2011 OA's best-fit 2021 OA is not a 2021 OA")
    n11, n21 = len(oa_2011), len(oa_2021)

    parents = np.bincount(target, minlength=n21)
    absent = parents == 0  # 2021 parts of split 2011 OAs, other than each one's best fit
    recoded = (parents[target] == 1) & (oa_2011["code"].to_numpy() != oa_2011["oa_2021"]
                                         .to_numpy())  # candidate parents of split parts
    n_absent = np.bincount(c21[absent], minlength=n_comp)
    n_candidates = np.bincount(c11[recoded], minlength=n_comp)
    crossing = c11 != c21[target]
    fallback = irregular | ((n_absent > 0) & (n_candidates == 0))
    fallback[c11[crossing]] = True
    fallback[c21[target[crossing]]] = True
    family = (n_absent > 0) & ~fallback

    # Nodes: 2011 OAs, then 2021 OAs, then one hub per LSOA component.
    hub11, hub21 = n11 + n21 + c11, n11 + n21 + c21
    node11, node21 = np.arange(n11), n11 + np.arange(n21)
    joins_11 = fallback[c11] | (family[c11] & recoded)
    joins_21 = fallback[c21] | (family[c21] & absent)
    left = np.concatenate([node11, node11[joins_11], node21[joins_21]])
    right = np.concatenate([n11 + target, hub11[joins_11], hub21[joins_21]])
    label = _components(n11 + n21 + n_comp, left, right)
    split = absent & family[c21]
    split[target[recoded & family[c11]]] = True
    return _describe(oa_2011, oa_2021, label[:n11], label[n11:n11 + n21], fallback[c21], split)


def _describe(oa_2011: pd.DataFrame, oa_2021: pd.DataFrame, label11: np.ndarray,
              label21: np.ndarray, whole_lsoa: np.ndarray, split: np.ndarray) -> CommonUnits:
    """Name each unit after its first 2021 OA and say what it is and where it lies."""
    frame = pd.DataFrame({"label": label21, "oa": oa_2021["code"].to_numpy(),
                          "la_code": oa_2021["la_code"].to_numpy(),
                          "whole_lsoa": whole_lsoa, "split": split})
    grouped = frame.groupby("label", sort=True)
    units = grouped.agg(first=("oa", "min"), n_oa_2021=("oa", "size"),
                        n_la=("la_code", "nunique"), whole_lsoa=("whole_lsoa", "any"),
                        split=("split", "any"))
    # The LA holding most of the unit's 2021 OAs (ties: the first code).
    la = (frame.groupby(["label", "la_code"]).size().rename("n").reset_index()
          .sort_values(["label", "n", "la_code"], ascending=[True, False, True])
          .drop_duplicates("label").set_index("label")["la_code"])
    units["la_code"] = la
    units["n_oa_2011"] = pd.Series(label11).value_counts().reindex(units.index).fillna(0)
    if (units["n_oa_2011"] == 0).any():
        raise ValueError("a common unit has no 2011 output area")
    units["kind"] = np.select([units["whole_lsoa"], units["split"]], ["lsoa", "oa_split"], "oa")
    units["code"] = "CU-" + units["first"]  # named after its first 2021 OA: unique
    table = units.reset_index()[["code", "la_code", "kind", "n_oa_2011", "n_oa_2021", "n_la"]]
    table["n_oa_2011"] = table["n_oa_2011"].astype(np.int64)
    code_of = pd.Series(table["code"].to_numpy(), index=units.index)
    return CommonUnits(table.sort_values("code", ignore_index=True),
                       pd.Series(code_of.reindex(label11).to_numpy(), index=oa_2011["code"]),
                       pd.Series(code_of.reindex(label21).to_numpy(), index=oa_2021["code"]))


def on_common_units(counts: pd.DataFrame, unit_of: pd.Series, la_of: pd.Series,
                    groups: list[str]) -> pd.DataFrame:
    """One census's OA counts (code + ``groups``) summed to common units: code, la_code,
    the groups and total, sorted by code."""
    where = pd.Index(unit_of.index.to_numpy(dtype=object)).get_indexer(
        counts["code"].to_numpy(dtype=object))
    if (where < 0).any():
        raise ValueError("an output area has no common unit")
    unit = unit_of.to_numpy(dtype=object)[where]
    summed = counts[groups].groupby(unit, sort=True).sum()
    out = summed.reset_index(names="code")
    la = pd.Index(la_of.index.to_numpy(dtype=object)).get_indexer(out["code"].to_numpy())
    out.insert(1, "la_code", la_of.to_numpy(dtype=object)[la])
    out["total"] = out[groups].sum(axis=1)
    return out


def coverage(units: pd.DataFrame, residents: pd.Series, by: str | None = "la_code"
             ) -> pd.DataFrame:
    """Number of common units and share of (2021) residents on OA-level units, per ``by``
    (None: England and Wales). ``residents``: per unit code."""
    frame = units.assign(residents=residents.reindex(units["code"]).fillna(0).to_numpy(),
                         oa_level=units["kind"] != "lsoa")
    frame = frame.assign(on_oa=frame["residents"] * frame["oa_level"], area=frame[by] if by
                         else "K04000001")
    out = frame.groupby("area", sort=True).agg(
        n_units=("code", "size"), n_oa_level=("oa_level", "sum"),
        residents=("residents", "sum"), residents_oa_level=("on_oa", "sum"))
    out["share_oa_level"] = out["residents_oa_level"] / out["residents"].where(
        out["residents"] > 0)
    return out.reset_index(names="area_code")
