"""unknown-field, schema-type, schema-value: the document against the strict Argo schema.

The three rules share one validation per document (``schema_problems``); each reports its
own kind of problem, all of them, and never stops the other rules.
"""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.schema import (
    SCHEMA_TYPE,
    SCHEMA_VALUE,
    UNKNOWN_FIELD,
    schema_problems,
)
from argolint.analysis.schema_scalars import yaml11_boolean_nodes
from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule


def _report(ctx: Context, rule_id: str) -> Iterator[Finding]:
    skip = {id(n) for n in ctx.analysis(yaml11_boolean_nodes)} if rule_id == SCHEMA_TYPE else ()
    for problem in ctx.analysis(schema_problems):
        if problem.rule != rule_id or id(problem.node) in skip:
            continue
        yield ctx.finding(
            problem.node, problem.message, suggestion=problem.suggestion, details=problem.details
        )


@rule(
    UNKNOWN_FIELD,
    category="schema",
    severity="error",
    summary="A key that the Argo or Kubernetes API does not define (a typo is silently ignored).",
)
def check_unknown_field(ctx: Context) -> Iterator[Finding]:
    return _report(ctx, UNKNOWN_FIELD)


@rule(
    SCHEMA_TYPE,
    category="schema",
    severity="error",
    summary="A value of the wrong type: a list where a mapping belongs, a word for a number.",
)
def check_schema_type(ctx: Context) -> Iterator[Finding]:
    return _report(ctx, SCHEMA_TYPE)


@rule(
    SCHEMA_VALUE,
    category="schema",
    severity="error",
    summary="A value outside the allowed set (an enum, a quantity) or a missing required field.",
)
def check_schema_value(ctx: Context) -> Iterator[Finding]:
    return _report(ctx, SCHEMA_VALUE)
