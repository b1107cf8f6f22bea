"""scorecard: residential segregation and race-equality scorecards for local authorities
in England and Wales, from real public data (ONS Census 2011 and 2021).

The Python API is :mod:`scorecard.api` (also reachable as ``scorecard.api`` and its
functions as ``scorecard.<name>``); it is imported on first use, so that ``import
scorecard`` and the command line start without loading pandas.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.3.0"

_API = ("load_counts", "load_boundaries", "load_units", "load_lookup", "load_indicators",
        "load_schools", "wide_counts", "indices", "dissimilarity", "two_group_indices",
        "multigroup_indices", "decompose", "inference", "local_measures", "spatial_indices",
        "contiguity_weights", "common_units", "on_common_units", "index_change",
        "change_since_2011", "school_segregation", "segregated_schools", "wilson_interval",
        "newcombe_interval", "katz_interval", "poisson_interval")

__all__ = ["__version__", "api", *_API]


def __getattr__(name: str) -> Any:
    if name == "api" or name in _API:
        import importlib

        api = importlib.import_module(".api", __name__)
        return api if name == "api" else getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), "api", *_API])
