"""Exact binomial draws by table inversion, for many draws that share their probability.

A simulation draws Binomial(n, p) for every unit and draw, where p is shared by a *key* (in
the random-allocation null every unit of an area has the area's share; in the bootstrap every
unit with the same observed counts has the same share) and n varies a little from draw to
draw. numpy draws each one on its own (about 90 ns: a setup with ``exp`` and ``log``, then a
search whose length grows with the mean). Here each (key, n) pair that occurs gets one row of
its cumulative distribution, and every draw of that pair is one uniform looked up in the row:
inversion, as numpy's own small-mean algorithm, with the search replaced by a guide table
(Chen and Asau 1974), so a draw costs a few array operations whatever its mean.

Exactness. Each row holds the probabilities of a window of ±4 standard deviations (+1) around
the mean, from log-factorials, and the exact probability below the window (``scipy``'s
regularised incomplete beta, ``bdtr``); cumulative sums are kept as integers in units of
2⁻⁵³, the resolution of a double-precision uniform, so they carry no rounding beyond that of
each probability. A uniform that falls below or above the window (under one draw in ten
thousand) is inverted by ``scipy.stats.binom.ppf``. The distribution drawn is therefore the
binomial itself, to the rounding of its probabilities (relative 1e-12 for n below 1,000, about
2e-11 at n = 4,500, from the log-factorials): no normal or other approximation.

Keys whose rows would hold more than :data:`ENTRIES_PER_DRAW` values per draw (few units
over a wide range of n, large means) are drawn by numpy's ``Generator.binomial`` instead.
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

SCALE_BITS = 53
SCALE = float(2**SCALE_BITS)
WINDOW_SD = 4.0  # window half-width in standard deviations (plus WINDOW_SLACK values)
WINDOW_SLACK = 1
ENTRIES_PER_DRAW = 2.0
MAX_TABLED_N = 1 << 16  # larger n lose precision in the log-factorials: numpy draws them
_LOG_FACTORIAL: list[np.ndarray] = [np.zeros(1)]


def log_factorial(n_max: int) -> np.ndarray:
    """ln k! for k = 0 … n_max (extended and kept for the process)."""
    if len(_LOG_FACTORIAL[0]) <= n_max:
        _LOG_FACTORIAL[0] = special.gammaln(np.arange(max(n_max + 1, 1024)) + 1.0)
    return _LOG_FACTORIAL[0]


def binomial(rng: np.random.Generator, n: np.ndarray, key: np.ndarray,
             p: np.ndarray) -> np.ndarray:
    """One Binomial(n[i, d], p[i]) draw per cell of ``n`` (units × draws, int), with
    0 < p < 1 and units of the same ``key`` sharing their p. Deterministic given the
    generator's state and the arguments."""
    n = np.asarray(n, dtype=np.int64)
    out = np.empty(n.shape, dtype=np.int64)
    if n.size == 0:
        return out
    keys, first_unit, key = np.unique(key, return_index=True, return_inverse=True)
    p = np.asarray(p, dtype=float)[first_unit]
    low, high = np.full(len(keys), np.iinfo(np.int64).max), np.zeros(len(keys), np.int64)
    np.minimum.at(low, key, n.min(axis=1))
    np.maximum.at(high, key, n.max(axis=1))
    draws = np.bincount(key, minlength=len(keys)) * n.shape[1]
    rows = high - low + 1
    widest = _window(high, p)[2]
    tabled = (rows * widest <= ENTRIES_PER_DRAW * draws) & (high <= MAX_TABLED_N)
    by_table = tabled[key]
    uniforms = _uniforms(rng, (int(by_table.sum()), n.shape[1]))
    position = np.cumsum(tabled) - 1  # key → its place among tabled keys
    if by_table.all():
        return Table.of(low, high, p).draw(position[key], n, uniforms)
    if by_table.any():
        table = Table.of(low[tabled], high[tabled], p[tabled])
        out[by_table] = table.draw(position[key[by_table]], n[by_table], uniforms)
    if not by_table.all():
        out[~by_table] = rng.binomial(n[~by_table], p[key[~by_table]][:, None])
    return out


def _uniforms(rng: np.random.Generator, size) -> np.ndarray:
    """Uniform integers on [0, 2⁵³), the resolution of a double-precision uniform."""
    return rng.integers(0, 1 << SCALE_BITS, size=size, dtype=np.int64)


def _window(n: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First and last value of each row's window, and its width."""
    mean = n * p
    spread = WINDOW_SD * np.sqrt(mean * (1.0 - p)) + WINDOW_SLACK
    first = np.maximum(0, np.floor(mean - spread)).astype(np.int64)
    last = np.minimum(n, np.ceil(mean + spread)).astype(np.int64)
    return first, last, last - first + 1


def _exclusive_cumsum(values: np.ndarray) -> np.ndarray:
    return np.r_[0, np.cumsum(values)[:-1]].astype(np.int64)


class Table:
    """Rows of cumulative probabilities for every n from ``low`` to ``high`` of each key.

    Each row is laid out as: a leading entry for "below the window" (cumulative value: the
    probability below the window), the window's values, and a sentinel whose cumulative value
    no uniform reaches ("above the window"). A draw is the value of the first entry whose
    cumulative value exceeds the uniform. Each row has a guide of 2^g buckets of the
    uniforms' range (g the same for all rows of a key, 2^g ≥ the row's entries): bucket b
    holds the first entry whose cumulative value exceeds b · 2^(53−g), where the search for
    a uniform in bucket b starts.
    """

    def __init__(self, key_rows, row_n, row_p, value, cumulative, guide, guide_base, bits):
        self.key_rows, self.row_n, self.row_p = key_rows, row_n, row_p
        self.value, self.cumulative = value, cumulative
        self.guide, self.guide_base, self.bits = guide, guide_base, bits

    @classmethod
    def of(cls, low: np.ndarray, high: np.ndarray, p: np.ndarray) -> Table:
        rows = high - low + 1
        key_rows = _exclusive_cumsum(rows) - low  # row of (key, n): key_rows[key] + n
        key = np.repeat(np.arange(len(rows)), rows)
        n = low[key] + np.arange(rows.sum()) - np.repeat(_exclusive_cumsum(rows), rows)
        row_p = p[key]
        first, _, width = _window(n, row_p)
        entries = width + 2  # below the window, the window, the sentinel
        offset = _exclusive_cumsum(entries)
        row = np.repeat(np.arange(len(n)), entries)
        k = np.repeat(first - 1 - offset, entries) + np.arange(len(row))  # first − 1 … last + 1
        sentinel = offset + entries - 1
        k[offset], k[sentinel] = first, first  # placeholders, overwritten below
        mass = _pmf(k, row, n, row_p)
        mass[offset] = 0.0
        some = first > 0
        mass[offset[some]] = special.bdtr(first[some] - 1, n[some], row_p[some])
        mass[sentinel] = 0.0
        units = np.rint(mass * SCALE).astype(np.int64)
        # Cumulative sums of each row, exact in integers (wrap-around cancels in differences).
        total = np.cumsum(units)
        cumulative = total - np.repeat(total[offset] - units[offset], entries)
        cumulative[sentinel] = np.iinfo(np.int64).max
        value = k
        value[offset], value[sentinel] = -2, -1
        bits = np.zeros(len(rows), dtype=np.int64)
        np.maximum.at(bits, key, np.ceil(np.log2(entries)).astype(np.int64))
        guide_base = _exclusive_cumsum(rows << bits) - (low << bits)
        guide = _guide(cumulative, row, offset, guide_base[key] + (n << bits[key]), bits[key])
        return cls(key_rows, n, row_p, value, cumulative, guide, guide_base, bits)

    def draw(self, key: np.ndarray, n: np.ndarray, uniforms: np.ndarray) -> np.ndarray:
        """Draws for cells ``n`` (units × draws) of the units' tabled ``key`` positions."""
        bits = self.bits[key][:, None]
        bucket = uniforms >> (SCALE_BITS - bits)
        bucket += n << bits
        bucket += self.guide_base[key][:, None]
        entry = self.guide.take(bucket.ravel())
        flat = uniforms.ravel()
        behind = np.flatnonzero(self.cumulative.take(entry) <= flat)
        while len(behind):  # a few cells step past their guide's first candidate
            entry[behind] += 1
            behind = behind[self.cumulative[entry[behind]] <= flat[behind]]
        out = self.value.take(entry)
        if out.min(initial=0) < 0:  # below or above the window: rare
            tails = np.flatnonzero(out < 0)
            row = (self.key_rows[key][:, None] + n).ravel()[tails]
            out[tails] = stats.binom.ppf(flat[tails] / SCALE + 0.5 / SCALE, self.row_n[row],
                                         self.row_p[row]).astype(np.int64)
        return out.reshape(n.shape)


def _pmf(k: np.ndarray, row: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Binomial(n[row], p[row]) probabilities of k, from log-factorials."""
    lf = log_factorial(int(n.max(initial=0)))
    lq = np.log1p(-p)
    constant = (lf[n] + n * lq)[row]
    constant -= lf[k]
    constant -= lf[n[row] - k]
    constant += k * (np.log(p) - lq)[row]
    return np.exp(constant, out=constant)


def _guide(cumulative, row, offset, guide_start, bits) -> np.ndarray:
    """Each row's buckets: the first entry whose cumulative value exceeds b · 2^(53−g)."""
    size = np.int64(1) << bits
    shift = SCALE_BITS - bits[row]
    # Entry j is passed by bucket b when cumulative_j <= b·2^shift, i.e. b >= ceil(c_j / 2^s).
    capped = np.minimum(cumulative, np.int64(1) << SCALE_BITS)
    passed_from = (capped + (np.int64(1) << shift) - 1) >> shift
    counted = passed_from < size[row]
    passes = np.bincount(guide_start[row[counted]] + passed_from[counted],
                         minlength=int(size.sum()))
    running = np.cumsum(passes)
    before = running[guide_start] - passes[guide_start]  # passes counted before each row
    return running + np.repeat(offset - before, size)  # the rows' buckets tile the guide


def _ranks(sizes: np.ndarray) -> np.ndarray:
    """0 … size−1 for each size, concatenated."""
    return np.arange(sizes.sum()) - np.repeat(_exclusive_cumsum(sizes), sizes)
