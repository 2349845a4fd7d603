"""withParam sources: the step or task a fan-out reads exists, has finished, and produces
what is referenced (``outputs.result`` or a declared output parameter)."""

from __future__ import annotations

from argolint.analysis.shapes import MISSING, NO_RESULT, NOT_RUN, Fanout, fanouts
from argolint.context import Context
from argolint.finding import Finding, Related
from argolint.rules import RuleSpec, family

_RULES = {
    MISSING: "withparam-source-missing",
    NOT_RUN: "withparam-source-not-run",
    NO_RESULT: "withparam-no-result",
}


def _findings(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for fanout in fanouts(ctx):
        problem = fanout.problem
        if problem is None or problem.kind not in _RULES:
            continue
        out.append(
            ctx.finding(
                fanout.span,
                f"`withParam` reads {_what(fanout)}, but {problem.message}",
                suggestion=problem.suggestion,
                related=[Related(path, span, message) for span, path, message in problem.related],
                rule=_RULES[problem.kind],
            )
        )
    return out


def _what(fanout: Fanout) -> str:
    return f"`{fanout.node.text[fanout.start : fanout.end]}`"


family(
    _findings,
    RuleSpec(
        _RULES[MISSING],
        category="dataflow",
        severity="error",
        summary="A withParam reads the output of a step or task that does not exist there.",
    ),
    RuleSpec(
        _RULES[NOT_RUN],
        category="dataflow",
        severity="error",
        summary="A withParam reads the output of a step or task that has not finished yet.",
    ),
    RuleSpec(
        _RULES[NO_RESULT],
        category="dataflow",
        severity="error",
        summary="A withParam reads an output its source's template does not produce.",
    ),
)
