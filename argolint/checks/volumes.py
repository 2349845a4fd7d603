"""Volume mounts: no two mounts (or a mount and an input artifact) on one path in a container
(``duplicate-mount-path``, as Argo's validator checks), and every ``volumeMounts[].name``
names a volume the pod will have (``unknown-volume``: Argo leaves this to Kubernetes, which
rejects the pod only when the step runs).

Volumes come from ``spec.volumes``, ``spec.volumeClaimTemplates``, the template's own
``volumes``, ``templateDefaults.volumes`` and the controller's ``workflowDefaults``. A
WorkflowTemplate's templates may also run inside a Workflow that brings the volumes
(``templateRef``), so there the finding is a warning; a ``podSpecPatch`` can add volumes too,
and silences the rule for what it covers.
"""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.refs import closest, resolve_call
from argolint.context import Context
from argolint.finding import Finding, Severity
from argolint.model import Template
from argolint.rules import rule
from argolint.source.nodes import YMapping, YScalar, YSequence

#: Where containers sit in a template, and how to call them in a message.
CONTAINER_HOLDERS = (("container", "container"), ("script", "script"))


def _items(node: YMapping | None, key: str) -> list[YMapping]:
    seq = node.sequence(key) if node is not None else None
    return list(seq.mappings()) if isinstance(seq, YSequence) else []


def _containers(template: Template) -> Iterator[tuple[str, YMapping]]:
    """(description, container mapping) of every container the template's pod runs."""
    node = template.node
    for key, label in CONTAINER_HOLDERS:
        body = node.mapping(key)
        if body is not None:
            yield label, body
    cset = node.mapping("containerSet")
    if cset is not None:
        for c in _items(cset, "containers"):
            yield f"containerSet container `{c.str('name') or '?'}`", c
    for key, label in (("initContainers", "init container"), ("sidecars", "sidecar")):
        for c in _items(node, key):
            yield f"{label} `{c.str('name') or '?'}`", c


def _label(template: Template) -> str:
    if template.inline_of is not None:
        return f"the inline template of `{template.inline_of.name or '?'}`"
    return f"template `{template.name}`" if template.name else "this template"


@rule(
    "duplicate-mount-path",
    category="correctness",
    severity="error",
    summary="Two volume mounts, or a mount and an input artifact, use the same path.",
)
def check_mount_paths(ctx: Context) -> Iterator[Finding]:
    for template in ctx.manifest.all_templates:
        body = template.node.mapping("container")
        if body is None:
            continue
        seen: dict[str, tuple[str, YScalar]] = {}
        for mount in _items(body, "volumeMounts"):
            path = mount.get("mountPath")
            if not isinstance(path, YScalar) or not path.text:
                continue
            what = f"volumeMount `{mount.str('name') or '?'}`"
            if path.text in seen:
                prev, node = seen[path.text]
                yield ctx.finding(
                    path,
                    f"`{path.text}` is already mounted by {prev} (line {node.line}) in "
                    f"{_label(template)}",
                    related=[ctx.related(node, "first mounted here")],
                )
            else:
                seen[path.text] = (what, path)
        for art in template.inputs.artifacts:
            path = art.node.get("path")
            if not isinstance(path, YScalar) or not path.text:
                continue
            if path.text in seen:
                prev, node = seen[path.text]
                yield ctx.finding(
                    path,
                    f"input artifact `{art.name}` is loaded at `{path.text}`, which is already "
                    f"mounted by {prev} (line {node.line})",
                    suggestion="load the artifact at another path, or mount the volume elsewhere",
                    related=[ctx.related(node, "mounted here")],
                )
            else:
                seen[path.text] = (f"input artifact `{art.name}`", path)


def _names(holder: YMapping | None, key: str) -> set[str]:
    return {n for item in _items(holder, key) if (n := _name(item))}


def _name(item: YMapping) -> str | None:
    name = item.str("name")
    if name is None:
        meta = item.mapping("metadata")  # volumeClaimTemplates name their claim in metadata
        name = meta.str("name") if meta is not None else None
    return name


@rule(
    "unknown-volume",
    category="correctness",
    severity="error",
    summary="A volumeMount names no volume or volumeClaimTemplate the pod will have.",
)
def check_unknown_volume(ctx: Context) -> Iterator[Finding]:
    manifest = ctx.manifest
    spec = manifest.spec
    if spec is None or spec.get("podSpecPatch") is not None:
        return
    volumes = _names(spec, "volumes") | _names(spec, "volumeClaimTemplates")
    volumes |= _names(spec.mapping("templateDefaults"), "volumes")
    library = manifest.kind in ("WorkflowTemplate", "ClusterWorkflowTemplate")
    for template in manifest.all_templates:
        node = template.node
        if node.get("podSpecPatch") is not None:
            continue
        known = volumes | _names(node, "volumes")
        for where, name in _unknown_mounts(template, known):
            near = closest(name.text, sorted(known))
            yield ctx.finding(
                name,
                f"volumeMount `{name.text}` of the {where} of {_label(template)} names no "
                "volume: not in `volumes` or `volumeClaimTemplates`"
                + (" of this template (a calling Workflow may provide it)" if library else ""),
                suggestion=f"did you mean `{near}`?"
                if near
                else "declare it under `spec.volumes` or `spec.volumeClaimTemplates`",
                severity=Severity.WARNING if library else None,
            )
        if library:
            continue
        for call in template.invocations:
            yield from _remote_mounts(ctx, call, volumes)


def _unknown_mounts(template: Template, known: set[str]) -> Iterator[tuple[str, YScalar]]:
    for where, container in _containers(template):
        for mount in _items(container, "volumeMounts"):
            name = mount.get("name")
            if not isinstance(name, YScalar) or not name.text or "{{" in name.text:
                continue
            if name.text not in known:
                yield where, name


def _remote_mounts(ctx: Context, call, volumes: set[str]) -> Iterator[Finding]:
    """A template called by ``templateRef`` runs in this workflow's pod spec: the volumes it
    mounts must come from this workflow (or the template itself), not from the spec of the
    WorkflowTemplate that defines it."""
    target = resolve_call(ctx, call)
    callee = target.template
    if not target.found or not target.is_remote or callee is None:
        return
    if callee.node.get("podSpecPatch") is not None:
        return
    known = volumes | _names(callee.node, "volumes")
    missing = sorted({name.text for _where, name in _unknown_mounts(callee, known)})
    if not missing:
        return
    ref = call.node.mapping("templateRef")
    at = ref.get("template") if ref is not None else None
    names = ", ".join(f"`{m}`" for m in missing)
    doc = target.manifest.doc if target.manifest is not None else None
    yield ctx.finding(
        at or call.name_node,
        f"template `{callee.name}` of {doc.kind if doc else 'WorkflowTemplate'} "
        f"`{target.name}` mounts {names}, which this workflow does not define (a template "
        "called by `templateRef` runs with the calling workflow's volumes)",
        suggestion="declare it under this workflow's `spec.volumes` or `spec.volumeClaimTemplates`",
        related=[ctx.related(callee.name_node, "the template is defined here", doc)]
        if doc is not None
        else [],
    )
