"""Helpers shared by the sandbox tests (a uniquely named module, unlike conftest)."""

from __future__ import annotations

from typing import Any

import httpx

from b24desk.sandbox import SandboxPortal

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
