"""Sandbox portals for the scenarios, and a probe that watches the requests they answer.

Every scenario gets a fresh portal from the same seed. The data generator is prefix-stable
(tasks come one after another from one random stream), so "exactly N completed tasks" is
reached by cutting the portal at the task where the Nth completed one appears; nothing is
edited by hand.
"""

from __future__ import annotations

import functools
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from b24desk.sandbox import PortalConfig, SandboxPortal, Status
from b24desk.sandbox.access import caller_for, can_read, renew_allowed
from b24desk.sandbox.model import SandboxTask
from b24desk.sandbox.protocol import Admission, Reply, Request
from b24desk.sandbox.server import SandboxHTTPServer
from benchmarks.config import Settings

USER_COUNT = 60
"""The sandbox's default; fixed here because the cut-off search depends on it."""


# --- portals ---------------------------------------------------------------------------------


def list_portal(settings: Settings) -> SandboxPortal:
    """An admin's portal holding exactly `settings.list_tasks` completed tasks."""
    count = _tasks_for_completed(settings.seed, settings.list_tasks)
    portal = SandboxPortal(_config(settings, count, admin=True))
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
    portal = SandboxPortal(_config(settings, count, admin=False))
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
        portal = SandboxPortal(
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
