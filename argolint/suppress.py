"""Inline suppressions: ``# argolint: ignore[rule-id, other-id] reason``; a category
(``ignore[security]``) stands for all of its rules.

A comment silences the named rules for findings on its own line, or on the line of any
key that encloses the finding (so a comment on ``- name: build`` covers that whole step).
Comments are read from the text line by line, which also finds them inside block scalars
such as ``script.source``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from argolint.source.nodes import YMapping, YNode, YSequence
from argolint.span import Span

if TYPE_CHECKING:
    from argolint.source.loader import Document

_COMMENT = re.compile(r"#\s*argolint:\s*ignore(?:\[([^\]]*)\])?")


@dataclass(frozen=True)
class Suppression:
    line: int
    rules: frozenset[str] | None  # rule ids and categories; None: every rule
    span: Span  # of the comment, to report unknown rule ids at
    id_spans: tuple[tuple[str, Span], ...]

    def covers(self, rule: str, category: str | None = None) -> bool:
        return self.rules is None or rule in self.rules or category in self.rules


def collect(text: str) -> dict[int, Suppression]:
    """Suppressions by 1-based line."""
    if "argolint:" not in text:
        return {}
    found: dict[int, Suppression] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if "argolint:" not in line:
            continue
        match = _COMMENT.search(line)
        if not match:
            continue
        span = Span(number, match.start() + 1, number, match.end() + 1)
        if match.group(1) is None:
            found[number] = Suppression(number, None, span, ())
            continue
        ids: list[tuple[str, Span]] = []
        for part in re.finditer(r"[^,\s]+", match.group(1)):
            column = match.start(1) + part.start() + 1
            ids.append((part.group(), Span(number, column, number, column + len(part.group()))))
        found[number] = Suppression(number, frozenset(i for i, _ in ids), span, tuple(ids))
    return found


def enclosing_key_lines(root: YNode | None, offset: int) -> list[int]:
    """Lines of the keys (and sequence items) on the path from the root to ``offset``.
    Entries are in source order, so each level is a binary search: a finding costs
    O(depth x log width), not a scan of every template of a large workflow."""
    lines: list[int] = []
    node = root
    while node is not None:
        child = None
        if isinstance(node, YMapping):
            entries = node.entries
            i = bisect.bisect_right(entries, offset, key=_entry_start) - 1
            if i >= 0:
                key, value = entries[i]
                if key.start <= offset < max(value.end, key.end):
                    lines.append(key.line)
                    child = value
        elif isinstance(node, YSequence):
            items = node.items
            i = bisect.bisect_right(items, offset, key=_node_start) - 1
            if i >= 0 and offset < items[i].end:
                lines.append(items[i].line)
                child = items[i]
        node = child
    return lines


def _entry_start(entry: tuple[YNode, YNode]) -> int:
    return entry[0].start


def _node_start(node: YNode) -> int:
    return node.start


def key_lines(docs: Iterable[Document], span: Span) -> list[int]:
    """Lines of the keys enclosing ``span`` in whichever document of a file contains it."""
    for doc in docs:
        offset = doc.file.index.offset(span.line, span.column)
        if doc.root.start <= offset < max(doc.root.end, doc.root.start + 1):
            return enclosing_key_lines(doc.root, offset)
    return []
