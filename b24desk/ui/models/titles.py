"""The task table's titles, kept as a few large UTF-8 buffers instead of two strings a row.

A row's title is shown as the portal sent it and searched and sorted in a folded form
(`fold_text`: case, ё and runs of whitespace). Kept as two Python strings a row, 100,000
titles cost about 330 bytes a row, and those small strings, made while the portal's answers
were being decoded, sit among the answers' freed memory and keep it from going back to the
system. Here the titles of up to `CHUNK_ROWS` rows share one `bytes` buffer (and their
folded forms another), with an offset array per buffer: about 2 x 65 bytes a row for a
typical title, and nothing small left behind.

Reading a title decodes its slice (a fraction of a microsecond; a view asks for the few
dozen rows it paints). Search runs `bytes.find` over whole buffers: a folded UTF-8 needle
matches exactly where the folded text contains it (UTF-8 never matches inside another
character), and rows are separated by a newline, which folded text never holds, so no
match spans two rows. UTF-8 byte order is code point order, so folded slices sort as the
folded strings would.

Nothing here knows about Qt.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator

__all__ = ["CHUNK_ROWS", "TitleStore", "fold_text"]

CHUNK_ROWS = 4096
"""Rows whose titles share one buffer. Appends top up the last buffer to this many rows
(copying it, at most a few hundred kilobytes), so a load in small slices still ends with
few large buffers."""
_ENCODING = "utf-8"
_ERRORS = "surrogatepass"  # a lone surrogate (from a JSON escape) survives the round trip
_SEPARATOR = b"\n"
PER_ROW_SEARCH = 2000
"""Up to this many candidate rows, each is checked on its own instead of whole buffers."""


def fold_text(text: str) -> str:
    """Text as search compares it: case-folded, ё read as its plain letter, runs of
    whitespace as one space.

    "Счёт  №5" and "счет №5" fold alike, so typing either finds both.
    """
    return " ".join(text.casefold().replace("ё", "е").split())  # noqa: RUF001


def _encode(text: str) -> bytes:
    return text.encode(_ENCODING, _ERRORS)


class _Chunk:
    """The titles of consecutive rows: shown text, folded text (each row's followed by a
    newline), and where each row starts in both (one more entry than rows)."""

    __slots__ = ("folded", "folded_at", "shown", "shown_at")

    def __init__(self) -> None:
        self.shown = b""
        self.shown_at = array("I", (0,))
        self.folded = b""
        self.folded_at = array("I", (0,))

    @property
    def rows(self) -> int:
        return len(self.shown_at) - 1

    def extend(self, titles: list[str]) -> None:
        shown = [_encode(t) for t in titles]
        folded = [_encode(fold_text(t)) + _SEPARATOR for t in titles]
        self.shown = self.shown + b"".join(shown)
        self.folded = self.folded + b"".join(folded)
        _append_offsets(self.shown_at, shown)
        _append_offsets(self.folded_at, folded)

    def title(self, index: int) -> str:
        at = self.shown_at
        return self.shown[at[index] : at[index + 1]].decode(_ENCODING, _ERRORS)

    def folded_key(self, index: int) -> bytes:
        at = self.folded_at
        return self.folded[at[index] : at[index + 1] - 1]

    def replace(self, index: int, title: str) -> None:
        self.shown = _splice(self.shown, self.shown_at, index, _encode(title))
        self.folded = _splice(
            self.folded, self.folded_at, index, _encode(fold_text(title)) + _SEPARATOR
        )

    def find(self, needle: bytes, out: bytearray, base: int) -> None:
        """Set `out[base + i]` for every row i whose folded title holds `needle`."""
        at, find = self.folded_at, self.folded.find
        position = find(needle)
        while position >= 0:
            index = bisect_right(at, position) - 1
            out[base + index] = 1
            position = find(needle, at[index + 1])


def _splice(buffer: bytes, offsets: array[int], index: int, part: bytes) -> bytes:
    """`buffer` with row `index`'s bytes replaced by `part`; `offsets` moved to match."""
    start, end = offsets[index], offsets[index + 1]
    shift = len(part) - (end - start)
    if shift:
        for later in range(index + 1, len(offsets)):
            offsets[later] += shift
    return buffer[:start] + part + buffer[end:]


def _append_offsets(offsets: array[int], parts: list[bytes]) -> None:
    end = offsets[-1]
    for part in parts:
        end += len(part)
        offsets.append(end)


class TitleStore:
    """Titles of rows 0..len-1, appended in order; a row's title can be replaced."""

    def __init__(self) -> None:
        self._chunks: list[_Chunk] = []
        self._starts = array("q")
        """First row of each chunk."""
        self._rows = 0

    def __len__(self) -> int:
        return self._rows

    def __getitem__(self, row: int) -> str:
        chunk, index = self._locate(row)
        return chunk.title(index)

    def __iter__(self) -> Iterator[str]:
        for chunk in self._chunks:
            for index in range(chunk.rows):
                yield chunk.title(index)

    def extend(self, titles: Iterable[str]) -> None:
        pending = list(titles)
        while pending:
            if not self._chunks or self._chunks[-1].rows >= CHUNK_ROWS:
                self._starts.append(self._rows)
                self._chunks.append(_Chunk())
            last = self._chunks[-1]
            room = CHUNK_ROWS - last.rows
            part, pending = pending[:room], pending[room:]
            last.extend(part)
            self._rows += len(part)

    def folded(self, row: int) -> str:
        """The row's title as search and sorting see it (`fold_text`)."""
        return self.folded_key(row).decode(_ENCODING, _ERRORS)

    def folded_key(self, row: int) -> bytes:
        """The folded title as UTF-8: sorts as the folded text does."""
        chunk, index = self._locate(row)
        return chunk.folded_key(index)

    def folded_keys(self, first: int = 0, last: int | None = None) -> list[bytes]:
        """`folded_key` of rows `first`..`last` - 1 (all by default)."""
        stop = self._rows if last is None else min(last, self._rows)
        keys: list[bytes] = []
        row = first
        while row < stop:
            chunk, index = self._locate(row)
            end = min(chunk.rows, index + stop - row)
            folded, at = chunk.folded, chunk.folded_at
            keys.extend(folded[at[i] : at[i + 1] - 1] for i in range(index, end))
            row += end - index
        return keys

    def replace(self, row: int, title: str) -> None:
        chunk, index = self._locate(row)
        chunk.replace(index, title)

    def matching(self, needle: str, rows: Iterable[int] | None = None) -> bytearray:
        """A byte per row, 1 where the folded title holds `needle` (already folded, not
        empty). Only `rows` are looked at when given."""
        out = bytearray(self._rows)
        wanted = _encode(needle)
        if rows is not None:
            candidates = rows if isinstance(rows, list | range) else list(rows)
            if len(candidates) <= PER_ROW_SEARCH:
                for row in candidates:
                    if wanted in self.folded_key(row):
                        out[row] = 1
                return out
            found = self.matching(needle)
            for row in candidates:
                if found[row]:
                    out[row] = 1
            return out
        for chunk, base in zip(self._chunks, self._starts, strict=True):
            chunk.find(wanted, out, base)
        return out

    def _locate(self, row: int) -> tuple[_Chunk, int]:
        if not 0 <= row < self._rows:
            raise IndexError(f"row {row} out of range ({self._rows} rows)")
        number = bisect_right(self._starts, row) - 1
        return self._chunks[number], row - self._starts[number]
