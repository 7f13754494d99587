"""Fault soak: 5,000 completed tasks renewed through limits and a seeded storm of faults.

Runs on virtual time (waits for the rate limit and the operating-time limit take no wall
time), with the sandbox's clock tied to the same loop. At the end the portal, the engine's
report and the journal must tell the same story about every task.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import httpx
import pytest
from vtime import wall_clock

from b24desk.core.bitrix.auth import WebhookAuth
from b24desk.core.bitrix.budget import Wait, WaitKind
from b24desk.core.bitrix.client import BitrixClient
from b24desk.core.bitrix.ratelimit import STANDARD
from b24desk.core.credentials import parse_webhook_url
from b24desk.core.model import COMPLETED, PENDING, TaskOutcome, TaskSnapshot
from b24desk.core.renew.engine import RenewEngine
from b24desk.core.renew.journal import Journal
from b24desk.sandbox import FaultPlan, PortalConfig, SandboxPortal


class CountingTransport(httpx.AsyncBaseTransport):
    """Counts what the wire delivered, so the soak proves the faults really happened."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.seen: Counter[str] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            response = await self.inner.handle_async_request(request)
        except httpx.TransportError as error:
            self.seen[type(error).__name__] += 1
            raise
        self.seen[f"HTTP {response.status_code}"] += 1
        return response


FAULTS = "seed=3,qle=0.03,html500=0.02,reset=0.02,lost=0.02,lostslow=0.01,badjson=0.01,slow=0.01"


@pytest.mark.slow
@pytest.mark.virtual_time
@pytest.mark.asyncio
async def test_fault_soak_5000_tasks_engine_portal_and_journal_agree(tmp_path: Path) -> None:
    clock = wall_clock(asyncio.get_running_loop())
    portal = SandboxPortal(
        PortalConfig(seed=5, task_count=12_000, limits="standard", faults=FaultPlan.parse(FAULTS)),
        clock=clock,
    )
    ids = sorted(t.id for t in portal.tasks.values() if t.status == COMPLETED)[:5000]
    assert len(ids) == 5000
    address = parse_webhook_url(portal.webhook_url("https://sandbox.invalid"))
    auth = WebhookAuth(address.portal_url, address.user_id, address.code)
    journal = Journal(tmp_path / "journal.jsonl")
    started = clock()
    wire = CountingTransport(portal.mock_transport())
    async with BitrixClient(auth, transport=wire, rate_preset=STANDARD, wall_clock=clock) as client:
        engine = RenewEngine(client, journal, portal="sandbox")
        waits: list[Wait] = []
        with client.pacer.budget.watching(waits.append):
            report = await engine.renew([TaskSnapshot(i, COMPLETED) for i in ids])

    counts = Counter(r.outcome for r in report.results.values())
    print(
        f"\nsoak: {len(ids)} tasks, {portal.http_requests} HTTP requests, "
        f"{clock() - started:.0f} s of virtual time; outcomes "
        + ", ".join(f"{o.value}={n}" for o, n in counts.most_common())
        + f"; renew calls run on the portal: {portal.method_calls['tasks.task.renew']}"
        + "; wire: "
        + ", ".join(f"{k}={n}" for k, n in sorted(wire.seen.items()))
    )
    # The storm really happened: rate limits, error pages, resets, timeouts...
    for kind in ("HTTP 503", "HTTP 500", "ReadError", "ReadTimeout"):
        assert wire.seen[kind] > 0, f"no {kind} during the soak"
    # ...and the operating-time budget ran out: the client saw it coming from each answer's
    # `time.operating` and waited for the reset (announced), instead of being refused.
    budget_waits = [w for w in waits if w.kind is WaitKind.OPERATING_LIMIT]
    assert budget_waits
    assert all(w.method == "tasks.task.renew" for w in budget_waits)
    assert client.stats.operation_limit_hits == 0
    assert set(report.results) == set(ids)
    assert counts[TaskOutcome.RENEWED] > 4500, "the fault plan should leave most tasks renewed"

    run = journal.run(report.run_id)
    assert run is not None
    assert not run.crashed
    assert run.in_flight == set()
    mismatches = []
    for task_id in ids:
        reported = report.results[task_id].outcome
        on_portal = portal.tasks[task_id].status
        expected_status = PENDING if reported is TaskOutcome.RENEWED else COMPLETED
        if on_portal != expected_status or run.outcome_of(task_id) is not reported:
            mismatches.append((task_id, reported.value, on_portal, run.outcome_of(task_id).value))
    assert mismatches == []
    # Renewing a task twice would be harmless on the portal but would mean the engine
    # resent a write it should have verified first.
    assert portal.method_calls["tasks.task.renew"] <= 5000 + counts[TaskOutcome.FAILED]
