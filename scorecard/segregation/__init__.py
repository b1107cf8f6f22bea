"""Segregation index engine: pure functions over wide counts tables, all areas at once."""

from .battery import scorecard_indices
from .decompose import decompose
from .inference import inference
from .local import local_measures
from .multigroup import MULTIGROUP_INDICES, multigroup
from .spatial import SPATIAL_INDICES, contiguity, spatial_dissimilarity, spatial_proximity
from .table import compute
from .twogroup import ALL_TWO_GROUP_INDICES, TWO_GROUP_INDICES, Units, two_group

__all__ = [
    "ALL_TWO_GROUP_INDICES",
    "MULTIGROUP_INDICES",
    "SPATIAL_INDICES",
    "TWO_GROUP_INDICES",
    "Units",
    "compute",
    "contiguity",
    "decompose",
    "inference",
    "local_measures",
    "multigroup",
    "scorecard_indices",
    "spatial_dissimilarity",
    "spatial_proximity",
    "two_group",
]
