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


# --- the command line: Qt only through its window module, and only when the window opens -----

CLI_WINDOW = "b24desk/cli/window.py"
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def module_level_imports(path: Path, root: Path = PACKAGE.parent) -> set[str]:
    """What importing `path` imports: `imported_modules` without what runs only when one of
    its functions is called (a class body and an `if`/`try` at the top still count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = _package_of(path, root)
    names: set[str] = set()
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = _absolute(node, package)
            if module:
                names.add(module)
            names.update(f"{module}.{alias.name}".lstrip(".") for alias in node.names)
        elif isinstance(node, ast.Call) and (literal := _dynamic_import(node)):
            names.add(literal)
        # A function's default values and decorators run at import; its body does not.
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            pending.extend([*node.decorator_list, *node.args.defaults, *node.args.kw_defaults])
            continue
        if isinstance(node, ast.Lambda):
            pending.extend([*node.args.defaults, *node.args.kw_defaults])
            continue
        pending.extend(c for c in ast.iter_child_nodes(node) if c is not None)
    return names


def cli_qt_problems(root: Path) -> dict[str, list[str]]:
    """Imports of Qt or the window by the CLI package under `root`: any at all outside its
    window module, and any at module level in it."""
    forbidden = (*QT_MODULES, "b24desk.ui")
    files = sources("cli", root / "b24desk")
    window = root / CLI_WINDOW
    found = offenders([f for f in files if f != window], forbidden, root)
    if window in files:
        eager = sorted(m for m in module_level_imports(window, root) if _is_within(m, forbidden))
        if eager:
            found[CLI_WINDOW] = eager
    return found


def test_the_cli_reaches_qt_only_through_its_window_module_and_lazily() -> None:
    assert (PACKAGE / "cli" / "__init__.py").is_file(), "the CLI is the package b24desk/cli/"
    assert not (PACKAGE / "cli.py").exists(), "a cli.py beside the package is dead code"
    assert cli_qt_problems(PACKAGE.parent) == {}
    # The check is about something: the window module does open the window.
    assert "b24desk.ui.app" in imported_modules(PACKAGE.parent / CLI_WINDOW)


def test_the_cli_opens_the_window_with_a_plain_import() -> None:
    """One obvious way to the window: no importlib, no __import__ (issue 13)."""
    dynamic = {
        str(path.relative_to(PACKAGE.parent)): sorted(
            m for m in imported_modules(path) if m == "importlib" or m.startswith("importlib.")
        )
        for path in sources("cli")
    }
    assert {k: v for k, v in dynamic.items() if v} == {}


def test_the_cli_check_sees_eager_and_stray_qt_imports(tmp_path: Path) -> None:
    cli = tmp_path / "b24desk" / "cli"
    cli.mkdir(parents=True)
    (tmp_path / "b24desk" / "__init__.py").write_text("", encoding="utf-8")
    (cli / "__init__.py").write_text("from .window import open_window\n", encoding="utf-8")
    (cli / "window.py").write_text(
        "import sys\n"
        "if sys.platform:\n    from PySide6 import QtCore\n"
        "class Holder:\n    from ..ui import app\n"
        "def fine():\n    from b24desk.ui.app import run\n"
        "async def also_fine():\n    import qasync\n"
        "def eager(x=__import__('shiboken6')):\n    pass\n",
        encoding="utf-8",
    )
    (cli / "tasks.py").write_text(
        "def later():\n    from b24desk.ui import dialogs\n", encoding="utf-8"
    )
    (cli / "fine.py").write_text("import b24desk.uiish\nfrom . import window\n", encoding="utf-8")
    assert cli_qt_problems(tmp_path) == {
        "b24desk/cli/tasks.py": ["b24desk.ui", "b24desk.ui.dialogs"],
        CLI_WINDOW: ["PySide6", "PySide6.QtCore", "b24desk.ui", "b24desk.ui.app", "shiboken6"],
    }


def test_cli_commands_run_without_loading_qt(tmp_path: Path) -> None:
    """Every CLI module imports, and a command runs to its end, with no Qt in the process."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, pkgutil, importlib, b24desk.cli\n"
        "for m in pkgutil.walk_packages(b24desk.cli.__path__, 'b24desk.cli.'):\n"
        "    importlib.import_module(m.name)\n"
        "assert b24desk.cli.main(['tasks', 'renew']) == 2\n"
        "assert b24desk.cli.main(['journal']) == 0\n"
        "loaded = [m for m in sys.modules if m.startswith(('PySide6', 'qasync', 'b24desk.ui'))]\n"
        "assert not loaded, loaded\n"
    )
    env = {**os.environ, "B24DESK_HOME": str(tmp_path), "B24DESK_LANG": "en"}
    env.pop("B24DESK_WEBHOOK", None)
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


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


LONG_MODULE = 550
"""Lines above which a module must say at its top why it is one file (issue 13)."""


def test_long_modules_say_why_they_are_one_file() -> None:
    unexplained = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") <= LONG_MODULE:
            continue
        docstring = ast.get_docstring(ast.parse(text)) or ""
        if "why one file" not in docstring.lower():
            unexplained.append(f"{path.relative_to(PACKAGE.parent)}: {text.count(chr(10))} lines")
    assert unexplained == [], "split these or say at the top why they are one file"
