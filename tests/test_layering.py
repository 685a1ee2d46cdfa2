"""The engine's core stands alone: value, ops, backward and grad_mode import no view or checker
when the module loads, so the core reads (and runs) without the drawing, stepping or checking code."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import autograd

CORE = {"autograd.value", "autograd.ops", "autograd.backward", "autograd.grad_mode"}
SOURCE = Path(autograd.__file__).parent


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _load_time_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """The modules a file imports as it loads: top-level statements, into if/try/with blocks, but
    not function or class bodies (those run later) nor ``if TYPE_CHECKING:`` (never at run time)."""
    found: list[tuple[int, str]] = []
    statements: list[ast.stmt] = list(tree.body)
    while statements:
        node = statements.pop()
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.If) and not _is_type_checking(node):
            statements += node.body + node.orelse
        elif isinstance(node, ast.Try):
            statements += node.body + node.orelse + node.finalbody
            statements += [line for handler in node.handlers for line in handler.body]
        elif isinstance(node, ast.With):
            statements += node.body
    return found


@pytest.mark.parametrize("module", sorted(CORE))
def test_a_core_module_imports_only_the_core_at_load_time(module: str) -> None:
    """Parsed, the file's load-time imports of autograd are all core modules."""
    path = SOURCE / f"{module.removeprefix('autograd.')}.py"
    imports = _load_time_imports(ast.parse(path.read_text(encoding="utf-8")))
    outside = [f"line {n}: {name}" for n, name in imports if name.startswith("autograd") and name not in CORE]
    assert outside == [], f"{path.name} imports a view or checker as it loads: {outside}"


def test_the_parser_sees_what_counts() -> None:
    """A nested load-time import counts; one in a function or under TYPE_CHECKING does not."""
    tree = ast.parse(
        "import os\n"
        "try:\n    from autograd.drawing import draw\nexcept ImportError:\n    import autograd.replay\n"
        "if TYPE_CHECKING:\n    from autograd.stepping import Step\n"
        "def f():\n    from autograd.explain import explain\n"
    )
    found = sorted(name for _, name in _load_time_imports(tree))
    assert found == ["autograd.drawing", "autograd.replay", "os"]


def test_loading_the_core_loads_nothing_else() -> None:
    """In a fresh interpreter, importing the core modules brings in no other module of autograd."""
    script = (
        "import sys, importlib\n"
        f"for name in {sorted(CORE)!r}: importlib.import_module(name)\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('autograd.'))))\n"
    )
    # Importing autograd.value runs autograd/__init__.py first, which loads the whole public API;
    # this child therefore loads the core files by path, as submodules of a bare package.
    script = (
        "import importlib.util, sys, types\n"
        f"package = types.ModuleType('autograd'); package.__path__ = [{str(SOURCE)!r}]\n"
        "sys.modules['autograd'] = package\n" + script
    )
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert set(loaded.stdout.split()) == CORE
