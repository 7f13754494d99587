from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from b24desk.sandbox import PortalConfig, SandboxPortal

BASE = "https://sandbox.invalid"
START = 1_760_000_000.0  # 2025-10-09, a fixed "now" for the fake clock


class FakeClock:
    """The portal's injected clock, moved by hand: limits and expiry without sleeping."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Api:
    """A webhook client on a portal's MockTransport, returning raw httpx responses."""

    def __init__(self, portal: SandboxPortal) -> None:
        self.portal = portal
        self.http = httpx.Client(transport=portal.mock_transport(), base_url=BASE)
        self.url = portal.webhook_url(BASE)

    def call(self, method: str, params: Any = None, **kwargs: Any) -> httpx.Response:
        body = params if params is not None else (kwargs or None)
        if body is None:
            return self.http.post(self.url + method)
        return self.http.post(self.url + method, json=body)

    def ok(self, method: str, params: Any = None, **kwargs: Any) -> Any:
        response = self.call(method, params, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_portal(clock: FakeClock) -> Callable[..., SandboxPortal]:
    def make(**settings: Any) -> SandboxPortal:
        defaults: dict[str, Any] = {"seed": 7, "task_count": 600, "limits": "off"}
        defaults.update(settings)
        return SandboxPortal(PortalConfig(**defaults), clock=clock)

    return make


@pytest.fixture
def make_api(make_portal: Callable[..., SandboxPortal]) -> Iterator[Callable[..., Api]]:
    made: list[Api] = []

    def make(**settings: Any) -> Api:
        api = Api(make_portal(**settings))
        made.append(api)
        return api

    yield make
    for api in made:
        api.close()


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    return make_api()
