"""Findings in Helm's rendered output, mapped back to the chart's template files.

``helm template`` starts each document with ``# Source: <chart>/templates/<file>.yaml``.
A finding inside such a document is reported against that template file: at the same
line and columns when the template has the very same line (most lines are unchanged by
rendering), otherwise at the line with the same offset from the document's start, marked
as approximate. The rendered position is kept as a related location.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from pathlib import Path

from argolint.finding import Finding, Related
from argolint.source.discover import display_path
from argolint.span import LineIndex, Span

_SOURCE = re.compile(r"^# Source: (\S[^\r\n]*?)[ \t]*\r?$", re.M)
_DOC_START = re.compile(r"^---(?=[ \t\r\n]|$)", re.M)
_MAX_UPWARD = 4  # directories above the input searched for the chart


@dataclass(frozen=True)
class Region:
    """Rendered lines ``first..last`` (1-based, inclusive) came from ``source``; line
    ``first`` is the ``# Source:`` comment itself."""

    first: int
    last: int
    source: str


def regions(text: str) -> list[Region]:
    if "# Source: " not in text:
        return []
    index = LineIndex(text)
    starts = [index.position(m.start())[0] for m in _DOC_START.finditer(text)]
    out = []
    for match in _SOURCE.finditer(text):
        line = index.position(match.start())[0]
        after = bisect.bisect_right(starts, line)
        last = starts[after] - 1 if after < len(starts) else index.line_count
        out.append(Region(line, last, match.group(1)))
    # a second `# Source:` inside one document ends the region of the first
    for i in range(len(out) - 1):
        if out[i + 1].first <= out[i].last:
            out[i] = Region(out[i].first, out[i + 1].first - 1, out[i].source)
    return out


class SourceMap:
    """Maps findings of one rendered input back to its chart's template files."""

    def __init__(self, path: str, text: str, base: Path | None = None) -> None:
        self.path = path
        self.rendered = LineIndex(text)
        self.regions = regions(text)
        self._starts = [r.first for r in self.regions]
        self.base = base if base is not None else Path(path).parent
        self.templates: dict[str, tuple[str, LineIndex | None]] = {}  # source -> (path, text)
        self._lines: dict[int, dict[str, list[int]]] = {}  # id(template) -> text -> lines

    def __bool__(self) -> bool:
        return bool(self.regions)

    def region_of(self, line: int) -> Region | None:
        i = bisect.bisect_right(self._starts, line) - 1
        if i < 0 or line > self.regions[i].last:
            return None
        return self.regions[i]

    def map(self, finding: Finding) -> Finding:
        region = self.region_of(finding.span.line)
        if region is None or finding.path != self.path:
            return finding
        path, template = self._template(region.source)
        span, exact = self._span(finding.span, region, template)
        note = (
            ""
            if exact
            else (
                f"; position approximate: the template's line differs from the rendered line "
                f"{finding.span.line}"
            )
        )
        details = (finding.details + "\n" if finding.details else "") + (
            f"rendered from {region.source}{note}"
        )
        related = (*finding.related, Related(self.path, finding.span, "in the rendered output"))
        return replace(finding, path=path, span=span, details=details, related=related)

    def _template(self, source: str) -> tuple[str, LineIndex | None]:
        if source not in self.templates:
            found = _find_template(source, self.base)
            if found is None:
                self.templates[source] = (source, None)
            else:
                try:
                    text = found.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    self.templates[source] = (source, None)
                else:
                    self.templates[source] = (display_path(found), LineIndex(text))
        return self.templates[source]

    def _span(self, span: Span, region: Region, template: LineIndex | None) -> tuple[Span, bool]:
        offset = span.line - region.first  # 1 for the line after the comment
        if template is None:
            end_line = max(1, span.end_line - region.first)
            return Span(max(1, offset), span.column, end_line, span.end_column), False
        line = self._same_line(self.rendered.line_text(span.line), template, offset)
        if line is None:
            guess = max(1, min(offset, template.line_count))
            width = len(template.line_text(guess))
            return Span(guess, 1, guess, max(2, width + 1)), False
        end_line = line + (span.end_line - span.line)
        if span.end_line != span.line:
            end = self._same_line(self.rendered.line_text(span.end_line), template, end_line)
            if end is None or end < line:
                return Span(line, span.column, line, len(template.line_text(line)) + 1), True
            end_line = end
        return Span(line, span.column, end_line, span.end_column), True

    def _same_line(self, text: str, template: LineIndex, near: int) -> int | None:
        """The template line equal to ``text`` closest to line ``near``, if any."""
        wanted = text.rstrip()
        if not wanted.strip():
            return None
        lines = self._lines.get(id(template))
        if lines is None:
            lines = self._lines[id(template)] = {}
            for number in range(1, template.line_count + 1):
                lines.setdefault(template.line_text(number).rstrip(), []).append(number)
        candidates = lines.get(wanted)
        return min(candidates, key=lambda n: abs(n - near)) if candidates else None


def _find_template(source: str, base: Path) -> Path | None:
    """The chart file ``source`` (``<chart>/templates/x.yaml``) names: relative to the
    input's directory or one above it, with or without the chart's name (the input may sit
    inside the chart), or to the working directory."""
    relative = Path(source)
    if relative.is_absolute() or ".." in relative.parts:
        return None
    tails = [relative]
    if len(relative.parts) > 1:
        tails.append(Path(*relative.parts[1:]))
    directories = [base, *list(base.resolve().parents)[:_MAX_UPWARD], Path.cwd()]
    for directory in directories:
        for tail in tails:
            candidate = directory / tail
            if candidate.is_file():
                return candidate
    return None


def map_rendered(findings: list[Finding], sources: dict[str, str]) -> list[Finding]:
    """Findings with those inside rendered Helm documents moved to the chart's files.
    ``sources`` (path → text) gains the text of each template file found."""
    maps = {
        path: m
        for path, text in sources.items()
        if "# Source: " in text and (m := SourceMap(path, text))
    }
    if not maps:
        return findings
    out = [maps[f.path].map(f) if f.path in maps else f for f in findings]
    for source_map in maps.values():
        for path, index in source_map.templates.values():
            if index is not None:
                sources.setdefault(path, index.text)
    return out
