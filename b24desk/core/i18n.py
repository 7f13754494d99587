"""Translation for Qt-free code: the core's messages and the command line.

Strings are marked with `translate("Context", "Text {name}")` so that Qt's `lupdate` finds
them next to the window's `self.tr(...)` strings: one `.ts` file per language holds both.
The window routes `translate` through Qt's translator (`install`); the command line, which
must not load Qt, reads the same `.ts` file directly (`load_ts_catalog`). Placeholders are
filled with `str.format` *after* translating, so translators see them and may move them.

Texts defined once and shown later (module constants) are marked with `QT_TRANSLATE_NOOP`
where they are written and passed through `translate` where they are shown: the language
is chosen after the modules are imported.

Plurals in Qt-free code: the source holds the English forms separated by `|` ("{n} task|{n}
tasks") and the Russian translation its three forms ("{n} задача|{n} задачи|{n} задач");
`plural(translate(...), n)` picks the form that fits `n`. (Qt's own `%n` numerus forms need
`self.tr` in a QObject, which the core does not have.)
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
Messages = dict[tuple[str, str, str], tuple[str, ...]]
"""(context, source, disambiguation) -> the translation, or its plural forms (numerus)."""

SUPPORTED_LANGUAGES = ("en", "ru")
"""English is the source language; every other entry needs a complete catalog."""

LANGUAGE_ENV = "B24DESK_LANG"

_lock = threading.Lock()
_translator: Translator | None = None
_language = "en"


def translate(context: str, text: str) -> str:
    """`text` in the user's language, or unchanged when there is no translation."""
    translator = _translator
    if translator is None:
        return text
    return translator(context, text) or text


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Mark `text` for translation without translating it (translate where it is shown)."""
    del context
    return text


def plural_index(form_count: int, n: int) -> int:
    """Which of `form_count` plural forms fits `n`: English (one|other) or Russian
    (one|few|many: 1, 21 задача; 2-4, 22 задачи; 5-20, 11-14, 25 задач)."""
    n = abs(n)
    if form_count >= 3:
        if n % 10 == 1 and n % 100 != 11:
            return 0
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return 1
        return 2
    if form_count == 2:
        return 0 if n == 1 else 1
    return 0


def plural(text: str, n: int) -> str:
    """The form of a `|`-separated (translated) text that fits the number `n`."""
    forms = text.split("|")
    return forms[plural_index(len(forms), n)]


def install(translator: Translator | None, language: str = "en") -> None:
    """Route `translate` through `translator` (None: back to English)."""
    global _translator, _language
    with _lock:
        _translator = translator
        _language = language if translator is not None else "en"


def language() -> str:
    """The language `translate` currently speaks ("en" or "ru")."""
    return _language


def catalog_dir() -> Path:
    """Where the `.ts`/`.qm` files live, from source and from a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "b24desk" / "i18n"
    return Path(__file__).resolve().parents[1] / "i18n"


def ts_path(language: str) -> Path:
    return catalog_dir() / f"b24desk_{language}.ts"


_UNUSABLE = ("unfinished", "vanished", "obsolete")


def read_ts(path: Path) -> Messages:
    """Every finished translation of a `.ts` file, plural forms included."""
    messages: Messages = {}
    root = ET.parse(path).getroot()
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            if source is None or translation is None:
                continue
            if translation.get("type") in _UNUSABLE:
                continue
            comment = message.findtext("comment") or ""
            if message.get("numerus") == "yes":
                forms = tuple(form.text or "" for form in translation.iter("numerusform"))
                if forms and all(forms):
                    messages[(name, source, comment)] = forms
            elif translation.text:
                messages[(name, source, comment)] = (translation.text,)
    return messages


def load_ts_catalog(path: Path) -> dict[tuple[str, str], str]:
    """(context, source) -> translation, for finished translations only."""
    return {
        (context, source): forms[0]
        for (context, source, comment), forms in read_ts(path).items()
        if not comment and len(forms) == 1
    }


def catalog_translator(catalog: Mapping[tuple[str, str], str]) -> Translator:
    return lambda context, text: catalog.get((context, text), text)


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The user's language among the supported ones: B24DESK_LANG, then the locale."""
    env = os.environ if environ is None else environ
    candidates = [env.get(LANGUAGE_ENV, "")]
    candidates += [env.get(name, "") for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")]
    if environ is None:
        candidates.append(locale.getlocale()[0] or "")
    for value in candidates:
        code = language_code(value)
        if code in SUPPORTED_LANGUAGES:
            return code
        if code and code not in ("c", "posix"):
            return "en"
    return "en"


def language_code(value: str) -> str:
    """ "ru_RU.UTF-8", "ru-RU", "ru:en" -> "ru"; lower case, possibly unsupported or ""."""
    return value.split(":")[0].split(".")[0].split("_")[0].split("-")[0].strip().lower()


def install_for_language(language: str) -> bool:
    """Install the pure-Python catalog of `language`; False if there is none (English)."""
    if language == "en":
        install(None)
        return True
    path = ts_path(language)
    if not path.is_file():
        install(None)
        return False
    install(catalog_translator(load_ts_catalog(path)), language)
    return True
