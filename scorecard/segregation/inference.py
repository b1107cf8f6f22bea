"""Expected values under random allocation, bias correction and bootstrap intervals.

For every area at once, two kinds of simulated tables are drawn, both keeping each unit's
total population t_i fixed:

- **random allocation** (the null of no segregation): each unit's residents are drawn from
  the area's overall mix, x_i ~ Multinomial(t_i, P). The mean index over these draws is the
  ``expected`` value — what unevenness alone would show with groups this small (Allen et al.
  2015; the MLID R package draws Binomial(t_i, P) per group the same way).
- **bootstrap**: each unit's residents are redrawn from its own observed mix,
  x_i ~ Multinomial(t_i, p_i). The 2.5 and 97.5 percentiles of the index over these draws
  give the spread; the bias-corrected value is 2·value − mean (Allen et al. 2015). The
  interval of the value is that spread centred on the value (percentiles − bias), and the
  interval of the bias-corrected value the same spread centred on it (percentiles − 2·bias).

Multinomials are drawn as conditional binomials over groups (largest group last), one
vectorised call per group over all units of all areas and all draws of a block. Units are
put in a canonical order first (by area, then by their counts), so that a table whose rows
are shuffled gets the same draws: results depend on the data, not on its row order. Every block
of draws has its own seed spawned from one ``numpy.random.SeedSequence`` and a size set by
the table alone, so results depend only on ``seed``, ``draws`` and the table — not on how
the blocks are spread over worker processes.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import multigroup as mg
from . import twogroup as tg

DEFAULT_SEED = 20111
DEFAULT_DRAWS = 199
BATCH_CELLS = 2_000_000  # units × groups × draws simulated at once (memory ≈ 16 bytes each)
PARALLEL_CELLS = 20_000_000  # below this many units × groups × draws, stay in one process
TWO_GROUP = ("dissimilarity", "theil_h")
MULTI = ("mutual_information_m", "multigroup_theil_h")


@dataclass(frozen=True)
class Problem:
    """What every draw needs: sorted units, their totals and both samplers' probabilities."""

    areas: tg.Areas
    t: np.ndarray  # unit totals (int)
    null_probs: np.ndarray  # units × groups: the area's shares
    boot_probs: np.ndarray  # units × groups: the unit's own shares
    order: np.ndarray  # groups in drawing order, largest last
    comparisons: tuple[tuple[int, int | None], ...]  # (group, reference or None = rest)
    T: np.ndarray  # area totals
    inverse_t: np.ndarray  # 1 / t_i, 0 for empty units


@dataclass(frozen=True)
class SamplingPlan:
    """A multinomial per unit as binomials conditional on earlier groups, with every share
    worked out once so that each of many draws is only the binomial calls."""

    order: np.ndarray  # groups in drawing order, the last one takes what remains
    width: int
    certain: tuple[np.ndarray, ...]  # per step: units whose share is 1 (take all remaining)
    random: tuple[np.ndarray, ...]  # per step: units whose share is strictly between 0 and 1
    shares: tuple[np.ndarray, ...]  # per step: those units' shares

    @classmethod
    def of(cls, probs: np.ndarray, order: np.ndarray) -> SamplingPlan:
        suffix = np.cumsum(probs[:, order[::-1]], axis=1)[:, ::-1]  # Σ of probs from k on
        certain, random, shares = [], [], []
        for step, k in enumerate(order[:-1]):
            share = np.clip(tg._safe_divide(probs[:, k], suffix[:, step]), 0.0, 1.0)
            certain.append(np.flatnonzero(share >= 1.0))
            random.append(np.flatnonzero((share > 0) & (share < 1.0)))
            shares.append(share[random[-1]])
        return cls(order, probs.shape[1], tuple(certain), tuple(random), tuple(shares))

    def draw(self, rng: np.random.Generator, n: np.ndarray, size: int = 1) -> np.ndarray:
        """``size`` draws at once: draws × units × groups counts with row sums ``n`` (one
        binomial call per group for all the draws, so small tables cost little each)."""
        out = np.zeros((size, len(n), self.width), dtype=np.int64)
        remaining = np.repeat(n.astype(np.int64)[None, :], size, axis=0)
        for step, k in enumerate(self.order[:-1]):
            certain, random = self.certain[step], self.random[step]
            out[:, certain, k] = remaining[:, certain]
            out[:, random, k] = rng.binomial(remaining[:, random], self.shares[step])
            remaining -= out[:, :, k]
        out[:, :, self.order[-1]] = remaining
        return out


MAX_BLOCK = 32  # draws that share one random generator


def draw_blocks(seed: int, draws: int, cells: int) -> list[tuple[np.random.SeedSequence, int]]:
    """The draws cut into blocks, each with its own seed spawned from ``seed``: a block's
    draws come from its generator in one go. Block sizes depend only on the draws and the
    table's units × groups (``cells``, which also bound memory), never on the number of
    processes, so results are identical for any ``workers``."""
    size = max(1, min(MAX_BLOCK, BATCH_CELLS // max(1, cells)))
    sizes = [size] * (draws // size) + ([draws % size] if draws % size else [])
    return list(zip(np.random.SeedSequence(seed).spawn(len(sizes)), sizes, strict=True))


def draw_block(block: tuple[np.random.SeedSequence, int], null_plan: SamplingPlan,
               boot_plan: SamplingPlan, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One block's random-allocation tables, then its bootstrap tables (draws first)."""
    seed, size = block
    rng = np.random.default_rng(seed)
    return null_plan.draw(rng, n, size), boot_plan.draw(rng, n, size)


def multinomial(rng: np.random.Generator, n: np.ndarray, probs: np.ndarray,
                order: np.ndarray) -> np.ndarray:
    """One Multinomial(n_i, probs_i) draw per row, as binomials conditional on earlier groups."""
    return SamplingPlan.of(probs, order).draw(rng, n)[0]


def statistics(counts: np.ndarray, problem: Problem) -> np.ndarray:
    """Indices of tables with units × groups on the last two axes: (..., areas, stats).

    Unit totals are those of ``problem`` (both samplers keep them). Stats are D and
    two-group H for each comparison, then M and multigroup H, with the identities
    M = E − Σ t_i E_i / T and H₂ = 1 − Σ t_i E2_i / (T E2) so that each log is taken once.
    Draws where a compared group or its reference is absent give NaN.
    """
    areas, t, T = problem.areas, problem.t, problem.T
    shares = counts * problem.inverse_t[:, None]  # p_ik
    plogp = tg._xlogx(shares)
    G = areas.sum(counts, axis=-2)
    P = G / T[:, None]
    E = -tg._xlogx(P).sum(axis=-1)
    M = E + areas.sum(t * plogp.sum(axis=-1)) / T
    one_group = (G > 0).sum(axis=-1) < 2
    columns, done = [], {}
    for group, reference in problem.comparisons:
        if reference is None and counts.shape[-1] == 2 and 1 - group in done:
            columns += done[1 - group]  # with two groups, each vs the rest is one pair
        elif reference is None:
            done[group] = _versus_rest(counts[..., group], shares[..., group],
                                       plogp[..., group], G[..., group], problem)
            columns += done[group]
        else:
            x, y = counts[..., group], counts[..., reference]
            absent = (G[..., group] == 0) | (G[..., reference] == 0)
            columns += [np.where(absent, np.nan, kernel(x, y, areas))
                        for kernel in (tg._dissimilarity, tg._theil_h)]
    columns.append(M)
    columns.append(np.where(one_group, np.nan, tg._safe_divide(M, E)))
    return np.stack(columns, axis=-1)


def _versus_rest(x, p, plogp, X, problem: Problem) -> list[np.ndarray]:
    """D and two-group H of one group against the rest, unit totals fixed."""
    areas, t, T = problem.areas, problem.t, problem.T
    Y = T - X
    absent = (X == 0) | (Y == 0)
    gap = np.abs(x * areas.spread(tg._safe_divide(1.0, X)) - (t - x)
                 * areas.spread(tg._safe_divide(1.0, Y)))
    D = 0.5 * areas.sum(gap)
    E2 = tg._binary_entropy(X / T)
    unit_entropy = -(plogp + tg._xlogx(1.0 - p)) * (t > 0)
    H = 1.0 - tg._safe_divide(areas.sum(t * unit_entropy), T * E2)
    return [np.where(absent, np.nan, D), np.where(absent, np.nan, H)]


def simulate(problem: Problem, blocks: Sequence[tuple]) -> np.ndarray:
    """Statistics of the null and bootstrap tables of each block's draws:
    (2, draws, areas, stats)."""
    null_plan = SamplingPlan.of(problem.null_probs, problem.order)
    boot_plan = SamplingPlan.of(problem.boot_probs, problem.order)
    results = []
    for block in blocks:
        null, boot = draw_block(block, null_plan, boot_plan, problem.t)
        results.append(np.stack([statistics(null.astype(float), problem),
                                 statistics(boot.astype(float), problem)]))
    return np.concatenate(results, axis=1)


def _run(problem: Problem, blocks: list, workers: int) -> np.ndarray:
    """Simulate in one process, or split the blocks into contiguous runs over processes."""
    if workers <= 1 or len(blocks) < 2:
        return simulate(problem, blocks)
    runs = [[blocks[i] for i in run] for run in np.array_split(np.arange(len(blocks)), workers)
            if len(run)]
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        parts = list(pool.map(simulate, [problem] * len(runs), runs))
    return np.concatenate(parts, axis=1)


def canonical_order(frame: pd.DataFrame, area: str | None,
                    groups: Sequence[str]) -> pd.DataFrame:
    """The rows sorted by area, then by each group's count: a row order fixed by the data
    alone (rows with equal counts are interchangeable), so that draws assigned to units in
    this order do not depend on how the input was sorted."""
    keys = ([area] if area else []) + list(groups)
    return frame.sort_values(keys, kind="stable", ignore_index=True)


def _problem(frame, area, groups, pairs) -> tuple[Problem, np.ndarray]:
    areas, counts = tg.sorted_counts(canonical_order(frame, area, groups), area, groups)
    table = mg.Table(counts, areas)
    order = np.argsort(counts.sum(axis=0), kind="stable")  # largest group drawn last
    comparisons = tuple((groups.index(g), None if r is None else groups.index(r))
                        for g, r in pairs)
    t = table.t.astype(np.int64)
    problem = Problem(areas, t, table.spread_P(), table.unit_shares(), order, comparisons,
                      table.T, tg._safe_divide(1.0, t.astype(float)))
    return problem, counts


def inference(
    frame: pd.DataFrame,
    *,
    area: str | None = "area",
    groups: Sequence[str] | None = None,
    pairs: Sequence[tuple[str, str | None]] | None = None,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    min_units: int = tg.MIN_UNITS,
    workers: int | None = None,
) -> pd.DataFrame:
    """D and H of each compared pair of groups and multigroup M and H, with
    expected values under random allocation, bias-corrected values and 95% intervals.

    ``pairs`` lists (group, reference) comparisons, reference None meaning the rest of the
    population; default: every group against the rest. ``workers`` processes share the draws
    (default: all CPUs for large problems); results are identical for any ``workers``.
    Returns a tidy table: area_code, index, group, reference, value, expected, lower, upper,
    n_units, note. Index names: dissimilarity, theil_h, mutual_information_m,
    multigroup_theil_h, each also with a ``_bias_corrected`` row.
    """
    if draws < 2:
        raise ValueError("draws must be at least 2")
    groups = tg.group_columns(frame, area, groups)
    if pairs is None:
        pairs = [(g, None) for g in groups]
    problem, counts = _problem(frame, area, groups, pairs)
    observed = statistics(counts, problem)  # areas × stats
    blocks = draw_blocks(seed, draws, counts.size)
    cells = counts.size * draws
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if cells >= PARALLEL_CELLS else 1
    null, boot = _run(problem, blocks, workers)
    return _rows(problem, groups, counts, observed, null, boot, min_units)


def _summaries(observed, null, boot) -> dict[str, np.ndarray]:
    """Expected, bias-corrected value and intervals per area × stat; NaN draws left out."""
    bias = nanmean(boot) - observed
    lower, upper = nanpercentiles(boot)
    # The bootstrap redraws from each unit's observed mix, which adds sampling noise and so
    # pushes D and H up: its raw percentiles can miss the observed value. The observed row
    # therefore gets the bootstrap spread centred on itself (percentiles − bias), and the
    # bias-corrected row the same spread centred on value − bias.
    return {"expected": nanmean(null), "lower": lower - bias, "upper": upper - bias,
            "corrected": observed - bias, "corrected_lower": lower - 2 * bias,
            "corrected_upper": upper - 2 * bias,
            "dropped": (~np.isfinite(boot)).sum(axis=0) + (~np.isfinite(null)).sum(axis=0)}


def nanmean(values: np.ndarray) -> np.ndarray:
    count = np.isfinite(values).sum(axis=0)
    total = np.where(np.isfinite(values), values, 0.0).sum(axis=0)
    return tg._safe_divide(total, count) + np.where(count > 0, 0.0, np.nan)


def nanpercentiles(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """2.5 and 97.5 percentiles over draws (axis 0), NaN draws left out, as numpy's
    default linear interpolation; NaN where every draw is NaN."""
    ordered = np.sort(values, axis=0)  # NaN sort last
    valid = np.isfinite(values).sum(axis=0)
    bounds = []
    for q in (0.025, 0.975):
        position = q * np.maximum(valid - 1, 0)
        below = np.floor(position).astype(np.int64)
        above = np.minimum(below + 1, np.maximum(valid - 1, 0))
        low = np.take_along_axis(ordered, below[None], axis=0)[0]
        high = np.take_along_axis(ordered, above[None], axis=0)[0]
        value = low + (high - low) * (position - below)
        bounds.append(np.where(valid > 0, value, np.nan))
    return bounds[0], bounds[1]


def _rows(problem, groups, counts, observed, null, boot, min_units) -> pd.DataFrame:
    """Tidy rows: one per area × comparison × index, plus the bias-corrected twins."""
    areas = problem.areas
    summary = _summaries(observed, null, boot)
    table = mg.Table(counts, areas)
    populated = areas.sum((table.t > 0).astype(np.int64))
    draws = null.shape[0]
    parts, column = [], 0
    for group, reference in problem.comparisons:
        x, y, reference_name = tg.pair(counts, groups, groups[group],
                                       None if reference is None else groups[reference])
        notes = tg._why_undefined(x, y, areas, min_units, groups[group],
                                  "other" if reference is None else reference_name)
        for index in TWO_GROUP:
            parts += _index_rows(areas, index, groups[group], reference_name, observed,
                                 summary, column, notes, populated, draws)
            column += 1
    notes = mg.why_undefined(table, min_units)[0]
    for index in MULTI:
        parts += _index_rows(areas, index, "all", "", observed, summary, column, notes,
                             populated, draws)
        column += 1
    return pd.concat(parts, ignore_index=True)


def _index_rows(areas, index, group, reference, observed, summary, column, notes, populated,
                draws) -> list[pd.DataFrame]:
    """The index's row and its bias-corrected row for every area."""
    dropped = summary["dropped"][:, column]
    s = {key: values[:, column] for key, values in summary.items()}
    simulated = np.isfinite(s["expected"]) & np.isfinite(s["lower"])
    keep = (notes == "") & np.isfinite(observed[:, column]) & simulated
    notes = np.where((notes == "") & ~simulated,
                     "no simulated table had both compared groups", notes)
    partial = keep & (dropped > 0)
    notes = np.where(partial, [f"{d} of {2 * draws} simulated tables lacked a compared group "
                               "and were left out" for d in dropped], notes)

    def frame(name, value, lower, upper, expected):
        return pd.DataFrame({
            "area_code": areas.codes, "index": name, "group": group, "reference": reference,
            "value": np.where(keep, value, np.nan),
            "expected": np.where(keep, expected, np.nan),
            "lower": np.where(keep, lower, np.nan), "upper": np.where(keep, upper, np.nan),
            "n_units": populated, "note": notes})

    return [frame(index, observed[:, column], s["lower"], s["upper"], s["expected"]),
            frame(f"{index}_bias_corrected", s["corrected"], s["corrected_lower"],
                  s["corrected_upper"], s["expected"])]
