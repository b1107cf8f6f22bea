"""A real build killed at random points (SIGKILL and SIGTERM): no half-written folder is
visible, no child process outlives it, and the next run succeeds and clears what the
killed one left behind."""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

import pytest

from .conftest import fault_env, start, wait_for_no_processes

pytestmark = pytest.mark.skipif(not Path("/proc/self/environ").exists(),
                                reason="finds the build's processes through /proc")

HTML_FILES = {"index.html", "data.csv", "data.xlsx", "map.gpkg", "figures"}
# Two LAs with two workers (the batch pool), and one LA with its PDF in a second process.
RUNS = [
    (["Rutland", "Isles of Scilly", "--jobs", "2", "--format", "html"], HTML_FILES),
    (["Isles of Scilly", "--jobs", "2", "--format", "html,pdf"], HTML_FILES | {"scorecard.pdf"}),
]
KILLS = 3  # per kind of run: SIGKILL, SIGTERM, SIGKILL, at random times


def visible_state(out: Path, files: set[str]) -> None:
    """Every folder a reader can see is whole; nothing else but hidden staging."""
    year = out / "2021"
    if not year.exists():
        return
    for folder in year.iterdir():
        if folder.name.startswith("."):
            continue
        assert {p.name for p in folder.iterdir()} == files, folder


@pytest.mark.parametrize("arguments, files", RUNS, ids=["batch workers", "pdf process"])
def test_killed_build_leaves_nothing_half_written_and_no_orphans(arguments, files, tmp_path):
    chance = random.Random(18)
    out = tmp_path / "reports"
    for kill in range(KILLS):
        env, token = fault_env()
        process = start(["build", *arguments, "--out", out, "--quiet"], env=env)
        time.sleep(chance.uniform(1.0, 5.0))
        kind = signal.SIGKILL if kill % 2 == 0 else signal.SIGTERM
        process.send_signal(kind)
        process.wait(timeout=60)
        # Checked before reading the pipes: an orphan would hold them open.
        assert wait_for_no_processes(token) == [], f"children outlived a {kind.name}"
        _, err = process.communicate(timeout=60)
        if kind == signal.SIGTERM and process.returncode != 0:
            assert process.returncode in (143, -signal.SIGTERM), err.decode()
            assert b"Traceback" not in err, err.decode()
        visible_state(out, files)
    env, token = fault_env()
    process = start(["build", *arguments, "--out", out, "--quiet"], env=env)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()
    assert wait_for_no_processes(token) == []
    visible_state(out, files)
    left = [p.name for p in (out / "2021").iterdir() if p.name.startswith(".")]
    assert left == [], "the rerun did not clear the killed runs' staging folders"
