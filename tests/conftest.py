"""Shared helpers: run the CLI in-process, and find ../shared/data for build checks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from scorecard.cli import main

REPO = Path(__file__).resolve().parents[1]


def shared_data() -> Path:
    """The raw public tables the embedded data is built from (beside the repository)."""
    return Path(os.environ.get("SCORECARD_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture
def raw():
    """Path to ../shared/data; the build checks need it (CI always has it beside the repo)."""
    path = shared_data()
    if not path.is_dir():
        pytest.skip(f"raw public tables not found at {path}; set SCORECARD_SHARED_DATA")
    return path


@pytest.fixture
def run_cli(capsys):
    """Run ``scorecard ARGS…`` in-process; returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


# Property tests draw fresh random tables locally; in CI they replay a fixed set so that a
# green run stays green (a failure found locally is kept in .hypothesis/ and replayed).
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Playwright, for the browser tests (skipped, saying why,
    without Playwright or a Chromium binary)."""
    from browser_support import chromium_or_skip

    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_or_skip(),
                                              args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()
