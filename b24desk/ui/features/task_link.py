"""Opening a task of the table in the browser (double-click, or Tasks > Open in browser)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl

from b24desk.core.bitrix import tasks as tasks_api
from b24desk.ui.features.state import DeskState


class TaskLinks(QObject):
    def __init__(self, state: DeskState) -> None:
        super().__init__(state)
        self.state = state

    def task_url(self, task_id: int) -> str | None:
        """The task's page on the portal, as the connected user opens it (None: no session)."""
        session = self.state.session
        if session is None:
            return None
        user_id = self.state.verdict.user_id if self.state.verdict else None
        if user_id is None and session.target.webhook is not None:
            user_id = session.target.webhook.user_id
        if user_id is None and session.profile is not None:
            user_id = session.profile.webhook_user_id
        if user_id is None:
            model = self.state.window.task_model
            row = model.row_of(task_id)
            user_id = model.record_at(row).responsible_id if row is not None else 0
        return tasks_api.task_url(session.portal_url, user_id, task_id)

    def open_task(self, task_id: int) -> None:
        url = self.task_url(task_id)
        if url is None:
            self.state.window.show_message(self.tr("Connect to the portal first."))
        elif self.state.services.is_demo:
            self.state.window.show_message(
                self.tr(
                    "Demo mode: the tasks live in a built-in sandbox. On a real portal this "
                    "opens task {id} in your browser."
                ).format(id=task_id),
                10000,
            )
        else:
            self.state.services.open_url(QUrl(url))
