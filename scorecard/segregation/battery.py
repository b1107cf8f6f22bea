"""The set of indices a scorecard shows, as one tidy table for every LA of a census year."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from .. import geography, groups
from ..census import Counts
from ..resources import indicators_file
from .inference import DEFAULT_DRAWS, DEFAULT_SEED, SAMPLER, inference
from .twogroup import TWO_GROUP_INDICES, Units, two_group

RESULT_COLUMNS = ["area_code", "area_name", "area_level", "year", "unit_level", "index",
                  "group", "reference", "value", "expected", "lower", "upper", "rank",
                  "n_ranked", "n_units", "group_count", "flag", "note"]
INFERENCE_COLUMNS = ["area_code", "index", "group", "reference", "value", "expected", "lower",
                     "upper", "n_units", "note"]
CORRECTED = ("dissimilarity", "theil_h")  # indices ranked by their bias-corrected value
SMALL_GROUP = 1_000  # fewer residents of the group in an LA than this: flagged
SMALL_NUMBERS_EXPECTED_D = 0.10  # D expected at random at least this: flagged


def _comparisons(counts: Counts) -> list[tuple[str, list[str], pd.DataFrame]]:
    """(classification, focal groups, wide table): White British vs others, broad vs rest."""
    tables = []
    for target in ("white_british2", "broad5"):
        if groups.can_map(counts.classification, target):
            focal = ["white_british"] if target == "white_british2" else groups.codes(target)
            tables.append((target, focal, counts.to(target).frame))
    return tables


def rank_among_areas(table: pd.DataFrame) -> pd.DataFrame:
    """Rank each area within its index × group (1 = highest value) among areas with a value.

    Indices with a bias-corrected twin (D and H) are ranked on the corrected value only: the
    raw rows keep their value but no rank, since raw D ranks small groups first.
    """
    ranked = table.copy()
    twinned = ranked["index"].isin(CORRECTED) & ranked["index"].map(
        lambda i: f"{i}_bias_corrected").isin(set(ranked["index"]))
    values = ranked["value"].where(~twinned)
    keys = values.groupby([ranked["index"], ranked["group"]], sort=False)
    ranked["rank"] = keys.rank(ascending=False, method="min").astype("Int64")
    ranked["n_ranked"] = keys.transform("count").where(values.notna()).astype("Int64")
    return ranked


def inference_key(counts: Counts, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED) -> str:
    """What a national run depends on: the table's year, level, classification and content,
    the number of draws, the seed and the way the draws are made."""
    return _cache_key(counts, draws, seed)


def _cache_key(counts: Counts, draws: int, seed: int) -> str:
    frame = counts.frame
    digest = hashlib.sha1(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return f"{counts.year}:{counts.level}:{counts.classification}:{draws}:{seed}:" \
           f"{SAMPLER}:{digest.hexdigest()}"


_NATIONAL_INFERENCE: dict[str, pd.DataFrame] = {}  # per process: one national run per table
# The national runs over the embedded output-area tables, made by scripts/build_data.py with
# the default draws and seed: tens of seconds of random draws that every build would repeat.
EMBEDDED_INFERENCE = "national_inference.parquet"


def embedded_inference(key: str) -> pd.DataFrame | None:
    """The stored national run whose table, draws and seed match ``key``, if there is one."""
    path = indicators_file(EMBEDDED_INFERENCE)
    if not path.is_file():
        return None
    stored = pd.read_parquet(path)
    found = stored[stored["key"] == key]
    if found.empty:
        return None
    out = found.drop(columns="key").reset_index(drop=True)
    out["note"] = out["note"].fillna("")
    return out[INFERENCE_COLUMNS]


def national_inference(counts: Counts, draws: int = DEFAULT_DRAWS,
                       seed: int = DEFAULT_SEED, workers: int | None = None) -> pd.DataFrame:
    """Expected D and H under random allocation, bias-corrected values and 95% intervals
    for every LA at once, over whatever units ``counts`` has (OAs, LSOAs, …).

    The comparisons of :func:`scorecard_indices`, each one vectorised :func:`inference`
    run over all LAs (area ``la_code``), so national ranks can use the corrected values.
    Seeded; cached per process by the table's content, draws and seed.
    """
    key = _cache_key(counts, draws, seed)
    if key not in _NATIONAL_INFERENCE and (stored := embedded_inference(key)) is not None:
        _NATIONAL_INFERENCE[key] = stored
    if key not in _NATIONAL_INFERENCE:
        parts = []
        for target, focal, frame in _comparisons(counts):
            result = inference(frame, area="la_code", groups=groups.codes(target),
                               pairs=[(group, None) for group in focal], draws=draws,
                               seed=seed, workers=workers)
            parts.append(result[result["group"].isin(focal)])
        _NATIONAL_INFERENCE[key] = pd.concat(parts, ignore_index=True)[INFERENCE_COLUMNS]
    return _NATIONAL_INFERENCE[key].copy()


def _group_counts(counts: Counts) -> pd.DataFrame:
    """Residents of each compared group in each LA (long: area_code, group, group_count)."""
    parts = []
    for _, focal, frame in _comparisons(counts):
        summed = frame.groupby("la_code", sort=True)[focal].sum()
        parts.append(summed.reset_index().melt(id_vars="la_code", var_name="group",
                                               value_name="group_count"))
    return pd.concat(parts, ignore_index=True).rename(columns={"la_code": "area_code"})


def small_group_flags(table: pd.DataFrame) -> pd.Series:
    """Why an LA's figures for a group rest on small numbers ('' when they do not):
    fewer than :data:`SMALL_GROUP` residents of the group, or a D expected at random of
    :data:`SMALL_NUMBERS_EXPECTED_D` or more. One flag per LA × group, on every index."""
    d = table[table["index"] == "dissimilarity"].set_index(["area_code", "group"])
    few = d["group_count"] < SMALL_GROUP
    chance = d["expected"] >= SMALL_NUMBERS_EXPECTED_D
    text = np.where(few, "small group: " + d["group_count"].map(
        lambda n: f"{int(n):,}" if pd.notna(n) else "") + " residents", "")
    text = np.where(chance & few, text + "; ", text)
    text = np.where(chance, text + "D expected at random " + d["expected"].map(
        lambda v: f"{v:.2f}" if pd.notna(v) else ""), text)
    flags = pd.Series(text, index=d.index)
    keys = pd.MultiIndex.from_frame(table[["area_code", "group"]])
    return pd.Series(flags.reindex(keys).fillna("").to_numpy(), index=table.index)


def scorecard_indices(counts: Counts, las: pd.DataFrame | None = None,
                      inferred: pd.DataFrame | None = None) -> pd.DataFrame:
    """Dissimilarity, isolation, exposure and Theil's H for every LA, over ``counts``' units.

    White British vs all other groups where the classification has that split, and each
    broad group vs the rest. One tidy row per LA × index × group. With ``inferred`` (from
    :func:`national_inference`), D and H get their expected value and interval, and rows
    of their bias-corrected values; LAs are ranked on those (1 = highest) and each row
    carries the group's residents in the LA (``group_count``) and a ``flag`` when they are
    few (:func:`small_group_flags`). Without it, every index is ranked on its value.
    """
    if las is None:
        las = geography.authorities(counts.year)
    results = []
    for target, focal, frame in _comparisons(counts):
        units = Units.of(frame, "la_code", groups.codes(target))  # sorted once per table
        for group in focal:
            results.append(two_group(units, group, indices=TWO_GROUP_INDICES))
    table = pd.concat(results, ignore_index=True)
    if inferred is not None:
        table = _with_inferred(table, inferred)
    table = table.merge(_group_counts(counts), on=["area_code", "group"], how="left")
    table = rank_among_areas(table)
    table["flag"] = small_group_flags(table) if inferred is not None else ""
    names = dict(zip(las["code"], las["name"], strict=True))
    table["area_name"] = table["area_code"].map(names)
    table["area_level"] = "la"
    table["year"] = counts.year
    table["unit_level"] = counts.level
    return table.reindex(columns=RESULT_COLUMNS)


def _with_inferred(table: pd.DataFrame, inferred: pd.DataFrame) -> pd.DataFrame:
    """The indices' rows with expected values and intervals, and the corrected rows."""
    keys = ["area_code", "index", "group"]
    extra = inferred[keys + ["expected", "lower", "upper"]]
    merged = table.merge(extra, on=keys, how="left")
    corrected = inferred[inferred["index"].isin([f"{i}_bias_corrected" for i in CORRECTED])]
    corrected = corrected.assign(reference=corrected["reference"].replace({"rest": "other"}))
    reference = table.drop_duplicates("group").set_index("group")["reference"]
    corrected["reference"] = corrected["group"].map(reference)
    return pd.concat([merged, corrected], ignore_index=True)


def scorecard_inference(counts: Counts, la_code: str, *, draws: int = 199,
                        seed: int | None = None) -> pd.DataFrame:
    """Expected D and H under random allocation, and bootstrap 95% intervals, for one LA.

    The same comparisons as :func:`scorecard_indices`; seeded, so reruns give the same values.
    """
    options = {"seed": seed} if seed is not None else {}
    parts = []
    for target, focal, frame in _comparisons(counts):
        own = frame[frame["la_code"] == la_code]
        pairs = [(group, None) for group in focal]
        result = inference(own, area="la_code", groups=groups.codes(target), pairs=pairs,
                           draws=draws, workers=1, **options)
        parts.append(result[result["group"].isin(focal)])
    return pd.concat(parts, ignore_index=True)[INFERENCE_COLUMNS]
