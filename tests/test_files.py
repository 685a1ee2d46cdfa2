"""write_atomic and read_regular: whole files or none, through symlinks, never over special files."""

from __future__ import annotations

import errno
import fcntl
import os
import re
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from autograd.files import FileTooLargeError, NotRegularFileError, read_regular, write_atomic


def test_text_is_written_as_utf8(tmp_path: Path) -> None:
    """Text lands as UTF-8, exactly, with no newline translation."""
    path = tmp_path / "a.txt"
    write_atomic(path, "∂L/∂w = 0.5\r\n")
    assert path.read_bytes() == "∂L/∂w = 0.5\r\n".encode()


def test_bytes_are_written_as_given(tmp_path: Path) -> None:
    """Bytes (a PNG, say) land unchanged, replacing what was there."""
    path = tmp_path / "a.png"
    path.write_bytes(b"old")
    write_atomic(path, b"\x89PNG\r\n\x1a\n")
    assert path.read_bytes() == b"\x89PNG\r\n\x1a\n"


def test_the_file_gets_the_umask_mode(tmp_path: Path) -> None:
    """The result is readable like any new file (0o644 under umask 022), not private as mkstemp makes it."""
    previous = os.umask(0o022)
    try:
        write_atomic(tmp_path / "a.svg", "<svg/>")
    finally:
        os.umask(previous)
    assert (tmp_path / "a.svg").stat().st_mode & 0o777 == 0o644


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    """Text that cannot be encoded raises before anything is replaced; no stray temporary file."""
    path = tmp_path / "a.txt"
    path.write_text("old")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(path, "\ud800")  # a lone surrogate has no UTF-8 form
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_a_missing_folder_is_an_os_error(tmp_path: Path) -> None:
    """A folder that does not exist: FileNotFoundError naming the path asked for; nothing created."""
    path = tmp_path / "no" / "a.txt"
    with pytest.raises(FileNotFoundError) as raised:
        write_atomic(path, "x")
    assert raised.value.filename == str(path)
    assert list(tmp_path.iterdir()) == []


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    """latest.json -> run42.json: the file pointed to gets the contents; the link stays a link."""
    (tmp_path / "run42.json").write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to("run42.json")
    write_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == "run42.json"
    assert (tmp_path / "run42.json").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.json", "run42.json"]


def test_a_chain_of_symlinks_and_a_dangling_one_reach_the_final_file(tmp_path: Path) -> None:
    """a -> b -> c writes c; a link to a file not yet there creates that file, as open() does."""
    (tmp_path / "c").write_text("old")
    (tmp_path / "b").symlink_to("c")
    (tmp_path / "a").symlink_to("b")
    write_atomic(tmp_path / "a", "new")
    assert (tmp_path / "c").read_text() == "new" and (tmp_path / "a").is_symlink()
    (tmp_path / "dangling").symlink_to("later.json")
    write_atomic(tmp_path / "dangling", "made")
    assert (tmp_path / "later.json").read_text() == "made" and (tmp_path / "dangling").is_symlink()


def test_a_symlink_loop_is_an_os_error_naming_the_path(tmp_path: Path) -> None:
    """A link that leads back to itself: an OSError (ELOOP) whose filename is the path asked for."""
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OSError) as raised:
        write_atomic(tmp_path / "a", "x")
    assert raised.value.errno == errno.ELOOP and raised.value.filename == str(tmp_path / "a")


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays


def _device(path: Path) -> None:
    try:  # a private copy of /dev/null, so a regression replaces nothing that matters
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")


@pytest.mark.parametrize(
    ("make", "kind"),
    [(_fifo, "a FIFO"), (_socket, "a socket"), (_device, "a character device")],
    ids=["fifo", "socket", "device"],
)
def test_special_files_are_refused_not_replaced(
    tmp_path: Path, make: Callable[[Path], None], kind: str
) -> None:
    """A FIFO, a socket or a device stays what it is: NotRegularFileError, an OSError naming the path."""
    path = tmp_path / "special"
    make(path)
    before = path.lstat()
    with pytest.raises(NotRegularFileError) as raised:
        write_atomic(path, "x")
    error = raised.value
    assert isinstance(error, OSError) and isinstance(error, ValueError)
    assert error.errno == errno.EINVAL and error.filename == str(path)
    assert f"{kind}" in str(error) and "not a regular file" in str(error)
    assert stat.S_IFMT(path.lstat().st_mode) == stat.S_IFMT(before.st_mode)
    assert path.lstat().st_ino == before.st_ino
    assert _temporaries(tmp_path) == []


def test_a_symlink_to_a_special_file_is_refused_too(tmp_path: Path) -> None:
    """A link to a FIFO names the link in the error; neither the link nor the FIFO changes."""
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "out.svg").symlink_to("pipe")
    with pytest.raises(NotRegularFileError) as raised:
        write_atomic(tmp_path / "out.svg", "x")
    assert raised.value.filename == str(tmp_path / "out.svg")
    assert stat.S_ISFIFO((tmp_path / "pipe").lstat().st_mode) and (tmp_path / "out.svg").is_symlink()


@pytest.mark.parametrize("name", ["repro", "repro/", "not-yet/"])
def test_a_directory_is_refused_naming_it(tmp_path: Path, name: str) -> None:
    """A folder, or a name ending in '/': IsADirectoryError naming the path asked for, nothing created."""
    (tmp_path / "repro").mkdir()
    path = f"{tmp_path}/{name}"
    with pytest.raises(IsADirectoryError) as raised:
        write_atomic(path, "x")
    assert raised.value.filename == path and ".tmp" not in str(raised.value)
    assert [p.name for p in tmp_path.iterdir()] == ["repro"]
    assert list((tmp_path / "repro").iterdir()) == []


def test_an_empty_path_is_refused_clearly() -> None:
    """'' is a FileNotFoundError saying the path is empty, not a rename error about the cwd."""
    with pytest.raises(FileNotFoundError, match="an empty path") as raised:
        write_atomic("", "x")
    assert raised.value.filename == ""


def test_an_existing_file_keeps_its_permission_bits(tmp_path: Path) -> None:
    """A 0600 file stays 0600; a 0664 file stays 0664 even under a umask (077) that would clear bits."""
    private, shared = tmp_path / "private.json", tmp_path / "shared.json"
    private.write_text("old")
    private.chmod(0o600)
    shared.write_text("old")
    shared.chmod(0o664)
    previous = os.umask(0o077)
    try:
        write_atomic(private, "new")
        write_atomic(shared, "new")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(shared.stat().st_mode) == 0o664
    assert private.read_text() == shared.read_text() == "new"


def test_the_umask_is_never_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No os.umask call at all (setting it to probe it races with other threads); the kernel applies it."""

    def refuse(mask: int) -> int:
        raise AssertionError("write_atomic called os.umask")

    previous = os.umask(0o027)
    try:
        monkeypatch.setattr(os, "umask", refuse)
        write_atomic(tmp_path / "a.svg", "<svg/>")
        monkeypatch.undo()
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "a.svg").stat().st_mode) == 0o640


def _fail(error: BaseException) -> Callable[..., None]:
    def fail(*args: object) -> None:
        raise error

    return fail


@pytest.mark.parametrize(
    ("function", "error"),
    [("fsync", OSError(errno.ENOSPC, "No space left on device")),
     ("replace", OSError(errno.EXDEV, "Invalid cross-device link")),
     ("fsync", KeyboardInterrupt())],
    ids=["fsync fails", "replace fails", "interrupted"],
)
def test_a_crash_midway_keeps_the_old_file_and_leaves_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, function: str, error: BaseException
) -> None:
    """A failing fsync or rename, or Ctrl-C: the old file whole, no temporary; OSErrors name the path."""
    path = tmp_path / "model.json"
    path.write_text("old")
    monkeypatch.setattr(os, function, _fail(error))
    with pytest.raises(type(error)) as raised:
        write_atomic(path, "new" * 1000)
    monkeypatch.undo()
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]
    if isinstance(error, OSError):
        assert isinstance(raised.value, OSError)
        assert raised.value.errno == error.errno and raised.value.filename == str(path)


def _dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def _temporary_name(target: str, pid: int) -> str:
    return f".{target}.{pid}.0123abcd.tmp"


_KILLED_MIDWAY = """
import os, signal, sys
from autograd.files import write_atomic
os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)  # die after fsync, before the rename
write_atomic(sys.argv[1], "new")
"""


def test_a_writer_killed_midway_leaves_a_temporary_the_next_write_removes(tmp_path: Path) -> None:
    """kill -9 between writing and renaming leaves the old file and a temporary; the next write cleans it."""
    path = tmp_path / "model.json"
    path.write_text("old")
    root = Path(__file__).resolve().parent.parent
    killed = subprocess.Popen([sys.executable, "-c", _KILLED_MIDWAY, str(path)], cwd=root)
    assert killed.wait() == -signal.SIGKILL
    assert path.read_text() == "old"
    assert [name.split(".")[-3] for name in _temporaries(tmp_path)] == [str(killed.pid)]
    write_atomic(path, "newer")
    assert path.read_text() == "newer"
    assert _temporaries(tmp_path) == []


def test_temporaries_of_live_writers_are_kept(tmp_path: Path) -> None:
    """Only a dead writer's temporary goes: a live process's, our own and a locked one stay."""
    path = tmp_path / "model.json"
    alive = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        dead = _dead_pid()
        names = {
            "alive": _temporary_name("model.json", alive.pid),
            "ours": _temporary_name("model.json", os.getpid()),
            "dead": _temporary_name("model.json", dead),
            "locked": _temporary_name("model.json", dead).replace("0123abcd", "89abcdef"),
            "other file's": _temporary_name("other.json", dead),
        }
        for name in names.values():
            (tmp_path / name).write_text("partial")
        # A writer in another PID namespace: its pid means nothing here, but it holds the lock.
        with open(tmp_path / names["locked"], "rb") as held:
            fcntl.flock(held.fileno(), fcntl.LOCK_EX)
            write_atomic(path, "new")
    finally:
        assert alive.stdin is not None
        alive.stdin.close()
        alive.wait()
    assert path.read_text() == "new"
    left = set(_temporaries(tmp_path))
    assert left == {names[kind] for kind in ("alive", "ours", "locked", "other file's")}


def test_the_temporary_is_named_with_the_writers_pid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The temporary beside the (resolved) target is .<name>.<pid>.<random>.tmp, so it can be told stale."""
    seen: list[str] = []
    replace = os.replace

    def spy(source: str, target: str) -> None:
        seen.append(source)
        replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    (tmp_path / "real").mkdir()
    (tmp_path / "link.json").symlink_to(tmp_path / "real" / "model.json")
    write_atomic(tmp_path / "link.json", "x")
    (temporary,) = seen
    assert Path(temporary).parent == (tmp_path / "real").resolve()
    assert re.fullmatch(rf"\.model\.json\.{os.getpid()}\.[0-9a-f]{{8}}\.tmp", Path(temporary).name)


def test_read_regular_reads_a_file_up_to_a_bound(tmp_path: Path) -> None:
    """The whole file when it fits; FileTooLargeError (a ValueError) naming it when it does not."""
    path = tmp_path / "a.json"
    path.write_bytes(b"x" * 10)
    assert read_regular(path, 10) == b"x" * 10
    with pytest.raises(FileTooLargeError, match=r"^load '.*a\.json': larger than 9 bytes"):
        read_regular(path, 9, "load")


def test_read_regular_refuses_fifos_without_blocking_and_directories(tmp_path: Path) -> None:
    """A FIFO (no writer: opening it would block) is refused before it is opened; a folder too."""
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(NotRegularFileError, match=r"a FIFO .*: load reads only regular files") as raised:
        read_regular(tmp_path / "pipe", 100, "load")
    assert raised.value.filename == str(tmp_path / "pipe")
    with pytest.raises(IsADirectoryError):
        read_regular(tmp_path, 100)
