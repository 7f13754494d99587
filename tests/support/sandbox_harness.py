"""Helpers shared by the tests that drive the core against the sandbox portal."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from b24desk.core.bitrix.auth import WebhookAuth
from b24desk.core.bitrix.client import BitrixClient
from b24desk.core.credentials import parse_webhook_url
from b24desk.core.model import TaskSnapshot
from b24desk.core.renew.engine import CancelToken, RenewEngine
from b24desk.core.renew.jobs import Precheck, RenewJob, UndoJob
from b24desk.core.renew.journal import Journal
from b24desk.core.renew.records import RunListener, RunReport, TaskEvent
from b24desk.sandbox import SandboxPortal


def client_for(
    portal: SandboxPortal, transport: httpx.AsyncBaseTransport | None = None
) -> BitrixClient:
    address = parse_webhook_url(portal.webhook_url("https://sandbox.invalid"))
    auth = WebhookAuth(address.portal_url, address.user_id, address.code)
    return BitrixClient(auth, transport=transport or portal.mock_transport(), rate_preset=None)


class Harness:
    """A sandbox portal, a client on it, an engine and everything the engine reported."""

    def __init__(self, portal: SandboxPortal, client: BitrixClient, journal: Journal) -> None:
        self.portal = portal
        self.client = client
        self.journal = journal
        self.events: list[TaskEvent] = []
        self.listener = RunListener(on_event=self.events.append)
        self.engine = RenewEngine(
            client, journal, portal="https://sandbox.invalid", round_pause_s=0
        )

    async def renew(
        self,
        tasks: list[TaskSnapshot],
        *,
        skip: dict[int, str] | None = None,
        engine: RenewEngine | None = None,
        token: CancelToken | None = None,
    ) -> RunReport:
        """Send `tasks` straight to the engine (no pre-check), events into `self.events`."""
        return await (engine or self.engine).renew(
            tasks, skip=skip, listener=self.listener, token=token
        )

    async def precheck(
        self, tasks: list[TaskSnapshot], engine: RenewEngine | None = None
    ) -> Precheck:
        plan = await RenewJob(engine or self.engine, tasks).prepare()
        assert plan.check is not None
        return plan.check

    async def retry(self, run_id: str) -> RunReport:
        job = await RenewJob.retry_of(self.engine, run_id, listener=self.listener)
        return await job.run()

    async def undo(self, run_id: str) -> RunReport:
        (report,) = await UndoJob(self.engine, [run_id], listener=self.listener).run()
        return report

    def completed_ids(
        self, count: int, *, where: Callable[..., bool] = lambda t: True
    ) -> list[int]:
        ids = [t.id for t in self.portal.tasks.values() if t.status == 5 and where(t)]
        assert len(ids) >= count, f"the sandbox has only {len(ids)} matching completed tasks"
        return sorted(ids)[:count]
