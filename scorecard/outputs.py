"""Where output goes: checked before any work, written whole or not at all, safe to race.

Every folder is written into a hidden staging folder beside its target and published by
:func:`publish_folder`: an atomic exchange (Linux ``renameat2(RENAME_EXCHANGE)``) or, where
that is missing, two renames; either way under an ``flock`` of the parent folder, so that
processes finishing the same target at the same moment take turns and each leaves a whole
folder. A staging folder (or file) is locked by the process writing it; one whose lock can
be taken belongs to a process that died (``kill -9``, power cut) and is removed by the next
run that writes beside it. Files are written to a temporary name and renamed into place.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError

try:  # POSIX; without it (Windows) stale staging folders are only cleared by age
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

PARTIAL = ".partial"  # every staging folder and temporary file ends so
# Names of staging folders left by versions before the locks (".<name>.<8 chars>" from
# mkdtemp, ".<name>.old.<pid>"), cleared for the target being written.
LEGACY = r"\.{name}\.(?:[a-z0-9_]{{8}}|old\.\d+)"
STALE_AGE_WITHOUT_LOCKS = 24 * 3600  # seconds, where flock does not exist


# --------------------------------------------------------------------------- locks


def _lock(fd: int, *, block: bool) -> bool:
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if block else fcntl.LOCK_NB))
        return True
    except BlockingIOError:
        return False


def _open_for_lock(path: Path) -> int:
    return os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if path.is_dir()
                   else os.O_RDONLY)


# Staging folders this process holds (device, inode): a folder published inside one of them
# needs no lock of its own (nobody else writes there), and taking one would wait on itself.
_HELD: set[tuple[int, int]] = set()


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on ``folder`` itself (flock on its descriptor: no lock file)."""
    if _identity(Path(folder)) in _HELD:
        yield
        return
    fd = _open_for_lock(Path(folder))
    try:
        _lock(fd, block=True)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _claim(path: Path) -> int | None:
    """Open and lock ``path`` for this process; None when another process holds it."""
    try:
        fd = _open_for_lock(path)
    except OSError:
        return None
    if _lock(fd, block=False):
        return fd
    os.close(fd)
    return None


# --------------------------------------------------------------------------- stale staging


def clear_stale(folder: Path, name: str | None = None) -> list[Path]:
    """Remove staging folders and temporary files in ``folder`` that no live process holds
    (left by a killed run); with ``name``, also the legacy staging folders of that target.
    Returns what was removed."""
    folder = Path(folder)
    legacy = re.compile(LEGACY.format(name=re.escape(name))) if name else None
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith("."):
            continue
        if not (entry.name.endswith(PARTIAL) or (legacy and legacy.fullmatch(entry.name))):
            continue
        path = Path(entry.path)
        if fcntl is None:
            with contextlib.suppress(OSError):
                if time.time() - entry.stat().st_mtime < STALE_AGE_WITHOUT_LOCKS:
                    continue
            fd = None
        else:
            fd = _claim(path)
            if fd is None:
                continue  # a live process is writing it
        try:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
        finally:
            if fd is not None:
                os.close(fd)
    return removed


def _new_staging(target: Path) -> tuple[Path, int | None]:
    """A fresh hidden folder beside ``target``, locked by this process."""
    for _ in range(10):
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=PARTIAL,
                                        dir=target.parent))
        fd = _claim(staging)
        # A cleaner may have taken it between mkdtemp and the lock (it was not locked yet).
        if fd is not None and _same_file(fd, staging):
            return staging, fd
        if fd is not None:
            os.close(fd)
    raise OutputError(str(target.parent), "cannot make a staging folder here")


def _same_file(fd: int, path: Path) -> bool:
    try:
        mine, there = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (mine.st_dev, mine.st_ino) == (there.st_dev, there.st_ino)


# --------------------------------------------------------------------------- publishing


RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                         ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one step (Linux); False where the system cannot."""
    function = _renameat2()
    if function is None:
        return False
    if function(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOENT):
        return False
    raise OSError(code, os.strerror(code), str(b))


def publish_folder(staging: Path, target: Path) -> None:
    """Put ``staging`` at ``target``, replacing any folder there whole. Concurrent publishers
    of one target take turns (a lock on the parent folder); readers never see a mix."""
    staging, target = Path(staging), Path(target)
    old = None
    with folder_lock(target.parent):
        if target.exists() and exchange(staging, target):
            old = staging  # now holds the previous folder
        else:
            if target.exists():
                old = target.with_name(f".{target.name}.{os.getpid()}.old{PARTIAL}")
                shutil.rmtree(old, ignore_errors=True)
                target.rename(old)
            try:
                staging.rename(target)
            except OSError:
                if old is not None:
                    old.rename(target)
                raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _link_tree(source: Path, destination: Path) -> None:
    """Copy a tree as hard links (instant, no space); plain copies where links fail."""

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, destination, symlinks=True, copy_function=link,
                    dirs_exist_ok=True, ignore=shutil.ignore_patterns(f".*{PARTIAL}"))


@contextmanager
def staged_folder(target: Path, *, keep_contents: bool = False) -> Iterator[Path]:
    """Write a folder's files into a hidden staging folder beside it, then publish it whole.

    On any error the staging folder is removed and ``target`` is left as it was; a full disk
    is reported as such (some writers fail with their own words when the disk fills).
    ``keep_contents`` starts the staging folder as a copy of ``target`` (hard links): for an
    update in place that must still appear all at once. Files in it must be replaced
    (written anew, renamed), never rewritten in place: the links share the old files.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    clear_stale(target.parent, target.name)
    staging, fd = _new_staging(target)
    held = _identity(staging)
    _HELD.add(held)
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; a report folder is for sharing
        if keep_contents and target.is_dir():
            _link_tree(target, staging)
        try:
            yield staging
        except OSError as error:  # named by the target, not the hidden staging folder
            raise _as_output_error(error, staging, target) from error
        except (OutputError, KeyboardInterrupt, SystemExit, GeneratorExit):
            raise
        except Exception as error:
            if disk_full(staging):
                raise OutputError(str(target), CAUSES_FULL) from error
            raise
        publish_folder(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        _HELD.discard(held)
        if fd is not None:
            os.close(fd)


def _as_output_error(error: OSError, staging: Path, target: Path) -> OutputError:
    if error.filename is None:
        return OutputError.from_os_error(error, str(target))
    shown = str(error.filename).replace(str(staging), str(target))
    return OutputError(shown, OutputError.from_os_error(error).cause)


CAUSES_FULL = "no space left on the device"
FULL_BELOW = 64 * 1024  # bytes: a write that failed with less free than this ran out of room


def disk_full(path: Path) -> bool:
    try:
        stats = os.statvfs(path)
    except (OSError, AttributeError):
        return False
    return stats.f_bavail * stats.f_frsize < FULL_BELOW


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write a file through a temporary file in the same folder and rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=PARTIAL,
                                         dir=path.parent)
    try:
        _lock(handle, block=False)  # marks it live for clear_stale
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            os.chmod(temporary, 0o644)
            os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- checks


def _nearest_existing(path: Path) -> Path:
    path = Path(os.path.abspath(path))
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _probe(folder: Path, shown: Path) -> None:
    """Create and remove a temporary file in ``folder``: the only test of writability that
    a read-only mount, an ACL and root's rights all answer truthfully."""
    try:
        handle, name = tempfile.mkstemp(prefix=".scorecard-probe.", suffix=PARTIAL,
                                        dir=folder)
    except OSError as error:  # name the user's path, not the probe's
        raise OutputError(str(shown), OutputError.from_os_error(error).cause) from None
    os.close(handle)
    os.unlink(name)


def check_output(path: Path, *, kind: str = "folder", need: int = 0) -> None:
    """Fail before any work when ``path`` cannot take the output: a file where a folder is
    needed (or the reverse), a folder that cannot be written or made, or a disk with less
    than ``need`` bytes free. ``kind`` is "folder" or "file". Writes nothing."""
    path = Path(path)
    if path.exists():
        if kind == "folder" and not path.is_dir():
            raise OutputError(str(path), "is a file; the output needs a folder")
        if kind == "file" and path.is_dir():
            raise OutputError(str(path), "is a folder; the output needs a file name")
    existing = _nearest_existing(path if kind == "folder" else path.parent)
    if not existing.is_dir():
        raise OutputError(str(path), f"{existing} is a file, not a folder")
    _probe(existing, path)
    if need:
        try:
            stats = os.statvfs(existing)
        except (OSError, AttributeError):
            return
        free = stats.f_bavail * stats.f_frsize
        if free < need:
            raise OutputError(str(path), f"{CAUSES_FULL} ({_size(free)} free, about "
                              f"{_size(need)} needed)")


def _size(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 1e5 else f"{n / 1e3:,.0f} kB"
