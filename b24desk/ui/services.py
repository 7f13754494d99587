"""What the window's controller needs from the outside world, in one injectable bundle.

The real app builds `Services.for_desktop()` (profiles in the config dir, secrets in the OS
password store, the real network, the system browser); demo mode builds
`Services.for_demo()` (a sandbox portal in-process, secrets in memory, files in a temporary
folder); tests build their own (a sandbox transport, a memory keyring, a recording
`open_url`, an automatic `confirm`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from PySide6.QtCore import QCoreApplication, QSettings, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from b24desk.core import paths
from b24desk.core.bitrix.ratelimit import RetryPolicy
from b24desk.core.credentials import Connections, ProfileStore, SecretStore
from b24desk.core.session import default_connections
from b24desk.demo import DemoPortal
from b24desk.ui.dialogs.confirm import Confirm, ask_with_message_box
from b24desk.ui.language import LANGUAGE_KEY

TransportFactory = Callable[[], Awaitable[httpx.AsyncBaseTransport | None]]
SavePath = Callable[[QWidget, str, str], str | None]
"""(parent, title, suggested file name) -> the chosen path, or None when cancelled."""


async def real_network() -> httpx.AsyncBaseTransport | None:
    return None  # BitrixClient then talks to the portal over its own TLS-checked transport


def ask_save_path(parent: QWidget, title: str, suggested: str) -> str | None:
    if suggested.endswith(".json"):
        kinds = QCoreApplication.translate("Export", "JSON files (*.json)")
    else:
        kinds = QCoreApplication.translate("Export", "CSV files (*.csv)")
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested, kinds)
    return path or None


@dataclass
class Services:
    connections: Connections
    settings: QSettings
    journal_path: Path
    transport: TransportFactory = real_network
    open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
    confirm: Confirm = ask_with_message_box
    save_path: SavePath = ask_save_path
    demo: DemoPortal | None = None
    environ: Mapping[str, str] | None = None
    retry: RetryPolicy | None = None
    round_pause_s: float | None = None
    """Pause between the renew engine's rounds after lost answers; None keeps its default."""
    oauth_server: str | None = None
    """Where OAuth codes are exchanged for new profiles; None: Bitrix24's own server."""
    oauth_wait_s: float = 300.0
    """How long a browser sign-in may take before it is given up."""
    export_dir: Path = field(default_factory=Path.home)
    _temporary: list[tempfile.TemporaryDirectory[str]] = field(default_factory=list)

    @property
    def is_demo(self) -> bool:
        return self.demo is not None

    @classmethod
    def for_desktop(cls, environ: Mapping[str, str] | None = None) -> Services:
        return cls(
            connections=default_connections(environ),
            settings=QSettings(),
            journal_path=paths.journal_path(environ),
            environ=environ,
        )

    @classmethod
    def for_demo(cls, demo: DemoPortal | None = None) -> Services:
        """Everything in memory or in a temporary folder that disappears with the app."""
        folder = tempfile.TemporaryDirectory(prefix="b24desk-demo-")
        root = Path(folder.name)
        secrets = SecretStore()
        secrets.use_session_only()
        demo = demo or DemoPortal()
        demo.begin()  # the sandbox is built while the window is made
        settings = QSettings(str(root / "settings.ini"), QSettings.Format.IniFormat)
        # The language is the user's, not the session's: the demo starts in the chosen one.
        chosen = QSettings().value(LANGUAGE_KEY)
        if chosen is not None:
            settings.setValue(LANGUAGE_KEY, chosen)
        services = cls(
            connections=Connections(ProfileStore(root / "profiles.json"), secrets),
            settings=settings,
            journal_path=root / "journal.jsonl",
            transport=demo.transport,
            demo=demo,
            environ={},
            export_dir=Path.home(),
        )
        services._temporary.append(folder)
        return services

    def close(self) -> None:
        """Remove what exists only for this session (the demo's temporary folder)."""
        self.settings.sync()
        while self._temporary:
            self._temporary.pop().cleanup()
