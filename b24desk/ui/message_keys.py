"""Which catalog message a finished sentence is, so that it can be shown again in another language.

The core hands the window finished sentences (a task's reason, an error's message). The
window keeps, next to such a text, the message it came from: (context, English source).
After View > Language, the text is translated afresh from that key. Only whole messages
without placeholders can be recognised this way; a sentence with a number or a name filled
in stays as it was written.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from b24desk.core import i18n

logger = logging.getLogger(__name__)

MessageKey = tuple[str, str]
"""(context, English source) of a catalog message."""

_table: dict[str, MessageKey] | None = None


def _build() -> dict[str, MessageKey]:
    table: dict[str, MessageKey] = {}
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
            if disambiguation or len(forms) != 1 or "{" in source or "%" in source:
                continue
            table.setdefault(source, (context, source))
            table.setdefault(forms[0], (context, source))
    return table


def message_key(text: str) -> MessageKey | None:
    """The catalog message `text` is (in any language b24desk speaks), or None."""
    global _table
    if _table is None:
        _table = _build()
    return _table.get(text)


def render(key: MessageKey) -> str:
    """The message in the language now in force."""
    return QCoreApplication.translate(key[0], key[1])
