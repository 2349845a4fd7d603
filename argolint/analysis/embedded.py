"""Manifests embedded in strings: ``resource.manifest`` and ``podSpecPatch``.

They are parsed with the project's own loader, and every node keeps a way back to the
file: a ``Placement`` maps offsets in the embedded text through ``YScalar.source_offset``
(quoting, escapes and block-scalar indentation included), so a finding about a field
inside a block scalar points at that field in the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from argolint.source.loader import Document, load_text
from argolint.source.nodes import YNode, YScalar
from argolint.span import LineIndex, Span

_TAG = re.compile(r"\{\{.*?\}\}", re.DOTALL)


def mask_tags(text: str) -> str:
    """Each ``{{...}}`` tag becomes a same-length run of ``x`` (line breaks kept), so the text
    parses as Argo will see it once substituted, and offsets still map."""
    return _TAG.sub(lambda m: re.sub(r"[^\n]", "x", m.group()), text)


#: Embedded texts nest (a Workflow in a resource template of a Workflow ...); stop here.
MAX_DEPTH = 4


@dataclass(frozen=True)
class Placement:
    """Where the nodes of one text live in the file: identity for the file itself."""

    index: LineIndex  # the file's line index
    to_file: Callable[[int], int] | None = None  # offset in the embedded text → in the file
    depth: int = 0

    def offset(self, offset: int) -> int:
        return offset if self.to_file is None else self.to_file(offset)

    def span(self, node: YNode) -> Span:
        """The node's span in the file."""
        if self.to_file is None:
            return node.span
        first = self.to_file(node.start)
        last = self.to_file(max(node.start, node.end - 1)) + 1
        return self.index.span(first, last)

    def inside(self, scalar: YScalar) -> Placement:
        """The placement of a text held by ``scalar`` (a node of this placement)."""
        outer = self

        def to_file(offset: int) -> int:
            return outer.offset(scalar.source_offset(offset))

        return Placement(self.index, to_file, self.depth + 1)

    @property
    def embedded(self) -> bool:
        return self.to_file is not None


def top_level(doc: Document) -> Placement:
    return Placement(doc.file.index)


@dataclass(frozen=True)
class Embedded:
    """One document parsed out of a string scalar."""

    scalar: YScalar  # the string it came from
    doc: Document
    placement: Placement

    @property
    def root(self) -> YNode:
        return self.doc.root


def parse_embedded(scalar: YNode | None, outer: Placement, path: str) -> list[Embedded]:
    """The documents in a string scalar; none if it is not a string, is not YAML (a
    template expression, say) or sits too deep."""
    if not isinstance(scalar, YScalar) or not isinstance(scalar.value, str):
        return []
    if outer.depth >= MAX_DEPTH or ("\n" not in scalar.value and ":" not in scalar.value):
        return []
    loaded = load_text(scalar.value, path)
    if loaded.findings:  # not YAML as written (often a `{{...}}` placeholder); nothing to say
        return []
    placement = outer.inside(scalar)
    return [Embedded(scalar, doc, placement) for doc in loaded.documents]
