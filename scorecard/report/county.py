"""A county council's scorecard: the county as the custom area of its districts.

County councils (Kent, Lancashire…) are the education and social-care authorities of the
two-tier shires, but the census tables and boundaries are of districts. A county's page is
built on its districts' output areas relabelled to the county: every count is the sum of its
districts' (the units nest exactly in districts), every index is computed on the county's
own output areas, and the change since 2011 on the districts' common units. What cannot be
computed for the county is said on the page: LA ranks (a county is not one of the 331 LAs)
and district-level indicators (published as rates, which do not sum).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import geopandas as gpd
import pandas as pd

from .. import geography, indicators
from ..census import Counts
from ..change.since2011 import districts_change
from ..integration import english_for_districts
from ..segregation.battery import scorecard_indices, scorecard_inference
from ..segregation.inference import DEFAULT_DRAWS, DEFAULT_SEED
from .context import National
from .context_notes import english_section


def is_county(code: str) -> bool:
    """A county council code this module builds (E10, two or more 2021 districts)."""
    found = geography.county_districts().get(code)
    return found is not None and len(found[1]) > 1


@dataclass
class CountyNational(National):
    """A :class:`National` in which the county's districts are one area, coded as the county.

    Only the county's own rows are computed (no all-LA runs): its indices, their intervals
    (a seeded bootstrap of the county alone) and its scales.
    """

    county: str = ""

    @classmethod
    def of(cls, national: National, county: str) -> CountyNational:
        if national.year != 2021:
            raise ValueError("a county scorecard is built from 2021 districts")
        view = cls(national.year, national.unit_counts, national.indicator_tables,
                   national.schools_file, county=county)
        if "measures" in national.__dict__:
            view.__dict__["measures"] = national.measures
        return view

    @cached_property
    def districts(self) -> list[str]:
        return geography.county_districts()[self.county][1]

    def district_names(self) -> list[str]:
        names = geography.authorities(self.year).set_index("code")["name"]
        return [names[code] for code in self.districts]

    def own_units(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The county's districts' units only, their ``la_code`` set to the county."""
        mine = frame[frame["la_code"].isin(self.districts)]
        return mine.assign(la_code=self.county).reset_index(drop=True)

    def _counts(self, counts: Counts) -> Counts:
        return replace(counts, frame=self.own_units(counts.frame))

    ranked = False

    @cached_property
    def authorities(self) -> pd.DataFrame:
        county = geography.county_row(self.county).to_frame().T
        return pd.concat([geography.authorities(self.year), county], ignore_index=True)

    @cached_property
    def la_counts(self) -> Counts:
        """The county's residents by group: its districts' LA rows summed."""
        counts = self._counts(super().la_counts)
        return counts.by_authority()

    @cached_property
    def index_counts(self) -> Counts:
        return self._counts(super().index_counts)

    @cached_property
    def inferred(self) -> pd.DataFrame:
        return scorecard_inference(self.index_counts, self.county, draws=DEFAULT_DRAWS,
                                   seed=DEFAULT_SEED)

    @cached_property
    def indices(self) -> pd.DataFrame:
        """The county's indices; no rank (ranks are among the 331 LAs)."""
        table = scorecard_indices(self.index_counts, self.authorities, self.inferred)
        table["area_level"] = "custom"
        return table.assign(rank=float("nan"), n_ranked=float("nan"))

    @cached_property
    def map_counts(self) -> Counts:
        return self._counts(super().map_counts)

    def polygons(self, level: str, la_code: str) -> gpd.GeoDataFrame:
        """The districts' polygons at ``level`` as the county's."""
        parts = [super(CountyNational, self).polygons(level, code) for code in self.districts]
        shapes = pd.concat(parts, ignore_index=True).assign(la_code=self.county)
        return gpd.GeoDataFrame(shapes, geometry="geometry", crs=parts[0].crs)

    def change_of(self, la_code: str) -> pd.DataFrame:
        name = geography.county_districts()[self.county][0]
        return districts_change(self.county, name, self.districts)

    def gaps_of(self, la_code: str) -> pd.DataFrame:
        return indicators.gaps_for_county(self.county, self.indicator_tables,
                                          measures=self.measures)

    def english_of(self, la_code: str, la_name: str) -> dict | None:
        return english_section(la_code, la_name, self.year,
                               found=english_for_districts(self.districts))

    def schools_for(self, la_code: str):
        from ..schools import national as school_results

        return school_results(self.schools_file, focus=[self.county])

    def schools_in(self, schools: pd.DataFrame, la_code: str) -> pd.DataFrame:
        """The schools the county council's figures are of (its school census LA code)."""
        return schools[schools["la_code"] == self.county]


def view_for(national: National, code: str) -> National:
    """``national`` itself for an LA; the county's view for a county council code."""
    return CountyNational.of(national, code) if is_county(code) else national
