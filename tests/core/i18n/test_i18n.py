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
