"""Child processes that never outlive the command: worker pools and signal handling.

Every pool of worker processes (batch builds, the PDF process, simulations) starts its
workers through :func:`new_pool`, whose workers watch their parent and exit when it is
gone (``kill -9`` included: Linux's parent-death signal, and a watcher thread elsewhere);
:func:`worker_pool` kills them at once when the command stops on an error or a signal,
instead of waiting for their current task. :func:`signals_as_exit` turns SIGTERM and SIGHUP
into ``SystemExit`` in the command, so that staging folders are cleared on the way out.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 0.5


def default_method() -> str:
    """forkserver on Linux (workers start clean: no inherited threads from pyarrow or BLAS),
    spawn elsewhere."""
    return "forkserver" if sys.platform.startswith("linux") else "spawn"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a killed parent not yet reaped is a zombie: gone for our purpose
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


def die_with_parent(parent_pid: int) -> None:
    """End this process when ``parent_pid`` (the command) or its direct parent is gone."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    first_parent = os.getppid()

    def watch() -> None:
        while True:
            if os.getppid() != first_parent or not _alive(parent_pid):
                os._exit(1)
            time.sleep(WATCH_SECONDS)

    threading.Thread(target=watch, name="scorecard-parent-watch", daemon=True).start()


def _start_worker(parent_pid: int, initializer: Callable | None, initargs: tuple) -> None:
    die_with_parent(parent_pid)
    if initializer is not None:
        initializer(*initargs)


def new_pool(workers: int, *, method: str | None = None, initializer: Callable | None = None,
             initargs: tuple = ()) -> ProcessPoolExecutor:
    """A process pool whose workers exit when this process is gone."""
    return ProcessPoolExecutor(max_workers=workers,
                               mp_context=get_context(method or default_method()),
                               initializer=_start_worker,
                               initargs=(os.getpid(), initializer, initargs))


def stop_pool(pool: ProcessPoolExecutor, *, kill: bool) -> None:
    """Shut a pool down; with ``kill``, end its workers now rather than after their task."""
    if not kill:
        pool.shutdown(wait=True)
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:  # first, so that no pipe is closed under a live worker
        with contextlib.suppress(Exception):
            process.kill()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)
    # Waiting joins the pool's manager thread, which sees its workers gone and closes its
    # wake-up pipe itself. Left running, it can close that pipe while the interpreter's exit
    # hook writes to it (Python 3.11 takes no lock there): "Bad file descriptor" on stderr.
    pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def worker_pool(workers: int, **options) -> Iterator[ProcessPoolExecutor]:
    """:func:`new_pool` as a context: waits for the work on success, kills it otherwise."""
    pool = new_pool(workers, **options)
    try:
        yield pool
    except BaseException:
        stop_pool(pool, kill=True)
        raise
    stop_pool(pool, kill=False)


def _exit_on_signal(number: int, frame) -> None:
    raise SystemExit(128 + number)


@contextmanager
def signals_as_exit() -> Iterator[None]:
    """SIGTERM and SIGHUP raise SystemExit (code 128 + signal) while the command runs, so
    that ``finally`` blocks and staged folders clean up; the old handlers come back after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    numbers = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {n: signal.signal(n, _exit_on_signal) for n in numbers}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
