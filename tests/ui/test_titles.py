"""The task table's title store: titles in shared UTF-8 buffers, searched and sorted folded."""

from __future__ import annotations

import random

import pytest

from b24desk.ui.models import titles as titles_module
from b24desk.ui.models.titles import TitleStore, fold_text

TITLES = [
    "Счёт №5 оплатить",
    "alpha  beta",
    "Alpha",
    "",
    "эмодзи 🎉 party",
    "xa",
    "by",
    "Ёлка\tи  ЕЛЬ",
    "broken \ud800 surrogate",
]


def store_of(titles: list[str]) -> TitleStore:
    store = TitleStore()
    store.extend(titles)
    return store


def rows(mask: bytearray) -> list[int]:
    return [row for row, hit in enumerate(mask) if hit]


@pytest.mark.parametrize("chunk", [1, 3, 4096])
def test_titles_come_back_as_given_across_buffers(monkeypatch, chunk):
    monkeypatch.setattr(titles_module, "CHUNK_ROWS", chunk)
    store = TitleStore()
    for start in range(0, len(TITLES), 2):  # appended in small slices
        store.extend(TITLES[start : start + 2])
    assert len(store) == len(TITLES)
    assert [store[row] for row in range(len(store))] == TITLES
    assert list(store) == TITLES
    assert [store.folded(row) for row in range(len(store))] == [fold_text(t) for t in TITLES]


def test_small_appends_fill_the_last_buffer_up(monkeypatch):
    monkeypatch.setattr(titles_module, "CHUNK_ROWS", 4)
    store = TitleStore()
    for number in range(10):
        store.extend([f"task {number}"])
    assert len(store._chunks) == 3  # 4 + 4 + 2 rows, not ten buffers
    assert store[9] == "task 9"


def test_search_finds_folded_text_and_never_across_two_rows():
    store = store_of(TITLES)
    assert rows(store.matching("счет")) == [0]
    assert rows(store.matching("alpha")) == [1, 2]
    assert rows(store.matching("alpha beta")) == [1]
    assert rows(store.matching("🎉")) == [4]
    assert rows(store.matching("елка и ель")) == [7]
    assert rows(store.matching("ab")) == []  # "xa" then "by": no match over the row break
    assert rows(store.matching("\ud800")) == [8]
    assert rows(store.matching("nothing like it")) == []


@pytest.mark.parametrize("per_row", [0, 1000])
def test_search_within_rows_looks_only_at_them(monkeypatch, per_row):
    monkeypatch.setattr(titles_module, "PER_ROW_SEARCH", per_row)
    store = store_of(TITLES)
    assert rows(store.matching("alpha", [2, 3, 4])) == [2]
    assert rows(store.matching("alpha", iter([0, 1]))) == [1]
    assert rows(store.matching("alpha", [])) == []


def test_a_replaced_title_is_shown_and_searched_the_others_stay(monkeypatch):
    monkeypatch.setattr(titles_module, "CHUNK_ROWS", 3)
    store = store_of(TITLES)
    store.replace(4, "Новое название")
    assert store[4] == "Новое название"
    assert rows(store.matching("новое")) == [4]
    assert rows(store.matching("🎉")) == []
    assert [store[r] for r in range(len(store)) if r != 4] == TITLES[:4] + TITLES[5:]
    assert rows(store.matching("xa")) == [5]  # the row after it, in the same buffer
    store.replace(3, "x")  # the empty title, now a letter: later rows move along
    assert [store[r] for r in (3, 4, 5)] == ["x", "Новое название", "xa"]
    assert rows(store.matching("x")) == [3, 5]


def test_folded_keys_sort_as_the_folded_text_does():
    pool = "aAbZzЁё\u0435\u0415жЖ 🎉é\u00e9\ud800\uffff9"
    picker = random.Random(7)
    titles = ["".join(picker.choice(pool) for _ in range(picker.randint(0, 6))) for _ in range(500)]
    store = store_of(titles)
    keys = store.folded_keys()
    by_bytes = sorted(range(len(titles)), key=keys.__getitem__)
    by_text = sorted(range(len(titles)), key=lambda row: fold_text(titles[row]))
    assert [fold_text(titles[r]) for r in by_bytes] == [fold_text(titles[r]) for r in by_text]
    assert store.folded_keys(10, 20) == keys[10:20]
    assert store.folded_keys(495, 900) == keys[495:]


def test_rows_out_of_range_are_an_index_error():
    store = store_of(["only"])
    with pytest.raises(IndexError):
        store[1]
    with pytest.raises(IndexError):
        store[-1]
    with pytest.raises(IndexError):
        TitleStore()[0]
