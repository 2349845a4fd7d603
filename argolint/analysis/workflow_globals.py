"""The workflow-wide variables of a document: ``workflow.parameters.*`` declared in
``spec.arguments`` (or by the referenced WorkflowTemplate, or the configured
``workflow_defaults``), labels and annotations from metadata, ``workflowMetadata``, defaults
and the controller, ``workflow.outputs.*`` lifted by ``globalName``; and, for a
WorkflowTemplate, the parameters the project's Workflows that use it supply."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from argolint.source.nodes import YMapping, descendants

if TYPE_CHECKING:
    from argolint.context import Context
    from argolint.model import Manifest, Template
    from argolint.model.template import Invocation
    from argolint.project import Project
    from argolint.source.loader import Document

TEMPLATE_KINDS = frozenset(("WorkflowTemplate", "ClusterWorkflowTemplate"))
CALLER_KINDS = ("Workflow", "CronWorkflow", "WorkflowTemplate", "ClusterWorkflowTemplate")
#: Labels and annotations the controller or the API server add to every workflow.
CONTROLLER_LABELS = frozenset(
    f"workflows.argoproj.io/{k}"
    for k in (
        "creator",
        "creator-email",
        "creator-preferred-username",
        "workflow-template",
        "cluster-workflow-template",
        "cron-workflow",
        "phase",
        "completed",
        "resubmitted-from-workflow",
        "controller-instanceid",
    )
)
CONTROLLER_ANNOTATIONS = frozenset(("workflows.argoproj.io/scheduled-time",))


class GlobalScope:
    """The ``workflow.*`` (and ``cronworkflow.*``) variables of a document."""

    def __init__(self, ctx: Context) -> None:
        manifest = ctx.manifest
        self.kind = manifest.kind
        self.is_template_kind = manifest.kind in TEMPLATE_KINDS
        spec = manifest.spec
        self.parameters: set[str] = {p.name for p in manifest.arguments.parameters if p.name}
        self.parameters_open = False  # a referenced WorkflowTemplate we cannot see
        self.labels: set[str] = set(CONTROLLER_LABELS)
        self.annotations: set[str] = set(CONTROLLER_ANNOTATIONS)
        self.has_priority = spec is not None and spec.get("priority") is not None
        self.global_params: set[str] = set()
        self.global_artifacts: set[str] = set()
        self.global_params_open = False
        self.global_artifacts_open = False
        #: A CronWorkflow's own labels and annotations, which its workflows do not get.
        self.cron_labels: set[str] = set()
        self.cron_annotations: set[str] = set()
        if manifest.kind == "CronWorkflow":
            # Argo copies only `workflowMetadata` and the creator's labels (already among
            # the controller's) into each Workflow it starts (ConvertCronWorkflowToWorkflow).
            self._read_metadata(manifest.metadata, self.cron_labels, self.cron_annotations)
        else:
            self._read_metadata(manifest.metadata)
        self._read_workflow_metadata(spec)
        if manifest.kind == "CronWorkflow" and manifest.root is not None:
            cron_spec = manifest.root.mapping("spec")
            self._read_workflow_metadata(cron_spec)
        self._read_defaults(ctx.config.workflow_defaults)
        self._read_workflow_template_ref(ctx)
        for template in manifest.all_templates:
            self._read_global_outputs(template)
        for call in all_calls(manifest):
            self._read_remote_outputs(ctx, call)
        self._ctx = ctx
        self._caller_parameters: set[str] | None = None
        self._callers_read = False

    def caller_parameters(self) -> set[str] | None:
        """For a (Cluster)WorkflowTemplate: the parameters that the project's documents
        using it declare (None when no document of the project uses it)."""
        if not self.is_template_kind:
            return None
        if not self._callers_read:
            doc = self._ctx.doc
            self._caller_parameters = supplied_parameters(self._ctx.project, (doc.kind, doc.name))
            self._callers_read = True
        return self._caller_parameters

    def _read_metadata(
        self,
        metadata: YMapping | None,
        labels: set[str] | None = None,
        annotations: set[str] | None = None,
    ) -> None:
        """Add the label and annotation keys of ``metadata`` (to the workflow's, unless
        other sets are given)."""
        if metadata is None:
            return
        labels = self.labels if labels is None else labels
        annotations = self.annotations if annotations is None else annotations
        for key, target in (("labels", labels), ("annotations", annotations)):
            mapping = metadata.mapping(key)
            if mapping is not None:
                target.update(mapping.keys)

    def _read_workflow_metadata(self, spec: YMapping | None) -> None:
        meta = spec.mapping("workflowMetadata") if spec is not None else None
        if meta is None:
            return
        self._read_metadata(meta)
        labels_from = meta.mapping("labelsFrom")
        if labels_from is not None:
            self.labels.update(labels_from.keys)

    def _read_defaults(self, defaults: dict | None) -> None:
        if not isinstance(defaults, dict):
            return
        meta = defaults.get("metadata")
        spec = defaults.get("spec")
        sources = [meta]
        if isinstance(spec, dict):
            sources.append(spec.get("workflowMetadata"))
            args = spec.get("arguments")
            params = args.get("parameters") if isinstance(args, dict) else None
            for p in params if isinstance(params, list) else ():
                if isinstance(p, dict) and isinstance(p.get("name"), str):
                    self.parameters.add(p["name"])
        for source in sources:
            if not isinstance(source, dict):
                continue
            for key, target in (("labels", self.labels), ("annotations", self.annotations)):
                values = source.get(key)
                if isinstance(values, dict):
                    target.update(str(k) for k in values)
            labels_from = source.get("labelsFrom")
            if isinstance(labels_from, dict):
                self.labels.update(str(k) for k in labels_from)

    def _read_workflow_template_ref(self, ctx: Context) -> None:
        from argolint.analysis.refs import resolve_workflow_template_ref

        target = resolve_workflow_template_ref(ctx)
        if target is None:
            return
        if target.manifest is None:
            self.parameters_open = True
            self.global_params_open = self.global_artifacts_open = True
            return
        referenced = target.manifest
        self.parameters.update(p.name for p in referenced.arguments.parameters if p.name)
        self._read_workflow_metadata(referenced.spec)
        for template in referenced.all_templates:
            self._read_global_outputs(template)

    def _read_global_outputs(self, template: Template) -> None:
        for names, items, is_open in (
            (self.global_params, template.outputs.parameters, "global_params_open"),
            (self.global_artifacts, template.outputs.artifacts, "global_artifacts_open"),
        ):
            for item in items:
                name = item.node.str("globalName")
                if name is None:
                    continue
                if "{{" in name:
                    setattr(self, is_open, True)
                else:
                    names.add(name)

    def _read_remote_outputs(self, ctx: Context, call: Invocation) -> None:
        if call.template_ref is None:
            return
        from argolint.analysis.refs import resolve_call

        target = resolve_call(ctx, call)
        if target.template is not None:
            self._read_global_outputs(target.template)
        else:
            self.global_params_open = self.global_artifacts_open = True


def all_calls(manifest: Manifest) -> Iterator[Invocation]:
    for template in manifest.all_templates:
        yield from template.invocations


Key = tuple[str | None, str | None]  # (kind, name) of a (Cluster)WorkflowTemplate


def supplied_parameters(project: Project, key: Key) -> set[str] | None:
    """The workflow parameters that the documents using template ``key`` declare, through
    any chain of WorkflowTemplates; None when nothing in the project uses it."""
    table = _callers(project)
    if key not in table:
        return None
    supplied: set[str] = set()
    seen = {key}
    stack = [key]
    while stack:
        for caller, declared in table.get(stack.pop(), ()):
            supplied |= declared
            if caller is not None and caller not in seen:
                seen.add(caller)
                stack.append(caller)
    return supplied


def _callers(project: Project) -> dict[Key, list[tuple[Key | None, set[str]]]]:
    """(kind, name) of each (Cluster)WorkflowTemplate used in the project -> its users:
    (their own key if they are templates, the workflow parameters they declare). Built
    once per project by one walk of each document."""
    return project.analysis(_build_callers)


def _template_uses(project: Project) -> list[tuple[Key, Key | None, Document]]:
    """Every use of a (Cluster)WorkflowTemplate in the project: (the template's key, the
    user's own key if it is a template itself, the user). One walk of each document that
    says ``templateRef``, shared by the tables built on it."""
    uses: list[tuple[Key, Key | None, Document]] = []
    for doc in project.of_kind(*CALLER_KINDS):
        root = doc.root
        if not isinstance(root, YMapping) or not _mentions_a_ref(doc.file.text, root):
            continue
        me: Key | None = (doc.kind, doc.name) if doc.kind in TEMPLATE_KINDS else None
        for node in descendants(root):
            if not isinstance(node, YMapping):
                continue
            for field in ("templateRef", "workflowTemplateRef"):
                ref = node.mapping(field)
                name = ref.str("name") if ref is not None else None
                if name:
                    cluster = ref.scalar("clusterScope") is True
                    kind = "ClusterWorkflowTemplate" if cluster else "WorkflowTemplate"
                    uses.append(((kind, name), me, doc))
    return uses


def _build_callers(project: Project) -> dict[Key, list[tuple[Key | None, set[str]]]]:
    table: dict[Key, list[tuple[Key | None, set[str]]]] = {}
    declared: dict[int, set[str]] = {}
    for key, me, doc in project.analysis(_template_uses):
        if id(doc) not in declared:
            parameters = project.manifest(doc).arguments.parameters
            declared[id(doc)] = {p.name for p in parameters if p.name}
        table.setdefault(key, []).append((me, declared[id(doc)]))
    for doc in project.of_kind("WorkflowEventBinding"):
        submitted = _submitted_by(doc)
        if submitted is not None:
            key, supplied = submitted
            table.setdefault(key, []).append((None, supplied))
    return table


#: Workflow-wide settings that cap how many pods run at once.
LIMITS = ("parallelism", "synchronization")


def limited_by_every_user(project: Project, key: Key) -> bool:
    """Whether every document of the project that runs template ``key`` (``templateRef``,
    ``workflowTemplateRef``, through chains of WorkflowTemplates) caps the workflow's pods
    with its own ``parallelism`` or ``synchronization``: the templates it runs count
    against that cap. False when nothing in sight uses it, or a WorkflowEventBinding does."""
    table = project.analysis(_build_limits)
    if key not in table:
        return False
    seen = {key}
    stack = [key]
    while stack:
        for caller, limited in table.get(stack.pop(), ()):
            if limited:
                continue
            if caller is None or caller not in table:
                return False  # a workflow without a cap, or a template nobody uses
            if caller not in seen:
                seen.add(caller)
                stack.append(caller)
    return True


def _build_limits(project: Project) -> dict[Key, list[tuple[Key | None, bool]]]:
    """(kind, name) of each template used in the project -> its users: (their own key if
    they are templates, whether their workflow spec sets a cap)."""
    table: dict[Key, list[tuple[Key | None, bool]]] = {}
    for key, me, doc in project.analysis(_template_uses):
        spec = project.manifest(doc).spec
        limited = spec is not None and any(spec.get(k) is not None for k in LIMITS)
        table.setdefault(key, []).append((me, limited))
    for doc in project.of_kind("WorkflowEventBinding"):
        submitted = _submitted_by(doc)
        if submitted is not None:
            table.setdefault(submitted[0], []).append((None, False))
    return table


def _submitted_by(doc: Document) -> tuple[Key, set[str]] | None:
    """The template a WorkflowEventBinding submits and the parameters it passes: it is a
    caller like a Workflow with a ``workflowTemplateRef``."""
    root = doc.root
    spec = root.mapping("spec") if isinstance(root, YMapping) else None
    submit = spec.mapping("submit") if spec is not None else None
    ref = submit.mapping("workflowTemplateRef") if submit is not None else None
    name = ref.str("name") if ref is not None else None
    if not name:
        return None
    cluster = ref.scalar("clusterScope") is True  # type: ignore[union-attr]
    kind = "ClusterWorkflowTemplate" if cluster else "WorkflowTemplate"
    arguments = submit.mapping("arguments")  # type: ignore[union-attr]
    parameters = arguments.sequence("parameters") if arguments is not None else None
    declared = {p.str("name") or "" for p in parameters.mappings()} if parameters else set()
    return (kind, name), declared - {""}


def _mentions_a_ref(text: str, root: YMapping) -> bool:
    """Whether the document's text holds ``templateRef`` or ``workflowTemplateRef`` (an
    alias can only repeat what the same document wrote): most documents use neither, and
    this spares walking them."""
    return text.find("emplateRef", root.start, root.end) != -1
