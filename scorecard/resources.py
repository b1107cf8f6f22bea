"""Where the embedded data lives: inside the installed package (scorecard.embedded)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def boundaries_file(name: str) -> Path:
    """Path of an embedded boundary or lookup file, e.g. ``units.parquet``."""
    return Path(str(files("scorecard.embedded.boundaries").joinpath(name)))


def indicators_file(name: str) -> Path:
    """Path of an embedded table, e.g. ``census2021_la_ethnic.parquet``."""
    return Path(str(files("scorecard.embedded.indicators").joinpath(name)))


def package_file(name: str) -> Path:
    """Path of a data file shipped beside the code, e.g. ``groups.csv``."""
    return Path(str(files("scorecard").joinpath(name)))
