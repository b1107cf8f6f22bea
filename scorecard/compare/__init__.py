"""Comparing authorities over time (2011 → 2021) and against each other.

- the change itself (common units, intervals, the decomposition of M) is the engine
  :mod:`scorecard.change`, which the scorecards use too; its names are re-exported here;
- :mod:`.indicator_change`: change in race-equality indicators with two or more periods;
- :mod:`.peers`: ranks, percentiles and peer groups (region, LA type, nearest neighbours);
- :mod:`.areas`: regions and user-defined areas on the same index engine;
- :mod:`.selection`: the areas a user names (LAs, regions, custom areas) and each one's
  change on its own (:func:`scorecard_change` for one LA's scorecard);
- :mod:`.comparison` and :mod:`.report`: the ``scorecard compare`` report.
"""

from ..change import (
    harmonise_2011_to_2021,
    index_change,
    la_2011_on_2022,
    mutual_difference,
    national_picture,
)
from .areas import area_indices, custom_areas, region_counts
from .indicator_change import indicator_change
from .peers import nearest_neighbours, neighbour_features, peer_ranks, peers, ranks
from .selection import Area, area_change, resolve, scorecard_change

__all__ = [
    "Area",
    "area_change",
    "area_indices",
    "custom_areas",
    "harmonise_2011_to_2021",
    "index_change",
    "indicator_change",
    "la_2011_on_2022",
    "mutual_difference",
    "national_picture",
    "nearest_neighbours",
    "neighbour_features",
    "peer_ranks",
    "peers",
    "ranks",
    "region_counts",
    "resolve",
    "scorecard_change",
]
