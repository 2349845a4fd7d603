"""Names that expr reads differently from what the author meant: ``a-b`` inside
``{{=...}}`` is a subtraction (hyphen-in-expression), and a DAG task named like an expr
builtin or keyword breaks the ``depends`` expression Argo evaluates (expr-builtin-name)."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.dag import dag_graph
from argolint.analysis.expr import EXPR_BUILTINS
from argolint.analysis.expr.sites import tag_sites
from argolint.analysis.scope import expression_sites
from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule

#: Words expr's parser reserves: a task with such a name makes ``depends`` unparsable.
EXPR_KEYWORDS = frozenset(
    ("in", "not", "and", "or", "matches", "contains", "startsWith", "endsWith", "nil",
     "true", "false", "let", "if", "else")
)  # fmt: skip


def _shadowing_version(version: str | None) -> bool:
    """Whether Argo ``version`` lets expr builtins shadow task names (fixed in 3.4.17 and
    3.5.5). Without a version the newest Argo is meant, as for the schema, so it does not."""
    if not version:
        return False
    numbers = []
    for piece in version.strip().lstrip("vV").split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        numbers.append(int(digits))
    if len(numbers) < 2:
        return True
    major, minor, patch = (*numbers, 0, 0)[:3]
    if (major, minor) < (3, 4):
        return True
    if (major, minor) == (3, 4):
        return patch < 17
    if (major, minor) == (3, 5):
        return patch < 5
    return False


@rule(
    "hyphen-in-expression",
    category="templating",
    severity="warning",
    summary="`a-b` inside `{{=...}}` is `a` minus `b`; hyphenated names need `['a-b']`.",
)
def check_hyphen(ctx: Context) -> Iterator[Finding]:
    joins = [(join, site.scalar) for site in ctx.analysis(tag_sites) for join in site.tag.hyphens]
    joins += [(j, site.scalar) for site in ctx.analysis(expression_sites) for j in site.hyphens]
    for join, scalar in joins:
        source = scalar.value[join.start : join.end]
        yield ctx.finding(
            join.ref.span(scalar),
            f"`{source}` is read by expr as a subtraction, not as the name `{join.ref.name}`",
            suggestion=f"write `{join.suggestion}`",
        )


@rule(
    "expr-builtin-name",
    category="templating",
    severity="warning",
    summary="A DAG task named like an expr builtin or keyword is used in `depends`.",
)
def check_builtin(ctx: Context) -> Iterator[Finding]:
    for template in ctx.manifest.all_templates:
        if template.dag is None:
            continue
        graph = dag_graph(ctx, template)
        reported: set[str] = set()
        for name in graph.order:
            for dep in graph.deps.get(name, ()):
                # Argo turns `-` into `_` before handing `depends` to expr.
                word = dep.name.replace("-", "_")
                if dep.name in reported or dep.name not in graph.tasks:
                    continue
                if word in EXPR_KEYWORDS:
                    why = f"`{word}` is an expr keyword, so the expression does not parse"
                elif word in EXPR_BUILTINS and _shadowing_version(ctx.config.argo_version):
                    why = (
                        f"expr also has a builtin function `{word}`, which Argo before "
                        "3.4.17 / 3.5.5 evaluates instead of the task (argo-workflows#12037)"
                    )
                else:
                    continue
                reported.add(dep.name)
                task = graph.tasks[dep.name]
                yield ctx.finding(
                    dep.span,
                    f"task `{dep.name}` is used in a dependency, but {why}",
                    suggestion=f"rename the task, e.g. `{dep.name}-task`",
                    related=[ctx.related(task.name_node, f"task `{dep.name}` is defined here")],
                )
