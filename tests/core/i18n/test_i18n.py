from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from b24desk.core import i18n

TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>Errors</name>
    <message>
        <source>The portal {name} is down.</source>
        <translation>Портал {name} недоступен.</translation>
    </message>
    <message>
        <source>Not yet translated</source>
        <translation type="unfinished">Черновик</translation>
    </message>
</context>
</TS>
"""


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    yield
    i18n.install(None)


def test_untranslated_text_passes_through() -> None:
    assert i18n.translate("Errors", "Anything") == "Anything"


def test_a_ts_catalog_translates_finished_messages_only(tmp_path: Path) -> None:
    path = tmp_path / "b24desk_ru.ts"
    path.write_text(TS, encoding="utf-8")
    i18n.install(i18n.catalog_translator(i18n.load_ts_catalog(path)))
    text = i18n.translate("Errors", "The portal {name} is down.").format(name="acme")
    assert text == "Портал acme недоступен."
    assert i18n.translate("Errors", "Not yet translated") == "Not yet translated"
    assert i18n.translate("Other", "The portal {name} is down.") == "The portal {name} is down."


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"B24DESK_LANG": "ru"}, "ru"),
        ({"B24DESK_LANG": "en", "LANG": "ru_RU.UTF-8"}, "en"),
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LC_ALL": "ru_UA.UTF-8"}, "ru"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
    ],
)
def test_system_language(environ: dict[str, str], expected: str) -> None:
    assert i18n.system_language(environ) == expected


def test_a_missing_catalog_falls_back_to_english(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(i18n, "catalog_dir", lambda: tmp_path)
    assert i18n.install_for_language("ru") is False
    assert i18n.translate("Errors", "x") == "x"


# -- plurals ---------------------------------------------------------------------------------

RUSSIAN_TASKS = "{n} задача|{n} задачи|{n} задач"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "0 задач"),
        (1, "1 задача"),
        (2, "2 задачи"),
        (3, "3 задачи"),
        (4, "4 задачи"),
        (5, "5 задач"),
        (11, "11 задач"),
        (12, "12 задач"),
        (14, "14 задач"),
        (21, "21 задача"),
        (22, "22 задачи"),
        (25, "25 задач"),
        (101, "101 задача"),
        (111, "111 задач"),
        (112, "112 задач"),
        (1024, "1024 задачи"),
    ],
)
def test_russian_plural_forms(n: int, expected: str) -> None:
    assert i18n.plural(RUSSIAN_TASKS, n).format(n=n) == expected


@pytest.mark.parametrize(("n", "expected"), [(0, "0 tasks"), (1, "1 task"), (2, "2 tasks")])
def test_english_plural_forms(n: int, expected: str) -> None:
    assert i18n.plural("{n} task|{n} tasks", n).format(n=n) == expected


def test_a_text_without_forms_is_used_as_is() -> None:
    assert i18n.plural("Задач: {n}", 5) == "Задач: {n}"


def test_an_untranslated_plural_keeps_english_grammar_under_russian() -> None:
    # A Russian catalog without this text gives the English source: two forms, English rule.
    assert i18n.plural("{n} task|{n} tasks", 21).format(n=21) == "21 tasks"


def test_the_plural_rule_agrees_with_a_translated_core_message(tmp_path: Path) -> None:
    path = tmp_path / "b24desk_ru.ts"
    path.write_text(
        TS.replace(
            "</context>",
            "<message><source>{n} task|{n} tasks</source>"
            f"<translation>{RUSSIAN_TASKS}</translation></message></context>",
        ),
        encoding="utf-8",
    )
    i18n.install(i18n.catalog_translator(i18n.load_ts_catalog(path)), "ru")
    text = i18n.translate("Errors", "{n} task|{n} tasks")
    assert [i18n.plural(text, n).format(n=n) for n in (1, 3, 7)] == [
        "1 задача",
        "3 задачи",
        "7 задач",
    ]
    assert i18n.language() == "ru"


# -- the catalog reader ----------------------------------------------------------------------

NUMERUS_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%Ln task(s)</source>
        <translation>
            <numerusform>%Ln задача</numerusform>
            <numerusform>%Ln задачи</numerusform>
            <numerusform>%Ln задач</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln file(s)</source>
        <translation>
            <numerusform>%Ln файл</numerusform>
            <numerusform></numerusform>
            <numerusform>%Ln файлов</numerusform>
        </translation>
    </message>
    <message>
        <source>to</source>
        <comment>the end of a date range</comment>
        <translation>по</translation>
    </message>
</context>
</TS>
"""


def test_read_ts_keeps_plural_forms_and_disambiguations(tmp_path: Path) -> None:
    path = tmp_path / "b24desk_ru.ts"
    path.write_text(NUMERUS_TS, encoding="utf-8")
    messages = i18n.read_ts(path)
    assert messages[("MainWindow", "%Ln task(s)", "")] == ("%Ln задача", "%Ln задачи", "%Ln задач")
    assert messages[("MainWindow", "to", "the end of a date range")] == ("по",)
    # A plural with an empty form is unfinished: better English than a blank.
    assert ("MainWindow", "%Ln file(s)", "") not in messages
    # The command line's catalog holds plain texts only.
    assert i18n.load_ts_catalog(path) == {}


def test_install_for_language_reads_the_shipped_russian_catalog() -> None:
    assert i18n.install_for_language("ru") is True
    assert i18n.language() == "ru"
    assert i18n.translate("Cli", "the window is not available yet") == "окно пока недоступно"
    assert i18n.install_for_language("en") is True
    assert i18n.language() == "en"
    assert i18n.translate("Cli", "the window is not available yet") == (
        "the window is not available yet"
    )
