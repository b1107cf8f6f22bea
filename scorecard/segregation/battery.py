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
# Who is ranked. An LA × group is ranked (on every index) only with at least SMALL_GROUP
# residents of the group and a D expected at random, over its units, under
# SMALL_NUMBERS_EXPECTED_D. Both depend on the unit totals and the group's size alone, not on
# where the group lives, so the choice of who is ranked does not select on the value ranked.
# Where chance alone gives a high D the bootstrap correction (Allen et al. 2015) removes too
# little and the rank rests on chance (Carrington & Troske 1997; D'Haultfœuille & Rathelot
# 2017: with few of a group per unit, D is barely identified). Thinning the group in Leeds,
# Bristol, Sheffield, Manchester, Leicester (Black), Birmingham (Mixed), Manchester (Other)
# and Bradford (Asian) at random over their 2021 output areas, the corrected D stayed within
# about 0.01 of its full-data value while D expected at random was under 0.20, and was
# 0.02 to 0.10 too high at 0.27 to 0.40 and up to 0.48 above 0.5. (At 0.10, the threshold
# first chosen with LSOAs in mind, only 22 to 54 LAs would be ranked for the Black, Mixed
# and Other groups over output areas.)
SMALL_GROUP = 1_000  # fewer residents of the group in an LA than this: not ranked
SMALL_NUMBERS_EXPECTED_D = 0.20  # D expected at random at least this: not ranked
RANKED_AMONG = "local authorities where the group is large enough to rank"


def _comparisons(counts: Counts) -> list[tuple[str, list[str], pd.DataFrame]]:
    """(classification, focal groups, wide table): White British vs others, broad vs rest."""
    tables = []
    for target in ("white_british2", "broad5"):
        if groups.can_map(counts.classification, target):
            focal = ["white_british"] if target == "white_british2" else groups.codes(target)
            tables.append((target, focal, counts.to(target).frame))
    return tables


def rank_among_areas(table: pd.DataFrame) -> pd.DataFrame:
    """Rank each area within its index × group (1 = highest value) among the areas with a
    value and no ``flag`` (see :func:`small_group_flags`); ``n_ranked`` says among how many.

    Indices with a bias-corrected twin (D and H) are ranked on the corrected value only: the
    raw rows keep their value but no rank, since raw D ranks small groups first. A flagged
    row keeps its value but has no rank: a group too small to rank.
    """
    ranked = table.copy()
    twinned = ranked["index"].isin(CORRECTED) & ranked["index"].map(
        lambda i: f"{i}_bias_corrected").isin(set(ranked["index"]))
    flagged = ranked["flag"].fillna("").ne("") if "flag" in ranked else False
    values = ranked["value"].where(~twinned & ~flagged)
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
    """Why an LA × group is not ranked ('' when it is): fewer than :data:`SMALL_GROUP`
    residents of the group, or a D expected at random of :data:`SMALL_NUMBERS_EXPECTED_D` or
    more (when the table has expected values). One reason per LA × group, on every index:
    'not ranked: 85 Black residents, too few to rank; a D of 0.76 is expected by chance
    alone' (the thresholds are said once, beside the table)."""
    d = table[table["index"] == "dissimilarity"].set_index(["area_code", "group"])
    labels = {**groups.labels("broad5"), **groups.labels("white_british2")}
    count = d["group_count"]
    expected = d["expected"] if "expected" in d else pd.Series(np.nan, index=d.index)
    few = (count < SMALL_GROUP).to_numpy()
    chance = (expected >= SMALL_NUMBERS_EXPECTED_D).to_numpy()
    residents = [f"{int(n):,} {labels.get(g, g)} residents, too few to rank"
                 if pd.notna(n) else "" for n, g in zip(count, d.index.get_level_values(1),
                                                         strict=True)]
    by_chance = [f"a D of {e:.2f} is expected by chance alone" if pd.notna(e) else ""
                 for e in expected]
    text = np.where(few & chance, [f"{a}; {b}" for a, b in zip(residents, by_chance,
                                                               strict=True)],
                    np.where(few, residents, np.where(chance, by_chance, "")))
    text = np.where(text != "", np.char.add("not ranked: ", text.astype(str)), "")
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
    carries the group's residents in the LA (``group_count``). An LA × group whose numbers
    are too small to rank has a ``flag`` saying why and no rank (:func:`small_group_flags`);
    the others are ranked among themselves. Without ``inferred``, every index is ranked on its
    value and only the group's size can flag it.
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
    table["flag"] = small_group_flags(table)
    table = rank_among_areas(table)
    names = dict(zip(las["code"], las["name"], strict=True))
    table["area_name"] = table["area_code"].map(names)
    table["area_level"] = "la"
    table["year"] = counts.year
    table["unit_level"] = counts.level
    return table.reindex(columns=RESULT_COLUMNS)


def rank_flags(year: int = 2021) -> pd.DataFrame:
    """Why each LA × group of ``year`` is not ranked ('' when it is), over the embedded
    output areas with the stored national run: area_code, group, flag."""
    from .. import census

    counts = census.load(year, census.available(year)[0])
    table = scorecard_indices(counts, inferred=national_inference(counts))
    return table.drop_duplicates(["area_code", "group"])[["area_code", "group", "flag"]]


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
