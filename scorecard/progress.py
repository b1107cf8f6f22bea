"""One progress bar for every long command: rich on a terminal, silent otherwise."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress_bar(total: int, description: str, *, enabled: bool = True
                 ) -> Iterator[Callable[..., None]]:
    """Yield ``step(text=None)``, which advances the bar by one (and renames the step when
    ``text`` is given). Nothing is drawn when disabled (--quiet) or stderr is not a TTY."""
    if not (enabled and sys.stderr.isatty()):
        yield lambda text=None: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True)) as progress:
        task = progress.add_task(description, total=total)

        def step(text: str | None = None) -> None:
            progress.update(task, advance=1, **({"description": text} if text else {}))

        yield step
