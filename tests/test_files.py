"""write_atomic: whole files or none, text or bytes, with a normal file's permissions."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from autograd.files import write_atomic


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
