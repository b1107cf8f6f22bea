"""The maps section: each broad group's share of residents by LSOA, with the LA outline."""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np

from .. import geography, groups
from . import maps

if TYPE_CHECKING:
    from .context import National

MAP_LEVEL = "lsoa"  # both censuses have broad groups for LSOAs of their own vintage


def maps_section(national: National, la_code: str) -> dict:
    shapes = geography.polygons(MAP_LEVEL, national.year, la_code)
    frame = national.map_counts.for_authority(la_code).frame.set_index("code")
    shapes = shapes[shapes["code"].isin(frame.index)].reset_index(drop=True)
    # The LA outline is the union of its LSOAs, so it follows the same generalised edges.
    outline = gpd.GeoDataFrame(geometry=[shapes.union_all(method="coverage")], crs=shapes.crs)
    wards = geography.polygons("ward", national.year, la_code) if national.year == 2021 else None
    labels = groups.labels("broad5")
    level = geography.LEVEL_NAMES[MAP_LEVEL]
    entries, table = [], []
    shares = {}
    for group, label in labels.items():
        share = 100 * frame.loc[shapes["code"], group].to_numpy() / np.maximum(
            frame.loc[shapes["code"], "total"].to_numpy(), 1)
        shares[group] = share
        svg, bounds = maps.choropleth(shapes, share, title=f"{label} residents, share of each "
                                      f"{level}, {national.year}",
                                      legend_title="Share of residents", outline=outline,
                                      lines=wards)
        alt = (f"Map of {len(shapes)} {level}s shaded by the share of residents who are "
               f"{label}: from {share.min():.1f}% to {share.max():.1f}%. Classes: "
               f"{maps.CLASS_METHOD}. The table of values follows the maps.")
        entries.append({"group": group, "label": label, "svg": svg, "alt": alt,
                        "classes": bounds})
    for i, (code, name) in enumerate(shapes[["code", "name"]].itertuples(index=False)):
        table.append({"code": code, "name": name,
                      "shares": {g: shares[g][i] for g in labels}})
    return {"maps": entries, "table": sorted(table, key=lambda r: r["code"]), "level": level,
            "class_method": maps.CLASS_METHOD, "group_labels": labels,
            "source": national.map_counts.source,
            "wards_note": "Grey lines are ward boundaries (December 2021)."
            if wards is not None else "No 2011 ward polygons are available; none are drawn."}
