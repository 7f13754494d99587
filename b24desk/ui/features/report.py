"""Help > Save a diagnostic report…: what the portal answers to a few harmless requests.

Asks whether to hide the portal's address and where to save, then probes off the GUI thread
(`core.diagnose`, read-only) and says where the report went.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject

from b24desk.core import paths
from b24desk.core.connection import portal_label
from b24desk.core.diagnose import run_diagnosis
from b24desk.ui.bridge import AsyncOp, ProgressReporter
from b24desk.ui.dialogs.confirm import Confirmation
from b24desk.ui.features.state import DeskState


class DiagnosticReport(QObject):
    def __init__(self, state: DeskState) -> None:
        super().__init__(state)
        self.state = state

    def save(self) -> None:
        """Hide the host?, where?, then probe and write the report; never while busy."""
        state, window = self.state, self.state.window
        session = state.session
        if session is None or state.busy:
            text = self.tr("Connect to the portal first.") if session is None else None
            window.show_message(text or state.wait_text())
            return
        title = self.tr("Save a diagnostic report")
        ask = Confirmation(
            title=title,
            question=self.tr("Hide your portal's address ({portal}) in the report?").format(
                portal=state.portal or portal_label(session.portal_url)
            ),
            details=self.tr(
                "The report records what the portal answers to a few requests that change "
                "nothing. It never holds the webhook code, tokens, task titles or people's "
                "names."
            ),
            accept_text=self.tr("Hide the address"),
        )
        log_file = None if state.services.is_demo else paths.log_path(state.services.environ)

        def answered(mask_host: bool) -> None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M")
            suggested = str(state.services.export_dir / f"b24desk-diagnostic-{stamp}.json")
            chosen = state.services.save_path(window, title, suggested)
            if not chosen or state.session is not session:
                return
            target = Path(chosen)

            async def work(_: ProgressReporter) -> None:
                report = await run_diagnosis(
                    session.client, journal=session.journal, log_file=log_file, mask_host=mask_host
                )
                await asyncio.to_thread(report.write, target)

            def failed(error: Exception) -> None:
                if not isinstance(error, OSError):
                    state.report_problem(error, what="the diagnostic report")
                    return
                window.show_message(
                    self.tr(
                        "Could not write {path} ({reason}): choose another folder or file name."
                    ).format(path=target, reason=error.strerror or type(error).__name__),
                    15000,
                )

            saved = self.tr(
                "Saved the diagnostic report to {path}. It holds no secret and no names: "
                "send it to whoever supports b24desk for you."
            ).format(path=target)
            window.show_message(self.tr("Asking the portal for the diagnostic report…"))
            AsyncOp(work, parent=self, label="diagnose").on_success(
                lambda _: window.show_message(saved, 30000)
            ).on_failure(failed).run()

        state.ask(ask, answered)
