"""An append-only JSON Lines journal of renew and undo runs.

Every run is written as it happens: the plan with each task's state before, an `attempt`
record before a batch is sent, and the batch's results after. Each write is flushed and
fsynced, so after a crash the journal tells which tasks were renewed for sure, which were
in flight (their fate must be read from the portal) and which were never attempted.
The journal holds task ids, statuses and dates, never a credential.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from b24desk.core.i18n import translate
from b24desk.core.model import TaskOutcome, TaskSnapshot
from b24desk.core.redact import redacted_logger
from b24desk.core.renew.records import RunKind, RunNotFound, RunRecord, RunReport, TaskResult

log = redacted_logger(__name__)

FORMAT_VERSION = 1


class JournalError(Exception):
    """The journal cannot be written; the run must not go ahead unrecorded."""

    partial_report: RunReport | None = None
    """Set when a run stopped for it: what the run had done by then (those tasks changed on
    the portal even though the journal could not record them)."""


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def new_run_id(now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d-%H%M%S")
    return f"{stamp}-{uuid.uuid4().hex[:6]}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _snapshot_from(data: dict[str, Any]) -> TaskSnapshot:
    return TaskSnapshot(
        id=int(data["id"]),
        status=int(data["status"]),
        closed_date=data.get("closed_date"),
        closed_by=int(data.get("closed_by") or 0),
        changed_date=data.get("changed_date"),
        title=str(data.get("title") or ""),
        status_changed_date=data.get("status_changed_date"),
        status_changed_by=int(data.get("status_changed_by") or 0),
        deadline=data.get("deadline"),
    )


def _result_to_json(result: TaskResult) -> dict[str, Any]:
    return {
        "id": result.id,
        "outcome": result.outcome.value,
        "reason": result.reason,
        "code": result.code,
        "after": asdict(result.after) if result.after else None,
    }


def _result_from(data: dict[str, Any]) -> TaskResult:
    after = data.get("after")
    return TaskResult(
        id=int(data["id"]),
        outcome=TaskOutcome(data["outcome"]),
        reason=str(data.get("reason", "")),
        code=str(data.get("code", "")),
        after=_snapshot_from(after) if after else None,
    )


class Journal:
    def __init__(self, path: Path) -> None:
        self.path = path

    # -- writing ------------------------------------------------------------------------

    def _append(self, record: dict[str, Any]) -> None:
        line = json.dumps({"v": FORMAT_VERSION, **record}, ensure_ascii=False) + "\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a+b") as handle:
                handle.seek(0, os.SEEK_END)
                if handle.tell() > 0:
                    handle.seek(-1, os.SEEK_END)
                    # A crash can leave a torn last line; never glue a record onto it.
                    if handle.read(1) != b"\n":
                        handle.write(b"\n")
                handle.write(line.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise JournalError(
                translate(
                    "Journal",
                    "b24desk cannot write its journal at {path} ({reason}). Free some disk "
                    "space or check the folder's permissions, then try again.",
                ).format(path=self.path, reason=_reason(exc))
            ) from exc

    def start_run(
        self,
        run_id: str,
        *,
        kind: RunKind,
        portal: str,
        tasks: Sequence[TaskSnapshot],
        parent: str | None = None,
    ) -> None:
        self._append(
            {
                "type": "run_started",
                "run_id": run_id,
                "kind": RunKind(kind).value,
                "portal": portal,
                "parent": parent,
                "at": _now(),
                "tasks": [asdict(t) for t in tasks],
            }
        )

    def record_attempt(self, run_id: str, task_ids: Iterable[int]) -> None:
        self._append({"type": "attempt", "run_id": run_id, "at": _now(), "ids": list(task_ids)})

    def record_results(self, run_id: str, results: Sequence[TaskResult]) -> None:
        self._append(
            {
                "type": "results",
                "run_id": run_id,
                "at": _now(),
                "results": [_result_to_json(r) for r in results],
            }
        )

    def finish_run(self, run_id: str, *, cancelled: bool) -> None:
        self._append(
            {"type": "run_finished", "run_id": run_id, "at": _now(), "cancelled": cancelled}
        )

    # -- reading ------------------------------------------------------------------------

    def _records(self) -> Iterator[dict[str, Any]]:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise JournalError(
                translate(
                    "Journal",
                    "b24desk cannot read its journal at {path} ({reason}). Check the file and "
                    "its folder's permissions, then try again.",
                ).format(path=self.path, reason=_reason(exc))
            ) from exc
        for number, raw in enumerate(data.split(b"\n"), start=1):
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                # Only a crash mid-write produces this (often inside a multi-byte letter of
                # a title); the records around it still count.
                log.warning("journal %s: line %d is torn and was skipped", self.path, number)
                continue
            if isinstance(record, dict):
                yield record

    def runs(self) -> list[RunRecord]:
        """Every run in the journal, oldest first."""
        runs: dict[str, RunRecord] = {}
        for record in self._records():
            try:
                self._apply(runs, record)
            except (KeyError, TypeError, ValueError):
                log.warning(
                    "journal %s: a malformed %s record was skipped", self.path, record.get("type")
                )
        return list(runs.values())

    def run(self, run_id: str) -> RunRecord | None:
        return next((r for r in self.runs() if r.run_id == run_id), None)

    def require(self, run_id: str) -> RunRecord:
        """The run `run_id`; RunNotFound when the journal has none."""
        run = self.run(run_id)
        if run is None:
            raise RunNotFound(run_id)
        return run

    @staticmethod
    def _apply(runs: dict[str, RunRecord], record: dict[str, Any]) -> None:
        kind = record.get("type")
        run_id = str(record["run_id"])
        if kind == "run_started":
            before = {s.id: s for s in (_snapshot_from(t) for t in record["tasks"])}
            runs[run_id] = RunRecord(
                run_id=run_id,
                kind=RunKind(record["kind"]),
                portal=str(record["portal"]),
                started_at=str(record["at"]),
                parent=record.get("parent"),
                before=before,
            )
            return
        run = runs[run_id]
        if kind == "attempt":
            run.in_flight.update(int(i) for i in record["ids"])
        elif kind == "results":
            for item in record["results"]:
                result = _result_from(item)
                run.results[result.id] = result
                run.result_at[result.id] = str(record.get("at") or "")
                run.in_flight.discard(result.id)
        elif kind == "run_finished":
            run.finished_at = str(record["at"])
            run.cancelled = bool(record.get("cancelled"))
