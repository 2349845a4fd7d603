"""The graph of a ``dag`` template: which task waits for which (``dependencies`` and
``depends``), each task's ancestors, unknown dependencies and cycles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from argolint.analysis.expr.depends import DependsExpr, DependsOperand, parse_depends
from argolint.cached import cached_property
from argolint.source.nodes import YNode, YScalar
from argolint.span import Span

if TYPE_CHECKING:
    from argolint.context import Context
    from argolint.model import Task, Template


@dataclass(frozen=True, slots=True)
class Dependency:
    """One edge: ``task`` waits for ``name``. ``node`` is the scalar naming it (an item of
    ``dependencies`` or the ``depends`` string); ``operand`` is set for ``depends``."""

    task: str
    name: str
    node: YScalar
    operand: DependsOperand | None = None

    @property
    def span(self) -> Span:
        """Exactly the name: the ``dependencies`` item or the task inside ``depends``."""
        if self.operand is not None:
            return self.operand.span(self.node)
        return self.node.span


@dataclass
class DagGraph:
    template: Template
    tasks: dict[str, Task] = field(default_factory=dict)  # first task of each name
    order: list[str] = field(default_factory=list)  # task names in source order
    deps: dict[str, list[Dependency]] = field(default_factory=dict)
    depends: dict[str, DependsExpr] = field(default_factory=dict)  # parsed ``depends``

    def parents(self, name: str) -> list[str]:
        """Known tasks ``name`` waits for directly."""
        return list(dict.fromkeys(d.name for d in self.deps.get(name, ()) if d.name in self.tasks))

    def ancestors(self, name: str) -> frozenset[str]:
        """Every task that has finished (or been skipped) before ``name`` starts."""
        mask = self._masks.get(name, 0)
        names = self._names
        return frozenset(names[i] for i in range(mask.bit_length()) if mask >> i & 1)

    def is_ancestor(self, candidate: str, of: str) -> bool:
        """Whether ``candidate`` has finished before ``of`` starts (cheap: one bit test)."""
        index = self._index.get(candidate)
        return index is not None and bool(self._masks.get(of, 0) >> index & 1)

    @cached_property
    def _names(self) -> list[str]:
        return list(self.tasks)

    @cached_property
    def _index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self._names)}

    @cached_property
    def _masks(self) -> dict[str, int]:
        """Each task's ancestors as a bit set over ``_names``, built in topological order
        (linear in the graph, whatever its depth); tasks on or after a cycle fall back to a
        plain walk (the cycle itself is reported by ``cycles``)."""
        index = self._index
        parents = {name: self.parents(name) for name in self._names}
        children: dict[str, list[str]] = {name: [] for name in self._names}
        waiting = {name: len(ps) for name, ps in parents.items()}
        for name, ps in parents.items():
            for p in ps:
                children[p].append(name)
        ready = [name for name, count in waiting.items() if count == 0]
        masks: dict[str, int] = {}
        while ready:
            name = ready.pop()
            mask = 0
            for p in parents[name]:
                mask |= masks[p] | 1 << index[p]
            masks[name] = mask
            for child in children[name]:
                waiting[child] -= 1
                if waiting[child] == 0:
                    ready.append(child)
        for name in self._names:
            if name in masks:
                continue
            mask, seen, stack = 0, set(), list(parents[name])
            while stack:
                p = stack.pop()
                if p in seen:
                    continue
                seen.add(p)
                mask |= 1 << index[p]
                if p in masks:
                    mask |= masks[p]
                else:
                    stack.extend(parents[p])
            masks[name] = mask & ~(1 << index[name])
        return masks

    def unknown(self) -> list[Dependency]:
        """Dependencies on tasks that do not exist in this DAG."""
        return [
            d for name in self.order for d in self.deps.get(name, ()) if d.name not in self.tasks
        ]

    def cycles(self) -> list[list[str]]:
        """Each dependency cycle once, as task names in waiting order (``a`` waits for ``b``
        ... waits for ``a``), found by depth-first search in source order."""
        colour: dict[str, int] = {}  # 1 on the stack, 2 finished
        cycles: list[list[str]] = []
        for start in self.order:
            if colour.get(start):
                continue
            path: list[str] = []
            stack: list[tuple[str, int]] = [(start, 0)]
            while stack:
                node, i = stack.pop()
                if i == 0:
                    colour[node] = 1
                    path.append(node)
                parents = self.parents(node)
                if i < len(parents):
                    stack.append((node, i + 1))
                    nxt = parents[i]
                    if colour.get(nxt) == 1:
                        cycles.append(path[path.index(nxt) :])
                    elif not colour.get(nxt):
                        stack.append((nxt, 0))
                else:
                    colour[node] = 2
                    path.pop()
        return cycles


def build_dag(template: Template) -> DagGraph:
    graph = DagGraph(template)
    for task in template.tasks:
        name = task.name
        if name is None:
            continue
        graph.order.append(name)
        graph.tasks.setdefault(name, task)
        edges = graph.deps.setdefault(name, [])
        for dep, node in task.dependencies:
            if isinstance(node, YScalar):
                edges.append(Dependency(name, dep, node))
        depends = task.depends
        if depends is not None and depends.value is not None:
            parsed = parse_depends(depends)
            graph.depends[name] = parsed
            edges.extend(Dependency(name, o.task, depends, o) for o in parsed.operands)
    return graph


class DagIndex:
    """The graphs of a document's ``dag`` templates, built on first request."""

    def __init__(self) -> None:
        self._graphs: dict[int, DagGraph] = {}

    def graph(self, template: Template) -> DagGraph:
        key = id(template.node)
        graph = self._graphs.get(key)
        if graph is None:
            graph = self._graphs[key] = build_dag(template)
        return graph


def dag_index(ctx: Context) -> DagIndex:
    """Per-document memo: ``ctx.analysis(dag_index).graph(template)``."""
    return DagIndex()


def dag_graph(ctx: Context, template: Template) -> DagGraph:
    """The graph of ``template`` (a ``dag`` template), computed once per document."""
    return ctx.analysis(dag_index).graph(template)


def task_node(graph: DagGraph, name: str) -> YNode | None:
    task = graph.tasks.get(name)
    return task.name_node if task is not None else None
