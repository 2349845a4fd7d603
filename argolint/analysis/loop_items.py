"""What a loop's items look like, for ``{{item}}`` and ``{{item.KEY}}``: literal
``withItems`` and ``withParam`` lists are read here, ``withSequence`` items are numbers, and
other analyses describe ``withParam`` sources by appending to ``ITEM_SHAPE_PROVIDERS``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from argolint.finding import Related
from argolint.source.nodes import YMapping, YNode, YScalar, YSequence

if TYPE_CHECKING:
    from argolint.context import Context
    from argolint.model.template import Invocation


@dataclass(frozen=True, slots=True)
class ItemShape:
    """What a loop's items look like. ``kind``: ``scalar`` (strings, numbers, booleans),
    ``map``, ``list``, ``mixed`` or ``unknown``; for maps, ``keys_every`` are present in
    every item and ``keys_some`` in at least one. ``source`` is where the items come from;
    ``origin`` the place that produces them, when elsewhere (the line of a script that
    prints a ``withParam`` list, possibly in another file)."""

    kind: str
    keys_every: frozenset[str] = frozenset()
    keys_some: frozenset[str] = frozenset()
    source: YNode | None = None
    description: str = "the items"
    origin: Related | None = None


#: Functions ``(ctx, call) -> ItemShape | None`` asked in order after the built-in
#: ``withItems``/``withSequence`` reading; the first answer wins (``withParam`` sources).
ITEM_SHAPE_PROVIDERS: list[Callable[[Context, Invocation], ItemShape | None]] = []


def item_shape(ctx: Context, call: Invocation) -> ItemShape | None:
    """The shape of ``call``'s loop items, or None when it cannot be known statically."""
    loop = call.loop
    if loop is None:
        return None
    key, node = loop
    if key == "withItems":
        return items_shape(node)
    if key == "withSequence":
        return ItemShape("scalar", source=node, description="the `withSequence` numbers")
    literal = literal_param_items(node)
    if literal is not None:
        return literal
    for provider in ITEM_SHAPE_PROVIDERS:
        shape = provider(ctx, call)
        if shape is not None:
            return shape
    return None


def items_shape(node: YNode) -> ItemShape | None:
    """The shape of a literal ``withItems`` list."""
    if not isinstance(node, YSequence):
        return None
    kinds: set[str] = set()
    every: set[str] | None = None
    some: set[str] = set()
    for item in node.items:
        if isinstance(item, YMapping):
            kinds.add("map")
            keys = set(item.keys)
            some |= keys
            every = keys if every is None else every & keys
        elif isinstance(item, YSequence):
            kinds.add("list")
        else:
            kinds.add("scalar")
    if not kinds:
        return None
    kind = kinds.pop() if len(kinds) == 1 else "mixed"
    return ItemShape(kind, frozenset(every or ()), frozenset(some), node, "the `withItems` items")


def literal_param_items(node: YNode) -> ItemShape | None:
    """The shape of a ``withParam`` written as a literal JSON list (no tags in it)."""
    if not isinstance(node, YScalar) or not isinstance(node.value, str) or "{{" in node.value:
        return None
    try:
        items = json.loads(node.value)
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    kinds: set[str] = set()
    every: set[str] | None = None
    some: set[str] = set()
    for item in items:
        if isinstance(item, dict):
            kinds.add("map")
            some |= set(item)
            every = set(item) if every is None else every & set(item)
        elif isinstance(item, list):
            kinds.add("list")
        else:
            kinds.add("scalar")
    if not kinds:
        return None
    kind = kinds.pop() if len(kinds) == 1 else "mixed"
    return ItemShape(kind, frozenset(every or ()), frozenset(some), node, "the `withParam` items")
