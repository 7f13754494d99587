"""Translation for Qt-free code: the core's messages and the command line.

Strings are marked with `translate("Context", "Text {name}")` so that Qt's `lupdate` finds
them next to the window's `self.tr(...)` strings: one `.ts` file per language holds both.
The window routes `translate` through Qt's translator (`install`); the command line, which
must not load Qt, reads the same `.ts` file directly (`load_ts_catalog`). Placeholders are
filled with `str.format` *after* translating, so translators see them and may move them.
"""

from __future__ import annotations

import locale
import os
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from pathlib import Path

Translator = Callable[[str, str], str]

SUPPORTED_LANGUAGES = ("en", "ru")
"""English is the source language; every other entry needs a complete catalog."""

_lock = threading.Lock()
_translator: Translator | None = None


def translate(context: str, text: str) -> str:
    """`text` in the user's language, or unchanged when there is no translation."""
    translator = _translator
    if translator is None:
        return text
    return translator(context, text) or text


def install(translator: Translator | None) -> None:
    """Route `translate` through `translator` (None: back to English)."""
    global _translator
    with _lock:
        _translator = translator


def catalog_dir() -> Path:
    """Where the `.ts`/`.qm` files live, from source and from a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "b24desk" / "ui" / "i18n"
    return Path(__file__).resolve().parents[1] / "ui" / "i18n"


def ts_path(language: str) -> Path:
    return catalog_dir() / f"b24desk_{language}.ts"


def load_ts_catalog(path: Path) -> dict[tuple[str, str], str]:
    """(context, source) -> translation, for finished translations only."""
    catalog: dict[tuple[str, str], str] = {}
    root = ET.parse(path).getroot()
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            if source is None or translation is None:
                continue
            if translation.get("type") in ("unfinished", "vanished", "obsolete"):
                continue
            if translation.text:
                catalog[(name, source)] = translation.text
    return catalog


def catalog_translator(catalog: Mapping[tuple[str, str], str]) -> Translator:
    return lambda context, text: catalog.get((context, text), text)


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The user's language among the supported ones: B24DESK_LANG, then the locale."""
    env = os.environ if environ is None else environ
    candidates = [env.get("B24DESK_LANG", "")]
    candidates += [env.get(name, "") for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")]
    if environ is None:
        candidates.append(locale.getlocale()[0] or "")
    for value in candidates:
        code = value.split(":")[0].split(".")[0].split("_")[0].split("-")[0].lower()
        if code in SUPPORTED_LANGUAGES:
            return code
        if code and code not in ("c", "posix"):
            return "en"
    return "en"


def install_for_language(language: str) -> bool:
    """Install the pure-Python catalog of `language`; False if there is none (English)."""
    if language == "en":
        install(None)
        return True
    path = ts_path(language)
    if not path.is_file():
        install(None)
        return False
    install(catalog_translator(load_ts_catalog(path)))
    return True
