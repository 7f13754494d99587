"""The layering rules of the brief, checked on the source: ui -> core -> httpx, never back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "b24desk"
QT_MODULES = ("PySide6", "qasync", "shiboken6")
_DYNAMIC_IMPORTERS = ("import_module", "__import__")


def module_name(path: Path, root: Path) -> str:
    """`b24desk.core.session` for `<root>/b24desk/core/session.py` (a package for __init__)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _package_of(path: Path, root: Path) -> str:
    name = module_name(path, root)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _absolute(node: ast.ImportFrom, package: str) -> str:
    """The module a `from` import names, with `from ..x import y` resolved."""
    if node.level == 0:
        return node.module or ""
    base = package.split(".")
    if node.level - 1 > len(base):
        raise ValueError(f"relative import beyond the top package: level {node.level}")
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _dynamic_import(node: ast.Call) -> str | None:
    """`importlib.import_module("b24desk.ui.app")` or `__import__("...")` with a literal."""
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name not in _DYNAMIC_IMPORTERS or not node.args:
        return None
    first = node.args[0]
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return None


def imported_modules(path: Path, root: Path = PACKAGE.parent) -> set[str]:
    """Every module `path` imports: absolute, relative (resolved) and by string literal.

    `from a.b import c` counts as both `a.b` and `a.b.c`, since `c` may be a submodule.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _package_of(path, root)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, package)
            if module:
                names.add(module)
            names.update(f"{module}.{alias.name}".lstrip(".") for alias in node.names)
        elif isinstance(node, ast.Call) and (literal := _dynamic_import(node)):
            names.add(literal)
    return names


def _is_within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def offenders(files: list[Path], forbidden: tuple[str, ...], root: Path) -> dict[str, list[str]]:
    found = {
        str(path.relative_to(root)): sorted(
            m for m in imported_modules(path, root) if _is_within(m, forbidden)
        )
        for path in files
    }
    return {k: v for k, v in found.items() if v}


def sources(subpackage: str, package: Path = PACKAGE) -> list[Path]:
    return sorted((package / subpackage).rglob("*.py"))


@pytest.mark.parametrize("subpackage", ["core", "sandbox"])
def test_qt_free_layers_never_import_qt_or_ui(subpackage: str) -> None:
    assert sources(subpackage), f"b24desk/{subpackage} has no modules"
    assert offenders(sources(subpackage), (*QT_MODULES, "b24desk.ui"), PACKAGE.parent) == {}


def test_sandbox_is_independent_of_the_core() -> None:
    # The sandbox is the oracle the core is tested against; sharing code would hide bugs.
    assert offenders(sources("sandbox"), ("b24desk.core",), PACKAGE.parent) == {}


def test_the_checks_see_relative_and_dynamic_imports(tmp_path: Path) -> None:
    """The layering checks above can fail: every import form is caught on a fake tree."""
    core = tmp_path / "b24desk" / "core"
    (core / "inner").mkdir(parents=True)
    (tmp_path / "b24desk" / "__init__.py").write_text("", encoding="utf-8")
    (core / "__init__.py").write_text("from .. import ui\n", encoding="utf-8")
    (core / "relative.py").write_text("from ..ui.window import Main\n", encoding="utf-8")
    (core / "inner" / "deep.py").write_text("from ...ui import app\n", encoding="utf-8")
    (core / "dynamic.py").write_text(
        "import importlib\nimportlib.import_module('b24desk.ui.app')\n__import__('PySide6')\n",
        encoding="utf-8",
    )
    (core / "named.py").write_text("from b24desk import ui\n", encoding="utf-8")
    (core / "fine.py").write_text(
        "from . import relative\nfrom ..sandbox import x\nimport b24desk.uiish\n"
        "importlib.import_module(name)\n",
        encoding="utf-8",
    )
    found = offenders(sources("core", tmp_path / "b24desk"), (*QT_MODULES, "b24desk.ui"), tmp_path)
    assert found == {
        "b24desk/core/__init__.py": ["b24desk.ui"],
        "b24desk/core/relative.py": ["b24desk.ui.window", "b24desk.ui.window.Main"],
        "b24desk/core/inner/deep.py": ["b24desk.ui", "b24desk.ui.app"],
        "b24desk/core/dynamic.py": ["PySide6", "b24desk.ui.app"],
        "b24desk/core/named.py": ["b24desk.ui"],
    }
    fine = imported_modules(core / "fine.py", tmp_path)
    assert {"b24desk.core.relative", "b24desk.sandbox.x", "b24desk.uiish"} <= fine


def test_a_relative_import_beyond_the_top_package_is_reported(tmp_path: Path) -> None:
    (tmp_path / "b24desk").mkdir()
    bad = tmp_path / "b24desk" / "bad.py"
    bad.write_text("from ... import nothing\n", encoding="utf-8")
    with pytest.raises(ValueError, match="beyond the top package"):
        imported_modules(bad, tmp_path)


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


def test_the_demo_portal_is_qt_free_and_shared_by_both_front_ends() -> None:
    """The demo is a sandbox portal plus two scripted events: no Qt, no window, no core."""
    demo = [PACKAGE / "demo.py"]
    assert offenders(demo, (*QT_MODULES, "b24desk.ui", "b24desk.core"), PACKAGE.parent) == {}
    assert not (PACKAGE / "ui" / "demo.py").exists()


# -- the window's features (b24desk/ui/features, wired by ui/controller.py) ----------------

FEATURES = "b24desk.ui.features"
SHARED_FEATURE_MODULES = (f"{FEATURES}.state", f"{FEATURES}.summaries")
"""What a feature may import of its siblings: the shared state and the run summaries."""
ASYNC_STARTERS = frozenset(
    {
        "create_task",
        "ensure_future",
        "run_until_complete",
        "run_forever",
        "run_coroutine_threadsafe",
        "call_soon",
        "call_soon_threadsafe",
        "call_later",
        "call_at",
        "new_event_loop",
        "get_event_loop",
        "asyncSlot",
    }
)


def window_sources(package: Path = PACKAGE) -> list[Path]:
    """The features and the controller that wires them."""
    return [*sources("ui/features", package), package / "ui" / "controller.py"]


def async_starts(path: Path) -> list[str]:
    """Calls in `path` that start asynchronous work outside the bridge's `AsyncOp`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
        if name in ASYNC_STARTERS or (owner == "asyncio" and name == "run"):
            found.append(f"{owner}.{name}" if owner else name)
    return sorted(found)


def private_imports(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    """b24desk names imported from outside their module that are private (`_name`)."""
    package = _package_of(path, root)
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = _absolute(node, package)
            if not module.startswith("b24desk"):
                continue
            names = [f"{module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names if alias.name.startswith("b24desk")]
        else:
            continue
        found += [n for n in names if any(p.startswith("_") for p in n.split("."))]
    return sorted(found)


def sibling_features(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    """Other feature modules `path` imports (beyond the shared state and summaries)."""
    allowed = (*SHARED_FEATURE_MODULES, module_name(path, root))
    return sorted(
        m
        for m in imported_modules(path, root)
        if _is_within(m, (FEATURES,)) and m != FEATURES and not _is_within(m, allowed)
    )


def test_the_features_exist_and_are_wired_by_the_controller() -> None:
    assert len(sources("ui/features")) >= 6
    wired = imported_modules(PACKAGE / "ui" / "controller.py")
    assert {f"{FEATURES}.runs", f"{FEATURES}.connecting", f"{FEATURES}.state"} <= wired


def test_the_window_never_imports_the_sandbox_or_qasync() -> None:
    assert offenders(window_sources(), ("b24desk.sandbox", "qasync"), PACKAGE.parent) == {}


def test_only_the_bridge_starts_async_work() -> None:
    found = {str(p.relative_to(PACKAGE)): async_starts(p) for p in window_sources()}
    assert {k: v for k, v in found.items() if v} == {}


def test_features_talk_through_signals_not_each_others_modules() -> None:
    found = {str(p.relative_to(PACKAGE)): sibling_features(p) for p in sources("ui/features")}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_window_imports_nothing_private() -> None:
    found = {str(p.relative_to(PACKAGE)): private_imports(p) for p in window_sources()}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_feature_checks_can_fail(tmp_path: Path) -> None:
    features = tmp_path / "b24desk" / "ui" / "features"
    features.mkdir(parents=True)
    (tmp_path / "b24desk" / "__init__.py").write_text("", encoding="utf-8")
    bad = features / "bad.py"
    bad.write_text(
        "import asyncio\n"
        "from b24desk.ui.features.runs import _RunProgress\n"
        "from . import loading\n"
        "from .state import DeskState\n"
        "from b24desk.ui.widgets._private import thing\n"
        "loop.create_task(work())\n"
        "asyncio.run(main())\n"
        "asyncio.to_thread(read)\n",
        encoding="utf-8",
    )
    assert async_starts(bad) == ["asyncio.run", "loop.create_task"]
    assert private_imports(bad, tmp_path) == [
        "b24desk.ui.features.runs._RunProgress",
        "b24desk.ui.widgets._private.thing",
    ]
    assert sibling_features(bad, tmp_path) == [
        "b24desk.ui.features.loading",
        "b24desk.ui.features.runs",
        "b24desk.ui.features.runs._RunProgress",
    ]
