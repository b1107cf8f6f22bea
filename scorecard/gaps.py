"""Proportions, rates and means by ethnic group: intervals, gaps and ratios against a reference.

Pure maths on arrays and tidy frames: no file reading, no statsmodels at run time (the
closed forms are a few lines each, and the tests check them against statsmodels and scipy).

* proportions (``kind="proportion"``): Wilson score interval; gap by Newcombe's hybrid
  score interval (method 10, Newcombe 1998); ratio ("relative likelihood") by the Katz log
  interval (Katz et al. 1978).
* rates of events per resident (``kind="rate"``, e.g. use-of-force tactics, which can
  repeat for one person): exact Poisson (Garwood) interval; gap by MOVER on those limits
  (Newcombe's method generalised, Li, Tang & Wong 2011); ratio by the log-Wald rate ratio.
* means (``kind="mean"``), other given values (``kind="value"``) and values given with
  their own interval: gap by MOVER when both intervals are known, otherwise the gap alone
  with a note saying why there is no interval.

Values, limits and gaps are in the indicator's unit (``scale`` × proportion): percent →
percentage points, per 1,000 → per 1,000, a mean → points.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special  # not scipy.stats: its import alone takes ~0.5 s of every build

Z95 = float(-special.ndtri(0.025))  # 1.959963984540054, the normal's upper 2.5% point
MIN_DENOMINATOR = 30  # below this a figure is flagged as unreliable
MIN_COUNT = 10  # below this a count is suppressed in published output
SUPPRESSED = "[c]"  # GSS symbol: confidential / suppressed
NOT_AVAILABLE = "[x]"  # GSS symbol: not available (missing in the source, not small)
LOW_RELIABILITY = "[u]"  # GSS symbol: low reliability
BREAK = "[b]"  # GSS symbol: break in the time series
BREAK_P = 0.001  # a change with a smaller chance under a steady rate is beyond chance …
BREAK_FOLD = 2.0  # … and a break when the rate at least doubles or halves as well
SYMBOLS_NOTE = (f"{SUPPRESSED} suppressed: a count under {MIN_COUNT}. "
                f"{NOT_AVAILABLE} not available: the source's records are incomplete (the "
                "reason is given beside the figure); no data, not a small count. "
                f"{LOW_RELIABILITY} low reliability: a denominator under {MIN_DENOMINATOR}. "
                f"{BREAK} break in the series: the count changed from the previous period by "
                f"a factor of {BREAK_FOLD:g} or more, beyond what chance allows (exact test, "
                f"p < {BREAK_P:g}), which usually means a change in recording.")

COLUMNS = ["measure", "ethnicity", "reference", "time", "geography_code", "geography_name",
           "geography_level", "numerator", "denominator", "value", "lower", "upper",
           "gap_pp", "gap_lower", "gap_upper", "ratio", "ratio_lower", "ratio_upper",
           "reliable", "flag", "unit", "note", "unavailable"]
KEYS = ["measure", "time", "geography_code"]


def _floats(*arrays):
    return [np.asarray(a, dtype=float) for a in arrays]


def wilson(x, n, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for the proportion x/n (NaN where n is 0 or missing)."""
    x, n = _floats(x, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        scale = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / scale
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / scale
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def poisson_rate(x, n, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval for the rate x/n of a Poisson count x over exposure n."""
    x, n = _floats(x, n)
    tail = (1 - level) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        # Gamma quantiles: ppf(q, a) = gammaincinv(a, q), isf(q, a) = gammainccinv(a, q).
        low = np.where(x > 0, special.gammaincinv(np.where(x > 0, x, 1), tail), 0.0) / n
        high = special.gammainccinv(x + 1, tail) / n
    return low, high


def mover_difference(p1, l1, u1, p2, l2, u2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """p1 − p2 and its interval from each estimate's own interval (MOVER; Newcombe 10
    when the intervals are Wilson's)."""
    p1, l1, u1, p2, l2, u2 = _floats(p1, l1, u1, p2, l2, u2)
    diff = p1 - p2
    low = diff - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = diff + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return diff, low, high


def newcombe(x1, n1, x2, n2, z: float = Z95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Difference of proportions x1/n1 − x2/n2 with Newcombe's hybrid score interval."""
    x1, n1, x2, n2 = _floats(x1, n1, x2, n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = x1 / n1, x2 / n2
    return mover_difference(p1, *wilson(x1, n1, z), p2, *wilson(x2, n2, z))


def _log_interval(ratio, variance, z):
    with np.errstate(divide="ignore", invalid="ignore"):
        half = z * np.sqrt(variance)
        return ratio, ratio * np.exp(-half), ratio * np.exp(half)


def katz_ratio(x1, n1, x2, n2, z: float = Z95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ratio of proportions (x1/n1)/(x2/n2) with the Katz log interval.

    The interval is NaN when either count is 0 (the log interval does not exist).
    """
    x1, n1, x2, n2 = _floats(x1, n1, x2, n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (x1 / n1) / (x2 / n2)
        variance = np.where((x1 > 0) & (x2 > 0), 1 / x1 - 1 / n1 + 1 / x2 - 1 / n2, np.nan)
    return _log_interval(ratio, variance, z)


def rate_ratio(x1, n1, x2, n2, z: float = Z95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ratio of Poisson rates (x1/n1)/(x2/n2) with the log-Wald interval (NaN if a count is 0)."""
    x1, n1, x2, n2 = _floats(x1, n1, x2, n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (x1 / n1) / (x2 / n2)
        variance = np.where((x1 > 0) & (x2 > 0), 1 / x1 + 1 / x2, np.nan)
    return _log_interval(ratio, variance, z)


# ---------------------------------------------------------------------------------------
# Tidy tables


def _notes(n: int, *pairs: tuple[np.ndarray, str]) -> np.ndarray:
    """One note per row: the texts whose mask is true, joined by '; '."""
    out = np.full(n, "", dtype=object)
    for mask, text in pairs:
        mask = np.asarray(mask, dtype=bool)
        out[mask] = np.where(out[mask] == "", text, out[mask] + "; " + text)
    return out


# What each kind of indicator gets, as the methods text states it: the functions below are
# looked up here, so the words and the computation cannot drift apart.
METHODS = {
    "proportion": {"interval": wilson, "ratio": katz_ratio,
                   "interval_name": "Wilson score interval",
                   "gap_name": "Newcombe's hybrid score interval",
                   "ratio_name": "Katz log interval"},
    "rate": {"interval": poisson_rate, "ratio": rate_ratio,
             "interval_name": "exact Poisson (Garwood) interval",
             "gap_name": "MOVER interval on the Poisson limits",
             "ratio_name": "log-Wald interval for a ratio of Poisson rates"},
}


def _estimates(obs: pd.DataFrame) -> pd.DataFrame:
    """Value and interval of every row, in the indicator's unit."""
    x, n = _floats(obs["numerator"], obs["denominator"])
    scale = obs["scale"].to_numpy(dtype=float)
    counts = ~np.isnan(x) & ~np.isnan(n)
    kind = obs["kind"].to_numpy()
    lower, upper = np.full(len(obs), np.nan), np.full(len(obs), np.nan)
    for name, method in METHODS.items():
        rows = counts & (kind == name)
        lower[rows], upper[rows] = method["interval"](x[rows], n[rows])
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
    given = obs[["value", "lower", "upper"]].to_numpy(dtype=float).T
    out = obs.copy()
    out["counted"] = counts
    out["value"] = np.where(counts, p * scale, given[0])
    out["lower"] = np.where(counts, lower * scale, given[1])
    out["upper"] = np.where(counts, upper * scale, given[2])
    return out


def _ratios(t: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    args = [t[c].to_numpy(dtype=float) for c in
            ("numerator", "denominator", "numerator_ref", "denominator_ref")]
    katz = METHODS["proportion"]["ratio"](*args)
    poisson = METHODS["rate"]["ratio"](*args)
    rate = (t["kind"] == "rate").to_numpy()
    both = (t["counted"] & t["counted_ref"]).to_numpy(dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        plain = t["value"].to_numpy(dtype=float) / t["value_ref"].to_numpy(dtype=float)
    ratio = np.where(both, katz[0], plain)
    low = np.where(both, np.where(rate, poisson[1], katz[1]), np.nan)
    high = np.where(both, np.where(rate, poisson[2], katz[2]), np.nan)
    mean = t["kind"].isin(["mean", "value"]).to_numpy()
    return (np.where(mean, np.nan, ratio), np.where(mean, np.nan, low),
            np.where(mean, np.nan, high))


def counted(t: pd.DataFrame, suffix: str = "") -> np.ndarray:
    """The count a figure rests on: its numerator, or for a mean the people averaged over
    (its denominator: an Attainment 8 mean of one pupil rests on one pupil)."""
    mean = t["kind"].isin(["mean", "value"]).to_numpy()
    numerator = t[f"numerator{suffix}"].to_numpy(dtype=float)
    denominator = t[f"denominator{suffix}"].to_numpy(dtype=float)
    return np.where(mean, denominator, numerator)


def _flags(t: pd.DataFrame) -> np.ndarray:
    """Short codes for small numbers in the row's own or the reference group's counts, for
    figures the source does not have, and for breaks in a group's series."""
    def small(values, limit):
        return ~np.isnan(values) & (values < limit)

    def column(name):
        return t[name].to_numpy(dtype=float)
    unavailable = (t["unavailable"].fillna("") != "").to_numpy() if "unavailable" in t \
        else np.zeros(len(t), dtype=bool)
    unavailable_ref = (t["unavailable_ref"].fillna("") != "").to_numpy() \
        if "unavailable_ref" in t else np.zeros(len(t), dtype=bool)
    return _notes(len(t),
                  (unavailable, "not available"),
                  (unavailable_ref & ~unavailable, "reference not available"),
                  (small(counted(t), MIN_COUNT), "count<10"),
                  (small(column("denominator"), MIN_DENOMINATOR), "denominator<30"),
                  (small(counted(t, "_ref"), MIN_COUNT), "reference count<10"),
                  (small(column("denominator_ref"), MIN_DENOMINATOR),
                   "reference denominator<30"))


def _two_sided_binomial_p(k: np.ndarray, n: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Two-sided p-value of k successes in n trials with chance p (twice the smaller tail,
    capped at 1): the exact conditional test of two Poisson counts."""
    k, n, p = _floats(k, n, p)
    out = np.ones(len(k))
    valid = np.isfinite(k) & np.isfinite(n) & np.isfinite(p) & (n > 0)
    k, n, p = k[valid].astype(np.int64), n[valid].astype(np.int64), p[valid]
    below = special.bdtr(k, n, p)  # P(X ≤ k)
    above = np.where(k > 0, special.bdtrc(np.maximum(k - 1, 0), n, p), 1.0)  # P(X ≥ k)
    out[valid] = np.minimum(1.0, 2 * np.minimum(below, above))
    return out


def series_breaks(t: pd.DataFrame) -> pd.Series:
    """For each row, why its count breaks from the previous period of the same measure,
    area and group ('' when it does not): the rate changes by :data:`BREAK_FOLD` or more
    and the exact test of the two counts (the later count given their sum is binomial,
    with the share of the two periods' denominators) gives p < :data:`BREAK_P`. Police
    counts vary more than chance from year to year, so a change must be both large and
    beyond chance to be called a break."""
    keys = ["measure", "geography_code", "ethnicity"]
    ordered = t.assign(_count=counted(t), _row=np.arange(len(t))).sort_values(
        [*keys, "time"], kind="stable")
    previous = ordered.groupby(keys, sort=False)
    x0 = previous["_count"].shift(1).to_numpy(dtype=float)
    n0 = previous["denominator"].shift(1).to_numpy(dtype=float)
    t0 = previous["time"].shift(1).to_numpy(dtype=object)
    x1 = ordered["_count"].to_numpy(dtype=float)
    n1 = ordered["denominator"].to_numpy(dtype=float)
    mean = ordered["kind"].isin(["mean", "value"]).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        fold = (x1 / n1) / (x0 / n0)
        p = _two_sided_binomial_p(x1, x0 + x1, n1 / (n0 + n1))
    large = (fold >= BREAK_FOLD) | (fold <= 1 / BREAK_FOLD)
    broken = ~mean & np.isfinite(x0) & (x0 + x1 > 0) & large & (p < BREAK_P)
    text = np.full(len(ordered), "", dtype=object)
    for i in np.flatnonzero(broken):
        text[i] = (f"break in the series: {x0[i]:,.0f} in {t0[i]}, "
                   f"{x1[i]:,.0f} in {ordered['time'].iloc[i]}")
    out = np.full(len(t), "", dtype=object)
    out[ordered["_row"].to_numpy()] = text
    return pd.Series(out, index=t.index)


def measures(observations: pd.DataFrame, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Value, interval, gap and ratio against the reference group for every observation.

    ``observations``: measure, geography_code, geography_name, geography_level, time,
    ethnicity, numerator, denominator, value, lower, upper (and optionally note).
    ``catalogue``: id, kind (proportion / rate / mean), reference, scale, unit.
    Returns :data:`COLUMNS`; the reference group's own rows carry no gap ("reference group").
    """
    info = catalogue.set_index("id")[["kind", "reference", "scale", "unit"]]
    obs = observations.join(info, on="measure", how="inner")
    if "note" not in obs:
        obs["note"] = ""
    if "unavailable" not in obs:
        obs["unavailable"] = ""
    obs["unavailable"] = obs["unavailable"].fillna("")
    est = _estimates(obs.reset_index(drop=True))
    own = ["numerator", "denominator", "value", "lower", "upper", "counted", "unavailable"]
    ref = est.loc[est["ethnicity"] == est["reference"], KEYS + own]
    t = est.merge(ref, on=KEYS, how="left", suffixes=("", "_ref"), validate="many_to_one")
    t["counted_ref"] = t["counted_ref"].fillna(False).astype(bool)
    gap = mover_difference(*(t[c].to_numpy(dtype=float) for c in
                             ("value", "lower", "upper", "value_ref", "lower_ref", "upper_ref")))
    t["gap_pp"], t["gap_lower"], t["gap_upper"] = gap
    t["ratio"], t["ratio_lower"], t["ratio_upper"] = _ratios(t)
    is_ref = (t["ethnicity"] == t["reference"]).to_numpy()
    for column in ("gap_pp", "gap_lower", "gap_upper", "ratio", "ratio_lower", "ratio_upper"):
        t.loc[is_ref, column] = np.nan
    t["flag"] = _flags(t)
    breaks = series_breaks(t)
    t["flag"] = np.where(breaks != "", np.where(t["flag"] == "", "break",
                                                t["flag"] + "; break"), t["flag"])
    # A difference is reliable when its interval excludes none, and it rests on counts that
    # can be published and on records the source has (a count of 0 is not a finding).
    excluded = (t["gap_lower"] > 0) | (t["gap_upper"] < 0)
    publishable = ~(t["flag"].str.contains("count<10|not available", regex=True))
    t["reliable"] = (excluded & publishable).fillna(False).astype(bool)
    t["note"] = _row_notes(t, is_ref)
    t["note"] = _joined(_joined(t["note"], t["unavailable"].map(
        lambda r: f"not available: {r}" if r else "")), breaks)
    return t[COLUMNS].sort_values(["measure", "time", "geography_code", "ethnicity"],
                                  ignore_index=True)


def _joined(first: pd.Series, second: pd.Series) -> pd.Series:
    """Two columns of notes joined by '; ' where both are set."""
    first, second = first.fillna("").astype(str), second.fillna("").astype(str)
    both = (first != "") & (second != "")
    return first.where(second == "", second.where(first == "", first + "; " + second)).where(
        ~both, first + "; " + second)


def _row_notes(t: pd.DataFrame, is_ref: np.ndarray) -> np.ndarray:
    """Why a figure is missing or has no interval, beside any note the source carried."""
    value = t["value"].to_numpy(dtype=float)
    no_ref = t["value_ref"].isna().to_numpy() & ~is_ref
    no_gap_ci = np.isnan(t["gap_lower"].to_numpy(dtype=float)) & ~np.isnan(
        t["gap_pp"].to_numpy(dtype=float))
    mean = t["kind"].isin(["mean", "value"]).to_numpy()
    no_reference = (t["reference"].fillna("") == "").to_numpy()
    counted = (t["counted"] & t["counted_ref"]).to_numpy(dtype=bool)
    zero = counted & ((t["numerator"] == 0) | (t["numerator_ref"] == 0)).to_numpy()
    computed = _notes(
        len(t),
        (is_ref, "reference group"),
        (np.isnan(value) & ~is_ref, "no value: the denominator is zero or missing"),
        (no_reference, "no gap: the indicator has no reference group"),
        (no_ref & ~no_reference & ~np.isnan(value),
         "no gap: no figure for the reference group"),
        (no_gap_ci & mean, "gap without an interval: the source gives means without a "
                           "spread, so the gap cannot be called reliable"),
        (no_gap_ci & ~mean, "gap without an interval: no interval was given"),
        (zero & ~is_ref, "no ratio interval: a count is zero"))
    source = t["note"].fillna("").astype(str).to_numpy(dtype=object)
    return np.where(source == "", computed,
                    np.where(computed == "", source, source + "; " + computed))


COUNTRIES = {"E": "E92000001", "W": "W92000004"}  # first letter of a GSS code → its country
ENGLAND_AND_WALES = "K04000001"


def comparator_codes(codes: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each area's own country (England or Wales) and, as a fallback, England and Wales."""
    own = codes.str[:1].map(COUNTRIES)
    return own, pd.Series(ENGLAND_AND_WALES, index=codes.index)


def add_context(table: pd.DataFrame) -> pd.DataFrame:
    """Add the national figure of the same indicator and each area's rank among its peers.

    ``national_*``: the row of geography_level "country" for the same measure, time and
    group: the area's own country (England or Wales) where the source gives it, otherwise
    England and Wales, otherwise any country row there is (e.g. England for an England-only
    source). ``rank``: 1 = highest value among areas of the same level with a value and a
    denominator of at least 30; ``gap_rank`` likewise for the gap; ``n_ranked`` how many
    were ranked.
    """
    keys = ["measure", "time", "ethnicity"]
    national = (table.loc[table["geography_level"] == "country",
                          keys + ["geography_code", "geography_name", "value", "gap_pp",
                                  "ratio"]]
                .rename(columns={"geography_code": "national_code",
                                 "geography_name": "national_name",
                                 "value": "national_value", "gap_pp": "national_gap_pp",
                                 "ratio": "national_ratio"}))
    own, both = comparator_codes(table["geography_code"])
    out = table.copy()
    found = pd.DataFrame(index=table.index, columns=national.columns[len(keys):])
    for candidate in (own, both, None):
        todo = found["national_code"].isna()
        if not todo.any():
            break
        rows = table.loc[todo, keys]
        if candidate is None:
            match = rows.merge(national.drop_duplicates(keys), on=keys, how="left")
        else:
            match = rows.assign(national_code=candidate[todo].to_numpy()).merge(
                national, on=[*keys, "national_code"], how="left")
            match.loc[match["national_name"].isna(), "national_code"] = np.nan
        found.loc[todo] = match[found.columns].to_numpy()
    for column in found.columns:
        out[column] = found[column].astype(float if column.endswith(
            ("value", "gap_pp", "ratio")) else object)
    suppressed, _, _ = suppression(out)
    missing = _flag_text(out).str.contains(r"(?:^|; )not available", regex=True)
    # A figure the page suppresses or does not have gets no rank: a rank would leak it.
    eligible = ((out["geography_level"] != "country") & out["value"].notna()
                & ~(out["denominator"] < MIN_DENOMINATOR) & ~suppressed & ~missing)
    by = [out[c] for c in [*keys, "geography_level"]]
    out["rank"] = out["value"].where(eligible).groupby(by).rank(
        method="min", ascending=False).astype("Int64")
    out["gap_rank"] = out["gap_pp"].where(eligible).groupby(by).rank(
        method="min", ascending=False).astype("Int64")
    out["n_ranked"] = eligible.groupby(by).transform("sum").where(eligible).astype("Int64")
    return out


def _fmt(values: pd.Series, digits: int) -> pd.Series:
    return values.map(lambda v: "" if pd.isna(v) else f"{v:,.{digits}f}")


def _flag_text(table: pd.DataFrame) -> pd.Series:
    """The ``flag`` column as text ('' where a table has none or a row has no flag)."""
    if "flag" not in table:
        return pd.Series("", index=table.index)
    return table["flag"].fillna("")


def suppression(table: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Rows whose own count is under 10; rows where it or the reference group's is; and rows
    with a denominator under 30 (read from the ``flag`` column)."""
    flag = _flag_text(table)
    own = flag.str.contains(r"(?:^|; )count<10", regex=True)
    either = own | flag.str.contains("reference count<10", regex=False)
    small = flag.str.contains(r"(?:^|; )denominator<30", regex=True)
    return own, either, small


def unavailability(table: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Rows the source lacks (``[x]``); rows where they or their reference group's are."""
    flag = _flag_text(table)
    own = flag.str.contains(r"(?:^|; )not available", regex=True)
    return own, own | flag.str.contains("reference not available", regex=False)


def breaks(table: pd.DataFrame) -> pd.Series:
    """Rows whose count breaks from the previous period (``[b]``)."""
    return table["flag"].fillna("").str.contains(r"(?:^|; )break", regex=True)


def symbols(table: pd.DataFrame) -> pd.Series:
    """What :func:`published` shows in place of or beside each value: ``[x]``, ``[c]``,
    ``[u]`` and ``[b]``, or nothing."""
    own, _, small = suppression(table)
    missing, _ = unavailability(table)
    marks = np.where(missing, NOT_AVAILABLE, np.where(own, SUPPRESSED, np.where(
        small, LOW_RELIABILITY, "")))
    marks = np.where(breaks(table) & ~missing & ~own,
                     np.where(marks == "", BREAK, marks + " " + BREAK), marks)
    return pd.Series(marks, index=table.index)


def published(table: pd.DataFrame) -> pd.DataFrame:
    """The measures as text for publication: rounded, small counts suppressed.

    Counts under 10 (the row's own or its reference group's; for a mean, the people it
    averages over) replace the count, value, interval, gap and ratio by ``[c]``; figures
    the source lacks by ``[x]``; a denominator under 30 appends ``[u]`` to the value and a
    break in the series ``[b]``. Negative numbers take the true minus sign. The unrounded
    table stays the download form (see :data:`SYMBOLS_NOTE`).
    """
    out = table.copy()
    own, either, small = suppression(table)
    missing, missing_either = unavailability(table)
    broken = breaks(table)
    for column in ("numerator", "denominator"):
        out[column] = _fmt(out[column], 0)
    for column in ("value", "lower", "upper", "gap_pp", "gap_lower", "gap_upper"):
        out[column] = _fmt(out[column], 1)
    for column in ("ratio", "ratio_lower", "ratio_upper"):
        out[column] = _fmt(out[column], 2)
    out.loc[small & ~own, "value"] = out["value"] + " " + LOW_RELIABILITY
    out.loc[broken & ~own, "value"] = out["value"] + " " + BREAK
    for column in ("numerator", "value", "lower", "upper"):
        out.loc[own, column] = SUPPRESSED
    if "kind" in out:  # a mean's count is its denominator: an average of 1 pupil is hidden
        out.loc[own & out["kind"].isin(["mean", "value"]), "denominator"] = SUPPRESSED
    for column in ("gap_pp", "gap_lower", "gap_upper", "ratio", "ratio_lower", "ratio_upper"):
        out.loc[either & (out[column] != ""), column] = SUPPRESSED
    # Missing is not small: figures the source lacks show [x], whatever their size.
    for column in ("numerator", "value", "lower", "upper"):
        out.loc[missing & (out[column] != ""), column] = NOT_AVAILABLE
    for column in ("gap_pp", "gap_lower", "gap_upper", "ratio", "ratio_lower", "ratio_upper"):
        out.loc[missing_either & (out[column] != ""), column] = NOT_AVAILABLE
    for column in (c for c in out.columns if c in ("numerator", "value", "lower", "upper",
                                                    "gap_pp", "gap_lower", "gap_upper",
                                                    "ratio", "ratio_lower", "ratio_upper")):
        out[column] = out[column].str.replace(r"^-(?=\d)", "\u2212", regex=True)
    return out
