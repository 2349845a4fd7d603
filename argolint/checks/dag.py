"""DAG templates as Argo's validator sees them, built on the shared graph
(``argolint.analysis.dag``): dependencies exist (``unknown-dependency``), no cycles
(``dependency-cycle``, with the cycle's path), ``target`` names tasks (``unknown-target``), and
the structural rules of a DAG (``dag-structure``): at least one task; ``depends`` and
``dependencies`` not mixed; no ``continueOn`` with ``depends``; no task name starting with a
digit once dependencies are used; ``.AnySucceeded``/``.AllFailed`` only on looping tasks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from argolint.analysis.dag import DagGraph, dag_graph
from argolint.analysis.refs import closest
from argolint.context import Context
from argolint.finding import Finding
from argolint.model import Template
from argolint.rules import RuleSpec, family
from argolint.source.nodes import YScalar, YSequence

UNKNOWN, CYCLE, TARGET, STRUCTURE = (
    "unknown-dependency",
    "dependency-cycle",
    "unknown-target",
    "dag-structure",
)
#: Results that only make sense for a task that fans out over items.
ITEMS_RESULTS = frozenset(("AnySucceeded", "AllFailed"))
_WORD = re.compile(r"\S+")


def _dags(ctx: Context) -> Iterator[Template]:
    for template in ctx.manifest.all_templates:
        if template.dag is not None:
            yield template


def _label(template: Template) -> str:
    if template.inline_of is not None:
        return f"the inline DAG of `{template.inline_of.name or '?'}`"
    return f"DAG `{template.name}`"


def _findings(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    for template in _dags(ctx):
        graph = dag_graph(ctx, template)
        out += _unknown(ctx, graph)
        out += _cycles(ctx, graph, template)
        out += _targets(ctx, graph, template)
        out += _structure(ctx, graph, template)
    return out


def _unknown(ctx: Context, graph: DagGraph) -> Iterator[Finding]:
    names = list(graph.tasks)
    for dep in graph.unknown():
        near = closest(dep.name, names)
        yield ctx.finding(
            dep.span,
            f"task `{dep.task}` depends on `{dep.name}`, which is not a task of this DAG",
            suggestion=f"did you mean `{near}`?" if near else f"tasks are: {', '.join(names)}",
            rule=UNKNOWN,
        )


def _cycles(ctx: Context, graph: DagGraph, template: Template) -> Iterator[Finding]:
    for cycle in graph.cycles():
        first, second = cycle[0], cycle[1 % len(cycle)]
        edge = next((d for d in graph.deps.get(first, ()) if d.name == second), None)
        path = " -> ".join([*cycle, cycle[0]])
        at = edge.span if edge is not None else graph.tasks[first].name_node.span
        related = [
            ctx.related(d.span, f"`{d.task}` waits for `{d.name}`")
            for a, b in zip(cycle[1:], [*cycle[2:], cycle[0]], strict=False)
            for d in graph.deps.get(a, ())
            if d.name == b
        ]
        yield ctx.finding(
            at,
            f"dependency cycle in {_label(template)}: {path} (each waits for the next), so "
            "none of them can start",
            suggestion="remove one of these dependencies",
            related=related,
            rule=CYCLE,
        )


def _targets(ctx: Context, graph: DagGraph, template: Template) -> Iterator[Finding]:
    node = template.dag.get("target") if template.dag is not None else None
    if not isinstance(node, YScalar) or node.value is None or "{{" in node.text:
        return
    for match in _WORD.finditer(node.text):
        name = match.group()
        if name not in graph.tasks:
            near = closest(name, list(graph.tasks))
            yield ctx.finding(
                node.sub_span(match.start(), match.end()),
                f"target `{name}` is not a task of {_label(template)}",
                suggestion=f"did you mean `{near}`?" if near else None,
                rule=TARGET,
            )


def _structure(ctx: Context, graph: DagGraph, template: Template) -> Iterator[Finding]:
    dag = template.dag
    assert dag is not None
    tasks = dag.get("tasks")
    if not template.tasks and not (isinstance(tasks, YSequence) and len(tasks) > 0):
        yield ctx.finding(
            dag.key_node("tasks") or template.node.key_node("dag") or dag,
            f"{_label(template)} has no tasks; a DAG needs at least one",
            rule=STRUCTURE,
        )
        return
    using_depends = any(t.depends is not None and t.depends.text for t in template.tasks)
    mixed_reported = False
    for task in template.tasks:
        node = task.node
        has_deps = bool(task.dependencies)
        name = task.name or ""
        if (using_depends or has_deps) and name[:1].isdigit():
            yield ctx.finding(
                task.name_node,
                f"task name `{name}` starts with a digit, which `depends`/`dependencies` "
                "cannot refer to",
                suggestion=f"rename it, e.g. `t{name}`",
                rule=STRUCTURE,
            )
        if using_depends and has_deps and not mixed_reported:
            mixed_reported = True
            yield ctx.finding(
                node.key_node("dependencies") or node,
                f"{_label(template)} uses both `depends` and `dependencies`; Argo accepts only "
                "one style per DAG",
                suggestion="rewrite `dependencies: [a, b]` as `depends: a && b`",
                rule=STRUCTURE,
            )
        if using_depends and node.get("continueOn") is not None:
            yield ctx.finding(
                node.key_node("continueOn") or node,
                "`continueOn` cannot be used in a DAG that uses `depends`",
                suggestion="depend on the result instead: `depends: a.Succeeded || a.Failed`",
                rule=STRUCTURE,
            )
    for name, parsed in graph.depends.items():
        depends = graph.tasks[name].depends if name in graph.tasks else None
        for operand in parsed.operands:
            target = graph.tasks.get(operand.task)
            if operand.result in ITEMS_RESULTS and target is not None and target.loop is None:
                yield ctx.finding(
                    operand.result_span(depends)
                    if depends is not None
                    else graph.tasks[name].name_node,
                    f"`{operand.task}.{operand.result}` applies to tasks that loop over items, "
                    f"but `{operand.task}` has no withItems/withParam/withSequence",
                    suggestion=f"use `{operand.task}.Succeeded` or `{operand.task}.Failed`",
                    rule=STRUCTURE,
                )


family(
    _findings,
    RuleSpec(
        UNKNOWN,
        category="correctness",
        severity="error",
        summary="A DAG task depends on a task that does not exist in its DAG.",
    ),
    RuleSpec(
        CYCLE,
        category="correctness",
        severity="error",
        summary="DAG tasks wait for each other in a cycle, so none of them can start.",
    ),
    RuleSpec(
        TARGET,
        category="correctness",
        severity="error",
        summary="A DAG's `target` names a task that the DAG does not have.",
    ),
    RuleSpec(
        STRUCTURE,
        category="correctness",
        severity="error",
        summary=(
            "A DAG breaks Argo's structural rules (no tasks, depends mixed with dependencies...)."
        ),
    ),
)
