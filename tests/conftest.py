from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

# Without a display Qt aborts the process; tests never need a real screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DOCS_FIXTURES = Path(__file__).parent / "fixtures" / "bitrix24-docs"


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], asyncio.AbstractEventLoop]]:
    """`@pytest.mark.virtual_time` tests run on VirtualTimeLoop; tests/ui overrides this."""
    if item.get_closest_marker("virtual_time"):
        from vtime import VirtualTimeLoop

        return {"virtual_time": VirtualTimeLoop}
    return {"asyncio": asyncio.new_event_loop}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "allow_error_logs: the test expects ERROR records from b24desk loggers"
    )


@pytest.fixture
def docs_fixtures() -> Path:
    return DOCS_FIXTURES


@pytest.fixture(autouse=True)
def _fail_on_unexpected_error_logs(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    """An ERROR logged by b24desk that no test asked for is a bug, even if the test passed."""
    caplog.set_level(logging.INFO, logger="b24desk")
    yield
    if request.node.get_closest_marker("allow_error_logs"):
        return
    errors = [
        r
        for r in caplog.get_records("call")
        if r.levelno >= logging.ERROR and r.name.startswith("b24desk")
    ]
    if errors:
        pytest.fail("unexpected error log: " + "; ".join(r.getMessage() for r in errors))
