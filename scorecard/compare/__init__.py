"""Comparing authorities over time (2011 → 2021) and against each other.

- :mod:`.harmonise`: both censuses on one geography (2021 LSOAs / MSOAs, 2022 LAs);
- :mod:`.change`: change in each segregation index with intervals, and the national count;
- :mod:`.difference`: Shapley decomposition of the change in M (composition vs structure);
- :mod:`.indicator_change`: change in race-equality indicators with two or more periods;
- :mod:`.peers`: ranks, percentiles and peer groups (region, LA type, nearest neighbours);
- :mod:`.areas`: regions and user-defined areas on the same index engine;
- :mod:`.selection`: the areas a user names (LAs, regions, custom areas) and each one's
  change on its own (:func:`scorecard_change` for one LA's scorecard);
- :mod:`.comparison` and :mod:`.report`: the ``scorecard compare`` report.
"""

from .areas import area_indices, custom_areas, region_counts
from .change import index_change, national_picture
from .difference import mutual_difference
from .harmonise import harmonise_2011_to_2021, la_2011_on_2022
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
