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

from argolint.analysis.embedded import parse_embedded, top_level
from argolint.model import Manifest, Template
from argolint.source.nodes import YMapping

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


@dataclass
class Needs:
    """(apiGroup, resource) → verbs, plus notes on what could not be read."""

    grants: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, group: str, resource: str, *verbs: str) -> None:
        self.grants.setdefault((group, resource), set()).update(verbs)


def workflow_needs(manifests: Iterable[Manifest]) -> Needs:
    needs = Needs()
    needs.add("argoproj.io", "workflowtaskresults", "create", "patch")
    for manifest in manifests:
        for template in manifest.all_templates:
            kind = template.type
            if kind in ("http", "plugin"):
                needs.add("argoproj.io", "workflowtasksets", "list", "watch")
                needs.add("argoproj.io", "workflowtasksets/status", "patch")
            elif kind == "resource":
                _resource_needs(template, manifest, needs)
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
        (d.root.str("apiVersion"), d.root.str("kind"))
        for d in docs
        if isinstance(d.root, YMapping) and d.root.str("kind")
    ]
    if not kinds:
        needs.notes.append(
            f"resource template `{name}`: its manifest could not be read; add the "
            f"`{action}` verbs for the kind it manipulates"
        )
        return
    for api_version, kind in kinds:
        if "{{" in (kind or "") or "{{" in (api_version or ""):
            needs.notes.append(f"resource template `{name}`: kind is set at run time")
            continue
        needs.add(api_group(api_version), plural(kind or ""), *verbs)


def role_name(service_account: str) -> str:
    return _NAME.sub("-", f"{service_account}-workflow".lower()).strip("-") or "workflow"


def role_yaml(
    service_account: str, namespace: str | None, needs: Needs, name: str | None = None
) -> str:
    """A Role with exactly ``needs`` and the RoleBinding that gives it to the account."""
    name = name or role_name(service_account)
    ns_line = f"  namespace: {namespace}\n" if namespace else ""
    lines = [
        "apiVersion: rbac.authorization.k8s.io/v1",
        "kind: Role",
        "metadata:",
        f"  name: {name}",
    ]
    if namespace:
        lines.append(f"  namespace: {namespace}")
    lines.append("rules:")
    by_group: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for (group, resource), verbs in sorted(needs.grants.items()):
        by_group.setdefault((group, tuple(sorted(verbs))), []).append(resource)
    for (group, verbs), resources in by_group.items():
        lines.append(f"  - apiGroups: [{_quote(group)}]")
        lines.append(f"    resources: [{', '.join(resources)}]")
        lines.append(f"    verbs: [{', '.join(verbs)}]")
    for note in needs.notes:
        lines.append(f"  # {note}")
    lines += [
        "---",
        "apiVersion: rbac.authorization.k8s.io/v1",
        "kind: RoleBinding",
        "metadata:",
        f"  name: {name}",
    ]
    text = "\n".join(lines) + "\n" + ns_line
    text += (
        "roleRef:\n"
        "  apiGroup: rbac.authorization.k8s.io\n"
        "  kind: Role\n"
        f"  name: {name}\n"
        "subjects:\n"
        "  - kind: ServiceAccount\n"
        f"    name: {service_account}\n"
    )
    if namespace:
        text += f"    namespace: {namespace}\n"
    return text


def _quote(group: str) -> str:
    return f'"{group}"' if group == "" else group
