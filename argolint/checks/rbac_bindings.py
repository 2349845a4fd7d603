"""RBAC that grants too much: bindings to broad roles, roles with wildcards, cluster-wide
bindings where one namespace would do. Bindings are judged with what they grant across the
project, and name the workflows whose service account they bind."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.embedded import Placement, top_level
from argolint.analysis.kustomize import under_kustomize
from argolint.analysis.least_privilege import role_yaml, workflow_needs
from argolint.analysis.pods import pods_of
from argolint.analysis.rbac import (
    BROAD_BUILTIN_ROLES,
    CLUSTER_SCOPED_RESOURCES,
    Binding,
    RbacIndex,
    RoleDef,
    Usage,
    is_workload_subject,
    rbac_index,
)
from argolint.context import Context
from argolint.finding import Finding, Severity
from argolint.project import Project
from argolint.rules import rule
from argolint.source.loader import ARGO_KINDS
from argolint.source.nodes import YMapping

_BUILTIN_WHY = {
    "cluster-admin": "full control of the whole cluster: every resource, every namespace",
    "admin": "read and write of nearly everything in a namespace, secrets and RBAC included",
    "edit": "read and write of nearly everything in a namespace, secrets included",
}
_BINDING_KINDS = ("RoleBinding", "ClusterRoleBinding")
_ROLE_KINDS = ("Role", "ClusterRole")


def _documents(ctx: Context, kinds: tuple[str, ...]) -> Iterator[tuple[YMapping, Placement]]:
    """The document itself if it is one of ``kinds``, or the manifests of that kind embedded
    in its resource templates (an Argo document)."""
    root = ctx.doc.root
    if ctx.doc.kind in kinds and isinstance(root, YMapping):
        yield root, top_level(ctx.doc)
    elif ctx.doc.kind in ARGO_KINDS:
        for item in ctx.analysis(pods_of).embedded:
            if isinstance(item.root, YMapping) and item.root.str("kind") in kinds:
                yield item.root, item.placement


@rule(
    "overbroad-rbac-binding",
    category="security",
    severity="warning",
    summary="A binding grants cluster-admin, admin, edit or a wildcard role, or binds "
    "cluster-wide what one namespace needs.",
    kinds=(*_BINDING_KINDS, *ARGO_KINDS),
)
def check_binding(ctx: Context) -> Iterator[Finding]:
    for root, placement in _documents(ctx, _BINDING_KINDS):
        binding = Binding.of(ctx.doc, root, placement)
        # the index (every workflow's accounts) is built only when a binding asks for it
        yield from _binding_findings(ctx, rbac_index(ctx.project), binding)


def _users(index: RbacIndex, binding: Binding) -> list[Usage]:
    seen: set[int] = set()
    users = []
    for subject in binding.subjects:
        for usage in index.users(subject):
            if id(usage.node) not in seen:
                seen.add(id(usage.node))
                users.append(usage)
    return users


def _binding_findings(ctx: Context, index: RbacIndex, binding: Binding) -> Iterator[Finding]:
    role = index.role_of(binding)
    users = _users(index, binding)
    role_label = f"{binding.role_kind or 'role'} `{binding.role_name}`"
    severity: Severity | None = None
    why = ""
    if (
        binding.role_kind == "ClusterRole"
        and binding.role_name in BROAD_BUILTIN_ROLES
        and role is None
    ):
        severity = Severity.parse(BROAD_BUILTIN_ROLES[binding.role_name])
        if severity == Severity.ERROR and not any(is_workload_subject(s) for s in binding.subjects):
            severity = Severity.WARNING  # named people: a policy decision, not a pod's power
        why = _BUILTIN_WHY[binding.role_name]
        if binding.kind == "RoleBinding" and binding.role_name == "cluster-admin":
            why = "full control of every resource in the namespace, RBAC and secrets included"
    elif role is not None and role.wildcard_rules:
        severity = Severity.WARNING
        fields = sorted({f for r in role.wildcard_rules for f, _ in r.wildcards()})
        why = "`*` in " + ", ".join(f"`{f}`" for f in fields) + ": everything, present and future"
    if severity is not None and binding.kind == "ClusterRoleBinding" and "cluster" not in why:
        why += ", in every namespace"
    who = _subjects(binding)
    runs = _runs(users)
    anchor = binding.placement.span(binding.anchor)
    related = [
        ctx.related(u.node, f"runs as service account `{u.service_account}`", u.doc)
        for u in users[:10]
    ]
    if severity is not None:
        yield ctx.finding(
            anchor,
            f"{binding.kind} `{binding.name or '?'}` gives {who} the {role_label}: {why}"
            + (f"; {runs}" if runs else ""),
            suggestion=_suggestion(binding, users, ctx.project),
            severity=severity,
            related=related,
        )
        return
    if binding.kind == "ClusterRoleBinding" and users:
        namespaces = {s.namespace for s in binding.subjects}
        kinds = {s.kind for s in binding.subjects}
        one_namespace = len(namespaces) == 1 and None not in namespaces
        if (
            kinds == {"ServiceAccount"}
            and one_namespace
            and not _needs_cluster(role, users, ctx.project)
        ):
            namespace = next(iter(namespaces))
            kind_node = binding.root.get("kind") or binding.root
            yield ctx.finding(
                binding.placement.span(kind_node),
                f"ClusterRoleBinding `{binding.name or '?'}` grants the {role_label} in "
                f"every namespace, but {who} only runs workflows in namespace "
                f"`{namespace}`; {runs}",
                suggestion=f"use a RoleBinding in namespace `{namespace}` (a RoleBinding may "
                "refer to a ClusterRole)",
                related=related,
            )


def _needs_cluster(role: RoleDef | None, users: list[Usage], project: Project) -> bool:
    if role is not None and any(r.cluster_scoped for r in role.rules):
        return True
    needs = workflow_needs((u.manifest for u in users), project)
    return bool(needs.cluster) or any(
        resource in CLUSTER_SCOPED_RESOURCES for _, resource in needs.grants
    )


def _subjects(binding: Binding) -> str:
    names = []
    for s in binding.subjects[:3]:
        if s.kind == "ServiceAccount":
            names.append(f"service account `{s.namespace + ':' if s.namespace else ''}{s.name}`")
        else:
            names.append(f"{s.kind.lower() or 'subject'} `{s.name}`")
    more = f" and {len(binding.subjects) - 3} more" if len(binding.subjects) > 3 else ""
    return (", ".join(names) + more) if names else "no subject"


def _runs(users: list[Usage]) -> str:
    if not users:
        return ""
    by_account: dict[str, list[str]] = {}
    for u in users:
        line = u.node.line
        by_account.setdefault(u.service_account, []).append(f"{u.label} ({u.doc.path}:{line})")
    parts = []
    for account, labels in by_account.items():
        shown = ", ".join(labels[:4]) + (f" and {len(labels) - 4} more" if len(labels) > 4 else "")
        parts.append(f"service account `{account}` runs {shown}")
    return "; ".join(parts)


def _suggestion(binding: Binding, users: list[Usage], project: Project) -> str:
    if not users:
        return (
            "bind a Role that lists only the verbs and resources its subjects need "
            "(`argolint --suggest-rbac WORKFLOW` writes one for a workflow)"
        )
    groups: dict[tuple[str, str | None], list[Usage]] = {}
    for u in users:
        groups.setdefault((u.service_account, u.namespace), []).append(u)
    parts = []
    for (account, namespace), group in groups.items():
        needs = workflow_needs((u.manifest for u in group), project)
        parts.append(role_yaml(account, namespace, needs))
    return "replace it with a RoleBinding to a Role with what the workflows need:\n" + "---\n".join(
        parts
    )


@rule(
    "rbac-wildcard",
    category="security",
    severity="warning",
    summary="A Role or ClusterRole rule uses `*` in verbs, resources or apiGroups.",
    kinds=(*_ROLE_KINDS, *ARGO_KINDS),
)
def check_wildcard(ctx: Context) -> Iterator[Finding]:
    for root, placement in _documents(ctx, _ROLE_KINDS):
        role = RoleDef.of(ctx.doc, root, placement)
        if role is None:
            continue
        for policy in role.rules:
            for field, node in policy.wildcards():
                what = {
                    "verbs": "every verb, including `escalate`, `bind` and `impersonate`",
                    "resources": "every resource of the groups, secrets and RBAC included",
                    "apiGroups": "every API group, including ones installed later",
                }[field]
                yield ctx.finding(
                    placement.span(node),
                    f"{role.kind} `{role.name}` grants `*` in `{field}`: {what}",
                    suggestion=f"list the {field} it needs explicitly",
                )


_SUBJECT_KINDS = {"serviceaccount": "ServiceAccount", "user": "User", "group": "Group"}
_RBAC_GROUP = "rbac.authorization.k8s.io"


@rule(
    "invalid-rbac-subject",
    category="correctness",
    severity="error",
    summary="A binding subject the API server rejects (unknown kind, a ServiceAccount without "
    "namespace in a ClusterRoleBinding, a wrong apiGroup).",
    kinds=(*_BINDING_KINDS, *ARGO_KINDS),
)
def check_subjects(ctx: Context) -> Iterator[Finding]:
    for root, placement in _documents(ctx, _BINDING_KINDS):
        cluster = root.str("kind") == "ClusterRoleBinding"
        seq = root.sequence("subjects")
        for subject in seq.mappings() if seq else ():
            yield from _subject_findings(ctx, subject, placement, cluster)


def _subject_findings(
    ctx: Context, subject: YMapping, placement: Placement, cluster: bool
) -> Iterator[Finding]:
    """What Kubernetes' RBAC validation refuses in one subject (after its defaulting: an
    empty ``apiGroup`` becomes the right one for the kind)."""
    kind = subject.str("kind")
    kind_node = subject.get("kind") or subject
    if kind is None or "{{" in kind:
        return
    if kind not in _SUBJECT_KINDS.values():
        known = _SUBJECT_KINDS.get(kind.lower().replace("-", "").replace("_", ""))
        yield ctx.finding(
            placement.span(kind_node),
            f"subject kind `{kind}` is not one Kubernetes knows"
            + (f" (kinds are case-sensitive: `{known}`)" if known else "")
            + ": the binding is rejected",
            suggestion=f"write `{known}`" if known else "use `ServiceAccount`, `User` or `Group`",
        )
        return
    group = subject.str("apiGroup")
    group_node = subject.get("apiGroup")
    expected = "" if kind == "ServiceAccount" else _RBAC_GROUP
    if group and group.strip() != expected and group_node is not None and "{{" not in group:
        yield ctx.finding(
            placement.span(group_node),
            f"a `{kind}` subject's `apiGroup` must be "
            + ("empty" if kind == "ServiceAccount" else f"`{_RBAC_GROUP}`")
            + f", not `{group}`: the binding is rejected",
            suggestion="remove `apiGroup` from it"
            if kind == "ServiceAccount"
            else f"write `apiGroup: {_RBAC_GROUP}` (or leave it out)",
        )
    if kind == "ServiceAccount" and cluster and not (subject.str("namespace") or "").strip():
        name = subject.str("name") or "?"
        if under_kustomize(ctx.doc.path):  # kustomize's `namespace:` may fill it in
            yield ctx.finding(
                placement.span(kind_node),
                f"service account `{name}` has no `namespace`: a ClusterRoleBinding cannot "
                "default it, so the API server rejects the binding unless the kustomization "
                "that builds this file sets `namespace:`",
                suggestion="check that every kustomization using this file sets `namespace:`, "
                "or add `namespace:` to the subject",
                severity=Severity.WARNING,
            )
        else:
            yield ctx.finding(
                placement.span(kind_node),
                f"service account `{name}` has no `namespace`: a ClusterRoleBinding cannot "
                "default it, and the API server rejects the binding",
                suggestion="add `namespace: <the account's namespace>` to the subject",
            )
