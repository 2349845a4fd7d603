"""Every document of a run, plus the project's other Argo and RBAC manifests, indexed so
that references across files resolve (``templateRef``, ``workflowTemplateRef``, bindings)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from argolint.source.loader import RBAC_KINDS, Document


class Project:
    def __init__(self, targets: Iterable[Document], context: Iterable[Document] = ()) -> None:
        self.targets: list[Document] = list(targets)  # documents whose findings are reported
        self.context: list[Document] = list(context)  # found elsewhere, only for references
        self._by_kind: dict[str, list[Document]] = defaultdict(list)
        for doc in self.documents:
            if doc.kind:
                self._by_kind[doc.kind].append(doc)

    @property
    def documents(self) -> Iterator[Document]:
        yield from self.targets
        yield from self.context

    def of_kind(self, *kinds: str) -> list[Document]:
        return [doc for kind in kinds for doc in self._by_kind.get(kind, ())]

    def workflow_template(self, name: str, cluster_scope: bool = False) -> Document | None:
        kind = "ClusterWorkflowTemplate" if cluster_scope else "WorkflowTemplate"
        return next((d for d in self._by_kind.get(kind, ()) if d.name == name), None)

    @property
    def rbac(self) -> list[Document]:
        return self.of_kind(*sorted(RBAC_KINDS))
