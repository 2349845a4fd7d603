"""Scalars whose meaning depends on what the schema expects at their place.

- A plain ``yes``/``no``/``on``/``off``/``y``/``n`` where the API expects text: Kubernetes
  reads YAML 1.1, where these words are booleans, so ``value: no`` arrives as ``false``.
  ``enabled: yes`` in a boolean field means what it says and is left alone.
- A ``{{...}}`` tag in a field Argo reads as a number, boolean or quantity: Argo parses the
  manifest into typed fields *before* substituting, so the tag is rejected at submission
  (argo-workflows#1780, #2412). Text, enum and int-or-string fields take tags fine.

The census (one walk of the document) collects the few candidate scalars; only those are
looked up in the schema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from argolint.analysis.census import census
from argolint.analysis.schema import is_checked, schema_for
from argolint.source.nodes import YMapping, YScalar

if TYPE_CHECKING:
    from argolint.context import Context

#: Value conventions (see the generator) whose Go type is parsed before substitution.
PARSED_BEFORE_SUBSTITUTION = {
    "argolint.integer": "an integer",
    "argolint.number": "a number",
    "argolint.boolean": "a boolean",
    "argolint.quantity": "a resource quantity",
}


def yaml11_boolean_nodes(ctx: Context) -> list[YScalar]:
    """Plain scalars spelt as a YAML 1.1-only boolean word in a field that expects a string."""
    if not is_checked(ctx.doc) or not isinstance(ctx.doc.root, YMapping):
        return []
    words = ctx.analysis(census).words
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
    if not is_checked(ctx.doc) or not isinstance(ctx.doc.root, YMapping):
        return []
    tags = ctx.analysis(census).tags
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
