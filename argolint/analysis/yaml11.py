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
    """(path, node) of every plain scalar whose text is a YAML 1.1-only boolean word."""
    found: list[tuple[tuple, YScalar]] = []
    seen: set[int] = set()
    stack: list[tuple[tuple, YNode]] = [((), root)]
    while stack:
        path, node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, YScalar):
            if node.style is None and isinstance(node.value, bool) and _raw(node) in WORDS:
                found.append((path, node))
        elif isinstance(node, YMapping):
            stack.extend(((*path, key), value) for key, _, value in node.items())
        elif isinstance(node, YSequence):
            stack.extend(((*path, i), item) for i, item in enumerate(node.items))
    found.sort(key=lambda pair: pair[1].start)
    return found


WORDS = YAML11_BOOLEAN_WORDS


def _raw(node: YScalar) -> str:
    return node.index.text[node.start : node.end]
