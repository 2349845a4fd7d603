"""withParam sources: the step or task a fan-out reads exists, has finished, and produces
what is referenced (``outputs.result`` or a declared output parameter)."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.shapes import MISSING, NO_RESULT, NOT_RUN, Fanout, fanouts
from argolint.context import Context
from argolint.finding import Finding, Related
from argolint.rules import rule

_RULES = {
    MISSING: "withparam-source-missing",
    NOT_RUN: "withparam-source-not-run",
    NO_RESULT: "withparam-no-result",
}


def _findings(ctx: Context, kind: str) -> Iterator[Finding]:
    for fanout in fanouts(ctx):
        problem = fanout.problem
        if problem is None or problem.kind != kind:
            continue
        yield ctx.finding(
            fanout.span,
            f"`withParam` reads {_what(fanout)}, but {problem.message}",
            suggestion=problem.suggestion,
            related=[Related(path, span, message) for span, path, message in problem.related],
        )


def _what(fanout: Fanout) -> str:
    return f"`{fanout.node.text[fanout.start : fanout.end]}`"


@rule(
    "withparam-source-missing",
    category="dataflow",
    severity="error",
    summary="A withParam reads the output of a step or task that does not exist there.",
)
def check_missing(ctx: Context) -> Iterator[Finding]:
    yield from _findings(ctx, MISSING)


@rule(
    "withparam-source-not-run",
    category="dataflow",
    severity="error",
    summary="A withParam reads the output of a step or task that has not finished yet.",
)
def check_not_run(ctx: Context) -> Iterator[Finding]:
    yield from _findings(ctx, NOT_RUN)


@rule(
    "withparam-no-result",
    category="dataflow",
    severity="error",
    summary="A withParam reads an output its source's template does not produce.",
)
def check_no_result(ctx: Context) -> Iterator[Finding]:
    yield from _findings(ctx, NO_RESULT)
