"""Per-unit measures that can be mapped: location quotients, local entropy, local M.

One row per unit (in the frame's order) with the unit code, its area and columns:
- ``lq_<group>``: location quotient p_ik / P_k (1 = the area's share; 0 when P_k = 0)
- ``entropy``: the unit's diversity E_i = −Σ_k p_ik ln p_ik; ``entropy_ratio`` = E_i / E
- ``mutual_local``: local segregation ls_i = Σ_k p_ik ln(p_ik / P_k) and ``unit_share``
  p_i = t_i / T, so that Σ_i p_i ls_i is the area's M (Elbers' R ``mutual_local``)
- ``m_contribution`` = p_i · ls_i.
Units with no residents have empty values and a ``note``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import twogroup as tg
from .multigroup import Table


def local_measures(
    frame: pd.DataFrame,
    *,
    unit: str = "code",
    area: str | None = "area",
    groups: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Location quotients, local entropy and local M for every unit of every area."""
    groups = [g for g in tg.group_columns(frame, area, groups) if g != unit]
    areas, counts = tg.sorted_counts(frame, area, groups)
    table = Table(counts, areas)
    shares = table.unit_shares()
    P = table.spread_P()
    lq = tg._safe_divide(shares, P)
    log_lq = np.log(lq, out=np.zeros(lq.shape), where=counts > 0)
    ls = (shares * log_lq).sum(axis=1)
    entropy = -tg._xlogx(shares).sum(axis=1)
    area_entropy = areas.spread(-tg._xlogx(table.P).sum(axis=1))
    unit_share = tg._safe_divide(table.t, areas.spread(table.T))
    empty = table.t == 0
    columns = {f"lq_{g}": lq[:, k] for k, g in enumerate(groups)}
    columns.update(entropy=entropy, entropy_ratio=tg._safe_divide(entropy, area_entropy),
                   mutual_local=ls, unit_share=unit_share, m_contribution=unit_share * ls)
    out = pd.DataFrame({name: np.where(empty, np.nan, values)
                        for name, values in columns.items()})
    out.insert(0, "area_code", areas.codes[areas.index])
    out.insert(0, unit, np.asarray(frame[unit], dtype=object)[areas.order])
    out["note"] = np.where(empty, "no residents", "")
    no_mix = (area_entropy == 0) & ~empty
    out.loc[no_mix, "entropy_ratio"] = np.nan
    out.loc[no_mix, "note"] = "the area has one group only: no entropy ratio"
    inverse = np.empty_like(areas.order)
    inverse[areas.order] = np.arange(len(inverse))
    return out.iloc[inverse].reset_index(drop=True)
