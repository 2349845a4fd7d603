"""Plain ``yes``/``no``/``on``/``off``/``y``/``n`` where the API expects text.

Kubernetes reads YAML 1.1, where these words are booleans: ``value: no`` arrives as
``false``. Only places whose schema accepts a string count; ``enabled: yes`` in a boolean
field means what it says.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from argolint.analysis.schema import is_checked, schema_for
from argolint.source.nodes import YMapping, YNode, YScalar, YSequence
from argolint.source.resolve import YAML11_BOOLEAN_WORDS

if TYPE_CHECKING:
    from argolint.context import Context


def yaml11_boolean_nodes(ctx: Context) -> list[YScalar]:
    """Plain scalars spelt as a YAML 1.1-only boolean word in a field that expects a string."""
    doc = ctx.doc
    if not is_checked(doc) or not isinstance(doc.root, YMapping):
        return []
    schema = schema_for(ctx)
    kind = doc.kind or ""
    out: list[YScalar] = []
    for path, node in _words(doc.root):
        expected = schema.expected_at(kind, path)
        if expected and "string" in expected and "boolean" not in expected:
            out.append(node)
        elif expected and {"string", "boolean"} <= expected and "number" in expected:
            out.append(node)  # Argo's AnyString: takes the boolean, as text "true"/"false"
    return out


def _words(root: YNode) -> list[tuple[tuple, YScalar]]:
    """(path, node) of every plain scalar whose text is a YAML 1.1-only boolean word.

    Such words are rare: a path is kept as a (parent, key) link while walking and turned
    into a tuple only for the nodes found."""
    found: list[tuple[tuple, YScalar]] = []
    seen: set[int] = set()
    stack: list[tuple[tuple | None, YNode]] = [(None, root)]
    while stack:
        link, node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, YScalar):
            if node.style is None and isinstance(node.value, bool) and _raw(node) in WORDS:
                found.append((_unlink(link), node))
        elif isinstance(node, YMapping):
            stack.extend(((link, key), value) for key, (_, value) in node.keys.items())
        elif isinstance(node, YSequence):
            stack.extend(((link, i), item) for i, item in enumerate(node.items))
    found.sort(key=lambda pair: pair[1].start)
    return found


def _unlink(link: tuple | None) -> tuple:
    parts: list = []
    while link is not None:
        link, key = link
        parts.append(key)
    return tuple(reversed(parts))


WORDS = YAML11_BOOLEAN_WORDS


def _raw(node: YScalar) -> str:
    return node.index.text[node.start : node.end]
