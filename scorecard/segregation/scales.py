"""The same indices at every scale, output area to ward, and where the unevenness lies.

Output areas nest exactly in LSOAs, MSOAs and wards, so every scale holds the same people in
the same groups: only the size of the units changes (the multiscalar view of the MLID R
package and of Manley, Johnston and Jones). Finer units show at least as much unevenness in
M and H; how much of the OA-level M (and H) lies *between* wards rather than within them is
the exact decomposition of :mod:`.decompose`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .decompose import decompose
from .multigroup import multigroup
from .twogroup import Units, two_group

SCALES = ("oa", "lsoa", "msoa", "ward")
TWO_GROUP = ("dissimilarity", "theil_h")
MULTI = ("mutual_information_m", "multigroup_theil_h")


def scale_indices(oa: pd.DataFrame, groups: Sequence[str], focal: Sequence[str],
                  scales: Sequence[str] = SCALES) -> pd.DataFrame:
    """D and H of each ``focal`` group against the rest, and M and multigroup H, for every LA
    at every scale.

    ``oa``: one row per output area with ``code``, ``la_code``, a column per coarser scale
    (lsoa, msoa, ward: the unit the OA lies in) and the ``groups`` counts. Returns the tidy
    rows of the index engine (area_code, index, group, reference, value, n_units, note) with
    ``unit_level``.
    """
    groups = list(groups)
    parts = []
    for scale in scales:
        key = "code" if scale == "oa" else scale
        units = oa.groupby([key, "la_code"], sort=True)[groups].sum().reset_index()
        sorted_units = Units.of(units, "la_code", groups)
        rows = [two_group(sorted_units, g, indices=TWO_GROUP) for g in focal]
        rows.append(multigroup(sorted_units, indices=MULTI))
        parts.append(pd.concat(rows, ignore_index=True).assign(unit_level=scale))
    return pd.concat(parts, ignore_index=True)


def between_wards(oa: pd.DataFrame, groups: Sequence[str]) -> pd.DataFrame:
    """The OA-level M and H of every LA split exactly into the part between its wards and
    the part within them: area_code, index, total, between, within, share_between."""
    table = decompose(oa[["ward", "la_code", *groups]], area="ward", groups=list(groups),
                      parent="la_code")
    parts = table[table["component"].isin(["total", "between", "within"])]
    wide = parts.pivot_table(index=["area_code", "index"], columns="component", values="value",
                             dropna=False).reset_index()
    wide.columns.name = None
    wide["share_between"] = np.where(wide["total"] > 0, wide["between"] / wide["total"],
                                     np.nan)
    return wide[["area_code", "index", "total", "between", "within", "share_between"]]
