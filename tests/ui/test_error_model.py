from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from b24desk.ui.models import EntryRole, ErrorColumn, ErrorLogModel, TaskIdRole

SECRET_URL = "https://example.bitrix24.ru/rest/1/fakewebhookcode0000/tasks.task.renew"


def test_error_model_passes_the_model_tester(qtmodeltester):
    model = ErrorLogModel()
    model.add_error("The portal did not answer in time", code="TIMEOUT", task_id=12)
    model.add_error("Could not load the task list", code="QUERY_LIMIT_EXCEEDED")
    qtmodeltester.check(model)
    model.add_error("Access denied", task_id=13)
    model.clear()
    assert model.rowCount() == 0


def test_rows_show_time_task_reason_and_code():
    model = ErrorLogModel()
    when = datetime(2024, 3, 5, 14, 3, 22)
    model.add_error("No permission to reopen", code="ACCESS_DENIED", task_id=7, when=when)
    model.add_error("Loading stopped: no network", when=when)
    cells = [[model.index(row, column).data() for column in ErrorColumn] for row in range(2)]
    assert cells == [
        ["14:03:22", "7", "No permission to reopen", "ACCESS_DENIED"],
        ["14:03:22", "-", "Loading stopped: no network", ""],
    ]
    assert model.index(0, ErrorColumn.TASK).data(TaskIdRole) == 7
    assert model.index(1, ErrorColumn.TASK).data(TaskIdRole) is None
    assert model.index(0, 0).data(EntryRole).code == "ACCESS_DENIED"
    assert model.index(0, ErrorColumn.TIME).data(Qt.ItemDataRole.ToolTipRole) == (
        "2024-03-05 14:03:22"
    )


@pytest.mark.parametrize(
    "reason",
    [
        f"Request to {SECRET_URL} failed",
        "POST /rest/tasks.task.renew?auth=fakewebhookcode0000 returned 401",
        'body {"access_token": "fakewebhookcode0000"}',
    ],
)
def test_secrets_never_reach_the_rows(reason):
    model = ErrorLogModel()
    entry = model.add_error(reason, code="auth=fakewebhookcode0000")
    shown = [model.index(0, column).data() for column in ErrorColumn]
    assert "fakewebhookcode0000" not in " ".join(shown)
    assert "fakewebhookcode0000" not in entry.as_text()


def test_blank_reason_becomes_a_readable_placeholder():
    entry = ErrorLogModel().add_error("   \n ")
    assert entry.reason == "Unknown error"
