"""Demo mode: the window on a built-in sandbox portal, with nothing real touched.

`b24desk --demo` builds a `SandboxPortal` in-process (in a worker thread, so the window shows
at once): a portal of 8,000 tasks, standard rate limits, ~30 ms latency and a fault plan of
occasional server errors, resets and lost answers, which the client and the renew engine
recover from as they would on a real portal. The webhook's user is not an administrator, so
some renews come back "not allowed", as they do for most real admins' colleagues.

Two small scripted events make the demo show what a real portal sometimes does:

* a colleague reopens two of the tasks just before the first renew is confirmed, so the
  pre-check finds that "2 are no longer completed and will be skipped";
* a few tasks (one in 37) fail once with the portal's generic "Action failed" inside the
  batch (what Bitrix24 answers when, say, a workflow holds the task), a failure the engine
  reports rather than retries, so "Retry failed" has something to do.

Both live in `DemoTransport`, a thin layer over the sandbox's in-process transport; the
sandbox itself stays a faithful portal.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import logging
import threading
from typing import Any
from urllib.parse import parse_qs

import httpx

from b24desk.sandbox import FaultPlan, PortalConfig, SandboxPortal, Status
from b24desk.sandbox.transport import SandboxTransport, in_own_thread, to_response

logger = logging.getLogger(__name__)

DEMO_BASE_URL = "https://demo.b24desk.invalid"
DEMO_FAULTS = "seed=2,html500=0.01,reset=0.01,lost=0.01,qle=0.01"
DEMO_TASKS = 8_000
"""Thousands of sample tasks (3,335 completed, 587 of them visible to the demo's user),
built in about 0.35 s: 12,000 took 0.65 s alone and 0.8 s beside the window being made,
most of the wait before the demo's first rows (issue 14: within 1.5 s of start)."""
DEMO_TIME_SCALE = 0.05
"""Wall seconds per second of server time: the demo spends a real portal's time, 20x faster."""
RENEW_METHODS = ("tasks.task.renew", "task.item.renew")
READ_METHOD = "tasks.task.list"
FLAKY_EVERY = 37
"""Task ids divisible by this fail once with "Action failed"."""
ACTION_FAILED = {
    "error": "ERROR_CORE",
    "error_description": (
        "TASKS_ERROR_EXCEPTION_#256; Action failed; 256/TE/ACTION_FAILED_TO_BE_PROCESSED<br>"
    ),
}


def demo_config(
    *,
    task_count: int = DEMO_TASKS,
    latency_ms: float = 30.0,
    faults: str = DEMO_FAULTS,
    limits: str = "standard",
    admin: bool = False,
    time_scale: float | None = None,
) -> PortalConfig:
    """The demo portal: a real portal's server time per call (the docs' figures), run at
    `time_scale` (DEMO_TIME_SCALE: a 22 s batch of renews takes about a second)."""
    return PortalConfig(
        seed=24,
        task_count=task_count,
        limits=limits,  # type: ignore[arg-type]  # checked by PortalConfig itself
        admin=admin,
        latency_ms=latency_ms,
        faults=FaultPlan.parse(faults),
        time_scale=DEMO_TIME_SCALE if time_scale is None else time_scale,
    )


class DemoPortal:
    """The sandbox behind demo mode, created on first use and shared by every client."""

    def __init__(
        self,
        config: PortalConfig | None = None,
        *,
        flaky_every: int = FLAKY_EVERY,
        colleague_reopens: int = 2,
    ) -> None:
        self.config = config or demo_config()
        self.flaky_every = flaky_every
        self.colleague_reopens = colleague_reopens
        self.portal: SandboxPortal | None = None
        self.failed_once: set[int] = set()
        self._building: concurrent.futures.Future[SandboxPortal] | None = None

    @property
    def base_url(self) -> str:
        return DEMO_BASE_URL

    def begin(self) -> None:
        """Start building the sandbox (about 0.35 s for 8,000 tasks) in a thread of its
        own, now: called before the window is made, the portal is ready about when the
        window is, instead of a second after it."""
        if self._building is not None:
            return
        building: concurrent.futures.Future[SandboxPortal] = concurrent.futures.Future()
        self._building = building
        config = self.config

        def build() -> None:
            try:
                building.set_result(SandboxPortal(config))
            except BaseException as error:  # handed to whoever awaits start()
                building.set_exception(error)

        threading.Thread(target=build, name="demo-portal", daemon=True).start()

    async def start(self) -> SandboxPortal:
        """The sandbox, built off the GUI thread once (`begin`, if not begun yet)."""
        if self.portal is not None:
            return self.portal
        self.begin()
        assert self._building is not None
        portal = await asyncio.shield(asyncio.wrap_future(self._building))
        self.portal = portal
        return portal

    def webhook_url(self) -> str:
        return self._started().webhook_url(DEMO_BASE_URL)

    async def transport(self) -> httpx.AsyncBaseTransport:
        return DemoTransport(await self.start(), self)

    def _started(self) -> SandboxPortal:
        if self.portal is None:
            raise RuntimeError("the demo portal is not started yet: await DemoPortal.start()")
        return self.portal

    # -- the two scripted events --------------------------------------------------------

    def fails_now(self, task_id: int) -> bool:
        """Whether renewing `task_id` fails this time (only the first time, one task in N)."""
        if self.flaky_every <= 0 or task_id in self.failed_once:
            return False
        return task_id % self.flaky_every == 0

    def colleague_reopens_some(self, task_ids: list[int]) -> list[int]:
        """Before the first pre-check: reopen a couple of the tasks it is about to read."""
        portal = self._started()
        if self.colleague_reopens <= 0 or len(task_ids) < 3:
            return []
        chosen = [
            task_id
            for task_id in task_ids[1::3]
            if (task := portal.tasks.get(task_id)) is not None and task.status == Status.COMPLETED
        ][: self.colleague_reopens]
        now = portal.clock()
        for task_id in chosen:
            task = portal.tasks[task_id]
            task.status = int(Status.PENDING)
            task.closed_date = None
            task.closed_by = 0
            task.changed_date = task.status_changed_date = now
        self.colleague_reopens = 0
        logger.info("demo: a colleague reopened tasks %s", chosen)
        return chosen


def _batch_commands(request: httpx.Request) -> dict[str, str] | None:
    if not request.url.path.rstrip("/").endswith(("/batch", "/batch.json")):
        return None
    try:
        body = json.loads(request.content)
    except ValueError:
        return None
    commands = body.get("cmd") if isinstance(body, dict) else None
    if not isinstance(commands, dict):
        return None
    return {str(key): str(value) for key, value in commands.items()}


def _command_task(command: str) -> tuple[str, int | None]:
    method, _, query = command.partition("?")
    values = parse_qs(query)
    raw = (values.get("taskId") or values.get("TASKID") or [""])[0]
    return method, int(raw) if raw.isdigit() else None


def _read_ids(command: str) -> list[int]:
    """The ids a re-read by id asks for (`tasks.task.list` with `filter[ID][]`)."""
    method, _, query = command.partition("?")
    if method != READ_METHOD:
        return []
    return [
        int(value)
        for key, values in parse_qs(query).items()
        if key.startswith("filter[ID][")
        for value in values
        if value.isdigit()
    ]


class DemoTransport(SandboxTransport):
    """The sandbox's in-process transport plus the demo's two scripted events.

    The sandbox answers in a worker thread: a chained listing of 2,500 tasks is real
    Python work, and on the GUI thread it would freeze the window the way a real network
    never does.
    """

    def __init__(self, portal: SandboxPortal, demo: DemoPortal) -> None:
        super().__init__(portal)
        self.demo = demo

    async def _forward(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        if self.portal.config.latency_ms:
            await asyncio.sleep(self.portal.config.latency_ms / 1000)
        admission = await asyncio.to_thread(self._admit, request)
        # Its own thread per request: requests spend server time side by side, as on a
        # real portal (the default pool would queue them).
        reply = await in_own_thread(self.portal.complete, admission)
        return to_response(reply, request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        commands = _batch_commands(request)
        if commands is None:
            return await self._forward(request)
        parsed = {key: _command_task(command) for key, command in commands.items()}
        reads = [_read_ids(command) for command in commands.values()]
        if all(reads) and self.demo.colleague_reopens:
            self.demo.colleague_reopens_some([i for ids in reads for i in ids])
        failing = {
            key: task
            for key, (method, task) in parsed.items()
            if method in RENEW_METHODS and task is not None and self.demo.fails_now(task)
        }
        if not failing or len(failing) == len(commands):
            return await self._forward(request)
        # The failing commands never reach the portal, so its state stays truthful.
        body = json.loads(request.content)
        body["cmd"] = {k: v for k, v in commands.items() if k not in failing}
        trimmed = _rebuilt(request, json.dumps(body).encode("utf-8"))
        response = await self._forward(trimmed)
        rewritten = _with_item_errors(response, failing)
        if rewritten is None:
            return response
        self.demo.failed_once.update(failing.values())
        return rewritten


def _rebuilt(request: httpx.Request, content: bytes) -> httpx.Request:
    headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
    return httpx.Request(request.method, request.url, headers=headers, content=content)


def _with_item_errors(response: httpx.Response, failing: dict[str, int]) -> httpx.Response | None:
    """The batch answer with "Action failed" for each failing command; None if not JSON."""
    try:
        payload: Any = json.loads(response.content)
    except ValueError:
        return None
    outer = payload.get("result") if isinstance(payload, dict) else None
    if not isinstance(outer, dict):
        return None
    errors = outer.get("result_error")
    errors = dict(errors) if isinstance(errors, dict) else {}
    errors.update({key: dict(ACTION_FAILED) for key in failing})
    outer["result_error"] = errors
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    return httpx.Response(
        response.status_code,
        headers=headers,
        content=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        request=response.request,
    )
