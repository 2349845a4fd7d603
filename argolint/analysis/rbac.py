"""Who may do what: service accounts → bindings → roles, across every file of the project.

Built once per project (not per document): every ServiceAccount, Role, ClusterRole,
RoleBinding and ClusterRoleBinding among the files given and the project's other manifests,
and every place an Argo document names the service account its pods run as. Namespaces
that a manifest leaves unstated (it is applied with ``-n``) match any namespace.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from argolint.analysis.embedded import Placement, top_level
from argolint.model import Manifest
from argolint.source.loader import ARGO_KINDS, Document
from argolint.source.nodes import YMapping, YNode, YScalar

if TYPE_CHECKING:
    from argolint.project import Project

#: Kubernetes' built-in user-facing ClusterRoles that grant far more than a workflow needs,
#: with the severity of binding a workload's service account to them.
BROAD_BUILTIN_ROLES = {"cluster-admin": "error", "admin": "warning", "edit": "warning"}
#: Resources that live outside namespaces: granting them needs a ClusterRoleBinding.
CLUSTER_SCOPED_RESOURCES = frozenset(
    (
        "nodes",
        "namespaces",
        "persistentvolumes",
        "clusterroles",
        "clusterrolebindings",
        "customresourcedefinitions",
        "storageclasses",
        "priorityclasses",
        "clusterworkflowtemplates",
        "mutatingwebhookconfigurations",
        "validatingwebhookconfigurations",
        "apiservices",
        "certificatesigningrequests",
        "csinodes",
        "csidrivers",
        "ingressclasses",
        "runtimeclasses",
        "volumeattachments",
        "podsecuritypolicies",
        "tokenreviews",
        "subjectaccessreviews",
        "selfsubjectaccessreviews",
    )
)
_SA_GROUP = "system:serviceaccounts"


def same_namespace(a: str | None, b: str | None) -> bool:
    """Unstated namespaces (applied with ``-n``) match any."""
    return a is None or b is None or a == b


def _strings(node: YNode | None) -> list[tuple[str, YScalar]]:
    seq = node.items if node is not None and node.is_sequence() else []  # type: ignore[attr-defined]
    return [(n.text, n) for n in seq if isinstance(n, YScalar) and n.value is not None]


@dataclass
class PolicyRule:
    """One entry of a Role's ``rules``."""

    node: YMapping
    api_groups: list[tuple[str, YScalar]]
    resources: list[tuple[str, YScalar]]
    verbs: list[tuple[str, YScalar]]
    non_resource_urls: list[tuple[str, YScalar]]

    @classmethod
    def of(cls, node: YMapping) -> PolicyRule:
        return cls(
            node,
            _strings(node.get("apiGroups")),
            _strings(node.get("resources")),
            _strings(node.get("verbs")),
            _strings(node.get("nonResourceURLs")),
        )

    def wildcards(self) -> Iterator[tuple[str, YScalar]]:
        """(field, node) for each ``*`` in verbs, resources or apiGroups."""
        for name, values in (
            ("verbs", self.verbs),
            ("resources", self.resources),
            ("apiGroups", self.api_groups),
        ):
            for text, node in values:
                if text.strip() == "*":
                    yield name, node

    @property
    def cluster_scoped(self) -> bool:
        names = {r.split("/", 1)[0] for r, _ in self.resources}
        return bool(self.non_resource_urls) or bool(names & (CLUSTER_SCOPED_RESOURCES | {"*"}))


@dataclass
class RoleDef:
    kind: str  # Role or ClusterRole
    name: str
    namespace: str | None
    root: YMapping
    doc: Document
    placement: Placement
    rules: list[PolicyRule]

    @classmethod
    def of(cls, doc: Document, root: YMapping, placement: Placement) -> RoleDef | None:
        meta = root.mapping("metadata")
        name = meta.str("name") if meta else None
        if name is None:
            return None
        seq = root.sequence("rules")
        rules = [PolicyRule.of(r) for r in seq.mappings()] if seq else []
        namespace = meta.str("namespace") if meta else None
        return cls(root.str("kind") or "", name, namespace, root, doc, placement, rules)

    @property
    def wildcard_rules(self) -> list[PolicyRule]:
        return [r for r in self.rules if any(True for _ in r.wildcards())]


@dataclass
class Subject:
    node: YMapping
    kind: str
    name: str
    namespace: str | None


@dataclass
class Binding:
    kind: str  # RoleBinding or ClusterRoleBinding
    name: str | None
    namespace: str | None
    root: YMapping
    doc: Document
    placement: Placement
    role_kind: str | None
    role_name: str | None
    role_name_node: YNode | None
    subjects: list[Subject]

    @classmethod
    def of(cls, doc: Document, root: YMapping, placement: Placement) -> Binding:
        meta = root.mapping("metadata")
        kind = root.str("kind") or ""
        namespace = meta.str("namespace") if meta else None
        ref = root.mapping("roleRef")
        subjects = []
        seq = root.sequence("subjects")
        for s in seq.mappings() if seq else ():
            s_ns = s.str("namespace")
            if s_ns is None and kind == "RoleBinding":
                s_ns = namespace
            subjects.append(Subject(s, s.str("kind") or "", s.str("name") or "", s_ns))
        return cls(
            kind,
            meta.str("name") if meta else None,
            namespace,
            root,
            doc,
            placement,
            ref.str("kind") if ref else None,
            ref.str("name") if ref else None,
            (ref.get("name") or ref) if ref else None,
            subjects,
        )

    @property
    def anchor(self) -> YNode:
        """Where findings about the binding point: its ``roleRef.name`` (or the kind)."""
        return self.role_name_node or self.root.get("kind") or self.root


@dataclass
class Usage:
    """A place where an Argo document makes pods run as a service account."""

    service_account: str
    namespace: str | None
    doc: Document
    manifest: Manifest
    node: YNode  # the `serviceAccountName` value, or the `spec` key when it is implied
    implied: bool = False  # no serviceAccountName: the namespace's `default`

    @property
    def label(self) -> str:
        name = self.doc.name or _generate_name(self.doc) or "(unnamed)"
        return f"{self.doc.kind} `{name}`"


def _generate_name(doc: Document) -> str | None:
    meta = doc.metadata
    return meta.str("generateName") if meta else None


_SA_USER = "system:serviceaccount:"
#: Groups whose members include every (or every namespace's) pod identity.
_BROAD_GROUPS = frozenset(("system:authenticated", "system:unauthenticated"))


def is_workload_subject(subject: Subject) -> bool:
    """A subject that pods authenticate as: a service account (also written as the user
    ``system:serviceaccount:ns:name``), a service-account group, or a group that contains
    every identity. A role given to it is in every compromised step's hands; a role given
    to named people or their groups is a policy decision."""
    if subject.kind == "ServiceAccount":
        return True
    if subject.kind == "User":
        return subject.name.startswith(_SA_USER)
    return subject.kind == "Group" and (
        subject.name in _BROAD_GROUPS
        or subject.name == _SA_GROUP
        or subject.name.startswith(_SA_GROUP + ":")
    )


def subject_covers(subject: Subject, service_account: str, namespace: str | None) -> bool:
    if subject.kind == "ServiceAccount":
        return subject.name == service_account and same_namespace(subject.namespace, namespace)
    if subject.kind == "User" and subject.name.startswith(_SA_USER):
        ns, _, name = subject.name[len(_SA_USER) :].partition(":")
        return name == service_account and same_namespace(ns, namespace)
    if subject.kind == "Group":
        if subject.name in (_SA_GROUP, "system:authenticated"):
            return True
        if subject.name.startswith(_SA_GROUP + ":"):
            return same_namespace(subject.name[len(_SA_GROUP) + 1 :], namespace)
    return False


@dataclass
class RbacIndex:
    roles: dict[tuple[str, str], list[RoleDef]] = field(default_factory=lambda: defaultdict(list))
    bindings: list[Binding] = field(default_factory=list)
    usages: dict[str, list[Usage]] = field(default_factory=lambda: defaultdict(list))

    def role_of(self, binding: Binding) -> RoleDef | None:
        """The Role or ClusterRole a binding refers to, if the project defines it."""
        if binding.role_name is None or binding.role_kind not in ("Role", "ClusterRole"):
            return None
        for role in self.roles.get((binding.role_kind, binding.role_name), ()):
            if binding.role_kind == "ClusterRole" or same_namespace(
                role.namespace, binding.namespace
            ):
                return self._aggregated(role)
        return None

    def _aggregated(self, role: RoleDef) -> RoleDef:
        """A ClusterRole with an ``aggregationRule`` holds, besides its own rules, those of
        every ClusterRole whose labels one of its ``matchLabels`` selectors matches (the
        controller fills them in; ``rules: []`` in the file says nothing)."""
        selectors = _match_labels(role.root)
        if not selectors:
            return role
        rules = list(role.rules)
        for (kind, _), others in self.roles.items():
            for other in others if kind == "ClusterRole" else ():
                labels = _labels(other.root)
                if other is not role and any(
                    all(labels.get(k) == v for k, v in sel.items()) for sel in selectors
                ):
                    rules.extend(other.rules)
        return replace(role, rules=rules)

    def users(self, subject: Subject) -> list[Usage]:
        """Where Argo documents run pods as the service account(s) a subject names."""
        if subject.kind == "ServiceAccount":
            return [
                u
                for u in self.usages.get(subject.name, ())
                if same_namespace(subject.namespace, u.namespace)
            ]
        return [
            u
            for group in self.usages.values()
            for u in group
            if subject_covers(subject, u.service_account, u.namespace)
        ]

    def bindings_of(self, service_account: str, namespace: str | None) -> list[Binding]:
        return [
            b
            for b in self.bindings
            if (b.kind == "ClusterRoleBinding" or same_namespace(b.namespace, namespace))
            and any(subject_covers(s, service_account, namespace) for s in b.subjects)
        ]


def _match_labels(root: YMapping) -> list[dict[str, str]]:
    """The ``matchLabels`` of an ``aggregationRule``'s selectors (non-empty ones only: a
    selector with ``matchExpressions`` alone is not read)."""
    rule = root.mapping("aggregationRule")
    seq = rule.sequence("clusterRoleSelectors") if rule is not None else None
    out = []
    for selector in seq.mappings() if seq is not None else ():
        labels = selector.mapping("matchLabels")
        found = {str(k.value): v.text for k, v in labels.entries} if labels else {}
        if found and isinstance(labels, YMapping):
            out.append(found)
    return out


def _labels(root: YMapping) -> dict[str, str]:
    meta = root.mapping("metadata")
    labels = meta.mapping("labels") if meta is not None else None
    if labels is None:
        return {}
    return {str(k.value): v.text for k, v in labels.entries if isinstance(v, YScalar)}


def rbac_index(project: Project) -> RbacIndex:
    """The project's RBAC, built once per project whichever document asks first."""
    return project.analysis(_build)


def _build(project: Project) -> RbacIndex:
    index = RbacIndex()
    for doc in project.documents:
        root = doc.root
        if not isinstance(root, YMapping):
            continue
        if doc.kind in ("Role", "ClusterRole"):
            role = RoleDef.of(doc, root, top_level(doc))
            if role is not None:
                index.roles[(role.kind, role.name)].append(role)
        elif doc.kind in ("RoleBinding", "ClusterRoleBinding"):
            index.bindings.append(Binding.of(doc, root, top_level(doc)))
        elif doc.kind in ARGO_KINDS and doc.is_argo:
            for usage in service_account_usages(doc, project.manifest(doc)):
                index.usages[usage.service_account].append(usage)
    return index


#: Template types whose pods run as the workflow's service account.
_POD_TYPES = frozenset(("container", "script", "containerSet", "resource", "data"))


def service_account_usages(doc: Document, manifest: Manifest) -> list[Usage]:
    """Each service account an Argo document's pods run as, where it is named (the spec's
    ``serviceAccountName``, or a template's), or the implied ``default``."""
    spec = manifest.spec
    if spec is None:
        return []
    namespace = doc.namespace
    out: list[Usage] = []
    spec_sa = spec.get("serviceAccountName")
    templates = list(manifest.all_templates)
    uncovered = [
        t for t in templates if t.type in _POD_TYPES and t.node.get("serviceAccountName") is None
    ]
    if isinstance(spec_sa, YScalar) and spec_sa.value is not None:
        out.append(Usage(spec_sa.text, namespace, doc, manifest, spec_sa))
    elif (
        uncovered
        and manifest.workflow_template_ref is None
        and doc.kind != "ClusterWorkflowTemplate"
    ):
        anchor = _spec_key(doc) or spec
        out.append(Usage("default", namespace, doc, manifest, anchor, implied=True))
    holders = [spec, *(t.node for t in templates)]
    for holder in holders:
        sa = holder.get("serviceAccountName") if holder is not spec else None
        if isinstance(sa, YScalar) and sa.value is not None:
            out.append(Usage(sa.text, namespace, doc, manifest, sa))
        # Argo's executor makes its API calls with this account's token.
        executor = holder.mapping("executor")
        sa = executor.get("serviceAccountName") if executor is not None else None
        if not (isinstance(sa, YScalar) and isinstance(sa.value, str) and sa.text.strip()):
            continue
        if all(u.service_account != sa.text for u in out):  # once per document
            out.append(Usage(sa.text, namespace, doc, manifest, sa))
    return out


def _spec_key(doc: Document) -> YNode | None:
    root = doc.root
    if not isinstance(root, YMapping):
        return None
    if doc.kind == "CronWorkflow":
        spec = root.mapping("spec")
        return spec.key_node("workflowSpec") if spec else None
    return root.key_node("spec")
