"""How demos show results: tables on screen, pictures and pages in ``out/``, each one recorded.

A demo that writes a file says so with :func:`record` (or :func:`save_figure`, which records
for it); ``python -m demos`` ends by listing every file recorded, with what to open it in and
what it shows.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograd.files import write_atomic

__all__ = ["Written", "paragraph", "print_losses", "out_path", "record", "written", "print_written", "pyplot",
           "save_figure"]


@dataclass(frozen=True)
class Written:
    """One file a demo wrote, and what a reader sees in it."""

    path: Path
    shows: str  # "the backward pass one step per frame"

    @property
    def how_to_open(self) -> str:
        """What to open the file in: a browser for SVG and HTML, an image viewer for PNG."""
        return "open in an image viewer" if self.path.suffix == ".png" else "open in a browser"


_WRITTEN: dict[Path, Written] = {}  # in the order first written; a file written again keeps its place


def paragraph(text: str, width: int = 96) -> None:
    """Print ``text`` as one paragraph, filled to ``width`` columns (a conclusion, a remark)."""
    print(textwrap.fill(text, width=width, break_long_words=False, break_on_hyphens=False))


def print_losses(losses: list[float], rows: int) -> None:
    """About ``rows`` evenly spaced epochs of a training run (the first is epoch 1), and always the last.

    ``losses[k]`` is epoch k + 1's loss, as ``nn.fit`` numbers them; losses show 4 significant
    digits, so that a loss of 3e-09 reads as that and not as 0.000000.
    """
    width = len(str(len(losses)))
    for index in [*range(0, len(losses) - 1, max(1, len(losses) // rows)), len(losses) - 1]:
        print(f"  epoch {index + 1:>{width}}  loss {losses[index]:>9.4g}")


def out_path(name: str) -> Path:
    """``out/name``, creating ``out/`` if needed."""
    folder = Path("out")
    folder.mkdir(exist_ok=True)
    return folder / name


def record(path: Path, shows: str) -> Path:
    """Note that a demo wrote ``path``, which shows ``shows``, and say so on one line."""
    entry = Written(path, shows)
    _WRITTEN[path] = entry
    print(f"Wrote {path} ({entry.how_to_open}: {shows})")
    return path


def written() -> list[Written]:
    """Every file recorded so far in this process, in the order first written."""
    return list(_WRITTEN.values())


def print_written() -> None:
    """One line per recorded file: its path, then what to open it in and what it shows."""
    entries = written()
    if not entries:
        print("No pictures or pages were written.")
        return
    width = max(len(str(entry.path)) for entry in entries)
    print("Pictures and pages written:")
    for entry in entries:
        print(f"  {entry.path!s:<{width}}  {entry.how_to_open}: {entry.shows}")


def pyplot() -> Any | None:
    """matplotlib's pyplot drawing to files (no window), or None with a note when it is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(matplotlib is not installed: no picture; pip install 'glassgrad[demo]')")
        return None
    return plt


def save_figure(figure: Any, name: str, shows: str) -> Path:
    """Save a matplotlib figure as ``out/name`` (PNG) in one piece, close it, and record it."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    path = out_path(name)
    write_atomic(path, buffer.getvalue())
    return record(path, shows)
