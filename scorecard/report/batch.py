"""Build many scorecards at once: worker processes, a progress bar, one LA's failure isolated.

Each worker builds its own :class:`National` once (all-LA indices and measures) and then
renders LA after LA. A failure in one LA is caught, reported in one line and the rest go on;
every folder is written whole through a staged folder, so reruns overwrite atomically.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import as_completed
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, OutputError
from ..processes import worker_pool
from ..progress import progress_bar
from .context import National
from .pdf import PdfProcess
from .publication import Publication
from .render import write_scorecard


@dataclass
class BuildResult:
    """What a batch build did: folders written per LA code, and one-line reasons for failures."""

    built: dict[str, Path] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


def _reason(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if isinstance(error, InputError) else f"{type(error).__name__}: {text}"


# An LA that fails because the output cannot be written stops the batch: every other LA
# would fail the same way, and the command reports it as an output error (exit code 2).
OUTPUT_FAILED = "output"


# One National per worker process, made by the initializer and reused for every LA it builds.
_worker_national: National | None = None


def _start_worker(year: int, indicator_tables: tuple, unit_counts,
                  schools_file: Path | None = None) -> None:
    global _worker_national
    _worker_national = National(year, unit_counts=unit_counts,
                                indicator_tables=indicator_tables, schools_file=schools_file)


def _build_one(la_code: str, out: Path, formats: tuple[str, ...],
               pdf_process: PdfProcess | None = None,
               publication: Publication | None = None) -> tuple[str, str, str]:
    """Build one LA in a worker; never raises, so one failure cannot stop the pool."""
    try:
        folder = write_scorecard(_worker_national, la_code, out, formats=formats,
                                 pdf_process=pdf_process, publication=publication)
        return la_code, "ok", str(folder)
    except OSError as error:
        return la_code, OUTPUT_FAILED, str(OutputError.from_os_error(error))
    except OutputError as error:
        return la_code, OUTPUT_FAILED, str(error)
    except Exception as error:  # noqa: BLE001 - reported per LA, the batch goes on
        return la_code, "failed", _reason(error)


def _run_here(la_codes: Sequence[str], out: Path, formats: tuple[str, ...], cpus: int,
              initargs: tuple, publication: Publication | None
              ) -> Iterable[tuple[str, str, str]]:
    """In this process; with a second CPU free, PDFs are laid out in a side process."""
    with ExitStack() as stack:
        pdf_process = (stack.enter_context(PdfProcess())
                       if "pdf" in formats and cpus > 1 else None)
        _start_worker(*initargs)
        for code in la_codes:
            yield _build_one(code, out, formats, pdf_process, publication)


def _run(la_codes: Sequence[str], out: Path, formats: tuple[str, ...], cpus: int,
         initargs: tuple, publication: Publication | None = None
         ) -> Iterable[tuple[str, str, str]]:
    workers = min(cpus, len(la_codes))
    if workers <= 1:
        yield from _run_here(la_codes, out, formats, cpus, initargs, publication)
        return
    # forkserver/spawn: workers start clean (no inherited threads from pyarrow or BLAS).
    with worker_pool(workers, initializer=_start_worker, initargs=initargs) as pool:
        futures = [pool.submit(_build_one, code, out, formats, None, publication)
                   for code in la_codes]
        for future in as_completed(futures):
            yield future.result()


def build_many(la_codes: Sequence[str], *, year: int, out: Path,
               formats: tuple[str, ...] = ("html",), jobs: int = 1, quiet: bool = False,
               indicator_tables: tuple = (), unit_counts=None,
               on_done: Callable[[str, str, str], None] | None = None,
               publication: Publication | None = None,
               schools_file: Path | None = None) -> BuildResult:
    """Build the scorecards of ``la_codes`` into ``out``; a failed LA is recorded, not raised.

    ``jobs`` is the number of CPUs to use: that many worker processes, or for a single LA
    (or ``jobs`` above the LAs' number) a second process for the PDF.
    ``on_done(code, status, detail)`` is called as each LA finishes (for logs or tests).
    ``publication``: the publisher's name, logo and commentary for every page built.

    An output location that cannot be written (full disk, read-only) raises OutputError
    at the first LA that meets it; the LAs not yet built are not tried.
    """
    started = time.perf_counter()
    result = BuildResult()
    cpus = max(1, min(jobs, os.cpu_count() or 1))
    with progress_bar(len(la_codes), "Building scorecards", enabled=not quiet) as step:
        for code, status, detail in _run(la_codes, Path(out), formats, cpus,
                                         (year, tuple(indicator_tables), unit_counts,
                                          schools_file),
                                         publication):
            if status == OUTPUT_FAILED:
                raise OutputError(None, detail)
            if status == "ok":
                result.built[code] = Path(detail)
            else:
                result.failed[code] = detail
            step()
            if on_done is not None:
                on_done(code, status, detail)
    result.seconds = time.perf_counter() - started
    return result
