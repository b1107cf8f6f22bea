"""The wheel holds every sub-package and the embedded data (a non-editable install works)."""

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_every_sub_package_is_listed_for_the_wheel():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"])
    on_disk = {".".join(p.parent.relative_to(REPO).parts)
               for p in (REPO / "scorecard").rglob("__init__.py")}
    assert on_disk <= listed


def test_embedded_data_folders_are_packages_with_their_files():
    for folder in ("boundaries", "indicators"):
        assert (REPO / folder / "__init__.py").is_file()
        assert list((REPO / folder).glob("*.parquet"))
        assert (REPO / folder / "SOURCES.md").is_file()
