"""Loops: a step or task loops over at most one of ``withItems``, ``withParam`` and
``withSequence``; a sequence has ``count`` or ``end``, not both; items are values Argo can
substitute (not null)."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule
from argolint.source.nodes import YMapping, YScalar, YSequence

LOOP_KEYS = ("withItems", "withParam", "withSequence")


def _defined(node: YMapping, key: str) -> bool:
    """As Argo counts them: a non-empty ``withItems``, a non-empty ``withParam``, any
    ``withSequence``."""
    value = node.get(key)
    if value is None or (isinstance(value, YScalar) and value.value is None):
        return False
    if key == "withItems":
        return not (isinstance(value, YSequence) and len(value) == 0)
    if key == "withParam":
        return not (isinstance(value, YScalar) and value.text == "")
    return True


@rule(
    "invalid-loop",
    category="correctness",
    severity="error",
    summary="A step or task combines loop kinds, or its withSequence/withItems is malformed.",
)
def check(ctx: Context) -> Iterator[Finding]:
    for template in ctx.manifest.all_templates:
        for call in template.invocations:
            node = call.node
            loops = [k for k in LOOP_KEYS if _defined(node, k)]
            for extra in loops[1:]:
                yield ctx.finding(
                    node.key_node(extra) or node,
                    f"`{extra}` together with `{loops[0]}`: a step or task loops over only one "
                    "of withItems, withParam and withSequence",
                    suggestion=f"remove `{extra}` or `{loops[0]}`",
                )
            seq = node.mapping("withSequence")
            if seq is not None and _set(seq, "count") and _set(seq, "end"):
                yield ctx.finding(
                    seq.key_node("end") or seq,
                    "`withSequence` has both `count` and `end`; use one of them",
                    suggestion="keep `start` with `end`, or `count` alone",
                )
            items = node.get("withItems")
            if isinstance(items, YSequence):
                for item in items:
                    if isinstance(item, YScalar) and item.value is None:
                        yield ctx.finding(
                            item,
                            'a `withItems` item is null; Argo rejects it (quote it: `""`, '
                            "or remove it)",
                        )


def _set(node: YMapping, key: str) -> bool:
    value = node.get(key)
    return value is not None and not (isinstance(value, YScalar) and value.value is None)
