"""Scorecard and comparison pages in a real browser (Debian's chromium, driven by Playwright):
no page wider than a 390 px phone (WCAG 1.4.10 reflow), every scrolling table box focusable
and named, and axe-core reporting no violation.

axe-core comes from the npm registry (``npm install axe-core``, done here once into a
temporary folder, or set SCORECARD_AXE to an axe.min.js). Skipped, saying why, only when
Playwright, Chromium or axe-core cannot be had.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from browser_support import chromium_or_skip

from scorecard.cli import main

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                               "(pip install '.[test]'); the browser test needs it")


chromium_or_skip()  # without a browser, the whole module is skipped, saying why

PHONE = 390
# The scorecards: a large city, the smallest LA (one area, no maps), a Welsh LA with an
# offshore island; and a comparison page.
LAS = ("E08000032", "E06000053", "W06000015")


@pytest.fixture(scope="module")
def axe_source(tmp_path_factory) -> str:
    given = os.environ.get("SCORECARD_AXE")
    if given and Path(given).is_file():
        return Path(given).read_text(encoding="utf-8")
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("axe-core needs npm (apt-get install npm) or SCORECARD_AXE=axe.min.js")
    folder = tmp_path_factory.mktemp("axe")
    done = subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund",
                           "--prefix", str(folder), "axe-core"], capture_output=True,
                          text=True, timeout=300)
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if done.returncode != 0 or not script.is_file():
        pytest.skip(f"npm install axe-core failed: {done.stderr.strip()[:200]}")
    return script.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("pages")
    assert main(["build", *LAS, "--out", str(out), "--format", "html", "--quiet"]) == 0
    assert main(["compare", "Rutland", "Isles of Scilly", "--out", str(out), "--quiet"]) == 0
    found = sorted(out.glob("2021/*/index.html")) + sorted(out.glob("compare/*/index.html"))
    assert len(found) == len(LAS) + 1
    return found


def _open(browser, path: Path, width: int):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(path.as_uri())
    return context, page


def test_no_page_is_wider_than_a_phone(browser, pages):
    for path in pages:
        context, page = _open(browser, path, PHONE)
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(f"""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > {PHONE} + 1
                    && !e.closest('.table-scroll'))
            .slice(0, 3).map(e => e.tagName + '.' + e.className)""")
        context.close()
        assert width <= PHONE, f"{path.parent.name}: {width} px wide at {PHONE} px: {wide}"


def test_tables_scroll_in_focusable_named_boxes(browser, pages):
    for path in pages:
        context, page = _open(browser, path, PHONE)
        loose = page.evaluate("[...document.querySelectorAll('table')]"
                              ".filter(t => !t.parentElement.matches("
                              "'.table-scroll[tabindex=\"0\"][aria-label]')).length")
        charts = page.evaluate("[...document.querySelectorAll('figure svg, figure img')]"
                               ".filter(s => !s.closest('[role=img][aria-label]')).length")
        context.close()
        assert loose == 0, f"{path.parent.name}: {loose} tables outside a scroll box"
        assert charts == 0, f"{path.parent.name}: {charts} figures without role=img and a name"


@pytest.mark.parametrize("width", [1280, PHONE])
def test_axe_core_finds_no_violation(browser, pages, axe_source, width):
    for path in pages:
        context, page = _open(browser, path, width)
        page.add_script_tag(content=axe_source)
        result = page.evaluate("async () => (await axe.run(document)).violations"
                               ".map(v => v.id + ': ' + v.nodes.length + ' ' + "
                               "v.nodes[0].target.join(' '))")
        context.close()
        assert result == [], f"{path.parent.name} at {width} px: {result}"
