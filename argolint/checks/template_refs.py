"""References to templates: ``entrypoint``, ``onExit``, hooks, steps and tasks by
``template``/``templateRef``, and ``workflowTemplateRef``, resolved across the project.

Three rules share one pass over the document: ``undefined-template`` (a name in this
document), ``unresolved-template-ref`` (a (Cluster)WorkflowTemplate or a template in it that
no file of the project defines) and ``invalid-template-ref`` (a malformed reference).
"""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.refs import (
    DYNAMIC,
    EXTERNAL,
    FOUND,
    INVALID,
    MISSING,
    MISSING_DOCUMENT,
    Target,
    closest,
    resolve_call,
    resolve_local,
    resolve_template_ref,
    resolve_workflow_template_ref,
    template_source,
)
from argolint.context import Context
from argolint.finding import Finding, Severity
from argolint.rules import RuleSpec, family
from argolint.source.nodes import YMapping, YNode, YScalar

UNDEFINED, UNRESOLVED, MALFORMED = (
    "undefined-template",
    "unresolved-template-ref",
    "invalid-template-ref",
)


def _findings(ctx: Context) -> list[Finding]:
    return list(_all(ctx))


def _all(ctx: Context) -> Iterator[Finding]:
    manifest = ctx.manifest
    spec = manifest.spec
    if spec is None:
        return
    wtr = resolve_workflow_template_ref(ctx)
    if wtr is not None:
        yield from _report_ref(ctx, wtr, "workflowTemplateRef", manifest.workflow_template_ref)
        templates = spec.get("templates")
        if templates is not None and not _empty(templates):
            yield ctx.finding(
                spec.key_node("templates") or templates,
                "`templates` cannot be used together with `workflowTemplateRef`: the "
                "workflow runs the referenced template's templates and Argo rejects it",
                suggestion="move these templates into the WorkflowTemplate, or drop "
                "`workflowTemplateRef`",
                rule=MALFORMED,
            )
    source = template_source(ctx)
    if source is not None:
        for key in ("entrypoint", "onExit"):
            node = spec.get(key)
            if isinstance(node, YScalar) and node.value is not None and node.text:
                yield from _report_local(ctx, resolve_local(source, node), key, source)
        yield from _hooks(ctx, spec.mapping("hooks"), source)
    for template in manifest.all_templates:
        for call in template.invocations:
            yield from _report_call(ctx, resolve_call(ctx, call), call.node, template)
            yield from _hooks(ctx, call.node.mapping("hooks"), template.manifest)
            on_exit = call.node.get("onExit")  # deprecated form of the `exit` hook
            if isinstance(on_exit, YScalar) and on_exit.value is not None and on_exit.text:
                target = resolve_local(template.manifest, on_exit)
                yield from _report_local(ctx, target, "onExit", template.manifest)


def _empty(node: YNode) -> bool:
    if isinstance(node, YScalar):
        return node.value is None
    return node.is_sequence() and len(node) == 0  # type: ignore[arg-type]


def _hooks(ctx: Context, hooks: YMapping | None, source) -> Iterator[Finding]:
    if hooks is None:
        return
    for _name, _key, hook in hooks.items():
        if not isinstance(hook, YMapping):
            continue
        ref = hook.mapping("templateRef")
        name_node = hook.get("template")
        if ref is not None:
            target = resolve_template_ref(
                ctx.project, ref, ctx.doc.namespace, ctx.config.external_templates
            )
            yield from _report_ref(ctx, target, "templateRef", ref)
        elif isinstance(name_node, YScalar) and name_node.value is not None and source:
            yield from _report_local(ctx, resolve_local(source, name_node), "hook", source)


def _report_call(ctx: Context, target: Target, node: YMapping, template) -> Iterator[Finding]:
    if target.status == FOUND and target.is_remote:
        yield from _namespace(ctx, target, node.get("templateRef"))
    if target.status in (FOUND, DYNAMIC, EXTERNAL):
        return
    if target.status == INVALID:
        if node.get("templateRef") is not None and node.get("template") is not None:
            yield ctx.finding(
                node.key_node("template") or node,
                "`template` and `templateRef` are both set: a step or task calls exactly one",
                suggestion="keep `templateRef` (another document) or `template` (this one)",
                rule=MALFORMED,
            )
        elif node.get("templateRef") is not None:
            yield from _report_ref(ctx, target, "templateRef", node.get("templateRef"))
        else:
            what = "task" if "dependencies" in node or "depends" in node else "step"
            yield ctx.finding(
                node.get("name") or node,
                f"this {what} calls no template: set `template`, `templateRef` or `inline`",
                rule=MALFORMED,
            )
        return
    if target.is_remote:
        yield from _report_ref(ctx, target, "templateRef", node.get("templateRef"))
    else:
        yield from _report_local(ctx, target, "template", template.manifest)


def _namespace(ctx: Context, target: Target, ref: YNode | None) -> Iterator[Finding]:
    """A namespaced templateRef resolves in the workflow's own namespace only: both stated
    and different (and no template of that name in the workflow's namespace) never works."""
    if target.cluster_scope or target.manifest is None or not isinstance(ref, YMapping):
        return
    theirs, ours = target.manifest.doc.namespace, ctx.doc.namespace
    if not theirs or not ours or theirs == ours:
        return
    doc = target.manifest.doc
    meta = doc.root.get("metadata") if isinstance(doc.root, YMapping) else None
    yield ctx.finding(
        ref.get("name") or ref,
        f"WorkflowTemplate `{target.name}` is in namespace `{theirs}`, this {ctx.doc.kind} in "
        f"`{ours}`: a templateRef resolves only in the workflow's own namespace",
        suggestion="deploy the template to the same namespace, or make it a "
        "ClusterWorkflowTemplate and set `clusterScope: true`",
        related=[ctx.related(meta or doc.root, f"namespace `{theirs}`", doc)],
        severity=Severity.WARNING,
        rule=UNRESOLVED,
    )


def _report_local(ctx: Context, target: Target, field: str, source) -> Iterator[Finding]:
    if target.status != MISSING or target.node is None:
        return
    names = [t.name for t in source.templates if t.name]
    near = closest(target.template_name or "", names)
    where = "" if source.doc is ctx.doc else f" of WorkflowTemplate `{source.doc.name}`"
    yield ctx.finding(
        target.node,
        f"`{field}` names template `{target.template_name}`, which is not defined in the "
        f"templates{where}",
        suggestion=f"did you mean `{near}`?" if near else "define it under `templates`",
        related=[]
        if source.doc is ctx.doc
        else [
            ctx.related(
                source.root.get("metadata") or source.root, "templates searched here", source.doc
            )
        ],
        rule=UNDEFINED,
    )


def _report_ref(ctx: Context, target: Target, field: str, node: YNode | None) -> Iterator[Finding]:
    kind = "ClusterWorkflowTemplate" if target.cluster_scope else "WorkflowTemplate"
    if target.status == INVALID:
        missing = [k for k in ("name", "template") if field == "templateRef" or k == "name"]
        absent = [k for k in missing if not (isinstance(node, YMapping) and node.str(k))]
        yield ctx.finding(
            node if node is not None else ctx.doc.root,
            f"`{field}` needs " + " and ".join(f"`{k}`" for k in absent),
            rule=MALFORMED,
        )
    elif target.status == MISSING_DOCUMENT:
        names = sorted({d.name for d in ctx.project.of_kind(kind) if d.name})
        near = closest(target.name or "", names)
        other = "WorkflowTemplate" if target.cluster_scope else "ClusterWorkflowTemplate"
        if target.name and ctx.project.workflow_template(target.name, not target.cluster_scope):
            scope = (
                "remove `clusterScope: true`"
                if target.cluster_scope
                else "set `clusterScope: true`"
            )
            yield ctx.finding(
                target.node or node or ctx.doc.root,
                f"{kind} `{target.name}` is not defined, but a {other} of that name is",
                suggestion=scope,
                rule=UNRESOLVED,
            )
            return
        yield ctx.finding(
            target.node or node or ctx.doc.root,
            f"{kind} `{target.name}` is not defined in any file argolint can see",
            suggestion=(f"did you mean `{near}`? " if near else "")
            + "if it lives only in the cluster, list it under `external_templates` in the "
            "argolint configuration",
            details="argolint looks in the files given and in the Argo manifests of the "
            "repository (or the configured `template_paths`)",
            rule=UNRESOLVED,
        )
    elif target.status == MISSING and target.manifest is not None:
        names = [t.name for t in target.manifest.templates if t.name]
        near = closest(target.template_name or "", names)
        doc = target.manifest.doc
        meta = doc.root.get("metadata") if isinstance(doc.root, YMapping) else None
        yield ctx.finding(
            target.node or node or ctx.doc.root,
            f"{kind} `{target.name}` has no template `{target.template_name}`",
            suggestion=f"did you mean `{near}`?" if near else None,
            related=[ctx.related(meta or doc.root, f"{kind} `{target.name}`", doc)],
            rule=UNRESOLVED,
        )


family(
    _findings,
    RuleSpec(
        UNDEFINED,
        category="correctness",
        severity="error",
        summary="A template name (entrypoint, onExit, hook, step or task) matches no template.",
    ),
    RuleSpec(
        UNRESOLVED,
        category="correctness",
        severity="error",
        summary=(
            "A templateRef or workflowTemplateRef names a template no file of the project defines."
        ),
    ),
    RuleSpec(
        MALFORMED,
        category="correctness",
        severity="error",
        summary=(
            "A template reference is malformed (missing name, template and templateRef both set)."
        ),
    ),
)
