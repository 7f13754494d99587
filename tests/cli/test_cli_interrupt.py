"""Ctrl+C during `tasks renew` stops after the batch in flight and leaves an exact journal."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import start_sandbox

from b24desk.core import paths
from b24desk.core.renew.journal import Journal

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child needs POSIX signals")
def test_ctrl_c_stops_at_once_and_accounts_for_every_task(tmp_path: Path) -> None:
    # Slow answers: the interrupt comes while batches are on their way.
    for sandbox in start_sandbox(latency_ms=500, task_count=600):
        ids = sandbox.completed_ids(150)
        env = {k: v for k, v in os.environ.items() if not k.startswith("B24DESK_")}
        env[paths.HOME_ENV] = str(tmp_path)
        child = subprocess.Popen(
            [sys.executable, "-m", "b24desk", "tasks", "renew", *map(str, ids), "--json"],
            env={**env, "B24DESK_WEBHOOK": sandbox.url},
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stderr is not None
        seen: list[str] = []
        for line in child.stderr:
            seen.append(line)
            if "reopening: 1 of 150 done" in line:  # the first batch, measuring the portal
                child.send_signal(signal.SIGINT)
                break
        out, rest = child.communicate(timeout=60)
        seen.append(rest)
        assert child.returncode == 1, "".join(seen)

        rows = [json.loads(line) for line in out.splitlines()]
        outcomes = {r["id"]: r["outcome"] for r in rows}
        assert sorted(outcomes) == sorted(ids)  # every task accounted for
        assert set(outcomes.values()) <= {"renewed", "not_attempted", "renewing"}
        renewed = [i for i, o in outcomes.items() if o == "renewed"]
        assert len(renewed) >= 1  # the first batch (1 task) came back before the interrupt
        assert all(sandbox.portal.tasks[i].status == 2 for i in renewed)
        untouched = [i for i, o in outcomes.items() if o == "not_attempted"]
        assert all(sandbox.portal.tasks[i].status == 5 for i in untouched)
        assert "Stopping: nothing more is sent" in "".join(seen)
        run = Journal(tmp_path / "data" / "journal.jsonl").runs()[-1]
        assert run.cancelled
        assert not run.crashed
        # what the report calls in flight is what the journal keeps for the next run to read
        in_flight = [i for i, o in outcomes.items() if o == "renewing"]
        assert run.unsettled() == sorted(in_flight)
