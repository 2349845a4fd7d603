"""Templates and what they contain: inputs, outputs, steps, DAG tasks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from argolint.cached import cached_property
from argolint.source.nodes import YMapping, YNode, YScalar, YSequence

if TYPE_CHECKING:
    from argolint.model.manifest import Manifest

#: The fields that make a template one type or another, as Argo's validator counts them.
TEMPLATE_TYPES = (
    "container",
    "containerSet",
    "script",
    "resource",
    "suspend",
    "steps",
    "dag",
    "data",
    "http",
    "plugin",
)


class Parameter:
    """An input/output parameter or an argument parameter."""

    def __init__(self, node: YMapping) -> None:
        self.node = node

    @property
    def name(self) -> str | None:
        return self.node.str("name")

    @property
    def name_node(self) -> YNode:
        return self.node.get("name") or self.node

    def field(self, key: str) -> YNode | None:
        return self.node.get(key)

    @property
    def value(self) -> YNode | None:
        return self.node.get("value")

    @property
    def default(self) -> YNode | None:
        return self.node.get("default")

    @property
    def value_from(self) -> YMapping | None:
        return self.node.mapping("valueFrom")

    def __repr__(self) -> str:
        return f"Parameter({self.name!r})"


class Artifact(Parameter):
    """An input/output artifact or an argument artifact."""

    def __repr__(self) -> str:
        return f"Artifact({self.name!r})"


def _named(node: YMapping | None, key: str, cls: type) -> list:
    seq = node.sequence(key) if node else None
    return [cls(item) for item in seq.mappings()] if seq else []


class IO:
    """``inputs``, ``outputs`` or ``arguments``: named parameters and artifacts."""

    def __init__(self, node: YMapping | None) -> None:
        self.node = node

    @cached_property
    def parameters(self) -> list[Parameter]:
        return _named(self.node, "parameters", Parameter)

    @cached_property
    def artifacts(self) -> list[Artifact]:
        return _named(self.node, "artifacts", Artifact)

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    def artifact(self, name: str) -> Artifact | None:
        return next((a for a in self.artifacts if a.name == name), None)


class Invocation:
    """What steps and DAG tasks share: a call of a template with arguments, maybe a loop."""

    def __init__(self, node: YMapping, parent: Template) -> None:
        self.node = node
        self.parent = parent  # the steps/dag template that contains it

    @property
    def name(self) -> str | None:
        return self.node.str("name")

    @property
    def name_node(self) -> YNode:
        return self.node.get("name") or self.node

    @property
    def template_name(self) -> str | None:
        return self.node.str("template")

    @property
    def template_ref(self) -> YMapping | None:
        return self.node.mapping("templateRef")

    @property
    def inline(self) -> Template | None:
        node = self.node.mapping("inline")
        return Template(node, self.parent.manifest, inline_of=self) if node else None

    @cached_property
    def arguments(self) -> IO:
        return IO(self.node.mapping("arguments"))

    @property
    def loop(self) -> tuple[str, YNode] | None:
        """(``withItems``/``withParam``/``withSequence``, its node) if the call loops."""
        for key in ("withItems", "withParam", "withSequence"):
            node = self.node.get(key)
            if node is not None:
                return key, node
        return None

    @property
    def when(self) -> YScalar | None:
        node = self.node.get("when")
        return node if isinstance(node, YScalar) else None

    def resolve_local(self) -> Template | None:
        """The template this calls in the same document (``template:`` or ``inline:``)."""
        if self.inline is not None:
            return self.inline
        name = self.template_name
        return self.parent.manifest.template(name) if name else None


class Step(Invocation):
    def __init__(self, node: YMapping, parent: Template, group: int) -> None:
        super().__init__(node, parent)
        self.group = group  # index of its parallel step group

    def __repr__(self) -> str:
        return f"Step({self.name!r}, group={self.group})"


class Task(Invocation):
    @property
    def dependencies(self) -> list[tuple[str, YNode]]:
        seq = self.node.sequence("dependencies")
        if not seq:
            return []
        return [(n.text, n) for n in seq if isinstance(n, YScalar) and n.value is not None]

    @property
    def depends(self) -> YScalar | None:
        node = self.node.get("depends")
        return node if isinstance(node, YScalar) else None

    def __repr__(self) -> str:
        return f"Task({self.name!r})"


class Template:
    def __init__(self, node: YMapping, manifest: Manifest, inline_of: Invocation | None = None):
        self.node = node
        self.manifest = manifest
        self.inline_of = inline_of

    @property
    def name(self) -> str | None:
        return self.node.str("name")

    @property
    def name_node(self) -> YNode:
        return self.node.get("name") or self.node

    @cached_property
    def types(self) -> list[str]:
        """Every template-type field present (Argo requires exactly one)."""
        return [t for t in TEMPLATE_TYPES if self.node.get(t) is not None]

    @property
    def type(self) -> str | None:
        types = self.types
        return types[0] if len(types) == 1 else None

    @cached_property
    def inputs(self) -> IO:
        return IO(self.node.mapping("inputs"))

    @cached_property
    def outputs(self) -> IO:
        return IO(self.node.mapping("outputs"))

    @cached_property
    def step_groups(self) -> list[list[Step]]:
        """Steps in their parallel groups. Argo also accepts a bare step in place of a group."""
        seq = self.node.sequence("steps")
        if not seq:
            return []
        groups: list[list[Step]] = []
        for index, group in enumerate(seq.items):
            if isinstance(group, YSequence):
                groups.append([Step(s, self, index) for s in group.mappings()])
            elif isinstance(group, YMapping):
                groups.append([Step(group, self, index)])
            else:
                groups.append([])
        return groups

    @property
    def steps(self) -> Iterator[Step]:
        for group in self.step_groups:
            yield from group

    @cached_property
    def dag(self) -> YMapping | None:
        return self.node.mapping("dag")

    @cached_property
    def tasks(self) -> list[Task]:
        dag = self.dag
        seq = dag.sequence("tasks") if dag else None
        return [Task(t, self) for t in seq.mappings()] if seq else []

    def task(self, name: str) -> Task | None:
        return next((t for t in self.tasks if t.name == name), None)

    @property
    def invocations(self) -> Iterator[Invocation]:
        yield from self.steps
        yield from self.tasks

    @property
    def retry_strategy(self) -> YMapping | None:
        return self.node.mapping("retryStrategy")

    def __repr__(self) -> str:
        return f"Template({self.name!r})"
