"""Loop selection for the client's tests: `@pytest.mark.virtual_time` -> VirtualTimeLoop.

(The `looptime` plugin does the same but, once installed, creates a stray event loop in every
sync test of the whole suite, which `filterwarnings = error` turns into failures elsewhere.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping

import pytest
from bitrix_vtime import VirtualTimeLoop


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "virtual_time: run the async test on VirtualTimeLoop")


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], asyncio.AbstractEventLoop]]:
    if item.get_closest_marker("virtual_time"):
        return {"virtual_time": VirtualTimeLoop}
    return {"asyncio": asyncio.new_event_loop}
