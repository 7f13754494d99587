"""The CSV export of a run: safe to open in a spreadsheet, and complete after a reload."""

from __future__ import annotations

import csv
from pathlib import Path

from b24desk.core.model import TaskOutcome, TaskSnapshot
from b24desk.core.renew.journal import Journal
from b24desk.core.renew.records import TaskResult
from b24desk.ui.export import write_run_csv


def test_formulas_from_portal_text_are_written_as_text_and_titles_come_from_the_run(
    tmp_path: Path,
) -> None:
    journal = Journal(tmp_path / "journal.jsonl")
    evil = '=HYPERLINK("http://evil.invalid","x")'
    before = [TaskSnapshot(1, 5, title=evil), TaskSnapshot(2, 5, title="Plain title")]
    journal.start_run("r1", kind="renew", portal="p", tasks=before)
    journal.record_results(
        "r1",
        [
            TaskResult(1, TaskOutcome.RENEWED),
            TaskResult(2, TaskOutcome.FAILED, "+cmd|' /C calc'!A0", "X"),
        ],
    )
    journal.finish_run("r1", cancelled=False)
    run = journal.run("r1")
    assert run is not None

    target = tmp_path / "out.csv"
    write_run_csv(target, run, titles={})  # the table no longer has these tasks

    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][1] == "'" + evil
    assert rows[2][1] == "Plain title"
    assert rows[2][3] == "'+cmd|' /C calc'!A0"
    assert not any(cell.startswith(("=", "+", "@")) for row in rows[1:] for cell in row)
