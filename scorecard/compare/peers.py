"""Authorities against each other: ranks and percentiles, and peer groups.

Peer groups of an LA:
- ``region``: the LAs of its region (Wales is one region);
- ``la_type``: LAs of its type (London borough, metropolitan district, unitary authority,
  shire district, Welsh unitary authority);
- ``neighbours``: its ``k`` nearest LAs by size and ethnic mix. Each LA is described by
  six numbers — the natural log of its census population and the shares of the five
  broad groups (Asian, Black, Mixed, White, Other) — each standardised to mean 0 and
  standard deviation 1 over all LAs (so that size and each share weigh alike), and
  neighbours are the LAs at the smallest Euclidean distance (ties by code). This is a
  simple, reproducible stand-in for CIPFA's nearest-neighbour model, which also uses
  deprivation, housing and other measures not in the embedded data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import census, geography, groups

PEER_KINDS = ("region", "la_type", "neighbours")
DEFAULT_K = 15
KEY_COLUMNS = ("index", "measure", "component", "group", "ethnicity", "reference", "year",
               "time", "year_from", "year_to", "unit_level", "classification", "area_level",
               "geography_level")


def neighbour_features(year: int = 2021) -> pd.DataFrame:
    """Standardised log population and broad-group shares of every LA of ``year``."""
    counts = census.load(year, "la").to("broad5").frame.set_index("code")
    codes = groups.codes("broad5")
    raw = counts[codes].div(counts["total"], axis=0).add_prefix("share_")
    raw.insert(0, "log_population", np.log(counts["total"].astype(float)))
    return (raw - raw.mean()) / raw.std(ddof=0)


def nearest_neighbours(features: pd.DataFrame, k: int = DEFAULT_K) -> pd.DataFrame:
    """The ``k`` nearest other areas of every area: code, neighbour, distance, rank."""
    values = features.to_numpy(dtype=float)
    distance = np.sqrt(((values[:, None, :] - values[None, :, :]) ** 2).sum(axis=-1))
    np.fill_diagonal(distance, np.inf)
    order = np.argsort(distance, axis=1, kind="stable")[:, :k]  # codes sorted: ties by code
    codes = features.index.to_numpy()
    rows = np.repeat(np.arange(len(codes)), order.shape[1])
    return pd.DataFrame({"code": codes[rows], "neighbour": codes[order.ravel()],
                         "distance": distance[rows, order.ravel()],
                         "rank": np.tile(np.arange(1, order.shape[1] + 1), len(codes))})


def peers(la_code: str, kind: str = "neighbours", *, year: int = 2021,
          k: int = DEFAULT_K) -> pd.DataFrame:
    """The peer LAs of one LA (code or name): code, name, region_code, region_name,
    la_type, distance and rank (neighbours only; NaN otherwise), peer_of, kind.

    The LA itself is not among its peers.
    """
    if kind not in PEER_KINDS:
        raise ValueError(f"kind is one of {', '.join(PEER_KINDS)}, not {kind!r}")
    la = geography.find_authority(la_code, year)
    las = geography.authorities(year)
    if kind == "neighbours":
        near = nearest_neighbours(neighbour_features(year).sort_index(), k)
        near = near[near["code"] == la["code"]]
        out = las.merge(near[["neighbour", "distance", "rank"]].rename(
            columns={"neighbour": "code"}), on="code").sort_values("rank")
    else:
        column = "region_code" if kind == "region" else kind
        out = las[(las[column] == la[column]) & (las["code"] != la["code"])].assign(
            distance=np.nan, rank=np.nan)
    return out.assign(peer_of=la["code"], kind=kind).reset_index(drop=True)


def _area_column(table: pd.DataFrame) -> str:
    for column in ("area_code", "geography_code", "code"):
        if column in table.columns:
            return column
    raise ValueError("the table has no area_code, geography_code or code column")


def ranks(table: pd.DataFrame, *, value: str = "value", by: list[str] | None = None,
          within: str | None = None, year: int = 2021) -> pd.DataFrame:
    """Rank (1 = highest), n_ranked and percentile of every area's ``value``.

    Areas are compared within each combination of ``by`` (default: the key columns the
    table has, e.g. index, group, year). ``within``: also ``region`` or ``la_type``, to
    rank LAs only among their region or type (columns rank, n_ranked, percentile then
    describe that peer group, named in ``peer_group``). Percentile: the share of the other
    ranked areas with a lower value, × 100 (highest 100, lowest 0). Rows without a value
    get no rank.
    """
    area = _area_column(table)
    keys = list(by) if by is not None else [c for c in KEY_COLUMNS if c in table.columns]
    out = table.copy()
    if within is not None:
        if within not in ("region", "la_type"):
            raise ValueError("within is 'region' or 'la_type'")
        column = "region_code" if within == "region" else "la_type"
        attribute = geography.authorities(year).set_index("code")[column]
        out["peer_group"] = out[area].map(attribute)
        keys.append("peer_group")
    grouped = out[value].groupby([out[c] for c in keys], dropna=False)
    out["rank"] = grouped.rank(ascending=False, method="min").astype("Int64")
    out["n_ranked"] = grouped.transform("count").where(out[value].notna()).astype("Int64")
    lower = grouped.rank(ascending=True, method="min") - 1
    spread = (out["n_ranked"].astype(float) - 1).where(lambda n: n > 0)
    out["percentile"] = 100 * lower / spread
    return out


def peer_ranks(table: pd.DataFrame, la_code: str, kind: str = "neighbours", *,
               value: str = "value", year: int = 2021, k: int = DEFAULT_K) -> pd.DataFrame:
    """The table's rows for one LA and its peers, ranked among them (see :func:`ranks`).

    Adds ``is_focus`` (True for the LA itself) and ``peer_kind``.
    """
    group = peers(la_code, kind, year=year, k=k)
    focus = group["peer_of"].iloc[0] if len(group) else geography.find_authority(
        la_code, year)["code"]
    area = _area_column(table)
    members = {focus, *group["code"]}
    subset = table[table[area].isin(members)]
    out = ranks(subset, value=value)
    return out.assign(is_focus=out[area] == focus, peer_kind=kind).reset_index(drop=True)
