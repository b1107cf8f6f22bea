"""An output location that cannot take the output: a file where a folder should be, a
read-only folder, a full disk. Every command says so in one line naming the path and the
cause (exit 2) before computing, and a disk that fills during the run leaves nothing half
written. Root mounts a small tmpfs for real; other users get the same faults simulated."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from pathlib import Path

import pytest

from scorecard import cli, outputs

from .conftest import assert_one_line_error, files_under, run_here

RUTLAND = "E06000017"
COMMANDS = {  # command → arguments before --out, and whether --out names a file
    "build": (["build", "Rutland", "--format", "html", "--quiet"], False),
    "indices": (["indices", "COUNTS", "--unit", "code", "--groups", "a,b"], True),
    "gaps": (["gaps", "Lambeth"], True),
    "compare": (["compare", "Rutland", "Leicester", "--quiet"], False),
    "site": (["site", "--authorities", "Rutland", "--quiet"], False),
}


@contextlib.contextmanager
def tmpfs(folder: Path, size: str, *, read_only: bool = False):
    """A small tmpfs at ``folder`` (root only); yields None where mounting is not possible."""
    folder.mkdir(parents=True, exist_ok=True)
    options = f"size={size}" + (",ro" if read_only else "")
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
            capture_output=True).returncode != 0:
        yield None
        return
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def command(name: str, out: Path, tmp_path: Path) -> list:
    args, is_file = COMMANDS[name]
    counts = tmp_path / "counts.csv"
    counts.write_text("code,a,b\nx1,3,0\nx2,5,2\nx3,1,9\n")
    args = [counts if a == "COUNTS" else a for a in args]
    return [*args, "--out", out / "result.csv" if is_file else out]


@pytest.mark.parametrize("name", COMMANDS)
def test_out_is_a_file(name, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    code, _, err = run_here(*command(name, blocker, tmp_path))
    line = assert_one_line_error(code, err, path=blocker)
    assert "file" in line
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("name", COMMANDS)
def test_out_is_read_only(name, tmp_path):
    with tmpfs(tmp_path / "ro", "64k", read_only=True) as mounted:
        where = mounted
        if where is None:
            if os.geteuid() == 0:
                pytest.skip("root ignores file modes and cannot mount a tmpfs here")
            where = tmp_path / "ro"
            where.chmod(0o555)
        code, _, err = run_here(*command(name, where / "out", tmp_path))
        line = assert_one_line_error(code, err, path=where / "out")
        assert "read-only" in line or "permission denied" in line, line


@pytest.mark.parametrize("name", COMMANDS)
def test_full_disk_is_found_before_computing(name, tmp_path, monkeypatch):
    with tmpfs(tmp_path / "full", "16k") as mounted:
        if mounted is None:  # simulate a disk with nothing free
            monkeypatch.setattr(os, "statvfs", lambda path: os.statvfs_result(
                (4096, 4096, 100, 0, 0, 100, 0, 0, 0, 255)))
            mounted = tmp_path / "full"
        code, _, err = run_here(*command(name, mounted / "out", tmp_path))
        line = assert_one_line_error(code, err, path=mounted / "out")
        assert "no space left on the device" in line, line
        assert files_under(mounted) == []


def _disk_full(folder):
    """Where no small disk can be mounted: a writer that fails as a full disk under
    ``folder`` would."""
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder / "x"))

    return full


def test_disk_that_fills_during_a_build(tmp_path, monkeypatch):
    """The check passes (asked for nothing) but the disk fills while the folder is written:
    one line saying so, exit 2, and no staging folder left on the full disk."""
    monkeypatch.setattr(cli, "SCORECARD_BYTES", 0)
    with tmpfs(tmp_path / "small", "300k") as mounted:
        if mounted is None:
            mounted = tmp_path / "small"
            monkeypatch.setattr(outputs, "publish_folder", _disk_full(mounted))
        code, _, err = run_here("build", RUTLAND, "--format", "html", "--jobs", "1",
                                "--out", mounted / "out", "--quiet")
        line = assert_one_line_error(code, err)
        assert "no space left on the device" in line and str(mounted) in line, line
        assert [p for p in files_under(mounted) if p.is_file()] == []


def test_site_on_a_disk_that_fills_leaves_no_half_built_site(tmp_path, monkeypatch):
    """The scorecard and the LA's page fit, the national downloads do not: the site folder
    must not appear at all (it used to keep a scorecard and a page without index.html)."""
    monkeypatch.setattr(cli, "SITE_BYTES", 0)
    with tmpfs(tmp_path / "disk", "12m") as mounted:
        if mounted is None:
            mounted = tmp_path / "disk"
            from scorecard.site import build as site_build

            monkeypatch.setattr(site_build, "write_downloads", _disk_full(mounted))
        code, _, err = run_here("site", "--authorities", "Rutland", "--jobs", "1",
                                "--out", mounted / "site", "--quiet")
        line = assert_one_line_error(code, err)
        assert "no space left on the device" in line, line
        assert files_under(mounted) == []
