"""Loops: a step or task loops over at most one of ``withItems``, ``withParam`` and
``withSequence``; a sequence has ``count`` or ``end``, exactly one, and whole numbers; items
are values Argo can substitute (not null)."""

from __future__ import annotations

import re
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
            if seq is not None:
                yield from _sequence_numbers(ctx, node, seq)
            items = node.get("withItems")
            if isinstance(items, YSequence):
                for item in items:
                    if isinstance(item, YScalar) and item.value is None:
                        yield ctx.finding(
                            item,
                            'a `withItems` item is null; Argo rejects it (quote it: `""`, '
                            "or remove it)",
                        )


_INTEGER = re.compile(r"[+-]?[0-9]+")


def _sequence_numbers(ctx: Context, call: YMapping, seq: YMapping) -> Iterator[Finding]:
    """What Argo's ``expandSequence`` needs when the loop runs (the validator does not
    look): ``count`` or ``end``, and ``start``/``end``/``count`` that ``strconv.Atoi``
    reads; otherwise the step fails."""
    if not (_set(seq, "count") or _set(seq, "end")):
        yield ctx.finding(
            call.key_node("withSequence") or seq,
            "`withSequence` has neither `count` nor `end`: Argo fails the step when it "
            "expands the loop",
            suggestion='add `count: "N"` (or `end`, with an optional `start`)',
        )
    for key in ("start", "end", "count"):
        value = seq.get(key)
        if not isinstance(value, YScalar) or not isinstance(value.value, str):
            continue  # numbers are fine; other types are the schema's
        if "{{" in value.value or _INTEGER.fullmatch(value.value):
            continue
        yield ctx.finding(
            value,
            f"`withSequence.{key}` is `{value.value}`, not a whole number: Argo fails the "
            "step when it expands the loop",
            suggestion=f'write a whole number, e.g. `{key}: "3"`',
        )


def _set(node: YMapping, key: str) -> bool:
    value = node.get(key)
    return value is not None and not (isinstance(value, YScalar) and value.value is None)
