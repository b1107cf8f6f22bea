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

Multinomials are drawn as conditional binomials over groups (largest group last). The
binomials of a group are drawn for all units of a run of areas and all draws at once by
table inversion (:mod:`.tabled_binomial`): in the null every unit of an area shares its
probability, and in the bootstrap every unit with the same observed counts does, so one
table row serves many draws. The statistics of the simulated tables come from integer
arithmetic and a table of x·ln x (counts and totals are integers), not a logarithm per cell.
Units are put in a canonical order first (by area, then by their counts), so that a table
whose rows are shuffled gets the same draws: results depend on the data, not on its row
order. The work is cut into blocks (runs of areas × runs of draws) set by the table alone,
each with its own seed spawned from one ``numpy.random.SeedSequence``, so results depend only
on ``seed``, ``draws`` and the table — not on how the blocks are spread over processes.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..processes import worker_pool
from . import multigroup as mg
from . import tabled_binomial
from . import twogroup as tg

DEFAULT_SEED = 20111
DEFAULT_DRAWS = 199
# The summaries keep every draw's statistics: 16 bytes × draws × areas × statistics (12 for
# five groups each against the rest), e.g. 0.64 GB for 10,000 draws over 331 LAs; beyond
# that an interval gains nothing a user could see at 2 decimal places.
MAX_DRAWS = 10_000
MIN_DRAWS = 2  # an interval needs two draws
# Units × groups × draws of one block of :func:`simulation_blocks` (about 40 bytes each at
# once): large, so that the table rows of a shared probability serve many draws.
BLOCK_CELLS = 2_000_000
# Everything that decides the draws besides the table, draws and seed: part of the key of a
# stored national run, so that results drawn another way are never read back.
SAMPLER = (f"tabled-binomial:{BLOCK_CELLS}:{tabled_binomial.WINDOW_SD}:"
           f"{tabled_binomial.WINDOW_SLACK}:{tabled_binomial.ENTRIES_PER_DRAW}")
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
    null_plan: TablePlan | None = None  # random allocation, drawn by table inversion
    boot_plan: TablePlan | None = None  # bootstrap, drawn by table inversion

    def part(self, first: int, stop: int) -> Problem:
        """The problem restricted to areas ``first`` … ``stop − 1`` (for their statistics)."""
        areas, u = areas_part(self.areas, first, stop)
        return Problem(areas, self.t[u], self.null_probs[u], self.boot_probs[u], self.order,
                       self.comparisons, self.T[first:stop], self.inverse_t[u])


def areas_part(areas: tg.Areas, first: int, stop: int) -> tuple[tg.Areas, slice]:
    """Areas ``first`` … ``stop − 1`` as areas of their own, and the slice of their units."""
    starts = areas.starts
    u0 = int(starts[first])
    u1 = int(starts[stop]) if stop < len(starts) else len(areas.order)
    return (tg.Areas(areas.codes[first:stop], starts[first:stop] - u0, np.arange(u1 - u0),
                     True), slice(u0, u1))


@dataclass(frozen=True)
class TablePlan:
    """A multinomial per unit as binomials conditional on earlier groups: per step, each
    unit's conditional share and a key that units sharing that share have in common."""

    order: np.ndarray  # groups in drawing order, the last one takes what remains
    width: int
    share: np.ndarray  # steps × units
    key: np.ndarray  # steps × units

    @classmethod
    def null(cls, counts: np.ndarray, areas: tg.Areas, order: np.ndarray) -> TablePlan:
        """Random allocation: every unit of an area has the area's shares (key: the area)."""
        G = areas.sum(counts.astype(float), axis=0)[:, order]  # areas × steps
        share = areas.spread(_conditional(G).T, axis=1)
        key = np.broadcast_to(areas.index, share.shape)
        return cls(order, counts.shape[1], share, key)

    @classmethod
    def bootstrap(cls, counts: np.ndarray, order: np.ndarray) -> TablePlan:
        """Each unit's own shares: c_k / (what remains of its residents), keyed by both."""
        ordered = counts[:, order].astype(np.int64)
        remaining = np.cumsum(ordered[:, ::-1], axis=1)[:, ::-1]
        share = _conditional(ordered.astype(float)).T
        key = (ordered * (remaining.max(initial=0) + 1) + remaining)[:, :-1].T
        return cls(order, counts.shape[1], share, key)

    def draw(self, rng: np.random.Generator, t: np.ndarray, units: slice,
             size: int) -> np.ndarray:
        """``size`` draws of the ``units``: groups × units × draws counts summing to ``t``."""
        n = t[units].astype(np.int64)
        remaining = np.repeat(n[:, None], size, axis=1)
        out = np.empty((self.width, len(n), size), dtype=np.int64)
        for step, k in enumerate(self.order[:-1]):
            share, key = self.share[step, units], self.key[step, units]
            random = (share > 0) & (share < 1.0)
            if random.all():
                out[k] = tabled_binomial.binomial(rng, remaining, key, share)
            else:
                out[k] = 0
                certain = share >= 1.0
                out[k][certain] = remaining[certain]
                out[k][random] = tabled_binomial.binomial(rng, remaining[random], key[random],
                                                          share[random])
            remaining -= out[k]
        out[self.order[-1]] = remaining
        return out


def _conditional(ordered: np.ndarray) -> np.ndarray:
    """Share of each step's group in what remains (rows × steps, the last step dropped)."""
    suffix = np.cumsum(ordered[:, ::-1], axis=1)[:, ::-1]
    return np.clip(tg._safe_divide(ordered, suffix), 0.0, 1.0)[:, :-1]


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
    P = tg._safe_divide(G, T[:, None])  # an empty area is 0 here, and noted in its rows
    E = -tg._xlogx(P).sum(axis=-1)
    M = E + tg._safe_divide(areas.sum(t * plogp.sum(axis=-1)), T)
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
    E2 = tg._binary_entropy(tg._safe_divide(X, T))
    unit_entropy = -(plogp + tg._xlogx(1.0 - p)) * (t > 0)
    H = 1.0 - tg._safe_divide(areas.sum(t * unit_entropy), T * E2)
    return [np.where(absent, np.nan, D), np.where(absent, np.nan, H)]


def table_statistics(counts: np.ndarray, problem: Problem) -> np.ndarray:
    """:func:`statistics` of simulated tables given as groups × units × draws integer counts
    (unit totals those of ``problem``): (draws, areas, stats).

    Everything is a per-area sum of integers or of a table of x·ln x at integers:
    Σ t_i E_i = Σ (t ln t − x ln x − (t−x) ln(t−x)) for H, and D = ½ Σ |x_i T − t_i X| / (X Y)
    with the numerator exact in integers. Comparisons with a named reference take
    :func:`statistics`.
    """
    if any(reference is not None for _, reference in problem.comparisons):
        return statistics(np.transpose(counts, (2, 1, 0)).astype(float), problem)
    areas, t, T = problem.areas, problem.t, problem.T
    xlogx = xlogx_table(int(t.max(initial=0)))
    starts, sizes = areas.starts, areas.sizes
    whole = np.add.reduceat(xlogx[t], starts)[:, None]  # Σ t ln t per area
    T_unit, t_unit = areas.spread(T.astype(np.int64))[:, None], t[:, None]
    area_T = T[:, None].astype(float)
    sums, E, present, own = [], 0.0, 0, 0.0
    for x in counts:
        X = np.add.reduceat(x, starts, axis=0)
        inside = np.add.reduceat(xlogx[x], starts, axis=0)  # Σ x ln x
        sums.append((X, inside + np.add.reduceat(xlogx[t_unit - x], starts, axis=0)))
        own = own + inside
        E = E - tg._xlogx(tg._safe_divide(X, area_T))
        present = present + (X > 0)
    columns, done = [], {}
    for group, _ in problem.comparisons:
        if counts.shape[0] == 2 and 1 - group in done:
            columns += done[1 - group]  # with two groups, each vs the rest is one pair
            continue
        X, both = sums[group]
        Y = area_T - X
        absent = (X == 0) | (Y == 0)
        gap = np.abs(counts[group] * T_unit - t_unit * np.repeat(X, sizes, axis=0))
        D = 0.5 * tg._safe_divide(np.add.reduceat(gap, starts, axis=0), X * Y)
        H = 1.0 - tg._safe_divide(whole - both, area_T * tg._binary_entropy(
            tg._safe_divide(X, area_T)))
        done[group] = [np.where(absent, np.nan, D), np.where(absent, np.nan, H)]
        columns += done[group]
    M = E + tg._safe_divide(own - whole, area_T)
    columns += [M, np.where(present < 2, np.nan, tg._safe_divide(M, E))]
    return np.stack(columns, axis=-1).transpose(1, 0, 2)


_XLOGX: list[np.ndarray] = [np.zeros(1)]


def xlogx_table(n_max: int) -> np.ndarray:
    """x ln x for the integers 0 … n_max (0 ln 0 = 0), kept for the process."""
    if len(_XLOGX[0]) <= n_max:
        x = np.arange(max(n_max + 1, 1024), dtype=float)
        _XLOGX[0] = tg._xlogx(x)
    return _XLOGX[0]


@dataclass(frozen=True)
class Block:
    """A run of areas and a run of draws simulated with one generator."""

    seed: np.random.SeedSequence
    draws: int
    first_draw: int
    areas: tuple[int, int]  # first area, stop


def simulation_blocks(seed: int, draws: int, areas: tg.Areas, groups: int) -> list[Block]:
    """The work cut into runs of areas × runs of draws of about :data:`BLOCK_CELLS` units ×
    groups × draws each, every block with its own seed spawned from ``seed``. The cut depends
    only on the table and ``draws`` — never on the number of processes — so results are
    identical for any ``workers``. All draws of an area share a block unless one area's draws
    exceed the budget."""
    cells = areas.sizes.astype(np.int64) * groups
    size = int(max(1, min(draws, BLOCK_CELLS // max(1, int(cells.max(initial=1))))))
    sizes = [size] * (draws // size) + ([draws % size] if draws % size else [])
    before = np.r_[0, np.cumsum(cells)[:-1]]
    chunk = before * size // BLOCK_CELLS  # areas whose cells start in the same budget
    firsts = np.flatnonzero(np.r_[True, chunk[1:] != chunk[:-1]])
    runs = list(zip(firsts.tolist(), [*firsts[1:].tolist(), len(cells)], strict=True))
    seeds = np.random.SeedSequence(seed).spawn(len(sizes) * len(runs))
    blocks, first_draw = [], 0
    for i, block_draws in enumerate(sizes):
        blocks += [Block(seeds[i * len(runs) + j], block_draws, first_draw, run)
                   for j, run in enumerate(runs)]
        first_draw += block_draws
    return blocks


def block_tables(block: Block, null_plan: TablePlan, boot_plan: TablePlan, t: np.ndarray,
                 units: slice) -> tuple[np.ndarray, np.ndarray]:
    """One block's random-allocation tables, then its bootstrap tables, from the block's own
    generator: groups × units × draws each."""
    rng = np.random.default_rng(block.seed)
    return (null_plan.draw(rng, t, units, block.draws),
            boot_plan.draw(rng, t, units, block.draws))


def simulate(problem: Problem, blocks: Sequence[Block]) -> list[np.ndarray]:
    """Statistics of the null and bootstrap tables of each block: (2, draws, areas, stats)."""
    results = []
    for block in blocks:
        part = problem.part(*block.areas)
        units = areas_part(problem.areas, *block.areas)[1]
        null, boot = block_tables(block, problem.null_plan, problem.boot_plan, problem.t, units)
        results.append(np.stack([table_statistics(null, part), table_statistics(boot, part)]))
    return results


def assemble(blocks: Sequence[Block], parts: Sequence[np.ndarray], axis: int = 0) -> np.ndarray:
    """The blocks' (draws, areas, …) arrays, starting at ``axis``, as one: areas side by side,
    draws one after another."""
    by_draws: dict[int, list[np.ndarray]] = {}
    for block, part in zip(blocks, parts, strict=True):
        by_draws.setdefault(block.first_draw, []).append(part)
    return np.concatenate([np.concatenate(by_draws[first], axis=axis + 1)
                           for first in sorted(by_draws)], axis=axis)


TASKS_PER_WORKER = 6  # blocks differ in cost (up to 6×): small tasks keep workers even
_INHERITED: Problem | None = None  # the problem forked workers find without a copy sent


def _simulate_inherited(blocks: Sequence[Block]) -> list[np.ndarray]:
    return simulate(_INHERITED, blocks)


def _run(problem: Problem, blocks: list[Block], workers: int) -> np.ndarray:
    """Simulate in one process, or hand runs of blocks to processes as they free up; then
    put the blocks' areas side by side and their draws one after another."""
    global _INHERITED
    if workers <= 1 or len(blocks) < 2:
        return assemble(blocks, simulate(problem, blocks), axis=1)
    runs = [[blocks[i] for i in run] for run in
            np.array_split(np.arange(len(blocks)), min(len(blocks), workers * TASKS_PER_WORKER))]
    fork = "fork" in multiprocessing.get_all_start_methods()
    try:
        if fork:  # forked workers inherit the problem (tens of MB) instead of a pickle per task
            _INHERITED = problem
        with worker_pool(workers, method="fork" if fork else "spawn") as pool:
            done = (pool.map(_simulate_inherited, runs) if fork else
                    pool.map(simulate, [problem] * len(runs), runs))
            parts = [part for run in done for part in run]
    finally:
        _INHERITED = None
    return assemble(blocks, parts, axis=1)


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
                      table.T, tg._safe_divide(1.0, t.astype(float)),
                      TablePlan.null(counts, areas, order), TablePlan.bootstrap(counts, order))
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
    if not MIN_DRAWS <= draws <= MAX_DRAWS:
        raise ValueError(f"draws must be between {MIN_DRAWS} and {MAX_DRAWS:,}")
    groups = tg.group_columns(frame, area, groups)
    if pairs is None:
        pairs = [(g, None) for g in groups]
    problem, counts = _problem(frame, area, groups, pairs)
    observed = statistics(counts, problem)  # areas × stats
    blocks = simulation_blocks(seed, draws, problem.areas, counts.shape[1])
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
