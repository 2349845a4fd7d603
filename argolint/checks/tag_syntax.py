"""tag-syntax: ``{{...}}`` tags, ``{{=...}}`` expressions, raw expressions, ``depends`` and
``when`` that do not parse."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.expr import parse_depends, parse_when
from argolint.analysis.expr.refs import Ref
from argolint.analysis.expr.sites import tag_sites
from argolint.analysis.scope import expression_sites
from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule
from argolint.source.nodes import YScalar


@rule(
    "tag-syntax",
    category="templating",
    severity="error",
    summary="A `{{...}}` tag, expression, `depends` or `when` that Argo cannot parse.",
)
def check(ctx: Context) -> Iterator[Finding]:
    for site in ctx.analysis(tag_sites):
        tag, scalar = site.tag, site.scalar
        if tag.error is not None:
            problem = tag.error
            if problem.message.startswith("unterminated"):
                suggestion = "close the tag with `}}`"
            elif tag.kind == "expression":
                suggestion = "fix the expression (https://expr-lang.org/docs/language-definition)"
            else:
                suggestion = "write a variable name such as `inputs.parameters.NAME`"
            yield ctx.finding(
                problem.span(scalar),
                f"malformed tag `{_clip(tag.text)}`: {problem.message}",
                suggestion=suggestion,
            )
            continue
        for ref in tag.refs:
            if not ref.expression and any(ref.bracketed):
                yield _bracket_in_simple_tag(ctx, ref, scalar)
    for esite in ctx.analysis(expression_sites):
        if esite.error is not None:
            yield ctx.finding(
                esite.error.span(esite.scalar),
                f"malformed expression: {esite.error.message}",
                suggestion="fix the expression (https://expr-lang.org/docs/language-definition)",
            )
    for when in _conditions(ctx):
        problem = parse_when(when).error
        if problem is not None:
            yield ctx.finding(
                problem.span(when),
                problem.message,
                suggestion="compare values with `==`, `!=`, `<`, `=~`...; quote values "
                "that contain spaces or operators",
            )
    for template in ctx.manifest.all_templates:
        for task in template.tasks:
            depends = task.depends
            if depends is None or depends.value is None:
                continue
            problem = parse_depends(depends).error
            if problem is not None:
                yield ctx.finding(
                    problem.span(depends),
                    problem.message,
                    suggestion="combine task names with `&&`, `||`, `!` and parentheses, e.g. "
                    '"A && (B.Failed || C)"',
                )


def _conditions(ctx: Context) -> Iterator[YScalar]:
    """Every govaluate ``when``: of steps and tasks, and of Prometheus metrics."""
    manifest = ctx.manifest
    holders = [manifest.spec] + [t.node for t in manifest.all_templates]
    for holder in holders:
        metrics = holder.mapping("metrics") if holder is not None else None
        prometheus = metrics.sequence("prometheus") if metrics is not None else None
        for metric in prometheus.mappings() if prometheus is not None else ():
            when = metric.get("when")
            if isinstance(when, YScalar) and isinstance(when.value, str):
                yield when
    for template in manifest.all_templates:
        for call in template.invocations:
            when = call.when
            if when is not None and isinstance(when.value, str):
                yield when


def _bracket_in_simple_tag(ctx: Context, ref: Ref, scalar: YScalar) -> Finding:
    dotted = ".".join(ref.parts)
    return ctx.finding(
        ref.span(scalar),
        f"`{_source(ref, scalar)}`: simple tags are looked up by name, so the bracket form "
        "only works inside an expression tag `{{=...}}`",
        suggestion=f"write `{{{{{dotted}}}}}` or `{{{{={_bracketed(ref)}}}}}`",
    )


def _bracketed(ref: Ref) -> str:
    out = ref.parts[0]
    for part, bracket in zip(ref.parts[1:], ref.bracketed[1:], strict=False):
        out += f"['{part}']" if bracket else f".{part}"
    return out


def _source(ref: Ref, scalar: YScalar) -> str:
    value = scalar.value
    return value[ref.start : ref.end] if isinstance(value, str) else ref.name


def _clip(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
