"""Scalars whose meaning depends on what the schema expects at their place.

- A plain ``yes``/``no``/``on``/``off``/``y``/``n`` where the API expects text: Kubernetes
  reads YAML 1.1, where these words are booleans, so ``value: no`` arrives as ``false``.
  ``enabled: yes`` in a boolean field means what it says and is left alone.
- A ``{{...}}`` tag in a field Argo reads as a number, boolean or quantity: Argo parses the
  manifest into typed fields *before* substituting, so the tag is rejected at submission
  (argo-workflows#1780, #2412). Text, enum and int-or-string fields take tags fine.

One walk per document collects the few candidate scalars; only those are looked up in the
schema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from argolint.analysis.schema import is_checked, schema_for
from argolint.source.nodes import YMapping, YNode, YScalar, YSequence
from argolint.source.resolve import YAML11_BOOLEAN_WORDS

if TYPE_CHECKING:
    from argolint.context import Context

#: Value conventions (see the generator) whose Go type is parsed before substitution.
PARSED_BEFORE_SUBSTITUTION = {
    "argolint.integer": "an integer",
    "argolint.number": "a number",
    "argolint.boolean": "a boolean",
    "argolint.quantity": "a resource quantity",
}


class Candidates:
    """Plain YAML 1.1 boolean words and strings holding a tag, with their paths."""

    def __init__(self) -> None:
        self.words: list[tuple[tuple, YScalar]] = []
        self.tags: list[tuple[tuple, YScalar]] = []


def candidates(ctx: Context) -> Candidates:
    found = Candidates()
    doc = ctx.doc
    if not is_checked(doc) or not isinstance(doc.root, YMapping):
        return found
    seen: set[int] = set()
    # Each entry carries its path as a linked list (key, parent link): O(1) per node; a full
    # path is built only for the few candidates.
    stack: list[tuple[YNode, tuple | None]] = [(doc.root, None)]
    pop, push = stack.pop, stack.append
    words, tags = found.words, found.tags
    while stack:
        node, link = pop()
        if isinstance(node, YScalar):
            value = node.value
            if isinstance(value, str):
                if "{{" in value:
                    tags.append((_path(link), node))
            elif node.style is None and isinstance(value, bool) and _raw(node) in WORDS:
                words.append((_path(link), node))
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, YMapping):
            for key, (_, value) in node.keys.items():
                push((value, (key, link)))
        elif isinstance(node, YSequence):
            for i, item in enumerate(node.items):
                push((item, (i, link)))
    # An aliased scalar is reached once per alias: keep its first place only.
    found.words = sorted({id(n): (p, n) for p, n in reversed(words)}.values(), key=_start)
    found.tags = sorted({id(n): (p, n) for p, n in reversed(tags)}.values(), key=_start)
    return found


def yaml11_boolean_nodes(ctx: Context) -> list[YScalar]:
    """Plain scalars spelt as a YAML 1.1-only boolean word in a field that expects a string."""
    words = ctx.analysis(candidates).words
    if not words:
        return []
    schema = schema_for(ctx)
    kind = ctx.doc.kind or ""
    out: list[YScalar] = []
    for path, node in words:
        expected = schema.expected_at(kind, path)
        if expected and "string" in expected and "boolean" not in expected:
            out.append(node)
        elif expected and {"string", "boolean"} <= expected and "number" in expected:
            out.append(node)  # Argo's AnyString: takes the boolean, as text "true"/"false"
    return out


def typed_tag_nodes(ctx: Context) -> list[tuple[YScalar, str, str]]:
    """(scalar, its field, what Argo parses it as) for each tag in a field that is parsed
    before substitution."""
    tags = ctx.analysis(candidates).tags
    if not tags:
        return []
    schema = schema_for(ctx)
    kind = ctx.doc.kind or ""
    out: list[tuple[YScalar, str, str]] = []
    for path, node in tags:
        at = schema.schema_at(kind, path)
        convention = at.get("title") if at else None
        if convention in PARSED_BEFORE_SUBSTITUTION:
            field = next((str(p) for p in reversed(path) if isinstance(p, str)), "value")
            out.append((node, field, PARSED_BEFORE_SUBSTITUTION[convention]))
    return out


WORDS = YAML11_BOOLEAN_WORDS


def _start(pair: tuple[tuple, YScalar]) -> int:
    return pair[1].start


def _path(link: tuple | None) -> tuple:
    parts = []
    while link is not None:
        parts.append(link[0])
        link = link[1]
    return tuple(reversed(parts))


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
