"""tag-in-typed-field: a ``{{...}}`` tag where Argo parses a number, boolean or quantity."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.schema_scalars import typed_tag_nodes
from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule


@rule(
    "tag-in-typed-field",
    category="schema",
    severity="warning",
    summary="A {{...}} tag in a number, boolean or quantity field, which Argo parses first.",
)
def check(ctx: Context) -> Iterator[Finding]:
    for node, field, what in ctx.analysis(typed_tag_nodes):
        if what == "a resource quantity":
            fix = (
                "set resources from parameters with the template's `podSpecPatch`, which is "
                "text and is substituted"
            )
        else:
            fix = "write a literal value here; only text and int-or-string fields take tags"
        yield ctx.finding(
            node,
            f"`{field}` is read as {what} when the manifest is parsed, before Argo substitutes "
            "`{{...}}`, so this tag makes the submission fail (`cannot unmarshal string into "
            "Go struct field`, or `quantities must match the regular expression`)",
            suggestion=fix,
        )
