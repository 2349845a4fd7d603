"""Enum fields that Argo checks as written, before substituting variables (``podGC.strategy``,
``retryStrategy.retryPolicy``): shared by the rules that own them. No rule lives here."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.refs import closest
from argolint.analysis.schema import checks_enum_values
from argolint.context import Context
from argolint.finding import Finding
from argolint.source.nodes import YScalar


def unknown_literal(
    ctx: Context, value: YScalar, allowed: tuple[str, ...], what: str, field: str
) -> Iterator[Finding]:
    """``value`` is not one of ``allowed`` (the caller checked): a variable is rejected by
    Argo as it is; a misspelling is ``schema-value``'s, unless it does not run here."""
    if "{{" in value.text:
        yield ctx.finding(
            value,
            f"`{value.text}` is not {what}: Argo checks `{field}` as written, before it "
            "substitutes any variable",
            suggestion="write the value itself: one of " + ", ".join(allowed),
        )
    elif not checks_enum_values(ctx):
        near = closest(value.text, list(allowed))
        yield ctx.finding(
            value,
            f"`{value.text}` is not {what}",
            suggestion=(f"did you mean `{near}`? " if near else "")
            + "use one of "
            + ", ".join(allowed),
        )
