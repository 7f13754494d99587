"""The window's language: which one, installing it, and numbers and dates to match.

The language is, in this order: `B24DESK_LANG` (en or ru), the choice made in View >
Language (kept in the settings), the system's UI language (`QLocale.system()`), English.

Translations come from the `.ts` catalogs in `b24desk/i18n/`, which the window and the
command line both read. From source they are read directly by `CatalogTranslator` (a
`QTranslator` over the parsed `.ts`, plural forms included), so running from a checkout
needs no build step; a frozen bundle uses the `.qm` files that `packaging/build.sh` compiles
with `pyside6-lrelease`, and falls back to the `.ts` when they are missing.
Both give the same texts (a test compares them). Qt's own dialogs and buttons speak the
language too (`qtbase_ru.qm`, shipped with PySide6).

The core's `translate()` is routed through Qt's translators while the window runs, so the
window and the core share one catalog. Switching the language takes effect at once:
`installTranslator` sends every widget a LanguageChange event, and the widgets re-read
their texts (`retranslate_ui`); `generation()` tells caches of translated texts to renew.

To update the catalogs after changing texts, then translate what lupdate marks unfinished
(English needs only the plural forms of `self.tr("%Ln task(s)", "", n)` texts; tests/i18n
fails until every Russian text is translated):

    files=$(find b24desk -name '*.py' -not -path '*/sandbox/*' | sort)
    .venv/bin/pyside6-lupdate $files -locations none -no-obsolete \\
        -ts b24desk/i18n/b24desk_ru.ts
    .venv/bin/pyside6-lupdate $files -locations none -no-obsolete -pluralonly \\
        -ts b24desk/i18n/b24desk_en.ts
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import (
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    QTranslator,
)

from b24desk.core import i18n
from b24desk.core.i18n import QT_TRANSLATE_NOOP

logger = logging.getLogger(__name__)

K = TypeVar("K")

LANGUAGE_KEY = "ui/language"
SYSTEM = "system"
"""The saved choice that follows the system's language."""
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}
"""Each language named in itself, as language menus do."""

_LOCALES = {
    "en": (QLocale.Language.English, QLocale.Country.UnitedStates),
    "ru": (QLocale.Language.Russian, QLocale.Country.Russia),
}
# English keeps the unambiguous ISO dates b24desk always showed; Russian uses its locale's
# short formats (QLocale("ru_RU"): dd.MM.yyyy HH:mm), written here for strftime.
_DATE_TIME_FORMATS = {"en": "%Y-%m-%d %H:%M", "ru": "%d.%m.%Y %H:%M"}
_SECONDS_FORMATS = {"en": "%Y-%m-%d %H:%M:%S", "ru": "%d.%m.%Y %H:%M:%S"}
_DATE_EDIT_FORMATS = {"en": "yyyy-MM-dd", "ru": "dd.MM.yyyy"}
_CSV_DELIMITERS = {"en": ",", "ru": ";"}  # Russian Excel splits CSV columns at ";"

# Texts of Qt's own file dialog that Qt's Russian catalog (qtbase_ru) lacks in Qt 6: b24desk's
# catalog fills them in (Qt asks it after its own).
QT_CATALOG_GAPS = (
    QT_TRANSLATE_NOOP("QFileDialog", "&Look in:"),
    QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:"),
)

_installed: list[QTranslator] = []
_generation = 0


class CatalogTranslator(QTranslator):
    """A QTranslator over a parsed `.ts` catalog: no compiled `.qm` needed."""

    def __init__(
        self, messages: i18n.Messages, language: str, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._messages = messages
        self._language = language

    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        forms = self._messages.get((context, source_text, disambiguation or ""))
        if forms is None and disambiguation:
            forms = self._messages.get((context, source_text, ""))
        if not forms:
            # Not ours. A null QString (None), not "": Qt then asks the next translator and
            # finally keeps the source; an empty string would count as the translation.
            return None
        if len(forms) == 1:
            return forms[0]
        return forms[i18n.plural_index(len(forms), n)]

    def isEmpty(self) -> bool:
        return not self._messages

    def language(self) -> str:
        return self._language


def system_language() -> str:
    """The first supported language among the system's preferred UI languages."""
    system = QLocale.system()
    for name in [*system.uiLanguages(), system.name()]:
        code = i18n.language_code(name)
        if code in i18n.SUPPORTED_LANGUAGES:
            return code
    return "en"


def saved_choice(settings: QSettings) -> str:
    """What View > Language says: "system", "en" or "ru"."""
    value = settings.value(LANGUAGE_KEY)
    return value if isinstance(value, str) and value in i18n.SUPPORTED_LANGUAGES else SYSTEM


def save_choice(settings: QSettings, choice: str) -> None:
    if choice != SYSTEM and choice not in i18n.SUPPORTED_LANGUAGES:
        raise ValueError(f"not a language b24desk speaks: {choice!r}")
    settings.setValue(LANGUAGE_KEY, choice)
    settings.sync()


def chosen_language(settings: QSettings | None, environ: Mapping[str, str] | None = None) -> str:
    """B24DESK_LANG, else the saved choice, else the system's language."""
    env = os.environ if environ is None else environ
    forced = i18n.language_code(env.get(i18n.LANGUAGE_ENV, ""))
    if forced in i18n.SUPPORTED_LANGUAGES:
        return forced
    choice = saved_choice(settings) if settings is not None else SYSTEM
    return system_language() if choice == SYSTEM else choice


def language_from_choice(choice: str) -> str:
    return system_language() if choice == SYSTEM else choice


def _qt_translations_dirs() -> list[Path]:
    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        dirs.append(Path(bundle) / "PySide6" / "Qt" / "translations")
    return dirs


def qt_translator(language: str) -> QTranslator | None:
    """Qt's own strings (standard buttons, file dialogs) in `language`."""
    translator = QTranslator()
    for folder in _qt_translations_dirs():
        if translator.load(f"qtbase_{language}", str(folder)):
            return translator
    logger.info("Qt's own %s translation was not found", language)
    return None


def app_translator(language: str, *, prefer_compiled: bool | None = None) -> QTranslator | None:
    """b24desk's catalog for `language`: the compiled `.qm` in a bundle, else the `.ts`."""
    if prefer_compiled is None:
        prefer_compiled = bool(getattr(sys, "frozen", False))
    source = i18n.ts_path(language)
    compiled = source.with_suffix(".qm")
    if prefer_compiled and compiled.is_file():
        translator = QTranslator()
        if translator.load(str(compiled)):
            return translator
        logger.warning("could not load %s; reading %s instead", compiled.name, source.name)
    if not source.is_file():
        return None
    try:
        return CatalogTranslator(i18n.read_ts(source), language)
    except (OSError, SyntaxError) as error:  # ET.ParseError is a SyntaxError
        logger.warning("the %s catalog could not be read: %s", language, error)
        return None


def _qt_translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def apply_language(language: str) -> str:
    """Speak `language` from now on (window, dialogs, Qt's own texts, the core's messages).

    Returns the language in force: English when `language` is unknown or has no catalog.
    """
    global _generation
    if language not in i18n.SUPPORTED_LANGUAGES:
        language = "en"
    for old in _installed:
        QCoreApplication.removeTranslator(old)
    _installed.clear()
    own = app_translator(language)
    if own is None and language != "en":
        logger.warning("no %s translation found; speaking English", language)
        language, own = "en", app_translator("en")
    translators = [own, qt_translator(language) if language != "en" else None]
    for translator in translators:
        if translator is not None and QCoreApplication.installTranslator(translator):
            _installed.append(translator)
    QLocale.setDefault(ui_locale(language))
    i18n.install(_qt_translate, language)
    _generation += 1
    logger.info("user interface language: %s", language)
    return language


def current_language() -> str:
    return i18n.language()


def generation() -> int:
    """Changes whenever the language does: a cache of translated texts keyed by it renews."""
    return _generation


def ui_locale(language: str | None = None) -> QLocale:
    lang, country = _LOCALES.get(language or current_language(), _LOCALES["en"])
    return QLocale(lang, country)


def count_text(count: int) -> str:
    """A whole number as the language writes it: 12,345 or 12 345."""
    if current_language() == "en":
        return f"{count:,}"
    return ui_locale().toString(count)


def date_time_text(moment: datetime | None, *, seconds: bool = False) -> str:
    if moment is None:
        return ""
    formats = _SECONDS_FORMATS if seconds else _DATE_TIME_FORMATS
    return moment.strftime(formats.get(current_language(), formats["en"]))


def date_time_format(*, seconds: bool = False) -> str:
    """The strftime format of `date_time_text`, for code that formats many at once."""
    formats = _SECONDS_FORMATS if seconds else _DATE_TIME_FORMATS
    return formats.get(current_language(), formats["en"])


def date_edit_format() -> str:
    return _DATE_EDIT_FORMATS.get(current_language(), _DATE_EDIT_FORMATS["en"])


def csv_delimiter() -> str:
    return _CSV_DELIMITERS.get(current_language(), ",")


class TranslatedTexts(Generic[K]):
    """Texts marked with `QT_TRANSLATE_NOOP(context, ...)`, translated once per language.

    For texts read on every repaint (column headers, outcome labels): a lookup here costs a
    dict access, not a call through Qt's translators.
    """

    def __init__(self, context: str, sources: Mapping[K, str]) -> None:
        self.context = context
        self.sources = dict(sources)
        self._generation = -1
        self._texts: dict[K, str] = {}

    def _current(self) -> dict[K, str]:
        if self._generation != _generation:
            self._texts = {
                key: QCoreApplication.translate(self.context, text)
                for key, text in self.sources.items()
            }
            self._generation = _generation
        return self._texts

    def __getitem__(self, key: K) -> str:
        return self._current()[key]

    def get(self, key: K, default: str | None = None) -> str | None:
        return self._current().get(key, default)
