"""The in-process adapter: an `httpx.MockTransport` that serves a SandboxPortal.

Works with `httpx.Client` and `httpx.AsyncClient` (any base_url). Transport faults become
the exceptions a real connection would raise: a reset is `httpx.ReadError`, a stalled
answer is `httpx.ReadTimeout` (raised at once, without sleeping). A "slow" fault never
reaches the portal here, so the call is not applied; "lost" faults apply it first.

With a time scale above 0 the portal spends server time as wall time: the async side then
runs each request in a worker thread, so requests overlap as on a real portal and the event
loop never stalls.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import httpx

from b24desk.sandbox.faults import FaultKind
from b24desk.sandbox.protocol import Admission, Effect, Reply, Request

if TYPE_CHECKING:
    from b24desk.sandbox.portal import SandboxPortal


T = TypeVar("T")


async def in_own_thread(function: Callable[[Admission], T], admission: Admission) -> T:
    """Run a blocking portal step in a thread of its own, not the loop's bounded pool:
    a real portal has no cap on requests in flight at this scale."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle_result(value: T) -> None:
        if not future.done():
            future.set_result(value)

    def settle_error(error: BaseException) -> None:
        if not future.done():
            future.set_exception(error)

    def run() -> None:
        try:
            value = function(admission)
        except BaseException as error:
            settle: Callable[[], None] = functools.partial(settle_error, error)
        else:
            settle = functools.partial(settle_result, value)
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits any more
            loop.call_soon_threadsafe(settle)

    threading.Thread(target=run, name="sandbox-request", daemon=True).start()
    return await future


def to_request(request: httpx.Request) -> Request:
    url = request.url
    base = f"{url.scheme}://{url.netloc.decode('ascii')}"
    return Request(
        http_method=request.method,
        path=url.path,  # httpx already percent-decodes it
        query=url.query.decode("ascii"),
        headers={name.lower(): value for name, value in request.headers.items()},
        body=request.content,
        base_url=base,
    )


def _raise_for(effect: Effect, request: httpx.Request) -> None:
    if effect is Effect.RESET:
        raise httpx.ReadError("sandbox: connection reset by peer", request=request)
    raise httpx.ReadTimeout("sandbox: the portal did not answer in time", request=request)


def to_response(reply: Reply, request: httpx.Request) -> httpx.Response:
    if reply.effect is not None:
        _raise_for(reply.effect, request)
    return httpx.Response(reply.status, headers=reply.headers, content=reply.body, request=request)


class SandboxTransport(httpx.MockTransport):
    def __init__(self, portal: SandboxPortal) -> None:
        super().__init__(self._unused)
        self.portal = portal

    @staticmethod
    def _unused(request: httpx.Request) -> httpx.Response:  # pragma: no cover - never called
        raise NotImplementedError

    def _admit(self, request: httpx.Request) -> Admission:
        admission = self.portal.admit(to_request(request))
        if admission.fault is FaultKind.SLOW:
            _raise_for(Effect.TIMEOUT, request)
        return admission

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        if self.portal.config.latency_ms:
            time.sleep(self.portal.config.latency_ms / 1000)
        admission = self._admit(request)
        return to_response(self.portal.complete(admission), request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        if self.portal.config.latency_ms:
            await asyncio.sleep(self.portal.config.latency_ms / 1000)
        admission = self._admit(request)
        if self.portal.config.time_scale > 0:
            reply = await in_own_thread(self.portal.complete, admission)
        else:
            reply = self.portal.complete(admission)
        return to_response(reply, request)
