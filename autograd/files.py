"""Writing files whole or not at all, so an interrupted save never leaves half a file; reading
files with a bound, so a FIFO or ``/dev/zero`` named by mistake cannot hang or exhaust memory.

``write_atomic`` writes a temporary file beside the target and renames it over the target.
The temporary file is named ``.<name>.<pid>.<random>.tmp``, and its writer holds an ``flock``
on it until it is renamed: a process killed midway (``kill -9``) leaves one behind, and the
next write to the same name removes it once both tell it is stale, its pid gone and its lock
free (the pid alone can mislead across PID namespaces; the lock alone is briefly free between
creating the file and locking it).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import sys

if sys.platform != "win32":
    import fcntl

__all__ = ["NotRegularFileError", "FileTooLargeError", "write_atomic", "read_regular", "check_suffix"]


class NotRegularFileError(OSError, ValueError):
    """A path names a FIFO, a device or a socket where a regular file is needed.

    An ``OSError`` (errno ``EINVAL``, ``filename`` the path asked for) so that callers catching
    OSError for unwritable paths catch it, and a ``ValueError``, like ``io.UnsupportedOperation``,
    for callers treating a bad file as a bad value. Directories raise ``IsADirectoryError``.
    """


class FileTooLargeError(ValueError):
    """A file holds more bytes than ``read_regular`` was allowed to read."""


def check_suffix(path: str | os.PathLike[str], suffixes: tuple[str, ...], who: str) -> None:
    """Refuse a file name that does not end in one of ``suffixes`` (any letter case), so that
    SVG text never lands in a file called ``.png``.

    >>> check_suffix("graph.PNG", (".png",), "to_png")
    >>> check_suffix("graph.png", (".svg",), "to_svg")
    Traceback (most recent call last):
    ...
    ValueError: to_svg 'graph.png': the file name must end in .svg
    """
    shown = os.fspath(path)
    if os.path.splitext(shown)[1].lower() not in suffixes:
        raise ValueError(f"{who} {shown!r}: the file name must end in {' or '.join(suffixes)}")


def write_atomic(path: str | os.PathLike[str], contents: str | bytes) -> None:
    """Write ``contents`` (text as UTF-8, or bytes) to ``path`` through a temporary file beside it.

    ``os.replace`` swaps the finished, fsynced file in with one rename, so a reader sees either
    the old contents or the new, never a mix; on any error the temporary file is removed and
    the target is untouched. A symlink is written through to its final target, so it stays a
    link; an existing file keeps its permission bits, a new one gets ``0o666`` less the umask.
    FIFOs, devices, sockets and directories are refused, not replaced. Every OSError raised
    names ``path`` as given (its ``filename``), never the temporary or the resolved file.
    """
    data = contents.encode("utf-8") if isinstance(contents, str) else contents  # fails before any I/O
    shown = os.fspath(path)
    target, existing = _final_target(shown)
    folder, name = os.path.split(target)
    _remove_stale_temporaries(folder, name)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    # An existing file's mode from the start, so its contents are never readable by more people
    # than could read the old file; a new file's mode from the kernel's umask (no umask probe).
    mode = 0o666 if existing is None else stat.S_IMODE(existing.st_mode)
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except OSError as error:
        raise _naming(error, shown) from None
    try:
        with open(descriptor, "wb") as file:
            _lock(descriptor)
            file.write(data)
            file.flush()
            if existing is not None:
                os.fchmod(descriptor, mode)  # the umask may have cleared bits the old file had
            os.fsync(descriptor)
        os.replace(temporary, target)
    except OSError as error:
        _discard(temporary)
        raise _naming(error, shown) from None
    except BaseException:
        _discard(temporary)
        raise


def read_regular(path: str | os.PathLike[str], max_bytes: int, who: str = "read_regular") -> bytes:
    """The contents of the regular file at ``path``, refusing anything else or anything longer.

    A FIFO, device or socket is a ``NotRegularFileError``, a directory ``IsADirectoryError``
    (both before reading a byte, so a FIFO cannot block), and a file of more than ``max_bytes``
    bytes a ``FileTooLargeError``; ``who`` names the operation in their messages.
    """
    shown = os.fspath(path)
    _check_regular(shown, os.stat(shown), who, "reads")  # before opening: opening a device can act
    # O_NONBLOCK: had the path become a FIFO since the stat, opening it would wait for a writer.
    descriptor = os.open(shown, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(descriptor, "rb") as file:
        _check_regular(shown, os.fstat(descriptor), who, "reads")
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileTooLargeError(f"{who} {shown!r}: larger than {max_bytes} bytes")
    return data


def _final_target(shown: str) -> tuple[str, os.stat_result | None]:
    """The file that writing ``shown`` replaces, symlinks followed, and its status if it exists."""
    if not shown:
        raise FileNotFoundError(errno.ENOENT, "an empty path: write_atomic needs a file name", shown)
    if shown.endswith(("/", os.sep)):  # as open() does for "out/": a folder was meant
        raise IsADirectoryError(errno.EISDIR, "a directory name: write_atomic needs a file name", shown)
    target = os.path.realpath(shown)
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        return target, None
    except OSError as error:  # a symlink loop, a path through a file, no permission
        raise _naming(error, shown) from None
    _check_regular(shown, existing, "write_atomic", "replaces")
    return target, existing


def _check_regular(shown: str, status: os.stat_result, who: str, verb: str) -> None:
    if stat.S_ISREG(status.st_mode):
        return
    kind = _KINDS.get(stat.S_IFMT(status.st_mode), "a special file")
    message = f"{kind}, not a regular file: {who} {verb} only regular files"
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, message, shown)
    raise NotRegularFileError(errno.EINVAL, message, shown)


_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
}


def _naming(error: OSError, shown: str) -> OSError:
    """``error`` again, naming the path the caller asked for, not a temporary or resolved one."""
    if error.errno is None:
        return error
    return type(error)(error.errno, error.strerror, shown)


def _discard(temporary: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temporary)


def _lock(descriptor: int) -> None:
    """Mark a temporary file as in use until its descriptor is closed (or its process dies)."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):  # a filesystem without locks: the pid still guards the file
        fcntl.flock(descriptor, fcntl.LOCK_EX)


def _remove_stale_temporaries(folder: str, name: str) -> None:
    """Remove temporary files that writes to ``name`` left behind when their process died."""
    if sys.platform == "win32":
        return  # os.kill(pid, 0) would terminate the process there, not probe it
    pattern = re.compile(re.escape(f".{name}.") + r"([1-9][0-9]{0,8})\.[0-9a-f]{8}\.tmp")
    try:
        entries = os.listdir(folder)
    except OSError:  # an unreadable or missing folder: the write itself will say what is wrong
        return
    for entry in entries:
        match = pattern.fullmatch(entry)
        # Our own pid: another thread of this process may be writing it.
        if match and int(match[1]) != os.getpid() and not _running(int(match[1])):
            _remove_if_unlocked(os.path.join(folder, entry))


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # running, as another user
        return True
    return True


def _remove_if_unlocked(path: str) -> None:
    """Unlink ``path`` if it is a regular file nobody holds a lock on: its writer is gone."""
    try:
        # A symlink or a FIFO planted under such a name is neither followed nor waited on.
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return
    try:
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.unlink(path)
    except OSError:  # locked by a live writer (in another PID namespace), or already removed
        pass
    finally:
        os.close(descriptor)
