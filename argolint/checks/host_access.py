"""Pods that reach into their node: host namespaces and ``hostPath`` volumes."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.pods import pods_of
from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule
from argolint.source.loader import ARGO_KINDS
from argolint.source.nodes import YScalar

_NAMESPACES = {
    "hostNetwork": "sees and binds the node's network interfaces, bypassing network policy",
    "hostPID": "sees every process on the node and can signal or trace them",
    "hostIPC": "shares the node's shared memory and IPC with every other process there",
}


@rule(
    "host-namespace",
    category="security",
    severity="warning",
    summary="A pod shares the node's network, process or IPC namespace.",
    kinds=ARGO_KINDS,
)
def check_host_namespace(ctx: Context) -> Iterator[Finding]:
    for layer in ctx.analysis(pods_of).pod_layers:
        for key, risk in _NAMESPACES.items():
            node = layer.node.get(key)
            if isinstance(node, YScalar) and node.value is True:
                yield ctx.finding(
                    layer.placement.span(node),  # type: ignore[union-attr]
                    f"`{key}: true` in {layer.label}: the pod {risk}",
                    suggestion=f"remove `{key}: true` (the default is false)",
                )


@rule(
    "host-path-volume",
    category="security",
    severity="warning",
    summary="A pod mounts a directory of its node (hostPath).",
    kinds=ARGO_KINDS,
)
def check_host_path(ctx: Context) -> Iterator[Finding]:
    for layer in ctx.analysis(pods_of).pod_layers:
        volumes = layer.node.sequence("volumes")
        for volume in volumes.mappings() if volumes else ():
            host = volume.mapping("hostPath")
            key = volume.key_node("hostPath")
            if host is None or key is None:
                continue
            path = host.str("path") or "?"
            name = volume.str("name") or "?"
            yield ctx.finding(
                layer.placement.span(key),  # type: ignore[union-attr]
                f"volume `{name}` in {layer.label} mounts `{path}` from the node: "
                "what the pod writes there outlives it, and what it reads can be the node's "
                "secrets (or its container runtime socket)",
                suggestion="use an `emptyDir`, a PersistentVolumeClaim or an artifact instead; "
                "if a host path is unavoidable, mount it `readOnly: true`",
            )
