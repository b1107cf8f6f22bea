"""Run the Python examples of the documentation pages as doctests.

The examples of a page are its fenced ``pycon`` blocks (``>>>`` prompts with their output),
run in order with shared names, as one doctest. The tests run every page's examples
(tests/test_docs.py); run this by hand to see them pass, or to remake the files a page
writes (the tutorial's map) in a folder:

    python scripts/docs_examples.py docs/tutorial.md --cwd docs/img
"""

from __future__ import annotations

import argparse
import doctest
import os
import re
import sys
from contextlib import chdir
from pathlib import Path

FENCE = re.compile(r"^```pycon[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def examples(page: Path) -> str:
    """The page's pycon blocks as one doctest text, every other line blanked, so that a
    failure's line number is the page's (and a blank line ends each block's output)."""
    text = page.read_text()
    kept = [""] * (text.count("\n") + 1)
    for match in FENCE.finditer(text):
        first = text.count("\n", 0, match.start(1))
        for offset, line in enumerate(match.group(1).splitlines()):
            kept[first + offset] = line
    return "\n".join(kept) + "\n"


def run(page: Path, cwd: Path | None = None, verbose: bool = False) -> doctest.TestResults:
    """Run the page's examples (in ``cwd`` if given); returns failed and attempted counts."""
    text = examples(page)
    test = doctest.DocTestParser().get_doctest(text, {"__name__": page.stem}, page.name,
                                               str(page), 0)
    runner = doctest.DocTestRunner(optionflags=FLAGS, verbose=verbose)
    with chdir(cwd or Path.cwd()):
        runner.run(test)
    return runner.summarize(verbose=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--cwd", type=Path, help="folder to run in (files are written there)")
    args = parser.parse_args(argv)
    failed = 0
    for page in args.pages:
        result = run(page.resolve(), args.cwd.resolve() if args.cwd else None)
        print(f"{page}: {result.attempted} examples, {result.failed} failed")
        failed += result.failed
    return 1 if failed else 0


if __name__ == "__main__":
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.exit(main())
