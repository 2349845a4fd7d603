"""yaml-1.1-boolean: an unquoted ``yes``/``no``/``on``/``off``/``y``/``n`` where text belongs."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.census import token_start
from argolint.analysis.schema_scalars import yaml11_boolean_nodes
from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule


@rule(
    "yaml-1.1-boolean",
    category="schema",
    severity="warning",
    summary="An unquoted yes/no/on/off/y/n in a text field arrives as true/false.",
)
def check(ctx: Context) -> Iterator[Finding]:
    for node in ctx.analysis(yaml11_boolean_nodes):
        start = token_start(node)
        word = node.index.text[start : node.end]
        becomes = "true" if node.value else "false"
        yield ctx.finding(
            node.index.span(start, node.end),
            f"unquoted `{word}` is a YAML 1.1 boolean: Kubernetes reads it as `{becomes}`, "
            f"so this field receives `{becomes}`, not the word `{word}`",
            suggestion=f'quote it: `"{word}"` (or write `{becomes}` if a boolean is meant)',
        )
