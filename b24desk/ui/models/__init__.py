"""Qt item models over the core's plain records."""

from b24desk.ui.models.errors import EntryRole, ErrorColumn, ErrorEntry, ErrorLogModel, make_entry
from b24desk.ui.models.outcomes import (
    OUTCOME_LOOKS,
    Tone,
    outcome_label,
    outcome_text,
    tone_colour,
)
from b24desk.ui.models.proxy import TaskFilterProxy
from b24desk.ui.models.tasks import (
    Column,
    OutcomeRole,
    RecordRole,
    SortRole,
    TaskIdRole,
    TaskTableModel,
)

__all__ = [
    "OUTCOME_LOOKS",
    "Column",
    "EntryRole",
    "ErrorColumn",
    "ErrorEntry",
    "ErrorLogModel",
    "OutcomeRole",
    "RecordRole",
    "SortRole",
    "TaskFilterProxy",
    "TaskIdRole",
    "TaskTableModel",
    "Tone",
    "make_entry",
    "outcome_label",
    "outcome_text",
    "tone_colour",
]
