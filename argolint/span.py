"""Source positions. Lines and columns are 1-based; ``end_column`` points just past the
last character (as SARIF's ``endColumn`` does), so a one-character span has
``end_column == column + 1``. Columns count Unicode code points."""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, line: int, column: int) -> Span:
        return cls(line, column, line, column + 1)


class LineIndex:
    """Maps character offsets of a text to (line, column) pairs in O(log n)."""

    __slots__ = ("_starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(max(end, start + 1))
        if (end_line, end_column) <= (line, column):  # an empty node at the end of the text
            return Span.point(line, column)
        return Span(line, column, end_line, end_column)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        if line < 1 or line > len(self._starts):
            return ""
        start = self._starts[line - 1]
        end = self._starts[line] - 1 if line < len(self._starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def offset(self, line: int, column: int) -> int:
        """Character offset of a 1-based (line, column)."""
        line = max(1, min(line, len(self._starts)))
        return self._starts[line - 1] + column - 1

    @property
    def line_count(self) -> int:
        return len(self._starts)
