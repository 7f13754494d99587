"""The layering rules of the brief, checked on the source: ui -> core -> httpx, never back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "b24desk"
QT_MODULES = ("PySide6", "qasync", "shiboken6")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def sources(subpackage: str) -> list[Path]:
    return sorted((PACKAGE / subpackage).rglob("*.py"))


@pytest.mark.parametrize("subpackage", ["core", "sandbox"])
def test_qt_free_layers_never_import_qt_or_ui(subpackage: str) -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            m for m in imported_modules(path) if m.startswith((*QT_MODULES, "b24desk.ui"))
        )
        for path in sources(subpackage)
    }
    assert sources(subpackage), f"b24desk/{subpackage} has no modules"
    assert {k: v for k, v in offenders.items() if v} == {}


def test_sandbox_is_independent_of_the_core() -> None:
    # The sandbox is the oracle the core is tested against; sharing code would hide bugs.
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(
            m for m in imported_modules(path) if m.startswith("b24desk.core")
        )
        for path in sources("sandbox")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_qt_free_layers_import_without_qt_loaded() -> None:
    import subprocess
    import sys

    code = (
        "import sys, pkgutil, importlib, b24desk.core, b24desk.sandbox\n"
        "for pkg in (b24desk.core, b24desk.sandbox):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if not m.name.endswith('__main__'):\n"
        "            importlib.import_module(m.name)\n"
        "loaded = [m for m in sys.modules if m.startswith(('PySide6', 'qasync'))]\n"
        "assert not loaded, loaded\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
