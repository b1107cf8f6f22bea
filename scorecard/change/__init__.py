"""Change between the 2011 and 2021 censuses: an engine that report/ and compare/ both use.

- :mod:`.common_units`: sets of 2011 and 2021 output areas that hold the same people
  (connected components of the ONS lookups; nothing apportioned);
- :mod:`.difference`: the change of every index with bootstrap intervals and its reading;
- :mod:`.bootstrap`: the draws of every index for every area, kept as arrays;
- :mod:`.decompose`: the Shapley decomposition of the change in M;
- :mod:`.since2011`: the embedded censuses on common units (every LA, region, custom area);
- :mod:`.apportion`: the earlier method (2011 LSOAs apportioned onto 2021 LSOAs), kept to
  compare with, and whole 2011 districts summed into 2022 LAs.
"""

from .apportion import harmonise_2011_to_2021, la_2011_on_2022
from .common_units import CommonUnits, common_units, on_common_units
from .decompose import mutual_difference
from .difference import change_table, national_picture
from .since2011 import (
    caption,
    common_unit_counts,
    embedded_common_units,
    frames_for,
    index_change,
    la_change,
    unit_coverage,
)

__all__ = [
    "CommonUnits",
    "caption",
    "change_table",
    "common_unit_counts",
    "common_units",
    "embedded_common_units",
    "frames_for",
    "harmonise_2011_to_2021",
    "index_change",
    "la_2011_on_2022",
    "la_change",
    "mutual_difference",
    "national_picture",
    "on_common_units",
    "unit_coverage",
]
