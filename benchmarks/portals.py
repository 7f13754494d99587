"""Sandbox portals for the scenarios, and a probe that watches the requests they answer.

Every scenario gets a fresh portal from the same seed. The data generator is prefix-stable
(tasks come one after another from one random stream), so "exactly N completed tasks" is
reached by cutting the portal at the task where the Nth completed one appears; nothing is
edited by hand.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from b24desk.sandbox import PortalConfig, SandboxPortal, Status, datagen
from b24desk.sandbox.access import caller_for, can_read, renew_allowed
from b24desk.sandbox.methods import (
    MethodResult,
    MethodSpec,
    _is_id_cursor_page,
    page_of,
    param,
)
from b24desk.sandbox.model import SandboxTask
from b24desk.sandbox.protocol import Admission, Reply, Request
from b24desk.sandbox.server import SandboxHTTPServer
from b24desk.sandbox.tasklist import FilterContext, TaskFilter, parse_order, sort_tasks
from b24desk.sandbox.taskview import parse_select, resolve_select
from benchmarks.config import Settings

USER_COUNT = 60
"""The sandbox's default; fixed here because the cut-off search depends on it."""


# --- portals ---------------------------------------------------------------------------------


def list_portal(settings: Settings) -> SandboxPortal:
    """An admin's portal holding exactly `settings.list_tasks` completed tasks."""
    count = _tasks_for_completed(settings.seed, settings.list_tasks)
    portal = _portal(_config(settings, count, admin=True))
    found = len(completed_visible(portal))
    if found != settings.list_tasks:  # the generator stopped being prefix-stable
        raise RuntimeError(
            f"expected {settings.list_tasks} completed tasks, the portal has {found}"
        )
    return portal


@dataclass(frozen=True)
class RenewJob:
    portal: SandboxPortal
    task_ids: list[int]
    """What the tool is asked to renew, in the order given to it."""
    blocked_ids: frozenset[int]
    """Completed tasks the webhook user can see but may not renew (an auditor's)."""


def renew_job(settings: Settings, *, blocked: bool) -> RenewJob:
    """A non-admin webhook user's portal and the tasks to renew.

    The user is an ordinary employee: they may renew tasks they created, are responsible for
    or co-execute, and only see those they audit. In the blocked variant, one task in
    `blocked_every` is one of the latter; the portal refuses it with 1048582.
    """
    positions = settings.blocked_positions() if blocked else []
    renewable_needed = settings.renew_tasks - len(positions)
    count = _tasks_for_renew(settings.seed, renewable_needed, len(positions))
    portal = _portal(_config(settings, count, admin=False))
    renewable, refused = _renew_candidates(portal)
    if len(renewable) < renewable_needed or len(refused) < len(positions):
        raise RuntimeError("the sandbox portal has fewer candidate tasks than computed")
    chosen_refused = iter(refused[: len(positions)])
    chosen_renewable = iter(renewable[:renewable_needed])
    blocked_at = set(positions)
    task_ids = [
        next(chosen_refused) if index in blocked_at else next(chosen_renewable)
        for index in range(settings.renew_tasks)
    ]
    return RenewJob(portal, task_ids, frozenset(refused[: len(positions)]))


def completed_visible(portal: SandboxPortal) -> set[int]:
    """Ids of the completed tasks the webhook user can see: what a full listing returns."""
    me = caller_for(portal.data, portal.config.user_id)
    return {t.id for t in portal.tasks.values() if t.status == Status.COMPLETED and can_read(me, t)}


def _config(settings: Settings, task_count: int, *, admin: bool) -> PortalConfig:
    return PortalConfig(
        seed=settings.seed,
        task_count=task_count,
        user_count=USER_COUNT,
        limits=settings.limits,
        admin=admin,
        latency_ms=settings.latency_ms,
        time_scale=settings.time_scale,
        method_cost_s=dict(settings.method_cost_s),
    )


def _portal(config: PortalConfig, clock: Callable[[], float] = time.time) -> SandboxPortal:
    with _linear_datagen():
        return SandboxPortal(config, clock)


@contextmanager
def _linear_datagen() -> Iterator[None]:
    """The sandbox's task generator copies the list of earlier ids for every task (quadratic:
    100,000 tasks take minutes). This one hands `_task` one growing list instead; `_task` only
    picks from it, so the same seed gives the same tasks (tests/benchmarks checks that)."""
    generator = datagen._Generator
    original = generator.tasks

    def tasks(self: Any, count: int, group_ids: list[int]) -> dict[int, SandboxTask]:
        made: dict[int, SandboxTask] = {}
        earlier: list[int] = []
        task_id = 0
        for index in range(count):
            task_id += 1 if self.rng.random() < 0.8 else self.rng.randint(2, 4)
            made[task_id] = self._task(task_id, index, group_ids, earlier)
            earlier.append(task_id)
        return made

    generator.tasks = tasks  # type: ignore[method-assign]
    try:
        yield
    finally:
        generator.tasks = original  # type: ignore[method-assign]


# --- a realistic portal: server time as on a real one, only shorter -----------------------------

RENEW_METHODS = ("tasks.task.renew", "task.item.renew")


@dataclass
class Realism:
    """What `make_realistic` added to a portal: counts the harness reads afterwards."""

    renews: Counter[int] = dataclasses.field(default_factory=Counter)
    """How many renew calls reached each task (the portal ran them)."""

    @property
    def sent_twice(self) -> int:
        """Tasks whose renew ran more than once."""
        return sum(1 for n in self.renews.values() if n > 1)


def make_realistic(portal: SandboxPortal) -> Realism:
    """Adjust a portal with `time_scale > 0` so that wall seconds / scale are portal seconds.

    - The request-rate bucket drains per portal second (2 / scale per wall second), as the
      server time and the operating-time window already do; the clients are told the same.
    - A call's server time includes the sandbox's own Python work instead of adding to it:
      a sub-call sleeps its cost minus the wall time since the previous sub-call of the same
      request ended (a real portal's `time.processing` is its work; the sandbox's rendering
      of 50 rows would otherwise add 10-20 ms of wall time, 0.5-1 s at a scale of 0.02).
    - Offset pages (`start` = 0, 50, ...) filter and sort every task in the sandbox for each
      page; the sorted list is kept per filter, so a 2,000-page offset listing measures the
      client, not the sandbox's CPU. The portal still charges each page its server time.
    - An `ID` list filter on the id-cursor path walks only the listed range (see
      `_bounded_id_list`): b24desk's pre-check reads tasks that way.
    - Renew calls are counted per task (a task renewed twice was sent twice).
    """
    scale = portal.config.time_scale
    if scale <= 0:
        raise ValueError("make_realistic needs a portal with time_scale > 0")
    portal.bucket.drain_per_s = portal.config.rate_plan.drain_per_s / scale
    portal.sleep = _crediting_sleep(portal.sleep)
    _memo_offset_listing(portal)
    realism = Realism()
    for method in RENEW_METHODS:
        _count_calls(portal, method, realism.renews)
    return realism


def _crediting_sleep(sleep: Callable[[float], None]) -> Callable[[float], None]:
    mark = threading.local()

    def crediting(seconds: float) -> None:
        now = time.perf_counter()
        last = getattr(mark, "ended", None)
        credit = now - last if last is not None else 0.0
        if seconds > credit:
            sleep(seconds - credit)
        mark.ended = time.perf_counter()

    return crediting


def _memo_offset_listing(portal: SandboxPortal) -> None:
    """The sandbox's offset branch of `tasks.task.list`, with the sorted matches kept."""
    methods = portal.methods
    spec = methods.table["tasks.task.list"]
    original = spec.handler
    cache: dict[str, list[SandboxTask]] = {}
    lock = threading.Lock()

    def listing(ctx: Any, params: dict[str, Any]) -> MethodResult:
        start = param(params, "start")
        order = parse_order(param(params, "order"))
        if _is_id_cursor_page(order, start):
            return original(ctx, _bounded_id_list(params))
        raw_filter = param(params, "filter")
        key = json.dumps(
            [ctx.caller.user.id, raw_filter, param(params, "order")], sort_keys=True, default=str
        )
        with lock:
            tasks = cache.get(key)
            if tasks is None:
                context = FilterContext(ctx.caller, ctx.now, methods.config.utc_offset_minutes)
                matches = TaskFilter(context).compile(raw_filter)
                tasks = [
                    t for t in methods.data.tasks.values() if can_read(ctx.caller, t) and matches(t)
                ]
                sort_tasks(tasks, order, methods.data)
                cache[key] = tasks
        select = resolve_select(parse_select(param(params, "select")))
        extras = param(params, "params")
        extras = extras if isinstance(extras, dict) else {}
        page, total, following = page_of(tasks, start)
        view = methods._view(ctx)
        rows = [view.list_row(task, select, extras) for task in page]
        return MethodResult({"tasks": rows}, total, following)

    methods.table["tasks.task.list"] = dataclasses.replace(spec, handler=listing)


_ID_BOUND_KEYS = frozenset({">ID", ">=ID", "<ID", "<=ID"})


def _bounded_id_list(params: dict[str, Any]) -> dict[str, Any]:
    """`filter: {ID: [ids]}` on the id-cursor path: the sandbox walks every id from the
    lowest (its bounds only read `>ID`-style keys), 0.1-0.3 s of CPU a page on a portal of
    80,000 tasks. The same filter with `>=ID`/`<=ID` around the list selects the same tasks
    and walks only that range. A page whose `>ID` is an array (a chained reference past the
    end) matches nothing in the sandbox; `<=ID 0` says so without walking all ids."""
    for key, value in params.items():
        if str(key).lower() != "filter" or not isinstance(value, dict):
            continue
        bounds = [v for k, v in value.items() if str(k).strip().upper() in _ID_BOUND_KEYS]
        if any(isinstance(v, list | dict) for v in bounds):
            # A chained page past the end: its `>ID` reference into a short page left an
            # array, which the sandbox matches with nothing, after walking every id.
            return {**params, key: {**value, "<=ID": 0}}
        ids = next(
            (v for k, v in value.items() if str(k).strip().upper() == "ID" and isinstance(v, list)),
            None,
        )
        numbers = [int(i) for i in ids or [] if str(i).strip().isdigit()]
        if not numbers or any(str(k).strip().upper() in (">=ID", "<=ID") for k in value):
            return params
        bounded = {**value, ">=ID": min(numbers), "<=ID": max(numbers)}
        return {**params, key: bounded}
    return params


def _count_calls(portal: SandboxPortal, method: str, counts: Counter[int]) -> None:
    spec: MethodSpec | None = portal.methods.table.get(method)
    if spec is None:
        return
    original = spec.handler
    lock = threading.Lock()

    def counted(ctx: Any, params: dict[str, Any]) -> MethodResult:
        raw = param(params, "taskId", param(params, "TASKID"))
        if raw is None and isinstance(params.get("0"), int | str):
            raw = params["0"]
        try:
            task_id = int(str(raw))
        except ValueError:
            task_id = 0
        with lock:
            counts[task_id] += 1
        return original(ctx, params)

    portal.methods.table[method] = dataclasses.replace(spec, handler=counted)


def _renew_candidates(portal: SandboxPortal) -> tuple[list[int], list[int]]:
    me = caller_for(portal.data, portal.config.user_id)
    renewable: list[int] = []
    refused: list[int] = []
    for task in sorted(portal.tasks.values(), key=lambda t: t.id):
        if task.status != Status.COMPLETED or not can_read(me, task):
            continue
        (renewable if renew_allowed(me, task) else refused).append(task.id)
    return renewable, refused


@functools.lru_cache(maxsize=8)
def _tasks_for_completed(seed: int, wanted: int) -> int:
    """The smallest task count whose portal has `wanted` completed tasks (admin sees all)."""

    def is_completed(task: SandboxTask) -> tuple[bool, bool]:
        return task.status == Status.COMPLETED, False

    return _cut_off(seed, admin=True, classify=lambda _portal: is_completed, needs=(wanted, 0))


@functools.lru_cache(maxsize=8)
def _tasks_for_renew(seed: int, renewable: int, refused: int) -> int:
    """The smallest task count giving enough renewable and refused tasks to a non-admin."""

    def classifier(portal: SandboxPortal) -> Callable[[SandboxTask], tuple[bool, bool]]:
        me = caller_for(portal.data, portal.config.user_id)

        def classify(task: SandboxTask) -> tuple[bool, bool]:
            if task.status != Status.COMPLETED or not can_read(me, task):
                return False, False
            allowed = renew_allowed(me, task)
            return allowed, not allowed

        return classify

    return _cut_off(seed, admin=False, classify=classifier, needs=(renewable, refused))


def _cut_off(
    seed: int,
    *,
    admin: bool,
    classify: Callable[[SandboxPortal], Callable[[SandboxTask], tuple[bool, bool]]],
    needs: tuple[int, int],
) -> int:
    size = max(200, 3 * sum(needs))
    while True:
        portal = _portal(
            PortalConfig(seed=seed, task_count=size, user_count=USER_COUNT, admin=admin)
        )
        judge = classify(portal)
        first, second = 0, 0
        # Dict order is generation order: the first `index + 1` tasks form that smaller portal.
        for index, task in enumerate(portal.tasks.values()):
            a, b = judge(task)
            first, second = first + a, second + b
            if first >= needs[0] and second >= needs[1]:
                return index + 1
        size *= 2


# --- the probe -------------------------------------------------------------------------------


class Probe:
    """Counts what the portal answered, and tells when it has nothing left in hand.

    The sandbox counts requests and method calls but not answers by HTTP status, and has no
    notion of requests in flight; both are added here by wrapping the two request steps
    the loopback server calls on the portal instance.
    """

    def __init__(self, portal: SandboxPortal) -> None:
        self.portal = portal
        self.statuses: Counter[int] = Counter()
        self.in_flight = 0
        self.hang_ups = 0
        """Answers the client did not wait for (connection closed before the reply)."""
        self.busy_s = 0.0
        """Time the portal spent running requests (summed; they may overlap)."""
        self._lock = threading.Lock()
        admit, complete = portal.admit, portal.complete

        def counted_admit(request: Request) -> Admission:
            with self._lock:
                self.in_flight += 1
            return admit(request)

        def counted_complete(admission: Admission) -> Reply:
            started = time.perf_counter()
            try:
                reply = complete(admission)
            finally:
                with self._lock:
                    self.in_flight -= 1
                    self.busy_s += time.perf_counter() - started
            with self._lock:
                self.statuses[reply.status] += 1
            return reply

        # Instance attributes shadow the methods; only this portal object is affected.
        portal.admit = counted_admit  # type: ignore[method-assign]
        portal.complete = counted_complete  # type: ignore[method-assign]

    @property
    def rejected_503(self) -> int:
        return self.statuses[503]

    def wait_until_idle(self, quiet_s: float, timeout_s: float = 30.0) -> bool:
        """Wait until no request is being handled and none arrived for `quiet_s` seconds.

        A client that gave up (or raised) may leave requests the server still runs; the
        portal's final state is read only once they are done.
        """
        deadline = time.monotonic() + timeout_s
        seen = self.portal.http_requests
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(min(0.05, quiet_s))
            now_seen = self.portal.http_requests
            # A request the gateway cut off (504) is answered but its work still runs.
            if now_seen != seen or self.in_flight or self.portal.requests_running:
                seen, quiet_since = now_seen, time.monotonic()
            elif time.monotonic() - quiet_since >= quiet_s:
                return True
        return False


@contextmanager
def server_workarounds(probe: Probe) -> Iterator[None]:
    """Count the answers a client hung up on (the server itself only logs them at DEBUG).

    fast_bitrix24 closes its connections when it raises with batches still in flight; the
    portal ran those calls, and the table says so.
    """
    original_error = SandboxHTTPServer.handle_error

    def handle_error(server: SandboxHTTPServer, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            probe.hang_ups += 1
        original_error(server, request, client_address)

    SandboxHTTPServer.handle_error = handle_error  # type: ignore[method-assign, assignment]
    try:
        yield
    finally:
        SandboxHTTPServer.handle_error = original_error  # type: ignore[method-assign]


def statuses_of(portal: SandboxPortal) -> dict[int, int]:
    return {task.id: task.status for task in portal.tasks.values()}


def iter_changed(before: dict[int, int], portal: SandboxPortal) -> Iterator[int]:
    for task_id, status in before.items():
        task = portal.tasks.get(task_id)
        if task is None or task.status != status:
            yield task_id
