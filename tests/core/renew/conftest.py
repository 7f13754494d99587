"""Fixtures for the renew engine's tests: a fresh sandbox portal, client and journal each."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio
from sandbox_harness import Harness, client_for

from b24desk.core.renew.journal import Journal
from b24desk.sandbox import PortalConfig, SandboxPortal


@pytest_asyncio.fixture
async def make_harness(tmp_path: Path) -> AsyncIterator[Callable[..., Harness]]:
    made: list[Harness] = []

    def make(**config: object) -> Harness:
        # A real portal's server time per call (the docs' figures), a thousand times faster.
        settings: dict[str, object] = {
            "seed": 11,
            "task_count": 800,
            "limits": "off",
            "time_scale": 0.001,
        }
        settings.update(config)
        portal = SandboxPortal(PortalConfig(**settings))  # type: ignore[arg-type]
        journal = Journal(tmp_path / f"journal{len(made)}.jsonl")
        harness = Harness(portal, client_for(portal), journal)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        await harness.client.aclose()


@pytest.fixture
def harness(make_harness: Callable[..., Harness]) -> Harness:
    return make_harness()
