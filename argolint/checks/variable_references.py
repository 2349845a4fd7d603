"""References to variables that do not exist where they are written: unknown names
(unresolved-variable), steps and tasks that have not run yet (step-not-yet-run) and outputs
the referenced template does not declare (undeclared-output). The scope rules live in
``argolint.analysis.scope``."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.scope import (
    NOT_YET_RUN,
    UNDECLARED_OUTPUT,
    UNRESOLVED,
    ReferenceProblem,
    problems_of,
)
from argolint.context import Context
from argolint.finding import Finding, Severity
from argolint.rules import rule


def findings(ctx: Context, rule_id: str) -> Iterator[Finding]:
    for problem in problems_of(ctx, rule_id):
        yield as_finding(ctx, problem)


def as_finding(ctx: Context, problem: ReferenceProblem) -> Finding:
    return ctx.finding(
        problem.span,
        problem.message,
        suggestion=problem.suggestion,
        severity=Severity.parse(problem.severity) if problem.severity else None,
        related=[ctx.related(node, message) for node, message in problem.related]
        + list(problem.also),
        rule=problem.rule,
    )


@rule(
    UNRESOLVED,
    category="templating",
    severity="error",
    summary="A `{{...}}` reference to a variable that does not exist where it is written.",
)
def check_unresolved(ctx: Context) -> Iterator[Finding]:
    return findings(ctx, UNRESOLVED)


@rule(
    NOT_YET_RUN,
    category="templating",
    severity="error",
    summary="A reference to a step of the same or a later step group, or to a DAG task that "
    "is not an ancestor.",
)
def check_not_yet_run(ctx: Context) -> Iterator[Finding]:
    return findings(ctx, NOT_YET_RUN)


@rule(
    UNDECLARED_OUTPUT,
    category="templating",
    severity="error",
    summary="A reference to an output parameter, artifact or result that the referenced "
    "template does not produce.",
)
def check_undeclared_output(ctx: Context) -> Iterator[Finding]:
    return findings(ctx, UNDECLARED_OUTPUT)
