"""``{{item}}`` outside a loop (item-outside-loop) and ``{{item.KEY}}`` where the items have
no such key (item-key-missing). What the items look like comes from
``argolint.analysis.scope.item_shape``; other analyses add sources for ``withParam`` through
``ITEM_SHAPE_PROVIDERS``."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.scope import ITEM_KEY_MISSING, ITEM_OUTSIDE_LOOP
from argolint.checks.variable_references import findings
from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule


@rule(
    ITEM_OUTSIDE_LOOP,
    category="templating",
    severity="error",
    summary="`{{item}}` used where no `withItems`, `withParam` or `withSequence` loops.",
)
def check_outside(ctx: Context) -> Iterator[Finding]:
    return findings(ctx, ITEM_OUTSIDE_LOOP)


@rule(
    ITEM_KEY_MISSING,
    category="templating",
    severity="error",
    summary="`{{item.KEY}}` where the loop's items have no key `KEY`.",
)
def check_key(ctx: Context) -> Iterator[Finding]:
    return findings(ctx, ITEM_KEY_MISSING)
