"""One run per portal at a time: a second window or command is told, never settles a live run."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import httpx
import pytest
from sandbox_harness import Harness, client_for

from b24desk.core.model import COMPLETED, TaskOutcome, TaskSnapshot
from b24desk.core.renew.engine import RenewEngine
from b24desk.core.renew.jobs import RenewJob, UndoJob
from b24desk.core.renew.runlock import PortalLock, RunInProgress

pytestmark = pytest.mark.asyncio

REPO = Path(__file__).resolve().parents[3]


class HoldSecondRenewBatch(httpx.AsyncBaseTransport):
    """A transport that lets the first renew batch through, then holds the next one."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.batches = 0
        self.held = asyncio.Event()
        self.release = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if b"tasks.task.renew" in request.content:
            self.batches += 1
            if self.batches == 2:
                self.held.set()
                await self.release.wait()
        return await self.inner.handle_async_request(request)


async def test_a_second_instance_is_told_and_leaves_the_live_run_alone(harness: Harness) -> None:
    ids = harness.completed_ids(60)
    wire = HoldSecondRenewBatch(harness.portal.mock_transport())
    first = RenewEngine(
        client_for(harness.portal, wire),
        harness.journal,
        portal=harness.engine.portal,
    )
    running = asyncio.ensure_future(
        RenewJob(first, [TaskSnapshot(i, COMPLETED) for i in ids]).run()
    )
    await asyncio.wait_for(wire.held.wait(), 5)

    # the second "instance": its own engine on the same journal and portal
    second = harness.engine
    with pytest.raises(RunInProgress) as told:
        await RenewJob(second, [TaskSnapshot(ids[0], COMPLETED)]).prepare()
    assert harness.engine.portal in str(told.value)
    with pytest.raises(RunInProgress):
        await second.recover_crashed()
    (live,) = harness.journal.runs()
    assert live.crashed  # still running: nobody closed it behind the owner's back
    assert live.in_flight  # its second batch is on its way

    wire.release.set()
    report = await running
    await first.client.aclose()
    assert sorted(report.ids_with(TaskOutcome.RENEWED)) == ids
    # once it is over, the second instance goes ahead
    (undone,) = await UndoJob(second, [report.run_id]).run()
    assert undone.counts()[TaskOutcome.RECOMPLETED] + undone.counts()[TaskOutcome.SKIPPED] == 60


async def test_another_process_holding_the_portal_is_named(
    tmp_path: Path, harness: Harness
) -> None:
    lock = PortalLock(harness.journal.path, harness.engine.portal)
    holder = subprocess.Popen(  # noqa: ASYNC220 - a second process must hold the lock
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from pathlib import Path
                from b24desk.core.renew.runlock import PortalLock
                lock = PortalLock(Path({str(harness.journal.path)!r}), {harness.engine.portal!r})
                lock.acquire()
                print("held", flush=True)
                sys.stdin.readline()
                """
            ),
        ],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RunInProgress) as told:
            lock.acquire()
        assert told.value.pid == holder.pid
        assert f"process {holder.pid}" in str(told.value)
        assert lock.held_elsewhere()
    finally:
        holder.communicate("\n", timeout=10)
    # the holder is gone (its lock went with it): the portal is free again
    assert not lock.held_elsewhere()
    with lock:
        assert lock.path.read_text(encoding="utf-8") == str(os.getpid())
