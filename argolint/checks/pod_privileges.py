"""Containers that hold more power than a workflow step needs: ``privileged``, privilege
escalation and dangerous added capabilities. Every container an Argo template starts is
checked (main, script, containerSet, init containers, sidecars, ``templateDefaults``,
``podSpecPatch``), and so are the pods of manifests in ``resource`` templates."""

from __future__ import annotations

import re
from collections.abc import Iterator

from argolint.analysis.pods import Container, Layer, find, pods_of
from argolint.context import Context
from argolint.finding import Finding, Severity
from argolint.rules import rule
from argolint.source.loader import ARGO_KINDS
from argolint.source.nodes import YMapping, YScalar

#: Capabilities that each amount to root on the node (or its network).
DANGEROUS_CAPABILITIES = ("ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_MODULE", "SYS_PTRACE", "BPF")
#: Docker-in-docker daemons need ``privileged``; that is reported, but as a warning.
_DIND_IMAGE = re.compile(r"(?:^|[/:-])dind(?:[-:@]|$)|docker[^/]*:[^/]*dind", re.IGNORECASE)


def _security_contexts(ctx: Context) -> Iterator[tuple[Layer, YMapping, str]]:
    """(layer, its securityContext, what it describes) for each container mapping once."""
    for layer, container in ctx.analysis(pods_of).container_layers:
        sc = layer.node.mapping("securityContext")
        if sc is not None:
            yield layer, sc, _describe(layer, container)


def _describe(layer: Layer, container: Container | None) -> str:
    """The container a settings mapping belongs to, or where it is written when it is shared
    (a ``podSpecPatch`` entry, ``templateDefaults``): always one noun, for "the ... runs"."""
    if container is not None:
        return container.describe
    name = layer.node.str("name")
    if name:
        return f"container `{name}` in {layer.label}"
    return f"container defaults in {layer.label}"


def _escalation_off(ctx: Context, layer: Layer, sc: YMapping) -> str | None:
    """Where ``allowPrivilegeEscalation: false`` is in effect for the container(s) of this
    settings mapping, if it is: the mapping itself, or another layer of its container (a
    ``podSpecPatch`` entry, ``templateDefaults``), which Kubernetes sees merged."""
    value = sc.get("allowPrivilegeEscalation")
    if isinstance(value, YScalar) and value.value is False:
        return layer.label
    for owner_layer, container in ctx.analysis(pods_of).container_layers:
        if container is None or owner_layer is not layer:
            continue
        found = find(container.layers, "securityContext", "allowPrivilegeEscalation")
        if found is not None and found.value is False:
            return found.layer.label
    return None


def _is_true(node: object) -> bool:
    return isinstance(node, YScalar) and node.value is True


@rule(
    "privileged-container",
    category="security",
    severity="error",
    summary="A container runs privileged: root on the node, every device, no isolation.",
    kinds=ARGO_KINDS,
)
def check_privileged(ctx: Context) -> Iterator[Finding]:
    for layer, sc, what in _security_contexts(ctx):
        node = sc.get("privileged")
        if not _is_true(node):
            continue
        no_escalation = _escalation_off(ctx, layer, sc)
        if no_escalation is not None:
            yield ctx.finding(
                layer.placement.span(node),  # type: ignore[union-attr]
                f"the {what} sets `privileged: true` and `allowPrivilegeEscalation: false` "
                f"({no_escalation}): the API server rejects a container with both, so the "
                "pod is never created",
                suggestion="drop `privileged: true` (keep `allowPrivilegeEscalation: false`)",
                severity=Severity.ERROR,
            )
            continue
        image = layer.node.str("image") or ""
        dind = bool(_DIND_IMAGE.search(image))
        yield ctx.finding(
            layer.placement.span(node),  # type: ignore[union-attr]
            f"the {what} runs with `privileged: true`: it is root on the node, sees every "
            "device and can escape the pod"
            + (" (a docker-in-docker daemon needs it; the risk remains)" if dind else ""),
            suggestion="remove `privileged: true`; add only the capabilities it needs under "
            "`securityContext.capabilities.add`"
            + ("; build images with rootless BuildKit or kaniko instead of dind" if dind else ""),
            severity=Severity.WARNING if dind else None,
        )


@rule(
    "allow-privilege-escalation",
    category="security",
    severity="warning",
    summary="A container may gain more privileges than its parent process (setuid, sudo).",
    kinds=ARGO_KINDS,
    options={"require_false": False},
)
def check_escalation(ctx: Context) -> Iterator[Finding]:
    seen: set[int] = set()
    for layer, sc, what in _security_contexts(ctx):
        node = sc.get("allowPrivilegeEscalation")
        seen.add(id(layer.node))
        if _is_true(node):
            yield ctx.finding(
                layer.placement.span(node),  # type: ignore[union-attr]
                f"the {what} sets `allowPrivilegeEscalation: true`: a setuid binary or a "
                "kernel bug lets its processes become root",
                suggestion="set `securityContext.allowPrivilegeEscalation: false`",
            )
    if not ctx.option("require_false"):
        return
    for container in ctx.analysis(pods_of).containers:
        setting = find(container.layers, "securityContext", "allowPrivilegeEscalation")
        if setting is None:
            yield ctx.finding(
                container.placement.span(container.anchor),
                f"the {container.describe} does not set `allowPrivilegeEscalation: false`; "
                "Kubernetes allows escalation by default",
                suggestion="add `securityContext: {allowPrivilegeEscalation: false}` to it",
            )


def _capability(node: YScalar) -> str:
    return node.text.strip().upper().removeprefix("CAP_")


@rule(
    "dangerous-capabilities",
    category="security",
    severity="warning",
    summary="A container adds a Linux capability that amounts to root (SYS_ADMIN, NET_ADMIN, ALL).",
    kinds=ARGO_KINDS,
    options={"capabilities": list(DANGEROUS_CAPABILITIES)},
)
def check_capabilities(ctx: Context) -> Iterator[Finding]:
    dangerous = {str(c).upper().removeprefix("CAP_") for c in ctx.option("capabilities") or ()}
    for layer, sc, what in _security_contexts(ctx):
        caps = sc.mapping("capabilities")
        added = caps.sequence("add") if caps else None
        for item in added or ():
            if (
                isinstance(item, YScalar)
                and item.text.strip() == "CAP_SYS_ADMIN"
                and (off := _escalation_off(ctx, layer, sc)) is not None
            ):
                yield ctx.finding(
                    layer.placement.span(item),  # type: ignore[union-attr]
                    f"the {what} adds `CAP_SYS_ADMIN` with `allowPrivilegeEscalation: false` "
                    f"({off}): the API server rejects a container with both, so the pod is "
                    "never created",
                    suggestion="remove `CAP_SYS_ADMIN` from `capabilities.add`",
                    severity=Severity.ERROR,
                )
                continue
            if isinstance(item, YScalar) and _capability(item) in dangerous:
                name = _capability(item)
                yield ctx.finding(
                    layer.placement.span(item),  # type: ignore[union-attr]
                    f"the {what} adds capability `{name}`"
                    + (", every capability there is" if name == "ALL" else "")
                    + ": enough to take over the node or its network",
                    suggestion=f"remove `{item.text}` from `securityContext.capabilities.add` "
                    "and add `capabilities: {drop: [ALL]}`; grant a narrower capability if "
                    "one is really needed",
                )
