"""Which catalog message a finished sentence is, so that it can be shown again in another language.

The core hands the window finished sentences (a task's reason, an error's message). The
window keeps, next to such a text, the message it came from: its context, its English
source and, for a message with placeholders, what filled them ("The task is already open
({status})." with status = the message "in progress"). After View > Language the text is
made afresh from that key. A sentence the catalogs do not know stays as it was written.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from b24desk.core import i18n

logger = logging.getLogger(__name__)

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_CACHE_LIMIT = 20_000
_MIN_ANCHOR = 8
_MIN_LITERAL = 12


@dataclass(frozen=True, slots=True)
class MessageKey:
    """A catalog message, and what filled its placeholders (a text, or another message)."""

    context: str
    source: str
    args: tuple[tuple[str, MessageKey | str], ...] = ()


@dataclass(frozen=True, slots=True)
class _Template:
    context: str
    source: str
    pattern: re.Pattern[str]
    anchor: str
    """The template's longest fixed part: a text without it cannot be this message."""


class _Catalog:
    def __init__(self) -> None:
        self.whole: dict[str, MessageKey] = {}
        self.templates: list[_Template] = []
        self.cache: dict[str, MessageKey | None] = {}
        for code in i18n.SUPPORTED_LANGUAGES:
            path = i18n.ts_path(code)
            if not path.is_file():
                continue
            try:
                messages = i18n.read_ts(path)
            except (OSError, SyntaxError) as error:
                logger.warning("the %s catalog could not be read: %s", code, error)
                continue
            for (context, source, disambiguation), forms in messages.items():
                if disambiguation or len(forms) != 1 or "%" in source or "|" in source:
                    continue
                for text in (source, forms[0]):
                    if "{" not in source:
                        self.whole.setdefault(text, MessageKey(context, source))
                    else:
                        template = _template(context, source, text)
                        if template is not None:
                            self.templates.append(template)

    def lookup(self, text: str, depth: int = 0) -> MessageKey | None:
        found = self.whole.get(text)
        if found is not None or depth > 1:
            return found
        if text in self.cache:
            return self.cache[text]
        for template in self.templates:
            if template.anchor not in text:
                continue
            match = template.pattern.fullmatch(text)
            if match is None:
                continue
            args = tuple(
                (name, self.lookup(value, depth + 1) or value)
                for name, value in sorted(match.groupdict().items())
            )
            found = MessageKey(template.context, template.source, args)
            break
        if len(self.cache) > _CACHE_LIMIT:
            self.cache.clear()
        self.cache[text] = found
        return found


def _template(context: str, source: str, text: str) -> _Template | None:
    """A pattern matching `text` (the source or its translation) with any placeholder values."""
    names = _PLACEHOLDER.findall(text)
    if (
        not names
        or len(set(names)) != len(names)
        or set(names) != set(_PLACEHOLDER.findall(source))
    ):
        return None
    parts = _PLACEHOLDER.split(text)  # literal, name, literal, name, ..., literal
    literals = parts[0::2]
    if any(not literal for literal in literals[1:-1]):
        return None  # two placeholders side by side: where one ends is a guess
    pattern = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
        for index, part in enumerate(parts)
    )
    anchor = max(literals, key=len)
    if len(anchor) < _MIN_ANCHOR or sum(map(len, literals)) < _MIN_LITERAL:
        return None  # "{first} and {second}" would match a portal's own "Tom and Jerry"
    return _Template(context, source, re.compile(pattern, re.DOTALL), anchor)


_catalog: _Catalog | None = None


def message_key(text: str) -> MessageKey | None:
    """The catalog message `text` is (in any language b24desk speaks), or None."""
    global _catalog
    if _catalog is None:
        _catalog = _Catalog()
    return _catalog.lookup(text)


def render(key: MessageKey) -> str:
    """The message in the language now in force."""
    text = QCoreApplication.translate(key.context, key.source)
    if not key.args:
        return text
    values = {name: render(v) if isinstance(v, MessageKey) else v for name, v in key.args}
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        return QCoreApplication.translate(key.context, key.source)
