"""The least privilege a workflow's service account needs, as a Role to apply.

What Argo's executor needs (report outputs as ``workflowtaskresults``), what the agent needs
for ``http`` and ``plugin`` templates, and what each ``resource`` template manipulates (its
manifest's kind, with the verbs its action uses). With the emissary executor nothing needs
``pods/exec`` or ``pods/log``; a resource template that acts on pods gets ``pods`` itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from argolint.analysis.embedded import parse_embedded, top_level
from argolint.analysis.rbac import CLUSTER_SCOPED_RESOURCES
from argolint.model import Manifest, Template
from argolint.source.loader import ARGO_KINDS, Document
from argolint.source.nodes import YMapping

if TYPE_CHECKING:
    from argolint.project import Project

#: Verbs ``kubectl <action>`` needs, as Argo's executor runs it.
ACTION_VERBS = {
    "get": ("get",),
    "create": ("create",),
    "apply": ("get", "create", "patch"),
    "patch": ("get", "patch"),
    "replace": ("get", "update"),
    "delete": ("get", "delete"),
}
#: Plurals that do not follow the English rules below.
_PLURALS = {"endpoints": "endpoints", "podsecuritypolicy": "podsecuritypolicies"}
_NAME = re.compile(r"[^a-z0-9-]+")


def plural(kind: str) -> str:
    low = kind.lower()
    if low in _PLURALS:
        return _PLURALS[low]
    if low.endswith("y") and low[-2:-1] not in "aeiou":
        return low[:-1] + "ies"
    if low.endswith(("s", "x", "ch", "sh")):
        return low + "es"
    return low + "s"


def api_group(api_version: str | None) -> str:
    if not api_version or "/" not in api_version:
        return ""  # the core group: v1
    return api_version.split("/", 1)[0]


Grants = dict[tuple[str, str], set[str]]


@dataclass
class Needs:
    """(apiGroup, resource) → verbs, where they are needed, plus notes on what could not be
    read. A Role grants only in its own namespace and never cluster-scoped resources, so
    those live apart: ``grants`` (the workflow's namespace), ``elsewhere`` (a namespace a
    resource manifest names) and ``cluster`` (cluster-scoped kinds: a ClusterRole)."""

    grants: Grants = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    elsewhere: dict[str, Grants] = field(default_factory=dict)
    cluster: Grants = field(default_factory=dict)

    def add(self, group: str, resource: str, *verbs: str, namespace: str | None = None) -> None:
        if resource in CLUSTER_SCOPED_RESOURCES:
            target = self.cluster
        elif namespace:
            target = self.elsewhere.setdefault(namespace, {})
        else:
            target = self.grants
        target.setdefault((group, resource), set()).update(verbs)


def workflow_needs(manifests: Iterable[Manifest], project: Project | None = None) -> Needs:
    """What the pods of these workflows need, whichever account each template runs as;
    with ``project``, templates they reach through ``templateRef`` and
    ``workflowTemplateRef`` count too (they run under the caller's account)."""
    return templates_needs(t for m in manifests for t in reachable_templates(m, project))


def reachable_templates(manifest: Manifest, project: Project | None) -> list[Template]:
    """The manifest's templates, plus those of other documents that it runs."""
    out: list[Template] = []
    seen: set[int] = set()
    stack: list[Template] = list(manifest.all_templates)
    ref = manifest.workflow_template_ref
    if project is not None and ref is not None:
        other = _referenced(project, ref, manifest.doc.namespace)
        if other is not None:
            stack.extend(other.all_templates)
    while stack:
        template = stack.pop()
        if id(template.node) in seen:
            continue
        seen.add(id(template.node))
        out.append(template)
        if project is None:
            continue
        for call in template.invocations:
            target_ref = call.template_ref
            if target_ref is None:
                continue
            other = _referenced(project, target_ref, manifest.doc.namespace)
            name = target_ref.str("template")
            target = other.template(name) if other is not None and name else None
            if target is not None:
                stack.append(target)
    return out


def _referenced(project: Project, ref: YMapping, namespace: str | None) -> Manifest | None:
    name = ref.str("name")
    if not name or "{{" in name:
        return None
    doc = project.workflow_template(name, ref.scalar("clusterScope") is True, namespace)
    return project.manifest(doc) if doc is not None else None


def templates_needs(templates: Iterable[Template]) -> Needs:
    needs = Needs()
    needs.add("argoproj.io", "workflowtaskresults", "create", "patch")
    for template in templates:
        kind = template.type
        if kind in ("http", "plugin"):
            needs.add("argoproj.io", "workflowtasksets", "list", "watch")
            needs.add("argoproj.io", "workflowtasksets/status", "patch")
        elif kind == "resource":
            _resource_needs(template, template.manifest, needs)
    return needs


def _resource_needs(template: Template, manifest: Manifest, needs: Needs) -> None:
    resource = template.node.mapping("resource")
    if resource is None:
        return
    action = resource.str("action") or "create"
    name = template.name or "(inline)"
    verbs = list(ACTION_VERBS.get(action, ()))
    if not verbs:
        needs.notes.append(f"resource template `{name}`: action `{action}` is not known")
        return
    if resource.get("successCondition") is not None or resource.get("failureCondition"):
        verbs += ["get", "watch"]
    outputs = template.outputs.parameters
    if any(
        p.value_from and (p.value_from.get("jsonPath") or p.value_from.get("jqFilter"))
        for p in outputs
    ):
        verbs.append("get")
    placement = top_level(manifest.doc)
    docs = parse_embedded(resource.get("manifest"), placement, manifest.doc.path)
    kinds = [
        (d.root.str("apiVersion"), d.root.str("kind"), _namespace_of(d.root))
        for d in docs
        if isinstance(d.root, YMapping) and d.root.str("kind")
    ]
    if not kinds:
        needs.notes.append(
            f"resource template `{name}`: its manifest could not be read; add the "
            f"`{action}` verbs for the kind it manipulates"
        )
        return
    for api_version, kind, namespace in kinds:
        if "{{" in (kind or "") or "{{" in (api_version or ""):
            needs.notes.append(f"resource template `{name}`: kind is set at run time")
            continue
        if namespace is not None and "{{" in namespace:
            needs.notes.append(
                f"resource template `{name}`: its {kind} names its namespace at run time; "
                "grant the same verbs there"
            )
            namespace = None
        needs.add(api_group(api_version), plural(kind or ""), *verbs, namespace=namespace)
        if kind in ("RoleBinding", "ClusterRoleBinding") and action in ("create", "apply"):
            needs.notes.append(
                f"resource template `{name}`: Kubernetes lets it bind a role only with `bind` "
                "on that role (`resourceNames: [<role>]`) or every permission the role grants"
            )


def _namespace_of(root: YMapping) -> str | None:
    metadata = root.mapping("metadata")
    namespace = metadata.str("namespace") if metadata is not None else None
    return namespace.strip() if namespace and namespace.strip() else None


def role_name(service_account: str) -> str:
    return _NAME.sub("-", f"{service_account}-workflow".lower()).strip("-") or "workflow"


def role_yaml(
    service_account: str, namespace: str | None, needs: Needs, name: str | None = None
) -> str:
    """A Role with exactly ``needs`` and the RoleBinding that gives it to the account, plus a
    Role and RoleBinding in each other namespace the workflow's resources live in, and a
    ClusterRole and ClusterRoleBinding for cluster-scoped kinds."""
    name = name or role_name(service_account)
    main = dict(needs.grants)
    elsewhere = dict(needs.elsewhere)
    for verbs_key, verbs in elsewhere.pop(namespace, {}).items() if namespace else ():
        main.setdefault(verbs_key, set()).update(verbs)
    parts = [_pair("Role", name, namespace, service_account, namespace, main, needs.notes)]
    for other, grants in sorted(elsewhere.items()):
        parts.append(_pair("Role", name, other, service_account, namespace, grants, []))
    if needs.cluster:
        parts.append(
            _pair("ClusterRole", name, None, service_account, namespace, needs.cluster, [])
        )
    return "---\n".join(parts)


def _pair(
    kind: str,
    name: str,
    where: str | None,
    account: str,
    account_namespace: str | None,
    grants: Grants,
    notes: list[str],
) -> str:
    """A (Cluster)Role and the (Cluster)RoleBinding that gives it to ``account``."""
    meta = f"metadata:\n  name: {name}\n" + (f"  namespace: {where}\n" if where else "")
    lines = ["apiVersion: rbac.authorization.k8s.io/v1", f"kind: {kind}", meta + "rules:"]
    by_group: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for (group, resource), verbs in sorted(grants.items()):
        by_group.setdefault((group, tuple(sorted(verbs))), []).append(resource)
    for (group, verbs), resources in by_group.items():
        lines.append(f"  - apiGroups: [{_quote(group)}]")
        lines.append(f"    resources: [{', '.join(resources)}]")
        lines.append(f"    verbs: [{', '.join(verbs)}]")
    lines.extend(f"  # {note}" for note in notes)
    subject = f"  - kind: ServiceAccount\n    name: {account}\n"
    if account_namespace:
        subject += f"    namespace: {account_namespace}\n"
    elif where or kind == "ClusterRole":
        # Required here (no binding namespace to default to); a value that cannot be applied
        # as is, so that it is filled in rather than guessed.
        subject += "    namespace: WORKFLOW-NAMESPACE  # the namespace the workflow runs in\n"
    lines += [
        "---",
        "apiVersion: rbac.authorization.k8s.io/v1",
        f"kind: {kind}Binding",
        meta + "roleRef:",
        "  apiGroup: rbac.authorization.k8s.io",
        f"  kind: {kind}",
        f"  name: {name}",
        "subjects:",
    ]
    return "\n".join(lines) + "\n" + subject


def _quote(group: str) -> str:
    return f'"{group}"' if group == "" else group


def suggest_rbac(docs: Iterable[Document], project: Project | None = None) -> str:
    """ServiceAccount, Role and RoleBinding YAML for each Argo document: one account for the
    workflow (the one it names, or ``<name>-runner``), one more per template that names its
    own account, each with what its templates need."""
    out: list[str] = []
    for doc in docs:
        if doc.kind not in ARGO_KINDS or not doc.is_argo or not isinstance(doc.root, YMapping):
            continue
        manifest = Manifest(doc)
        spec = manifest.spec
        if spec is None:
            continue
        name = (
            doc.name or (doc.metadata.str("generateName") if doc.metadata else None) or "workflow"
        )
        name = _NAME.sub("-", name.lower()).strip("-") or "workflow"
        namespace = doc.namespace
        named = spec.str("serviceAccountName")
        account = named if named and named.strip() not in ("", "default") else f"{name}-runner"
        own: dict[str, list[Template]] = {}
        shared: list[Template] = []
        for template in reachable_templates(manifest, project):
            if template.type not in _GRANTED_TYPES:
                continue  # steps, dag, suspend: no pod, no API call
            sa = executor_account(template, spec) or template.node.str("serviceAccountName")
            (own.setdefault(sa, []) if sa and sa.strip() else shared).append(template)
        header = f"# Least-privilege RBAC for {doc.kind} `{name}` ({doc.path})"
        if account != named:
            field = "workflowSpec" if doc.kind == "CronWorkflow" else "spec"
            header += f"\n# then set `{field}.serviceAccountName: {account}`"
        if manifest.workflow_template_ref is not None:
            header += (
                "\n# its workflowTemplateRef runs templates defined elsewhere: add their needs"
            )
        entries = [(account, shared, templates_needs(shared))]
        entries += [(sa, ts, templates_needs(ts)) for sa, ts in own.items()]
        if _add_artifact_gc(entries, artifact_gc_accounts(manifest, spec), account):
            # else the namespace's `default` account would run the GC pods
            header += f"\n# and set `spec.artifactGC.serviceAccountName: {account}`"
        first = True
        for sa, templates, needs in entries:
            gc_only = not templates and "workflowtaskresults" not in {r for _, r in needs.grants}
            if sa != account and not templates and not gc_only:
                continue
            text = (
                header
                if first
                else f"# Templates of {doc.kind} `{name}` whose Argo executor runs as `{sa}`"
                if not gc_only
                else f"# Artifact garbage collection of {doc.kind} `{name}` runs as `{sa}`"
            ) + "\n"
            first = False
            if sa == account and not templates and own and account not in own and not gc_only:
                out.append(
                    text + f"# `{account}` needs no grant for Argo: its executor uses the "
                    "token of `executor.serviceAccountName`\n"
                    + _service_account_yaml(sa, namespace)
                )
                continue
            out.append(
                text
                + _service_account_yaml(sa, namespace)
                + "---\n"
                + role_yaml(sa, namespace, needs)
            )
    return "---\n".join(out) if out else "# no Workflow, WorkflowTemplate or CronWorkflow found\n"


#: Templates whose pod runs Argo's executor (init, wait, or the resource/data main).
_EXECUTOR_POD_TYPES = frozenset(("container", "script", "containerSet", "resource", "data"))
#: Templates whose execution calls the API: the executor's pods, and the agent's.
_GRANTED_TYPES = _EXECUTOR_POD_TYPES | {"http", "plugin"}


def executor_account(template: Template, spec: YMapping) -> str | None:
    """The account whose token Argo mounts into the executor's containers, if one is named:
    the template's ``executor.serviceAccountName``, else ``templateDefaults``', else the
    workflow's. Argo's own API calls (task results, resource actions) are made with it,
    not with the pod's ``serviceAccountName``."""
    if template.type not in _EXECUTOR_POD_TYPES:
        return None
    defaults = spec.mapping("templateDefaults")
    for holder in (template.node, defaults, spec):
        executor = holder.mapping("executor") if holder is not None else None
        name = executor.str("serviceAccountName") if executor is not None else None
        if name and name.strip():
            return name.strip()
    return None


_Entry = tuple[str, list[Template], Needs]


def _add_artifact_gc(entries: list[_Entry], accounts: list[str | None], default: str) -> bool:
    """Grant artifact GC's needs to each account its pods run as (``default`` for unnamed
    ones, which the caller must then name); whether an unnamed one was met."""
    unnamed = False
    for account in accounts:
        unnamed = unnamed or account is None
        name = account or default
        entry = next((e for e in entries if e[0] == name), None)
        if entry is None:
            entry = (name, [], Needs())
            entries.append(entry)
        entry[2].add("argoproj.io", "workflowartifactgctasks", "list", "watch")
        entry[2].add("argoproj.io", "workflowartifactgctasks/status", "patch")
    return unnamed


_NO_GC = ("", "Never")


def artifact_gc_accounts(manifest: Manifest, spec: YMapping) -> list[str | None]:
    """The accounts artifact garbage collection pods run as (``None``: none named, the
    namespace's ``default``): one per output artifact whose strategy (its own, else the
    workflow's) deletes it. They list and watch ``workflowartifactgctasks`` and patch their
    status."""
    spec_gc = spec.mapping("artifactGC")
    spec_strategy = (spec_gc.str("strategy") if spec_gc else None) or ""
    spec_account = spec_gc.str("serviceAccountName") if spec_gc else None
    found: list[str | None] = []
    for template in manifest.all_templates:
        for artifact in template.outputs.artifacts:
            gc = artifact.node.mapping("artifactGC") if artifact.node is not None else None
            strategy = (gc.str("strategy") if gc else None) or spec_strategy
            if strategy.strip() in _NO_GC:
                continue
            account = (gc.str("serviceAccountName") if gc else None) or spec_account
            if account not in found:
                found.append(account)
    return found


def _service_account_yaml(name: str, namespace: str | None) -> str:
    text = f"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {name}\n"
    return text + (f"  namespace: {namespace}\n" if namespace else "")
