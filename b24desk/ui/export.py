"""A run's results as a CSV file that Excel opens correctly, Cyrillic included.

UTF-8 with a byte-order mark (without it Excel reads UTF-8 as the local code page and turns
Cyrillic into mojibake), one row per task of the run, in the run's order. The headers,
outcomes and times are in the user's language; columns are separated the way that
language's Excel expects: commas in English, semicolons in Russian (where the comma is the
decimal separator).
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from b24desk.core.i18n import QT_TRANSLATE_NOOP, translate
from b24desk.core.renew.records import RunRecord
from b24desk.ui import language
from b24desk.ui.models.outcomes import outcome_label

logger = logging.getLogger(__name__)

CSV_HEADER = [
    QT_TRANSLATE_NOOP("Export", "Task ID"),
    QT_TRANSLATE_NOOP("Export", "Title"),
    QT_TRANSLATE_NOOP("Export", "Outcome"),
    QT_TRANSLATE_NOOP("Export", "Reason"),
    QT_TRANSLATE_NOOP("Export", "Error code"),
    QT_TRANSLATE_NOOP("Export", "Time"),
]
"""In English; `csv_header()` gives them in the user's language."""


def csv_header() -> list[str]:
    return [translate("Export", title) for title in CSV_HEADER]


def suggested_file_name(run_id: str) -> str:
    return f"b24desk-run-{run_id}.csv"  # a file name: the same in every language


def local_time(stamp: str | None, *, seconds: bool = True) -> str:
    """A journal time (ISO, UTC) as local wall-clock time in the user's language's format;
    "" when absent or unreadable."""
    if not stamp:
        return ""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return ""
    return language.date_time_text(moment.astimezone(), seconds=seconds)


# A cell starting with one of these is a formula to Excel and LibreOffice; task titles and
# reasons come from portal users, so they are written as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def run_rows(run: RunRecord, titles: Mapping[int, str]) -> list[list[str]]:
    """One row per task; the title the run recorded wins over one from the table."""
    rows = []
    for task_id in run.before:
        title = run.before[task_id].title or titles.get(task_id, "")
        result = run.results.get(task_id)
        outcome = run.outcome_of(task_id)
        label = outcome_label(outcome)
        if result is None and outcome.value == "renewing":
            label = translate("Export", "Unknown (the run stopped while it was being sent)")
        rows.append(
            [
                str(task_id),
                spreadsheet_text(title),
                label,
                spreadsheet_text(result.reason) if result else "",
                result.code if result else "",
                local_time(run.result_at.get(task_id)),
            ]
        )
    return rows


def write_run_csv(path: Path, run: RunRecord, titles: Mapping[int, str]) -> int:
    """Write the run's results to `path`; returns the number of task rows."""
    rows = run_rows(run, titles)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.part")
    with temporary.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=language.csv_delimiter())
        writer.writerow(csv_header())
        writer.writerows(rows)
    temporary.replace(path)
    logger.info("exported %d results of run %s", len(rows), run.run_id)
    return len(rows)
