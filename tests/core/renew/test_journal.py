from __future__ import annotations

import json
from pathlib import Path

import pytest

from b24desk.core.model import TaskOutcome, TaskSnapshot
from b24desk.core.renew.journal import Journal, JournalError, new_run_id
from b24desk.core.renew.records import RunKind, RunNotFound, TaskResult

BEFORE = [
    TaskSnapshot(id=i, status=5, closed_date=f"2026-01-0{i}T10:00:00+03:00") for i in (1, 2, 3)
]


def test_a_finished_run_reads_back_exactly(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.jsonl")
    run_id = new_run_id()
    journal.start_run(run_id, kind="renew", portal="https://p.example", tasks=BEFORE)
    journal.record_attempt(run_id, [1, 2, 3])
    after = TaskSnapshot(id=1, status=2, changed_date="2026-02-01T00:00:00+00:00")
    journal.record_results(
        run_id,
        [
            TaskResult(1, TaskOutcome.RENEWED, after=after),
            TaskResult(2, TaskOutcome.NOT_ALLOWED, "no rights", "1048582"),
            TaskResult(3, TaskOutcome.ALREADY_OPEN),
        ],
    )
    journal.finish_run(run_id, cancelled=False)

    run = journal.run(run_id)
    assert run is not None
    assert not run.crashed
    assert run.before[1].closed_date == "2026-01-01T10:00:00+03:00"
    assert run.results[1].after == after
    assert run.results[2].code == "1048582"
    assert run.counts() == {
        TaskOutcome.RENEWED: 1,
        TaskOutcome.NOT_ALLOWED: 1,
        TaskOutcome.ALREADY_OPEN: 1,
    }
    assert run.in_flight == set()


def test_a_crash_mid_run_says_which_tasks_were_renewed_in_flight_or_untouched(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.jsonl"
    journal = Journal(path)
    journal.start_run("r1", kind="renew", portal="p", tasks=BEFORE)
    journal.record_attempt("r1", [1])
    journal.record_results("r1", [TaskResult(1, TaskOutcome.RENEWED)])
    journal.record_attempt("r1", [2])
    # The process dies while writing the results of the second batch.
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"v": 1, "type": "results", "run_id": "r1", "resu')

    run = Journal(path).run("r1")
    assert run is not None
    assert run.crashed
    assert run.outcome_of(1) is TaskOutcome.RENEWED
    assert run.outcome_of(2) is TaskOutcome.RENEWING  # in flight: read the portal to know
    assert run.outcome_of(3) is TaskOutcome.NOT_ATTEMPTED


def test_appending_after_a_torn_line_starts_a_fresh_line(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.write_text('{"v": 1, "type": "run_sta', encoding="utf-8")
    journal = Journal(path)
    journal.start_run("r2", kind="renew", portal="p", tasks=BEFORE[:1])
    assert [r.run_id for r in journal.runs()] == ["r2"]
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[-1])["run_id"] == "r2"


def test_an_unwritable_journal_raises_a_plain_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    journal = Journal(blocker / "journal.jsonl")
    with pytest.raises(JournalError, match="cannot write its journal"):
        journal.start_run("r3", kind="renew", portal="p", tasks=BEFORE)


def test_a_missing_journal_has_no_runs(tmp_path: Path) -> None:
    assert Journal(tmp_path / "none.jsonl").runs() == []


def test_malformed_records_are_skipped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    journal = Journal(path)
    journal.start_run("ok", kind="renew", portal="p", tasks=BEFORE[:1])
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"v": 1, "type": "results", "run_id": "unknown-run", "results": []}\n')
        handle.write('{"v": 1, "type": "run_started", "run_id": "bad"}\n')
    assert [r.run_id for r in journal.runs()] == ["ok"]


def test_an_unreadable_journal_raises_a_plain_error(tmp_path: Path) -> None:
    path = tmp_path / "journal.jsonl"
    path.mkdir()
    with pytest.raises(JournalError, match="cannot read its journal"):
        Journal(path).runs()


def test_a_line_torn_inside_a_cyrillic_letter_is_skipped_not_fatal(tmp_path: Path) -> None:
    """A power cut often cuts the last line mid-title; the runs before it stay readable."""
    path = tmp_path / "journal.jsonl"
    journal = Journal(path)
    titled = [TaskSnapshot(id=1, status=5, title="Счёт для клиента")]
    journal.start_run("r1", kind=RunKind.RENEW, portal="p", tasks=titled)
    journal.record_attempt("r1", [1])
    journal.start_run("r2", kind=RunKind.RENEW, portal="p", tasks=titled)
    whole = path.read_bytes()
    cut = whole.rindex("Счёт".encode()) + 1  # inside the two bytes of the first letter
    path.write_bytes(whole[:cut])

    runs = Journal(path).runs()

    assert [r.run_id for r in runs] == ["r1"]
    assert runs[0].before[1].title == "Счёт для клиента"
    assert runs[0].in_flight == {1}
    # and the journal goes on: the next run starts on a line of its own
    Journal(path).start_run("r3", kind=RunKind.RENEW, portal="p", tasks=titled)
    assert [r.run_id for r in Journal(path).runs()] == ["r1", "r3"]


def test_a_run_the_journal_does_not_have_is_a_typed_error(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.jsonl")
    journal.start_run("r1", kind=RunKind.RETRY, portal="p", tasks=BEFORE, parent="r0")
    assert journal.require("r1").kind is RunKind.RETRY
    with pytest.raises(RunNotFound) as caught:
        journal.require("nope")
    assert caught.value.run_id == "nope"
