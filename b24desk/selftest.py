"""`b24desk --self-test`: prove that an installed or frozen b24desk has what it needs.

Each check prints one line; the exit code is 0 only if every required check passed. It runs
offscreen, touches no real portal and stores nothing: the renew runs on the in-process
sandbox with a throw-away journal.
"""

from __future__ import annotations

import asyncio
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from b24desk import __version__


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


def check_tls() -> str:
    import ssl

    from b24desk.core.bitrix.client import tls_context

    context = tls_context()
    if context.verify_mode != ssl.CERT_REQUIRED or not context.check_hostname:
        raise RuntimeError("the TLS context does not verify certificates")
    return f"OS trust store ({type(context).__module__.split('.')[0]}), verification on"


def check_keyring() -> str:
    """Reports the backend; fails only if keyring found no backends at all (a broken bundle)."""
    import keyring.backend

    from b24desk.core.credentials import KeyringUnavailable, SecretStore

    backends = keyring.backend.get_all_keyring()
    if not backends:
        raise RuntimeError("keyring found no backends: its modules are missing")
    store = SecretStore()
    try:
        store.check()
    except KeyringUnavailable as problem:
        return f"{store.backend_name} (not usable here: {problem.problem.name.lower()})"
    return f"{store.backend_name} (usable)"


def check_renew() -> str:
    from b24desk.core.bitrix.auth import WebhookAuth
    from b24desk.core.bitrix.client import BitrixClient
    from b24desk.core.credentials import parse_webhook_url
    from b24desk.core.model import COMPLETED, PENDING, TaskOutcome, TaskSnapshot
    from b24desk.core.renew.engine import RenewEngine
    from b24desk.core.renew.jobs import RenewJob
    from b24desk.core.renew.journal import Journal
    from b24desk.sandbox import PortalConfig, SandboxPortal

    portal = SandboxPortal(PortalConfig(seed=1, task_count=300, limits="off"))
    ids = sorted(t.id for t in portal.tasks.values() if t.status == COMPLETED)[:20]
    address = parse_webhook_url(portal.webhook_url("https://sandbox.invalid"))
    auth = WebhookAuth(address.portal_url, address.user_id, address.code)

    async def renew(journal_dir: str) -> int:
        async with BitrixClient(auth, transport=portal.mock_transport()) as client:
            engine = RenewEngine(client, Journal(Path(journal_dir) / "j.jsonl"), portal="sandbox")
            report = await RenewJob(engine, [TaskSnapshot(i, COMPLETED) for i in ids]).run()
        return len(report.ids_with(TaskOutcome.RENEWED))

    with tempfile.TemporaryDirectory() as journal_dir:
        renewed = asyncio.run(renew(journal_dir))
    on_portal = sum(portal.tasks[i].status == PENDING for i in ids)
    if renewed != len(ids) or on_portal != len(ids):
        raise RuntimeError(f"renewed {renewed} of {len(ids)}, {on_portal} reopened on the portal")
    return f"{renewed} tasks renewed on the in-process sandbox"


def check_window() -> str:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from b24desk.ui.widgets.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0]])
    window = MainWindow()
    window.resize(1000, 640)
    window.show()
    app.processEvents()
    image = window.grab()
    window.close()
    if image.isNull() or image.width() < 100:
        raise RuntimeError("the main window did not render")
    return (
        f"main window rendered {image.width()}x{image.height()} on {QGuiApplication.platformName()}"
    )


def check_translations() -> str:
    """The Russian catalog loads, for the window (Qt) and for the command line (no Qt)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication

    from b24desk.core import i18n
    from b24desk.ui.language import app_translator, qt_translator

    if QCoreApplication.instance() is None:
        QCoreApplication([sys.argv[0]])
    translator = app_translator("ru")
    if translator is None:
        raise RuntimeError(f"no Russian catalog in {i18n.catalog_dir()}")
    # Looked up through variables: lupdate would take literal arguments for new strings.
    context, load, tasks_n = "MainWindow", "Load tasks", "%Ln task(s)"
    window_text = translator.translate(context, load)
    tasks = translator.translate(context, tasks_n, "", 3)
    if window_text != "Загрузить задачи" or tasks != "%Ln задачи":
        raise RuntimeError(f"the Russian catalog translates wrongly: {window_text!r}, {tasks!r}")
    messages = i18n.read_ts(i18n.ts_path("ru"))
    cli_key = ("Cli", "the window is not available yet")
    cli_text = i18n.load_ts_catalog(i18n.ts_path("ru")).get(cli_key)
    if cli_text != "окно пока недоступно":
        raise RuntimeError(f"the command line's Russian catalog is wrong: {cli_text!r}")
    qt_own = qt_translator("ru")
    theme, cancel = "QPlatformTheme", "Cancel"
    if qt_own is None or qt_own.translate(theme, cancel) != "Отмена":
        raise RuntimeError("Qt's own Russian translation (qtbase_ru.qm) is missing")
    kind = type(translator).__name__
    return f"Russian: {len(messages)} messages; 'Load tasks' -> '{window_text}' ({kind})"


CHECKS: list[tuple[str, Callable[[], str]]] = [
    ("tls", check_tls),
    ("keyring", check_keyring),
    ("renew", check_renew),
    ("window", check_window),
    ("i18n", check_translations),
]


def run_checks(out: TextIO = sys.stdout) -> int:
    frozen = "frozen" if getattr(sys, "frozen", False) else "source"
    print(
        f"b24desk {__version__} self-test ({frozen}, Python {platform.python_version()}, "
        f"{platform.system()})",
        file=out,
    )
    results: list[CheckResult] = []
    for name, check in CHECKS:
        started = time.perf_counter()
        try:
            detail = check()
            result = CheckResult(name, True, detail)
        except Exception as error:  # a self-test reports every failure, whatever its kind
            result = CheckResult(name, False, f"{type(error).__name__}: {error}")
        results.append(result)
        mark = "ok  " if result.ok else "FAIL"
        print(
            f"  {mark} {name:8} {result.detail} ({time.perf_counter() - started:.2f} s)", file=out
        )
    failed = [r.name for r in results if not r.ok]
    print("self-test passed" if not failed else f"self-test FAILED: {', '.join(failed)}", file=out)
    return 0 if not failed else 1
