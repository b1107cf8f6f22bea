"""Segregation index engine: pure functions over wide counts tables, all areas at once."""

from .battery import scorecard_indices
from .twogroup import TWO_GROUP_INDICES, two_group

__all__ = ["TWO_GROUP_INDICES", "scorecard_indices", "two_group"]
