"""Where a call goes: ``template``, ``templateRef`` (namespaced or ``clusterScope``),
``inline`` and ``workflowTemplateRef``, resolved against every document of the project
(the files given and the project's other manifests), as the controller would resolve them.

A reference is *found* (the template and the document holding it), *missing* (nothing has
that name: the rules report it), *dynamic* (its name is a ``{{...}}`` tag: only known at run
time) or *external* (declared in ``external_templates``: it lives only in the cluster).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import TYPE_CHECKING

from argolint.source.nodes import YMapping, YNode, YScalar

if TYPE_CHECKING:
    from argolint.context import Context
    from argolint.model import Manifest, Template
    from argolint.model.template import Invocation
    from argolint.project import Project

FOUND, MISSING, MISSING_DOCUMENT, DYNAMIC, EXTERNAL, INVALID = (
    "found",
    "missing-template",  # the document exists, the template in it does not
    "missing-document",  # no (Cluster)WorkflowTemplate of that name anywhere
    "dynamic",
    "external",
    "invalid",  # malformed reference (no name, both template and templateRef...)
)


@dataclass(frozen=True)
class Target:
    """The result of resolving one reference."""

    status: str
    template: Template | None = None
    manifest: Manifest | None = None  # the document that holds the template
    node: YNode | None = None  # the part of the reference to point at when it fails
    name: str | None = None  # the (Cluster)WorkflowTemplate name, for templateRef
    template_name: str | None = None
    cluster_scope: bool = False

    @property
    def found(self) -> bool:
        return self.status == FOUND

    @property
    def is_remote(self) -> bool:
        """Resolved through templateRef/workflowTemplateRef (another document)."""
        return self.name is not None


def closest(word: str, candidates: list[str]) -> str | None:
    """The candidate most like ``word``, for a did-you-mean suggestion."""
    import difflib

    match = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return match[0] if match else None


def is_dynamic(text: str | None) -> bool:
    return text is not None and "{{" in text


def _external(ctx_or_patterns: list[str], name: str, template: str | None) -> bool:
    keys = [name] if template is None else [name, f"{name}/{template}"]
    return any(fnmatch.fnmatchcase(k, p) for p in ctx_or_patterns for k in keys)


def resolve_template_ref(
    project: Project,
    ref: YMapping,
    namespace: str | None,
    external: list[str],
) -> Target:
    """A ``templateRef`` mapping: ``name`` (+ ``clusterScope``) picks the document,
    ``template`` the template in it."""
    name_node, tmpl_node = ref.get("name"), ref.get("template")
    name = ref.str("name")
    template_name = ref.str("template")
    cluster = ref.scalar("clusterScope") is True
    common = {"name": name, "template_name": template_name, "cluster_scope": cluster}
    if not name or not template_name:
        return Target(INVALID, node=ref, **common)
    if is_dynamic(name) or is_dynamic(template_name):
        return Target(DYNAMIC, **common)
    doc = project.workflow_template(name, cluster, namespace)
    if doc is None:
        if _external(external, name, template_name):
            return Target(EXTERNAL, **common)
        return Target(MISSING_DOCUMENT, node=name_node, **common)
    manifest = project.manifest(doc)
    template = manifest.template(template_name)
    if template is None:
        return Target(MISSING, manifest=manifest, node=tmpl_node, **common)
    return Target(FOUND, template, manifest, **common)


def resolve_workflow_template_ref(ctx: Context) -> Target | None:
    """``spec.workflowTemplateRef`` of a Workflow or CronWorkflow, or None without one."""
    return ctx.analysis(_workflow_template_ref)


def _workflow_template_ref(ctx: Context) -> Target | None:
    ref = ctx.manifest.workflow_template_ref
    if ref is None:
        return None
    name = ref.str("name")
    cluster = ref.scalar("clusterScope") is True
    if not name:
        return Target(INVALID, node=ref, cluster_scope=cluster)
    if is_dynamic(name):
        return Target(DYNAMIC, name=name, cluster_scope=cluster)
    doc = ctx.project.workflow_template(name, cluster, ctx.doc.namespace)
    if doc is None:
        if _external(ctx.config.external_templates, name, None):
            return Target(EXTERNAL, name=name, cluster_scope=cluster)
        return Target(MISSING_DOCUMENT, node=ref.get("name"), name=name, cluster_scope=cluster)
    return Target(FOUND, manifest=ctx.project.manifest(doc), name=name, cluster_scope=cluster)


def template_source(ctx: Context) -> Manifest | None:
    """The document whose templates ``entrypoint``/``onExit`` name: the referenced
    WorkflowTemplate for a Workflow with ``workflowTemplateRef``, else this document.
    None when that WorkflowTemplate cannot be seen (nothing can be said then)."""
    ref = resolve_workflow_template_ref(ctx)
    if ref is None:
        return ctx.manifest
    return ref.manifest if ref.found else None


def resolve_call(ctx: Context, call: Invocation) -> Target:
    """What a step or task calls. Computed once per call per document."""
    table = ctx.analysis(_call_table)
    target = table.get(id(call.node))
    if target is None:
        target = table[id(call.node)] = _resolve_call(ctx, call)
    return target


def _call_table(ctx: Context) -> dict[int, Target]:
    return {}


def _resolve_call(ctx: Context, call: Invocation) -> Target:
    node = call.node
    inline = call.inline
    ref = node.get("templateRef")
    name_node = node.get("template")
    if inline is not None:
        return Target(FOUND, inline, call.parent.manifest)
    if isinstance(ref, YMapping):
        if name_node is not None:
            return Target(INVALID, node=name_node)
        return resolve_template_ref(
            ctx.project, ref, ctx.doc.namespace, ctx.config.external_templates
        )
    if isinstance(name_node, YScalar) and name_node.value is not None:
        return resolve_local(call.parent.manifest, name_node)
    return Target(INVALID, node=call.name_node)


def resolve_local(manifest: Manifest, name_node: YScalar) -> Target:
    """A template named in ``manifest`` (``template:``, ``entrypoint``, ``onExit``)."""
    name = name_node.text
    if is_dynamic(name):
        return Target(DYNAMIC, template_name=name)
    template = manifest.template(name)
    if template is None:
        return Target(MISSING, manifest=manifest, node=name_node, template_name=name)
    return Target(FOUND, template, manifest, template_name=name)
