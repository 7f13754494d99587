"""People in the Responsible filter: namesakes told apart (department or e-mail).

The filter asks (`MainWindow.user_details_wanted`) when two responsibles share a name; this
reads those users' details in the background and hands them back. Until then, or when the
webhook may not read users, the filter shows their IDs.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject

from b24desk.core.bitrix.users import fetch_user_details
from b24desk.core.redact import redact
from b24desk.ui.bridge import AsyncOp
from b24desk.ui.features.state import DeskState

logger = logging.getLogger(__name__)


class People(QObject):
    def __init__(self, state: DeskState) -> None:
        super().__init__(state)
        self.state = state

    def tell_namesakes_apart(self, ids: list[int]) -> None:
        """Ask the portal for these responsibles' departments and e-mails, off the GUI's way."""
        session = self.state.session
        if session is None or not ids:
            return

        def found(details: dict[int, Any]) -> None:
            if self.state.session is session:  # not a portal switched away from meanwhile
                self.state.window.set_user_details(details)

        AsyncOp(
            lambda _: fetch_user_details(session.client, ids), parent=self, label="namesakes"
        ).on_success(found).on_failure(
            lambda error: logger.info("namesakes not told apart: %s", redact(str(error)))
        ).run()
