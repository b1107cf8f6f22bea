"""What the browser tests share: the Chromium binary to drive, or a skip that says why."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest


def chromium_or_skip() -> str:
    """The Chromium binary ($SCORECARD_CHROMIUM, then the PATH, then Debian's), or skip the
    calling test module saying how to get one."""
    for candidate in (os.environ.get("SCORECARD_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.skip("no chromium binary (apt-get install chromium, or set SCORECARD_CHROMIUM)",
                allow_module_level=True)
