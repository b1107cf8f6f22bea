"""Bootstrap draws of the scorecard's indices for every area at once, kept as arrays.

The draws are those of :mod:`scorecard.segregation.inference`: in blocks (runs of areas ×
runs of draws), each with a seed spawned from ``numpy.random.SeedSequence(seed)``, the
block's random-allocation tables (each unit's residents drawn from its area's mix) and then
its bootstrap tables (drawn from the unit's own mix), both as conditional binomials with the
largest group last. With the same frame and seed, the D, H and M intervals here equal
``inference()``'s. Keeping the
draws (rather than only their percentiles) lets :mod:`scorecard.compare.change` form the
draws of a *change* between two independent censuses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..segregation import twogroup as tg
from ..segregation.inference import (
    TablePlan,
    areas_part,
    assemble,
    block_tables,
    canonical_order,
    nanmean,
    nanpercentiles,
    simulation_blocks,
)
from ..segregation.multigroup import KERNELS as MULTI_KERNELS
from ..segregation.multigroup import Table

TWO_GROUP = ("dissimilarity", "theil_h", "isolation", "exposure")
MULTI = ("mutual_information_m", "multigroup_theil_h")


@dataclass(frozen=True)
class Draws:
    """Observed statistics and their simulated draws, areas × stats (draws first)."""

    areas: np.ndarray  # area codes, sorted
    keys: list[tuple[str, str]]  # (index, group) per stat column
    observed: np.ndarray  # areas × stats
    null: np.ndarray  # draws × areas × stats (random allocation)
    boot: np.ndarray  # draws × areas × stats (bootstrap)


def stat_keys(groups: list[str]) -> list[tuple[str, str]]:
    """(index, group) of each statistic: each group against the rest, then the multigroup."""
    return [(index, g) for g in groups for index in TWO_GROUP] + [(i, "all") for i in MULTI]


def statistics(counts: np.ndarray, areas: tg.Areas) -> np.ndarray:
    """All statistics of tables with units × groups on the last two axes: (..., areas, stats).

    A group absent from an area (or making up all of it) gives NaN for its two-group
    indices; an area with one group present gives NaN for H.
    """
    t = counts.sum(axis=-1)
    columns = []
    for k in range(counts.shape[-1]):
        x = counts[..., k]
        y = t - x
        X, Y = areas.sum(x), areas.sum(y)
        absent = (X == 0) | (Y == 0)
        columns += [np.where(absent, np.nan, tg.KERNELS[name](x, y, areas))
                    for name in TWO_GROUP]
    table = Table(counts, areas)
    one_group = (table.G > 0).sum(axis=-1) < 2
    columns.append(MULTI_KERNELS["mutual_information_m"](table))
    columns.append(np.where(one_group, np.nan, MULTI_KERNELS["multigroup_theil_h"](table)))
    return np.stack(columns, axis=-1)


def draw(frame: pd.DataFrame, *, area: str, groups: list[str], draws: int,
         seed: int) -> Draws:
    """Observed statistics and ``draws`` null and bootstrap draws for every area of ``frame``.
    Units in the canonical order of :func:`~scorecard.segregation.inference.canonical_order`,
    so that the draws are those of the inference engine whatever the rows' order."""
    areas, counts = tg.sorted_counts(canonical_order(frame, area, groups), area, groups)
    table = Table(counts, areas)
    t = np.rint(table.t).astype(np.int64)
    order = np.argsort(counts.sum(axis=0), kind="stable")  # largest group drawn last
    plans = (TablePlan.null(counts, areas, order), TablePlan.bootstrap(counts, order))
    blocks = simulation_blocks(seed, draws, areas, counts.shape[1])
    null, boot = [], []
    for block in blocks:
        part, units = areas_part(areas, *block.areas)
        null_tables, boot_tables = block_tables(block, *plans, t, units)
        null.append(statistics(np.transpose(null_tables, (2, 1, 0)).astype(float), part))
        boot.append(statistics(np.transpose(boot_tables, (2, 1, 0)).astype(float), part))
    return Draws(areas.codes, stat_keys(groups), statistics(counts, areas),
                 assemble(blocks, null), assemble(blocks, boot))


def interval(observed: np.ndarray, boot: np.ndarray) -> dict[str, np.ndarray]:
    """Bias and the 95% interval of ``observed``: the bootstrap spread centred on it
    (percentiles − bias), as :mod:`scorecard.segregation.inference` does."""
    bias = nanmean(boot) - observed
    low, high = nanpercentiles(boot)
    return {"bias": bias, "lower": low - bias, "upper": high - bias}
