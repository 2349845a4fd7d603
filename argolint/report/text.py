"""``--format text``: ``path:line:col: severity [rule] message``, the source line with a
caret under the span, the suggestion and related places, then a one-line summary.
Colour only when asked (the CLI asks on a terminal without ``NO_COLOR``)."""

from __future__ import annotations

import unicodedata
from typing import Any

from argolint.engine import RunResult
from argolint.finding import Finding, Severity

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}
_BOLD, _DIM, _GREEN = "1", "2", "32"
_WINDOW = 120  # longer source lines are shown as a window around the span


# Control characters from a hostile file (an escape sequence in a key, a form feed in a
# line) must not reach the terminal: in messages they are shown escaped, in source lines
# as one replacement character each, so the caret stays aligned.
_CONTROLS = [*range(0x00, 0x09), *range(0x0A, 0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029]
_ESCAPED = {c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in _CONTROLS}
_REPLACED = dict.fromkeys(_CONTROLS, "\ufffd")


def _safe(text: str) -> str:
    if text.isascii() and text.isprintable():
        return text  # the common case: nothing to escape (translate costs a lookup a char)
    return text.translate(_ESCAPED)


def _shown(line: str) -> str:
    if line.isascii() and line.isprintable():
        return line
    return line.translate(_REPLACED)


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if colour else text


def render(
    result: RunResult, *, sources: dict[str, str] | None = None, colour: bool = False, **_: Any
) -> str:
    sources = sources or {}
    lines_cache: dict[str, list[str]] = {}
    blocks: list[str] = []
    for f in sorted(result.findings, key=lambda f: f.sort_key):
        out = [_headline(f, colour)]
        text = sources.get(f.path)
        if text is not None:
            lines = lines_cache.get(f.path)
            if lines is None:
                # "\n" only: the positions count lines so (splitlines() also splits on
                # form feeds, U+2028 and others)
                lines = lines_cache[f.path] = text.split("\n")
            out.extend(_excerpt(f, lines, colour))
        if f.suggestion:
            first, *rest = [_safe(x) for x in f.suggestion.split("\n")] or [""]
            out.append(f"  {_paint('help:', _GREEN, colour)} {first}")
            out.extend(f"        {line}" for line in rest)
        for related in f.related:
            where = f"{related.path}:{related.span.line}:{related.span.column}"
            note = f"{where}: {related.message}"
            out.append(f"  {_paint('note:', _DIM, colour)} {_safe(note)}")
        blocks.append("\n".join(out))
    blocks.append(summary_line(result))
    return "\n\n".join(blocks) + "\n"


def _headline(f: Finding, colour: bool) -> str:
    severity = _paint(str(f.severity), _COLOURS[f.severity], colour)
    rule = _paint(f"[{f.rule}]", _BOLD, colour)
    where = _paint(f"{_safe(f.path)}:{f.span.line}:{f.span.column}:", _BOLD, colour)
    return f"{where} {severity} {rule} {_safe(f.message)}"


def _width(text: str) -> int:
    """Terminal cells taken by ``text`` (East Asian wide characters take two)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _excerpt(f: Finding, lines: list[str], colour: bool) -> list[str]:
    s = f.span
    if not 1 <= s.line <= len(lines):
        return []
    line = _shown(lines[s.line - 1].rstrip("\r").replace("\t", " "))
    start = min(max(s.column - 1, 0), len(line))
    end = s.end_column - 1 if s.end_line == s.line else len(line)
    end = min(max(end, start + 1), max(len(line), start + 1))
    prefix = ""
    if len(line) > _WINDOW:  # show the part around the span
        left = max(0, start - _WINDOW // 3)
        right = min(len(line), max(end, left + _WINDOW))
        prefix = "…" if left else ""
        suffix = "…" if right < len(line) else ""
        line, start, end = prefix + line[left:right] + suffix, start - left, end - left
    start += len(prefix)
    end += len(prefix)
    gutter = f"{s.line:>5} | "
    pad = " " * _width(line[:start])
    marks = "^" * max(1, _width(line[start:end]))
    if s.end_line > s.line:
        marks += "…"
    caret = " " * (len(gutter) - 2) + "| " + pad + _paint(marks, _COLOURS[f.severity], colour)
    return [_paint(gutter, _DIM, colour) + line, caret]


def summary_line(result: RunResult) -> str:
    counts = result.counts()
    total = sum(counts.values())
    files = _plural(result.files, "file")
    if not total:
        return f"No problems found in {files}."
    parts = ", ".join(_plural(n, name) for name, n in counts.items() if n)
    return f"Found {_plural(total, 'problem')} ({parts}) in {files}."


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
