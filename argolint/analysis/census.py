"""One walk of a document for the rules that look at every node of it: each mapping, the
long strings (credential formats), the strings holding a tag and the plain YAML 1.1 boolean
words (both with their paths, which only the schema can judge)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from argolint.source.nodes import Link, YMapping, YNode, YScalar, YSequence, linked_path
from argolint.source.resolve import YAML11_BOOLEAN_WORDS

if TYPE_CHECKING:
    from argolint.context import Context

#: Shorter strings cannot hold any credential format worth reporting.
LONG_STRING = 16


@dataclass
class Census:
    mappings: list[YMapping] = field(default_factory=list)  # each mapping object once
    long_strings: list[YScalar] = field(default_factory=list)  # each scalar object once
    tags: list[tuple[tuple, YScalar]] = field(default_factory=list)  # strings with "{{"
    words: list[tuple[tuple, YScalar]] = field(default_factory=list)  # plain `yes`, `off`...


def census(ctx: Context) -> Census:
    """The census of the context's document (computed once per document). A scalar reached
    through several aliases is listed once, at its first place; tags and words are in
    source order."""
    found = Census()
    root = ctx.doc.root
    if root is None:
        return found
    seen: set[int] = set()
    strings: set[int] = set()
    stack: list[tuple[YNode, Link]] = [(root, None)]
    pop, push = stack.pop, stack.append
    tags, words, long_strings = [], [], found.long_strings
    while stack:
        node, link = pop()
        if isinstance(node, YScalar):
            value = node.value
            if isinstance(value, str):
                if "{{" in value:
                    tags.append((link, node))
                if len(value) >= LONG_STRING and id(node) not in strings:
                    strings.add(id(node))
                    long_strings.append(node)
            elif node.style is None and isinstance(value, bool) and _raw(node) in WORDS:
                words.append((link, node))
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, YMapping):
            found.mappings.append(node)
            for key, (_, value) in node.keys.items():
                push((value, (key, link)))
        elif isinstance(node, YSequence):
            for i, item in enumerate(node.items):
                push((item, (i, link)))
    found.tags = _first_places(tags)
    found.words = _first_places(words)
    return found


WORDS = YAML11_BOOLEAN_WORDS


def _first_places(found: list[tuple[Link, YScalar]]) -> list[tuple[tuple, YScalar]]:
    first = {id(n): (link, n) for link, n in reversed(found)}
    return sorted(((linked_path(link), n) for link, n in first.values()), key=_start)


def _start(pair: tuple[tuple, YScalar]) -> int:
    return pair[1].start


def token_start(node: YScalar) -> int:
    """Offset of a plain scalar's own text, past any anchor (``&a``) or tag (``!!str``)
    written before it (the node's span starts at those)."""
    text, i, end = node.index.text, node.start, node.end
    while i < end and text[i] in "&!":
        while i < end and not text[i].isspace():
            i += 1
        while i < end and text[i].isspace():
            i += 1
    return i


def _raw(node: YScalar) -> str:
    """The scalar's own text; "" when an explicit tag (``!!bool yes``) says what is meant."""
    start = token_start(node)
    if "!" in node.index.text[node.start : start]:
        return ""
    return node.index.text[start : node.end]
