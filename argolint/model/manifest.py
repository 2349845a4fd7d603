"""An Argo document as a whole: Workflow, WorkflowTemplate, ClusterWorkflowTemplate or
CronWorkflow, with the workflow spec found where that kind keeps it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from argolint.cached import cached_property
from argolint.model.template import IO, Template
from argolint.source.nodes import YMapping

if TYPE_CHECKING:
    from argolint.context import Context
    from argolint.source.loader import Document


class Manifest:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.root = doc.root if isinstance(doc.root, YMapping) else None

    @property
    def kind(self) -> str | None:
        return self.doc.kind

    @property
    def metadata(self) -> YMapping | None:
        return self.root.mapping("metadata") if self.root else None

    @cached_property
    def spec(self) -> YMapping | None:
        """The workflow spec: ``spec``, or ``spec.workflowSpec`` for a CronWorkflow."""
        spec = self.root.mapping("spec") if self.root else None
        if spec is not None and self.kind == "CronWorkflow":
            return spec.mapping("workflowSpec")
        return spec

    @cached_property
    def templates(self) -> list[Template]:
        seq = self.spec.sequence("templates") if self.spec else None
        return [Template(t, self) for t in seq.mappings()] if seq else []

    @cached_property
    def _by_name(self) -> dict[str, Template]:
        by_name: dict[str, Template] = {}
        for template in self.templates:
            if template.name is not None:
                by_name.setdefault(template.name, template)
        return by_name

    def template(self, name: str) -> Template | None:
        return self._by_name.get(name)

    @property
    def all_templates(self) -> Iterator[Template]:
        """Named templates and the inline templates of their steps and tasks, depth first.
        Built once per document, so every rule sees the same Template objects (and their
        cached facts) instead of rebuilding them."""
        return iter(self._all_templates)

    @cached_property
    def _all_templates(self) -> list[Template]:
        out: list[Template] = []
        stack = list(reversed(self.templates))
        while stack:
            template = stack.pop()
            out.append(template)
            stack.extend(
                inline
                for call in reversed(list(template.invocations))
                if (inline := call.inline) is not None
            )
        return out

    @property
    def entrypoint(self) -> str | None:
        return self.spec.str("entrypoint") if self.spec else None

    @cached_property
    def arguments(self) -> IO:
        return IO(self.spec.mapping("arguments") if self.spec else None)

    @property
    def workflow_template_ref(self) -> YMapping | None:
        return self.spec.mapping("workflowTemplateRef") if self.spec else None


def manifest_of(ctx: Context) -> Manifest:
    return Manifest(ctx.doc)
