"""``--format text``: ``path:line:col: severity [rule] message``, the source line with a
caret under the span, the suggestion, and a summary. Colour only on a terminal."""

from __future__ import annotations

from typing import Any

from argolint.engine import RunResult
from argolint.finding import Finding, Severity

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\033[{code}m{text}\033[0m" if colour else text


def render(
    result: RunResult, *, sources: dict[str, str] | None = None, colour: bool = False, **_: Any
) -> str:
    sources = sources or {}
    lines_cache: dict[str, list[str]] = {}
    out: list[str] = []
    for f in sorted(result.findings, key=lambda f: f.sort_key):
        out.append(_headline(f, colour))
        text = sources.get(f.path)
        if text is not None:
            lines = lines_cache.get(f.path)
            if lines is None:  # split each file once, however many findings it has
                lines = lines_cache[f.path] = text.splitlines()
            out.extend(_excerpt(f, lines, colour))
        if f.suggestion:
            first, *rest = f.suggestion.splitlines() or [""]
            out.append(f"  {_paint('help:', '32', colour)} {first}")
            out.extend(f"    {line}" for line in rest)
    out.append(_summary(result))
    return "\n".join(out) + "\n"


def _headline(f: Finding, colour: bool) -> str:
    severity = _paint(str(f.severity), _COLOURS[f.severity], colour)
    rule = _paint(f"[{f.rule}]", "1", colour)
    return f"{f.path}:{f.span.line}:{f.span.column}: {severity} {rule} {f.message}"


def _excerpt(f: Finding, lines: list[str], colour: bool) -> list[str]:
    s = f.span
    if not 1 <= s.line <= len(lines):
        return []
    line = lines[s.line - 1].replace("\t", " ")
    if len(line) > 200:
        return []
    end = s.end_column if s.end_line == s.line else len(line) + 1
    width = max(1, end - s.column)
    gutter = f"{s.line:>5} | "
    caret = " " * (len(gutter) - 2) + "| " + " " * (s.column - 1) + "^" * width
    return [gutter + line, _paint(caret, _COLOURS[f.severity], colour)]


def _summary(result: RunResult) -> str:
    counts = result.counts()
    total = sum(counts.values())
    if not total:
        return f"No problems found in {result.files} file(s)."
    parts = [f"{n} {name}{'s' if n != 1 else ''}" for name, n in counts.items() if n]
    return f"Found {total} problem(s) in {result.files} file(s): " + ", ".join(parts) + "."
