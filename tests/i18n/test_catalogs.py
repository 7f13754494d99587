"""The committed translation catalogs are complete and in step with the code.

`pyside6-lupdate` extracts every marked string of b24desk (the sandbox plays the portal and
is not translated) into a fresh catalog; the committed Russian catalog must translate each
of them, finished, with every plural form and every placeholder. A test that only read the
committed file would miss a string added to the code and never extracted.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from b24desk.core import i18n

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "b24desk"
CATALOGS = PACKAGE / "i18n"
RU = CATALOGS / "b24desk_ru.ts"
EN = CATALOGS / "b24desk_en.ts"
PLACEHOLDER = re.compile(r"\{[A-Za-z_]*\}|%L?n")
ACCELERATOR = re.compile(r"&(?=\w)")
RUSSIAN_FORMS = 3  # one, few, many: 1 задача, 2 задачи, 5 задач
ENGLISH_FORMS = 2


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str
    numerus: bool
    kind: str
    """The translation's type attribute: "", "unfinished", "vanished" or "obsolete"."""
    forms: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.context, self.source, self.comment)

    def __str__(self) -> str:
        return f"[{self.context}] {self.source!r}"


def read_messages(path: Path) -> dict[tuple[str, str, str], Message]:
    messages: dict[tuple[str, str, str], Message] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for element in context.iter("message"):
            translation = element.find("translation")
            numerus = element.get("numerus") == "yes"
            if translation is None:
                forms: tuple[str, ...] = ()
            elif numerus:
                forms = tuple(form.text or "" for form in translation.iter("numerusform"))
            else:
                forms = (translation.text or "",)
            message = Message(
                name,
                element.findtext("source") or "",
                element.findtext("comment") or "",
                numerus,
                translation.get("type", "") if translation is not None else "unfinished",
                forms,
            )
            messages[message.key] = message
    return messages


def tool(name: str) -> Path:
    path = Path(sys.executable).with_name(name)
    if not path.is_file():
        pytest.fail(f"{name} is missing next to {sys.executable}: reinstall PySide6-Essentials")
    return path


def sources() -> list[str]:
    return sorted(
        str(path)
        for path in PACKAGE.rglob("*.py")
        if "sandbox" not in path.relative_to(PACKAGE).parts
    )


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, str], Message]:
    """Every marked string of the code as it is now, freshly extracted by lupdate."""
    target = tmp_path_factory.mktemp("lupdate") / "extracted.ts"
    result = subprocess.run(
        [str(tool("pyside6-lupdate")), *sources(), "-locations", "none", "-ts", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    messages = read_messages(target)
    assert len(messages) > 400, "lupdate found too few strings: is the extraction broken?"
    return messages


def translation_problems(
    extracted: dict[tuple[str, str, str], Message],
    committed: dict[tuple[str, str, str], Message],
    form_count: int,
    *,
    plural_only: bool = False,
) -> list[str]:
    """Everything wrong with `committed` as the catalog of the code `extracted` came from."""
    problems: list[str] = []
    for key, wanted in extracted.items():
        if plural_only and not wanted.numerus:
            continue
        message = committed.get(key)
        if message is None:
            problems.append(f"not in the catalog: {wanted}")
            continue
        problems += _message_problems(message, form_count)
    for key, message in committed.items():
        if key not in extracted:
            problems.append(f"no longer in the code (run lupdate with -no-obsolete): {message}")
    return problems


def _message_problems(message: Message, form_count: int) -> list[str]:
    if message.kind:
        return [f"{message.kind} translation: {message}"]
    if message.numerus:
        forms = message.forms
        if len(forms) != form_count:
            return [f"{len(forms)} plural forms instead of {form_count}: {message}"]
    elif "|" in message.source:
        forms = tuple(message.forms[0].split("|"))
        if len(forms) != form_count:
            return [f"{len(forms)} |-separated forms instead of {form_count}: {message}"]
    else:
        forms = message.forms
    problems = [f"empty translation: {message}" for form in forms if not form.strip()]
    wanted = set(PLACEHOLDER.findall(message.source))
    for form in forms:
        found = set(PLACEHOLDER.findall(form))
        if found != wanted:
            problems.append(f"placeholders {sorted(found)} instead of {sorted(wanted)}: {message}")
        if len(ACCELERATOR.findall(form)) != len(ACCELERATOR.findall(message.source)):
            problems.append(f"the & shortcut marker is lost or doubled: {message} -> {form!r}")
    return problems


def test_every_string_of_the_code_has_a_finished_russian_translation(extracted):
    problems = translation_problems(extracted, read_messages(RU), RUSSIAN_FORMS)
    assert problems == [], "\n".join(problems)


def test_every_english_plural_has_its_two_forms(extracted):
    problems = translation_problems(extracted, read_messages(EN), ENGLISH_FORMS, plural_only=True)
    assert problems == [], "\n".join(problems)


def test_the_catalogs_say_their_language():
    assert ET.parse(RU).getroot().get("language") == "ru_RU"
    assert ET.parse(EN).getroot().get("language") == "en_US"


# -- the check itself catches what it should -------------------------------------------------


def _doctored(message: Message, **changes: object) -> Message:
    fields = {**message.__dict__, **changes}
    return Message(**fields)  # type: ignore[arg-type]


def _pick(extracted: dict[tuple[str, str, str], Message], test: object) -> Message:
    return next(m for m in extracted.values() if test(m))  # type: ignore[operator]


@pytest.fixture
def committed() -> dict[tuple[str, str, str], Message]:
    return read_messages(RU)


def test_the_check_reports_a_new_string_missing_from_the_catalog(extracted, committed):
    newcomer = Message("MainWindow", "A brand-new button", "", False, "", ())
    problems = translation_problems({**extracted, newcomer.key: newcomer}, committed, 3)
    assert problems == [f"not in the catalog: {newcomer}"]


def test_the_check_reports_unfinished_empty_and_stale_translations(extracted, committed):
    placeholder = _pick(extracted, lambda m: "{portal}" in m.source and not m.numerus)
    plain = _pick(extracted, lambda m: m.source == "Load tasks")
    committed[placeholder.key] = _doctored(committed[placeholder.key], kind="unfinished")
    committed[plain.key] = _doctored(committed[plain.key], forms=(" ",))
    stale = Message("MainWindow", "A removed button", "", False, "", ("Кнопка",))
    committed[stale.key] = stale
    problems = translation_problems(extracted, committed, 3)
    assert sorted(problems) == sorted(
        [
            f"unfinished translation: {placeholder}",
            f"empty translation: {plain}",
            f"no longer in the code (run lupdate with -no-obsolete): {stale}",
        ]
    )


def test_the_check_reports_lost_placeholders_forms_and_shortcuts(extracted, committed):
    numerus = _pick(extracted, lambda m: m.numerus)
    piped = _pick(extracted, lambda m: "|" in m.source and "{n}" in m.source)
    placed = _pick(extracted, lambda m: m.source == "Task {id} is not in the loaded list.")
    shortcut = _pick(extracted, lambda m: m.source == "&Tasks")
    committed[numerus.key] = _doctored(committed[numerus.key], forms=("%Ln задача", "%Ln задачи"))
    committed[piped.key] = _doctored(committed[piped.key], forms=("{n} задача|{n} задачи",))
    committed[placed.key] = _doctored(committed[placed.key], forms=("Задачи {nomer} нет.",))
    committed[shortcut.key] = _doctored(committed[shortcut.key], forms=("Задачи",))
    problems = translation_problems(extracted, committed, 3)
    assert sorted(problems) == sorted(
        [
            f"2 plural forms instead of 3: {numerus}",
            f"2 |-separated forms instead of 3: {piped}",
            f"placeholders ['{{nomer}}'] instead of ['{{id}}']: {placed}",
            f"the & shortcut marker is lost or doubled: {shortcut} -> 'Задачи'",
        ]
    )


# -- the compiled catalog says the same as the source catalog -------------------------------


def test_the_compiled_catalog_matches_the_one_read_from_source(qapp, tmp_path):
    """The bundle uses the .qm that lrelease compiles; running from source reads the .ts:
    both must give every text, and the same plural form for every number."""
    from PySide6.QtCore import QTranslator

    from b24desk.ui.language import CatalogTranslator

    compiled = tmp_path / "b24desk_ru.qm"
    result = subprocess.run(
        [str(tool("pyside6-lrelease")), "-silent", str(RU), "-qm", str(compiled)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    from_qm = QTranslator()
    assert from_qm.load(str(compiled))
    messages = i18n.read_ts(RU)
    from_ts = CatalogTranslator(messages, "ru")
    differences = []
    for (context, source, comment), forms in messages.items():
        counts = (1, 2, 3, 5, 11, 12, 21, 22, 25, 101, 111) if len(forms) > 1 else (-1,)
        for n in counts:
            qm_text = from_qm.translate(context, source, comment or None, n)
            ts_text = from_ts.translate(context, source, comment or None, n)
            if qm_text != ts_text or not ts_text:
                differences.append(f"[{context}] {source!r} n={n}: {qm_text!r} vs {ts_text!r}")
    assert differences == []


def test_a_bundle_uses_the_compiled_catalog_and_source_runs_read_the_ts(
    qapp, tmp_path, monkeypatch
):
    import shutil

    from b24desk.ui.language import CatalogTranslator, app_translator

    shutil.copy(RU, tmp_path / RU.name)
    monkeypatch.setattr(i18n, "catalog_dir", lambda: tmp_path)
    from_source = app_translator("ru", prefer_compiled=False)
    assert isinstance(from_source, CatalogTranslator)
    # No .qm yet: a bundle falls back to the .ts.
    assert isinstance(app_translator("ru", prefer_compiled=True), CatalogTranslator)
    result = subprocess.run(
        [str(tool("pyside6-lrelease")), "-silent", str(RU), "-qm", str(tmp_path / "b24desk_ru.qm")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    compiled = app_translator("ru", prefer_compiled=True)
    assert compiled is not None
    assert not isinstance(compiled, CatalogTranslator)
    context, text = "MainWindow", "Load tasks"
    assert compiled.translate(context, text) == from_source.translate(context, text)


def test_a_missing_or_damaged_catalog_means_english(tmp_path, monkeypatch, caplog):
    from b24desk.ui.language import app_translator

    monkeypatch.setattr(i18n, "catalog_dir", lambda: tmp_path)
    assert app_translator("ru") is None
    (tmp_path / "b24desk_ru.ts").write_text("<TS><context>", encoding="utf-8")
    assert app_translator("ru") is None
    assert "the ru catalog could not be read" in caplog.text


def test_without_a_russian_catalog_the_window_speaks_english(qapp, tmp_path, monkeypatch):
    from PySide6.QtCore import QCoreApplication

    from b24desk.ui import language

    monkeypatch.setattr(i18n, "catalog_dir", lambda: tmp_path)
    try:
        assert language.apply_language("ru") == "en"
        assert i18n.language() == "en"
        assert QCoreApplication.translate("MainWindow", "Load tasks") == "Load tasks"
    finally:
        monkeypatch.undo()
        language.apply_language("en")
    assert language.apply_language("fr") == "en"
    i18n.install(None)
