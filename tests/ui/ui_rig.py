"""A real window and controller on a sandbox portal, for the flow tests of tests/ui.

Everything outside is injected: the portal behind an in-process transport, profiles in a
temporary folder, secrets in a memory keyring, settings in an INI file, a `confirm` that
answers by itself (and records what it was asked), an `open_url` and a `save_path` that
record their calls. Use it inside an async test (pattern B) and always `await rig.close()`.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from keyring.backend import KeyringBackend
from keyring_double import MemoryKeyring
from PySide6.QtCore import QItemSelectionModel, QSettings, QUrl
from PySide6.QtWidgets import QWidget

from b24desk.core.bitrix.ratelimit import RetryPolicy
from b24desk.core.credentials import Connections, ProfileStore, SecretStore
from b24desk.sandbox import PortalConfig, SandboxPortal
from b24desk.sandbox.access import caller_for, can_read
from b24desk.ui.bridge import cancel_all
from b24desk.ui.controller import Controller
from b24desk.ui.dialogs.confirm import Answer, Confirmation
from b24desk.ui.features.state import Phase
from b24desk.ui.services import Services
from b24desk.ui.widgets.main_window import MainWindow

SANDBOX_BASE = "https://sandbox.invalid"
FAST_RETRY = RetryPolicy(backoff_base=0.001, backoff_cap=0.005, operation_limit_fallback=0.01)


class Confirmer:
    """Stands in for the message box: records each question, answers with `answer`."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.asked: list[Confirmation] = []

    def __call__(self, parent: QWidget, confirmation: Confirmation, answered: Answer) -> None:
        self.asked.append(confirmation)
        answered(self.answer and confirmation.can_proceed)


async def wait_until(condition: Callable[[], bool], within: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not condition():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.005)


def sandbox(**changes: Any) -> SandboxPortal:
    # A real portal's server time per call (the docs' figures), a thousand times faster.
    config: dict[str, Any] = {
        "seed": 3,
        "task_count": 300,
        "limits": "off",
        "admin": True,
        "time_scale": 0.001,
    }
    config.update(changes)
    return SandboxPortal(PortalConfig(**config))


class Rig:
    def __init__(
        self,
        tmp_path: Path,
        portal: SandboxPortal | None,
        *,
        keyring: KeyringBackend | None = None,
        services: Services | None = None,
        settings: QSettings | None = None,
    ) -> None:
        self.portal = portal
        self.tmp_path = tmp_path
        self.keyring = keyring if keyring is not None else MemoryKeyring()
        self.confirm = Confirmer()
        self.opened: list[str] = []
        self.saved_to = tmp_path / "export.csv"
        self.transports = 0

        async def transport() -> httpx.AsyncBaseTransport:
            assert portal is not None, "give the rig a portal, or services with a transport"
            self.transports += 1
            return portal.mock_transport()

        def save_path(parent: QWidget, title: str, suggested: str) -> str | None:
            return str(self.saved_to)

        self.services = services or Services(
            connections=Connections(
                ProfileStore(tmp_path / "profiles.json"), SecretStore(self.keyring)
            ),
            settings=settings
            or QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
            journal_path=tmp_path / "journal.jsonl",
            transport=transport,
            environ={},
            retry=FAST_RETRY,
            round_pause_s=0.0,
            export_dir=tmp_path,
        )
        self.services.confirm = self.confirm
        self.services.open_url = self._open_url
        self.services.save_path = save_path
        if self.services.retry is None:
            self.services.retry = FAST_RETRY
        self.services.round_pause_s = 0.0
        self.window = MainWindow(filter_debounce_ms=0)
        self.window.resize(1100, 700)
        self.controller = Controller(self.window, self.services)

    def _open_url(self, url: QUrl) -> bool:
        self.opened.append(url.toString())
        return True

    @property
    def sandbox(self) -> SandboxPortal:
        if self.portal is not None:
            return self.portal
        demo = self.services.demo
        assert demo is not None, "no portal"
        assert demo.portal is not None, "the demo portal is not started yet"
        return demo.portal

    @property
    def webhook_url(self) -> str:
        return self.sandbox.webhook_url(SANDBOX_BASE)

    def add_profile(self, name: str = "Main") -> None:
        self.services.connections.add_webhook(name, self.webhook_url)

    async def idle(self, within: float = 20.0) -> None:
        await asyncio.sleep(0)
        await wait_until(lambda: self.controller.phase is Phase.IDLE, within)

    async def start(self) -> None:
        """Show the window, start the controller and wait until it is connected."""
        self.window.show()
        self.controller.start()
        await wait_until(lambda: self.window.is_connected, 20)
        await self.idle()

    async def load(self) -> None:
        self.window.action_load.trigger()
        await self.idle()
        self.window.task_model.flush()

    def visible_completed_ids(self) -> list[int]:
        portal = self.sandbox
        caller = caller_for(portal.data, portal.config.user_id)
        return sorted(
            task.id for task in portal.tasks.values() if task.status == 5 and can_read(caller, task)
        )

    def select_ids(self, ids: list[int]) -> None:
        selection = self.window.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for task_id in ids:
            row = self.window.proxy.proxy_row_of(task_id)
            assert row is not None, f"task {task_id} is not shown"
            selection.select(self.window.proxy.index(row, 0), flags)

    async def select(self, ids: list[int]) -> None:
        """Select the rows and wait until the window has counted them (actions enabled)."""
        self.select_ids(ids)
        await wait_until(lambda: self.window.table.selected_count() == len(ids))
        await wait_until(lambda: f"{len(ids):,} selected" in self.window.counters_text())

    async def renew(self, ids: list[int], *, wait: bool = True) -> None:
        """Select `ids`, click "Renew selected" and (by default) wait until the run is over."""
        await self.select(ids)
        assert self.window.action_renew.isEnabled()
        self.window.action_renew.trigger()
        if wait:
            await self.idle()

    def outcome(self, task_id: int) -> Any:
        found = self.window.task_model.outcome_of(task_id)
        return found[0] if found else None

    def status_message(self) -> str:
        return self.window.statusBar().currentMessage()

    async def close(self) -> None:
        for dialog in (self.controller.setup_dialog, self.controller.history_dialog):
            if dialog is not None:
                dialog.reject()
        self.window.close_guard = None
        for handle in cancel_all():
            await handle
        await self.controller.aclose()
        self.services.close()
        self.window.close()
        self.window.deleteLater()
        gc.unfreeze()  # loads freeze what is alive; let the next test start afresh
        await asyncio.sleep(0)
