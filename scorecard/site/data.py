"""The national tables the site shows and offers for download, picked from the engines' results.

Nothing here computes a statistic of its own: shares of residents are counts over totals (as
on the scorecards), location quotients and local entropy come from
:func:`scorecard.segregation.local.local_measures`, indices and race-equality measures from
:class:`scorecard.report.context.National`.
"""

from __future__ import annotations

from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd

from .. import census, geography, groups
from ..report.context import ATTRIBUTION, National
from ..segregation.local import local_measures

BROAD = groups.labels("broad5")
INDEX_PREFIX = {"dissimilarity": "d", "isolation": "isolation", "exposure": "exposure",
                "theil_h": "theil_h"}
STOP_SEARCH = "stop_search_lad"  # police.uk searches per resident, Black vs White, by LAD
# Housing tenure (Census 2021 RM134): each group's rate ÷ the White British rate, by LAD.
HOUSING = {"housing_owner_occupied": ("own", "Owning their home"),
           "housing_social_rented": ("social", "Renting from a social landlord")}
HOUSING_GROUPS = ["Asian", "Black", "Mixed", "Other"]
LOCAL_COLUMNS = [*(f"lq_{g}" for g in BROAD), "entropy", "entropy_ratio", "mutual_local"]


def group_labels() -> dict[str, str]:
    """Labels of every group an index table can hold (broad groups and White British)."""
    return {**groups.labels("broad5"), **groups.labels("white_british2")}


def attribution(year: int) -> str:
    return ATTRIBUTION.format(year=2021 if year == 2021 else 2011)


class SiteData:
    """Everything national the site needs for one census year, computed once per build."""

    def __init__(self, national: National):
        self.national = national
        self.year = national.year

    # -- local authorities -------------------------------------------------------------

    @cached_property
    def index_unit(self) -> str:
        """The units the segregation indices are computed over ("LSOA", "output area")."""
        return geography.LEVEL_NAMES[self.national.index_counts.level]

    @cached_property
    def index_groups(self) -> list[str]:
        return list(dict.fromkeys(self.national.indices["group"]))

    @cached_property
    def las(self) -> pd.DataFrame:
        """One row per LA: names, residents, broad-group shares, the four indices of each
        group with the dissimilarity rank, and the latest stop-and-search ratio (2021)."""
        national = self.national
        las = national.authorities.rename(columns={"region_name": "region"})
        out = las[["code", "name", "region", "la_type"]].set_index("code")
        counts = national.la_counts.to("broad5").frame.set_index("code")
        out["residents"] = counts["total"].astype("int64")
        for g in BROAD:
            out[f"share_{g}"] = 100 * counts[g] / counts["total"]
        if groups.can_map(national.la_counts.classification, "white_british2"):
            split = national.la_counts.to("white_british2").frame.set_index("code")
            out["share_white_british"] = 100 * split["white_british"] / split["total"]
        indices = national.indices
        for index, prefix in INDEX_PREFIX.items():
            part = indices[indices["index"] == index]
            values = part.pivot(index="area_code", columns="group", values="value")
            for g in self.index_groups:
                out[f"{prefix}_{g}"] = values[g]
        # D as ranked and shaded: corrected for small numbers, with its interval; the raw D
        # stays beside it (d_raw_<group>), and the small-group flag.
        d = indices[indices["index"] == "dissimilarity_bias_corrected"]
        for g in self.index_groups:
            rows = d[d["group"] == g].set_index("area_code")
            out[f"d_raw_{g}"] = out[f"d_{g}"]
            out[f"d_{g}"] = rows["value"]
            out[f"d_lower_{g}"] = rows["lower"]
            out[f"d_upper_{g}"] = rows["upper"]
            out[f"d_rank_{g}"] = rows["rank"]
            out[f"d_n_ranked_{g}"] = rows["n_ranked"]
            out[f"d_flag_{g}"] = rows["flag"].reindex(out.index).fillna("")
        notes = indices[indices["note"] != ""].groupby("area_code")["note"].first()
        out["index_note"] = notes.reindex(out.index).fillna("")
        out = out.join(self.stop_search).join(self.housing)
        out = out.join(self.school_columns)
        return out.reset_index()

    @cached_property
    def housing(self) -> pd.DataFrame:
        """Housing tenure ratios of each LAD (2021 LAs): ``{own|social}_{group}_ratio`` with
        ``_lower``, ``_upper``, ``_reliable``, ``_flag`` and ``_note``; Asian, Black, Mixed
        and Other households against White British households (household reference person)."""
        if self.year != 2021:
            return pd.DataFrame(index=pd.Index([], name="code"))
        measures, _ = self.national.measures
        rows = measures[measures["measure"].isin(HOUSING)
                        & measures["ethnicity"].isin(HOUSING_GROUPS)
                        & (measures["geography_level"] == "lad")]
        parts = {}
        for (measure, group), part in rows.groupby(["measure", "ethnicity"]):
            prefix = f"{HOUSING[measure][0]}_{group.lower()}"
            part = part.set_index("geography_code")
            parts[prefix + "_ratio"] = part["ratio"]
            parts[prefix + "_lower"] = part["ratio_lower"]
            parts[prefix + "_upper"] = part["ratio_upper"]
            parts[prefix + "_reliable"] = part["reliable"].astype(bool)
            parts[prefix + "_flag"] = part["flag"].fillna("")
            parts[prefix + "_note"] = part["note"].fillna("")
        return pd.DataFrame(parts).rename_axis("code")

    @cached_property
    def school_columns(self) -> pd.DataFrame:
        """School segregation by LA (2021 English LAs; empty for 2011 and for Wales)."""
        from .schools import COLUMNS, la_columns

        if self.year != 2021:
            return pd.DataFrame(columns=list(COLUMNS), index=pd.Index([], name="code"))
        return la_columns(self.national.schools.summary)

    @cached_property
    def stop_search(self) -> pd.DataFrame:
        """Black vs White stop-and-search ratio of each LAD in the latest year (2021 LAs)."""
        columns = ["ss_year", "ss_ratio", "ss_lower", "ss_upper", "ss_reliable", "ss_flag",
                   "ss_note", "ss_unavailable"]
        if self.year != 2021:
            return pd.DataFrame(columns=columns, index=pd.Index([], name="code"))
        measures, _ = self.national.measures
        rows = measures[(measures["measure"] == STOP_SEARCH)
                        & (measures["ethnicity"] != measures["reference"])
                        & (measures["geography_level"] == "lad")]
        rows = rows[rows["time"] == rows["time"].max()]
        rows = rows.set_index("geography_code")
        return pd.DataFrame({
            "ss_year": rows["time"], "ss_group": rows["ethnicity"],
            "ss_reference": rows["reference"], "ss_ratio": rows["ratio"],
            "ss_lower": rows["ratio_lower"], "ss_upper": rows["ratio_upper"],
            "ss_reliable": rows["reliable"].astype(bool), "ss_flag": rows["flag"].fillna(""),
            "ss_note": rows["note"].fillna(""),
            "ss_unavailable": rows["unavailable"].fillna("") if "unavailable" in rows
            else ""}).rename_axis("code")

    @cached_property
    def la_shapes(self) -> gpd.GeoDataFrame:
        shapes = geography.polygons("la", self.year)
        return shapes.merge(self.las, on="code", suffixes=("_shape", ""))[
            ["code", *[c for c in self.las.columns if c != "code"], "geometry"]]

    # -- small areas -------------------------------------------------------------------

    @cached_property
    def levels(self) -> list[str]:
        """Unit levels with both counts and polygons, finest first: LSOAs, MSOAs and wards
        (ward counts are exact sums of output areas; output areas have no polygons here)."""
        have = set(census.available(self.year)) & set(geography.POLYGON_LEVELS[self.year])
        if self.has_wards:
            have.add("ward")
        return [level for level in ("lsoa", "msoa", "ward") if level in have]

    def source(self, level: str) -> str:
        """The census table behind a level's values."""
        if level == "ward":
            return census.from_output_areas(self.year, "ward").source
        return census.EMBEDDED[(self.year, level)].source

    @cached_property
    def has_wards(self) -> bool:
        return "ward" in geography.POLYGON_LEVELS[self.year]

    def unit_values(self, level: str) -> pd.DataFrame:
        """One row per unit: residents, broad-group shares, location quotients and local
        entropy within its LA, and (LSOAs, MSOAs) the ward its centre point lies in."""
        return self._unit_values[level]

    @cached_property
    def _unit_values(self) -> dict[str, pd.DataFrame]:
        return {level: self._values_of(level) for level in self.levels}

    def _values_of(self, level: str) -> pd.DataFrame:
        counts = (census.from_output_areas(self.year, "ward").frame if level == "ward" else
                  census.load(self.year, level).to("broad5").frame)
        names = geography.units(self.year, level)[["code", "name"]]
        out = counts[["code", "la_code"]].merge(names, on="code", how="left")
        out["residents"] = counts["total"].to_numpy().astype("int64")
        total = np.maximum(counts["total"].to_numpy(), 1)
        for g in BROAD:
            out[f"share_{g}"] = 100 * counts[g].to_numpy() / total
        local = local_measures(counts[["code", "la_code", *BROAD]], unit="code",
                               area="la_code", groups=list(BROAD))
        out = out.merge(local[["code", *LOCAL_COLUMNS, "note"]], on="code", how="left")
        if self.has_wards and level != "ward":
            wards = census.resident_wards(self.year, level)[["code", "ward_code", "ward_name"]]
            out = out.merge(wards, on="code", how="left")
            out[["ward_code", "ward_name"]] = out[["ward_code", "ward_name"]].fillna("")
        return out.sort_values("code", ignore_index=True)

    @cached_property
    def ward_shapes(self) -> gpd.GeoDataFrame:
        return geography.polygons("ward", self.year)

    @cached_property
    def unit_shapes(self) -> dict[str, gpd.GeoDataFrame]:
        return {level: geography.polygons(level, self.year) for level in self.levels}

    # -- the tidy results download -----------------------------------------------------

    def results(self) -> pd.DataFrame:
        """Every result the site shows, unrounded, one tidy row each: residents by group,
        the segregation indices of every LA and the race-equality measures of every area."""
        year = self.year
        las = self.national.authorities.set_index("code")
        la_counts = self.national.la_counts
        wide = la_counts.frame.merge(la_counts.to("broad5").frame.drop(columns="total"),
                                     on=["code", "la_code"])
        population = wide.melt(id_vars=["code"], value_vars=[
            *la_counts.groups, *BROAD, "total"], var_name="group", value_name="value")
        population["group"] = population["group"].replace({"total": "all"})
        population = pd.DataFrame({
            "section": "population", "area_code": population["code"],
            "area_name": population["code"].map(las["name"]), "area_level": "la",
            "year": year, "measure": "usual_residents", "group": population["group"],
            "unit_level": "la", "value": population["value"].astype(float),
            "note": ""})
        indices = self.national.indices.rename(columns={"index": "measure"}).assign(
            section="segregation", reference=lambda t: t["reference"].astype(str))
        measures, catalogue = self.national.measures if year == 2021 else (pd.DataFrame(),
                                                                           pd.DataFrame())
        scales = self.national.scales[0].rename(columns={"index": "measure"}).assign(
            section="segregation_by_scale", reference=lambda t: t["reference"].astype(str))
        parts = [population, indices, scales]
        if len(measures):
            domain = measures["measure"].map(catalogue.set_index("id")["domain"])
            parts.append(measures.rename(columns={
                "geography_code": "area_code", "geography_name": "area_name",
                "geography_level": "area_level", "ethnicity": "group",
                "rank": "rank", "n_ranked": "n_ranked"}).assign(
                    section="race_equality:" + domain, year=year,
                    reliable=lambda t: t["reliable"].astype(bool)))
        table = pd.concat(parts, ignore_index=True)
        first = ["section", "area_code", "area_name", "area_level", "year", "measure", "group",
                 "reference", "time", "unit_level", "value", "lower", "upper", "rank",
                 "n_ranked", "n_units"]
        table = table.reindex(columns=[*first, *[c for c in table.columns if c not in first]])
        for column in ("rank", "n_ranked", "n_units"):
            table[column] = table[column].astype("Int64")
        return table.sort_values(["section", "area_code", "measure", "group", "time"],
                                 kind="stable", na_position="first", ignore_index=True)

