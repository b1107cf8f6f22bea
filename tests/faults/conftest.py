"""Helpers of the fault suite: the command run in-process or as a real process, and the
checks every fault shares (one line, exit 2, no traceback, nothing written, no orphans)."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path

from scorecard.cli import main

SCORECARD = shutil.which("scorecard", path=str(Path(sys.executable).parent)) or "scorecard"
ERROR_LINE = re.compile(r"scorecard( \w+)?: error: \S")


def run_here(*args) -> tuple[int, str, str]:
    """``scorecard ARGS…`` in this process (fast enough for generated cases)."""
    out, err = io.StringIO(), io.StringIO()
    # pytest captures warnings itself; record them here, as a user's terminal would show them.
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            code = main([str(a) for a in args])
        except SystemExit as stop:  # argparse's usage errors
            code = stop.code
    shown = "".join(f"{w.filename}:{w.lineno}: {w.category.__name__}: {w.message}\n"
                    for w in caught)
    return code, out.getvalue(), shown + err.getvalue()


def assert_one_line_error(code: int, err: str, *, path=None, row=None, column=None) -> str:
    """The promise for bad input and unwritable output: exit 2, one line, no traceback,
    naming the file, row and column when given."""
    assert code == 2, err
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    line = lines[0]
    assert ERROR_LINE.match(line), line
    assert "np." not in line and "dtype" not in line, line  # no numpy reprs
    if path is not None:
        assert str(path) in line, line
    if row is not None:
        assert f"row {row}," in line or f"row {row}:" in line, line
    if column is not None:
        assert f"column {column!r}" in line, line
    return line


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in Path(folder).rglob("*")) if Path(folder).exists() else []


def fault_env() -> tuple[dict, str]:
    """An environment marked with a fresh token, to find every process a run started."""
    token = uuid.uuid4().hex
    env = dict(os.environ, SCORECARD_FAULT_TOKEN=token, PYTHONUNBUFFERED="1")
    return env, token


def processes_with(token: str) -> list[int]:
    """Live processes (not zombies) whose environment holds ``token`` (Linux /proc)."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/environ", "rb") as environ:
                if token.encode() not in environ.read():
                    continue
            with open(f"/proc/{name}/stat", "rb") as stat:
                if stat.read().rsplit(b")", 1)[1].split()[0] == b"Z":
                    continue
        except OSError:
            continue
        found.append(int(name))
    return found


def wait_for_no_processes(token: str, seconds: float = 6.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := processes_with(token)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def start(args, *, env: dict, cwd: Path | None = None) -> subprocess.Popen:
    return subprocess.Popen([SCORECARD, *map(str, args)], env=env, cwd=cwd,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL)
