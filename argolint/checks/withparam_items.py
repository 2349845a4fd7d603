"""``item-key-missing`` for ``withParam`` loops: what the items look like, as
``argolint.analysis.shapes`` infers it, offered to the scope analysis through its
``ITEM_SHAPE_PROVIDERS`` hook (the rule itself lives in ``loop_items``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from argolint.analysis.json_shape import LIST, OBJECT, SCALAR
from argolint.analysis.scope import ITEM_SHAPE_PROVIDERS, ItemShape
from argolint.analysis.shapes import fanout_of
from argolint.finding import Related

if TYPE_CHECKING:
    from argolint.context import Context
    from argolint.model.template import Invocation


def withparam_item_shape(ctx: Context, call: Invocation) -> ItemShape | None:
    """The items of a ``withParam`` when its source certainly emits a list whose elements
    are all maps with known keys, all plain values, or all lists; otherwise None."""
    fanout = fanout_of(ctx, call)
    if fanout is None or fanout.problem is not None or fanout.emission is None:
        return None
    emission = fanout.emission
    shape = emission.shape
    if shape.kind != LIST or shape.item is None or not emission.definite:
        return None
    item = shape.item
    description = f"the items of `withParam` ({emission.sentence})"
    origin = (
        Related(emission.path, emission.span, emission.sentence)
        if emission.span is not None and emission.path is not None
        else None
    )
    if item.kind == OBJECT:
        if not item.closed or item.keys is None:
            return None  # some element may have keys we cannot see
        some = item.some if item.some is not None else item.keys
        return ItemShape("map", item.keys, some, fanout.node, description, origin)
    if item.kind == SCALAR:
        return ItemShape("scalar", source=fanout.node, description=description, origin=origin)
    if item.kind == LIST:
        return ItemShape("list", source=fanout.node, description=description)
    return None


if withparam_item_shape not in ITEM_SHAPE_PROVIDERS:
    ITEM_SHAPE_PROVIDERS.append(withparam_item_shape)
