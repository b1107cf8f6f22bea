"""The documentation site: it builds in strict mode, offline, and says what the code does.

- ``mkdocs build --strict`` into a temporary folder (a broken link, anchor or reference
  fails), then no page or stylesheet makes a request outside the site;
- every page's Python examples (``pycon`` blocks) run as doctests; the tutorial within a
  minute;
- every command has a guide page naming each of its options, every index a methods section,
  and the changelog's latest version is the package's.

In CI (``CI`` set) a missing ``mkdocs`` fails; elsewhere the build test is skipped, saying
how to install it (``pip install -e '.[docs]'``, also part of ``.[test]``).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import time
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest

import scorecard
from scorecard import api
from scorecard.cli import _parser
from scorecard.segregation import ALL_TWO_GROUP_INDICES, MULTIGROUP_INDICES, SPATIAL_INDICES

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"


def _examples_module():
    spec = importlib.util.spec_from_file_location("docs_examples",
                                                  REPO / "scripts" / "docs_examples.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


examples = _examples_module()
PAGES_WITH_EXAMPLES = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")
                             if examples.FENCE.search(p.read_text()))


# ---------------------------------------------------------------------------- the build


class _Requests(HTMLParser):
    """Collects the URLs a page would fetch by itself (not the links a reader may follow)."""

    FETCHING = {("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"),
                ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data"),
                ("img", "srcset"), ("source", "srcset")}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name, value in values.items():
            if value and (tag, name) in self.FETCHING:
                self.urls.append(value)
        if tag == "link" and values.get("href") and (values.get("rel") or "") not in (
                "canonical", "next", "prev", "alternate"):
            self.urls.append(values["href"])


def _external(url: str) -> bool:
    return bool(re.match(r"^\s*(https?:)?//", url))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    if importlib.util.find_spec("mkdocs") is None:
        message = "mkdocs is not installed: pip install -e '.[docs]' (part of '.[test]')"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    out = tmp_path_factory.mktemp("docs-site")
    started = time.perf_counter()
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir",
                            str(out)], cwd=REPO, capture_output=True, text=True,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert build.returncode == 0, build.stdout + build.stderr
    print(f"mkdocs build --strict: {time.perf_counter() - started:.1f} s")
    return out


@pytest.mark.docs
def test_site_builds_in_strict_mode_with_every_page(site):
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    expected = {p.relative_to(DOCS).with_suffix(".html").as_posix() for p in DOCS.rglob("*.md")}
    assert expected <= pages
    assert (site / "img" / "national-d-change.png").is_file()


@pytest.mark.docs
def test_site_makes_no_request_outside_itself(site):
    found = []
    for page in site.rglob("*.html"):
        parser = _Requests()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [(page.name, url) for url in parser.urls if _external(url)]
    for sheet in site.rglob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        found += [(sheet.name, url) for url in re.findall(
            r"""(?:url\(\s*['"]?|@import\s+['"])([^'")]+)""", text) if _external(url)]
    assert not found, found[:5]
    assert "fonts.googleapis" not in (site / "index.html").read_text()


class _Links(HTMLParser):
    """Collects a page's element ids and the targets of its links."""

    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])


@pytest.mark.docs
def test_every_internal_link_and_anchor_resolves(site):
    """Strict mode checks the Markdown's links; this checks the built pages' own, including
    those mkdocstrings writes from docstrings."""
    pages = {}
    for page in site.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        pages[page.resolve()] = parser
    broken = []
    for page, parser in pages.items():
        if page.name == "404.html":  # served at any depth, so its links are root-absolute
            continue
        for link in parser.links:
            if _external(link) or link.startswith(("mailto:", "javascript:")):
                continue
            path, _, anchor = link.partition("#")
            target = (page.parent / path).resolve() if path else page
            if target.is_dir():
                target = target / "index.html"
            missing_anchor = bool(anchor) and target.suffix == ".html" and (
                target not in pages or anchor not in pages[target].ids)
            if not target.exists() or missing_anchor:
                broken.append((page.name, link))
    assert not broken, broken[:10]


@pytest.mark.docs
def test_api_page_documents_every_public_function(site):
    page = (site / "api.html").read_text(encoding="utf-8")
    for name in api.__all__:
        assert f'id="scorecard.api.{name}"' in page, name
    assert page.count('class="doc doc-heading"') >= len(api.__all__)


# ------------------------------------------------------------------------ the examples


@pytest.mark.parametrize("page", PAGES_WITH_EXAMPLES)
def test_page_examples_run(page, tmp_path):
    if page == "coming-from-pysal.md":
        pytest.importorskip("segregation")
    started = time.perf_counter()
    result = examples.run(DOCS / page, cwd=tmp_path)
    seconds = time.perf_counter() - started
    assert result.attempted > 0
    assert result.failed == 0
    if page == "tutorial.md":
        assert (tmp_path / "national-d-change.png").stat().st_size > 10_000
        assert seconds < 60, f"the tutorial took {seconds:.1f} s"


def test_pages_with_examples_include_the_main_ones():
    assert {"getting-started.md", "tutorial.md", "methods.md", "coming-from-pysal.md",
            "coming-from-r.md"} <= set(PAGES_WITH_EXAMPLES)


# ------------------------------------------------------------- pages that match the code


def _commands() -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("command", sorted(_commands()))
def test_every_command_has_a_guide_page_naming_its_options(command):
    page = DOCS / "guide" / f"{command}.md"
    assert page.is_file(), f"no guide page for `scorecard {command}`"
    text = page.read_text()
    assert f"scorecard {command}" in text
    flags = [flag for action in _commands()[command]._actions
             for flag in action.option_strings if flag.startswith("--") and flag != "--help"]
    missing = [flag for flag in flags if f"`{flag}`" not in text]
    assert not missing, f"guide/{command}.md does not describe {missing}"
    assert f"guide/{command}.md" in (REPO / "mkdocs.yml").read_text()


def test_every_index_has_a_methods_section():
    text = (DOCS / "methods.md").read_text()
    anchors = set(re.findall(r"\{#([\w.-]+)\}", text))
    for name in (*ALL_TWO_GROUP_INDICES, *MULTIGROUP_INDICES, *SPATIAL_INDICES):
        section = "atkinson" if name.startswith("atkinson_") else name
        assert section in anchors, f"methods.md has no section for {name}"
    for name in ALL_TWO_GROUP_INDICES:
        if name.startswith("atkinson_"):
            assert f"`{name}`" in text
    assert {"inference", "decomposition", "local-measures", "intervals"} <= anchors


def test_changelog_and_version_agree():
    changelog = (REPO / "CHANGELOG.md").read_text()
    latest = re.search(r"^## \[(\d+\.\d+\.\d+)\]", changelog, flags=re.MULTILINE).group(1)
    assert latest == scorecard.__version__
    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"]["attr"] == (
        "scorecard.__version__")


def test_version_flag_prints_the_version(capsys):
    from scorecard.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"scorecard {scorecard.__version__}\n"


def test_docs_tools_are_installed_by_the_test_command():
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    assert {re.split(r"[<>=\[]", d)[0] for d in extras["docs"]} == {
        "mkdocs", "mkdocs-material", "mkdocstrings"}
    assert "scorecard[docs]" in extras["test"]
    readme = (REPO / "README.md").read_text()
    command = readme.split("<!-- test-command -->")[1]
    assert 'pip install ".[test]"' in command.split("```")[1]
