"""Everything a comparison page shows, as tidy tables: change with intervals for the named
areas, their ranks among all LAs, the decomposition of the change in M, and the change in
stop and search.

Only the named areas are bootstrapped (about a second each). Ranks need every LA's value,
but not its interval: the values of all 331 LAs take a few seconds without inference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from .. import groups
from ..change import index_change, mutual_difference
from ..change.since2011 import CLASSIFICATION
from ..segregation.battery import rank_flags
from ..segregation.inference import DEFAULT_DRAWS, DEFAULT_SEED
from .indicator_change import indicator_change
from .peers import peer_ranks, peers, ranks
from .selection import Area, area_change, area_frames

PEER_KINDS = {"region": "region", "type": "la_type", "neighbours": "neighbours"}
PEER_WORDS = {"region": "local authorities of the same region",
              "type": "local authorities of the same type",
              "neighbours": "15 nearest neighbours by size and ethnic mix"}
STOP_SEARCH = "stop_search_lad"
RANKED = {"value_from": "from", "value_to": "to", "change": "change"}
STEPS = 4  # progress steps besides one per area


@dataclass
class Comparison:
    """The tidy results of one comparison (see :func:`compare`)."""

    areas: list[Area]
    change: pd.DataFrame  # change.COLUMNS, one row per area × index × group
    ranks: pd.DataFrame  # area_code, index, group, rank_/n_/percentile_ from, to, change (+ peer_)
    decomposition: pd.DataFrame  # area_code, component, value, note (M only)
    stop_search: pd.DataFrame  # indicator_change.COLUMNS (+ numerator_from/to) for the LAs
    stop_search_info: dict = field(default_factory=dict)  # name, source, caveats, unit
    peer_kind: str | None = None
    peer_groups: dict = field(default_factory=dict)  # LA code → peer LA names
    residents: pd.DataFrame = field(default_factory=pd.DataFrame)  # area_code, units, 2011, 2021
    seed: int = DEFAULT_SEED
    draws: int = DEFAULT_DRAWS


def _rank_columns(table: pd.DataFrame, *, within: str | None = None,
                  prefix: str = "") -> pd.DataFrame:
    """rank, n and percentile of 2011, 2021 and change for every row of ``table``."""
    keys = ["area_code", "index", "group"]
    out = table[keys].copy()
    for column, name in RANKED.items():
        ranked = ranks(table, value=column, within=within)
        out[f"{prefix}rank_{name}"] = ranked["rank"].to_numpy()
        out[f"{prefix}n_{name}"] = ranked["n_ranked"].to_numpy()
        out[f"{prefix}percentile_{name}"] = ranked["percentile"].to_numpy()
    return out


def _neighbour_ranks(national: pd.DataFrame, la_codes: list[str]) -> pd.DataFrame:
    """Ranks of each LA among itself and its nearest neighbours (one small group per LA)."""
    keys = ["area_code", "index", "group"]
    parts = []
    for code in la_codes:
        own = national.loc[national["area_code"] == code, keys].reset_index(drop=True)
        where = pd.MultiIndex.from_frame(own)
        for column, name in RANKED.items():
            ranked = peer_ranks(national, code, "neighbours", value=column)
            ranked = ranked[ranked["is_focus"]].set_index(keys).reindex(where)
            own[f"peer_rank_{name}"] = ranked["rank"].to_numpy()
            own[f"peer_n_{name}"] = ranked["n_ranked"].to_numpy()
            own[f"peer_percentile_{name}"] = ranked["percentile"].to_numpy()
        parts.append(own)
    return pd.concat(parts, ignore_index=True)


def national_ranks(la_codes: list[str], peer_kind: str | None = None) -> pd.DataFrame:
    """Ranks (1 = highest) and percentiles of the LAs' 2011 and 2021 values and of their
    change among all 331 LAs, and among their peers when ``peer_kind`` is given.

    As on the scorecards, a group's indices are ranked only among the LAs where the group
    is large enough to rank in 2021 (:func:`~scorecard.segregation.battery.rank_flags`); a
    flagged LA × group has no rank (``flag`` says why)."""
    national = index_change(inference=False)
    flags = rank_flags(2021)
    national = national.merge(flags, on=["area_code", "group"], how="left")
    national["flag"] = national["flag"].fillna("")
    unranked = national["flag"] != ""
    national.loc[unranked, list(RANKED)] = float("nan")
    out = _rank_columns(national)
    out["flag"] = national["flag"].to_numpy()
    if peer_kind in ("region", "type"):
        peer = _rank_columns(national, within=PEER_KINDS[peer_kind], prefix="peer_")
        out = out.merge(peer, on=["area_code", "index", "group"])
    elif peer_kind == "neighbours":
        out = out.merge(_neighbour_ranks(national, la_codes), on=["area_code", "index", "group"],
                        how="left")
    return out[out["area_code"].isin(la_codes)].reset_index(drop=True)


def peer_names(la_codes: list[str], kind: str) -> dict[str, list[str]]:
    """The names of each LA's peers (the LA itself left out)."""
    return {code: peers(code, PEER_KINDS[kind])["name"].tolist() for code in la_codes}


def stop_search_change(la_codes: list[str]) -> tuple[pd.DataFrame, dict]:
    """Change in stop and search per 1,000 residents (each group) and in the Black to White
    ratio, first to last year, for the LAs and England and Wales; and the catalogue entry."""
    from ..indicators import all_measures  # loads the indicator tables only when asked

    measures, catalogue = all_measures()
    table = measures[measures["measure"] == STOP_SEARCH]
    change = indicator_change(table)
    keep = change["geography_code"].isin([*la_codes, "K04000001"]) & change["statistic"].isin(
        ["value", "ratio"]) & change["change"].notna()
    change = change[keep]
    counts = table.set_index(["geography_code", "ethnicity", "time"])["numerator"]
    for side in ("from", "to"):
        index = pd.MultiIndex.from_arrays([change["geography_code"], change["ethnicity"],
                                           change[f"time_{side}"]])
        change[f"numerator_{side}"] = counts.reindex(index).to_numpy()
    info = catalogue.set_index("id").loc[STOP_SEARCH].to_dict()
    return change.reset_index(drop=True), info


def decomposition(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The Shapley decomposition of the change in M for each compared area."""
    return mutual_difference(before, after, groups=groups.codes(CLASSIFICATION), unit="code",
                             area="area")


def compare(areas: Sequence[Area], *, peer_kind: str | None = None, draws: int = DEFAULT_DRAWS,
            seed: int = DEFAULT_SEED, step: Callable[[str], None] | None = None) -> Comparison:
    """The results a comparison page shows, for two or more resolved areas.

    ``step(description)`` is called as each of ``len(areas) + STEPS`` parts finishes, with
    what comes next (for a progress bar). ``peer_kind``: region, type or neighbours (LAs only).
    """
    step = step or (lambda _: None)
    areas = list(areas)
    frames = area_frames(areas)
    step(f"bootstrap intervals: {areas[0].name}")
    following = [f"bootstrap intervals: {a.name}" for a in areas[1:]]
    following.append("ranks among all local authorities")
    change = area_change(areas, draws=draws, seed=seed, frames=frames,
                         on_area=lambda _: step(following.pop(0)))
    la_codes = [a.code for a in areas if a.level == "la"]
    ranked = national_ranks(la_codes, peer_kind) if la_codes else pd.DataFrame()
    step("decomposition of the change in M")
    parts = decomposition(*frames)
    step("stop and search")
    stop, info = stop_search_change(la_codes)
    step("charts and map")
    groups_of = peer_names(la_codes, peer_kind) if peer_kind and la_codes else {}
    return Comparison(areas, change, ranked, parts, stop, info, peer_kind=peer_kind,
                      peer_groups=groups_of, residents=residents(*frames), seed=seed,
                      draws=draws)


def residents(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Number of common units and of residents in each year, per compared area."""
    out = after.groupby("area", sort=False).agg(units=("code", "size"),
                                                residents_2021=("total", "sum"))
    out["residents_2011"] = before.groupby("area", sort=False)["total"].sum()
    return out.rename_axis("area_code").reset_index()


def tidy(result: Comparison) -> pd.DataFrame:
    """Every number of the comparison, unrounded, in one long table (the page's data.csv)."""
    change = result.change.copy()
    if not result.ranks.empty:
        change = change.merge(result.ranks, on=["area_code", "index", "group"], how="left")
    change.insert(0, "section", "segregation_change")
    names = {a.code: a.name for a in result.areas}
    levels = {a.code: a.level for a in result.areas}
    parts = result.decomposition.assign(
        section="m_decomposition", area_name=result.decomposition["area_code"].map(names),
        area_level=result.decomposition["area_code"].map(levels), unit_level="common",
        classification=CLASSIFICATION, year_from=2011, year_to=2021)
    stop = result.stop_search.rename(columns={"geography_code": "area_code",
                                              "geography_name": "area_name",
                                              "geography_level": "area_level",
                                              "ethnicity": "group"})
    stop.insert(0, "section", "stop_search_change")
    out = pd.concat([change, parts, stop], ignore_index=True)
    whole = ["year_from", "year_to", "n_units_from", "n_units_to",
             *[c for c in out.columns if c.startswith(("rank_", "n_", "peer_rank_", "peer_n_"))]]
    for column in whole:
        out[column] = out[column].astype("Int64")
    first = ["section", "area_code", "area_name", "area_level"]
    return out[first + [c for c in out.columns if c not in first]]
