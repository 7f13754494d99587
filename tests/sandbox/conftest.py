from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sandbox_support import Api, FakeClock

from b24desk.sandbox import PortalConfig, SandboxPortal


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
