"""Concurrent builds of one target, with real processes: every publish leaves one whole
folder (all files from one writer), nothing behind, and no process fails."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from scorecard import outputs

from .conftest import fault_env, start, wait_for_no_processes

WRITERS = 4
TRIALS = 6
FILES = 20

# Each writer fills its staging folder, waits for a common instant, then publishes: the
# moment the unlocked swap (exists → rename → rename) failed every time.
WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from scorecard import outputs
    target, name, at, exchange = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]), sys.argv[4]
    FILES = int(sys.argv[5])
    if exchange == "no":
        outputs.exchange = lambda a, b: False  # the fallback: two renames under the lock
    with outputs.staged_folder(target) as staging:
        for i in range(FILES):
            (staging / f"part{i}.txt").write_text(name)
        time.sleep(max(0.0, at - time.time()))
""")


def whole(target: Path) -> str:
    contents = {p.name: p.read_text() for p in target.iterdir()}
    assert sorted(contents) == sorted(f"part{i}.txt" for i in range(FILES)), contents
    writers = set(contents.values())
    assert len(writers) == 1, f"a mix of writers: {writers}"
    return writers.pop()


@pytest.mark.parametrize("exchange", ["yes", "no"], ids=["atomic exchange", "two renames"])
def test_processes_publishing_one_folder_at_once(tmp_path, exchange):
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    target = tmp_path / "out" / "E06000017-rutland"
    for trial in range(TRIALS):
        at = time.time() + 0.6
        writers = [subprocess.Popen([sys.executable, script, target, f"w{trial}.{k}", str(at),
                                     exchange, str(FILES)], stderr=subprocess.PIPE)
                   for k in range(WRITERS)]
        for writer in writers:
            _, err = writer.communicate(timeout=60)
            assert writer.returncode == 0, err.decode()
        assert whole(target).startswith(f"w{trial}.")
        assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_exchange_swaps_two_folders(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "x").write_text("a")
    (b / "x").write_text("b")
    if not outputs.exchange(a, b):
        pytest.skip("this system has no atomic exchange (the fallback is tested above)")
    assert ((a / "x").read_text(), (b / "x").read_text()) == ("b", "a")


def test_concurrent_real_builds_of_one_la(tmp_path):
    out = tmp_path / "reports"
    env, token = fault_env()
    builds = [start(["build", "Rutland", "--format", "html", "--jobs", "1", "--out", out,
                     "--quiet"], env=env) for _ in range(2)]
    for build in builds:
        _, err = build.communicate(timeout=300)
        assert build.returncode == 0, err.decode()
        assert err == b"", err.decode()
    assert wait_for_no_processes(token) == []
    assert [p.name for p in (out / "2021").iterdir()] == ["E06000017-rutland"]
    assert {p.name for p in (out / "2021" / "E06000017-rutland").iterdir()} == {
        "index.html", "data.csv", "data.xlsx", "map.gpkg", "figures"}
