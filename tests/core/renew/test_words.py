"""The sentences a waiting or long run shows, in English and Russian."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime

import pytest

from b24desk.core import i18n
from b24desk.core.bitrix.budget import Wait, WaitKind
from b24desk.core.renew.words import time_left, wait_sentence


@pytest.fixture
def russian() -> Iterator[None]:
    catalog = i18n.load_ts_catalog(i18n.ts_path("ru"))
    i18n.install(i18n.catalog_translator(catalog), "ru")
    yield
    i18n.install(None)


def test_the_budget_wait_says_how_much_bitrix24_allows_and_when_it_goes_on() -> None:
    until = time.time() + 300
    text = wait_sentence(Wait(WaitKind.OPERATING_LIMIT, 300, until, "tasks.task.renew", 480))
    at = datetime.fromtimestamp(until).astimezone().strftime("%H:%M")
    assert text == (
        "Bitrix24 allows 8 minutes of its work per 10 minutes for each operation; "
        f"continuing at {at}."
    )


def test_short_waits_say_the_second() -> None:
    until = time.time() + 30
    at = datetime.fromtimestamp(until).astimezone().strftime("%H:%M:%S")
    assert wait_sentence(Wait(WaitKind.QUERY_LIMIT, 30, until)) == (
        f"The portal is busy; trying again at {at}."
    )
    assert at in wait_sentence(Wait(WaitKind.NETWORK, 30, until))


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, ""),
        (20, "less than a minute left"),
        (61, "about 1 minute left"),
        (240, "about 4 minutes left"),
        (5400, "about 1 h 30 min left"),
    ],
)
def test_time_left(seconds: float | None, text: str) -> None:
    assert time_left(seconds) == text


def test_in_russian(russian: None) -> None:
    until = time.time() + 600
    text = wait_sentence(Wait(WaitKind.OPERATING_LIMIT, 600, until, "tasks.task.renew", 480))
    assert text.startswith("Битрикс24 разрешает 8 минут своей работы")  # noqa: RUF001
    assert time_left(240) == "осталось около 4 минут"
    assert time_left(61) == "осталось около 1 минуты"
