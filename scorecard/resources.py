"""Where the embedded data lives: inside the installed package (scorecard.embedded)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _embedded(folder: str) -> Path:
    """The installed folder of embedded data; in a source checkout imported as it is (a
    process started in the repository, whose working directory shadows the installed
    package), the repository's own top-level folder of the same name."""
    try:
        return Path(str(files(f"scorecard.embedded.{folder}")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[1] / folder


def boundaries_file(name: str) -> Path:
    """Path of an embedded boundary or lookup file, e.g. ``units.parquet``."""
    return _embedded("boundaries") / name


def indicators_file(name: str) -> Path:
    """Path of an embedded table, e.g. ``census2021_la_ethnic.parquet``."""
    return _embedded("indicators") / name


def package_file(name: str) -> Path:
    """Path of a data file shipped beside the code, e.g. ``groups.csv``."""
    return Path(str(files("scorecard").joinpath(name)))
