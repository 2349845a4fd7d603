"""``invalid-executor-plugin``: the executor plugins a workflow declares itself
(``spec.executorPlugins``, Argo 4.1), as Argo's validator reads them: each has a
``metadata.name``, and its sidecar container has ports, resource requests and limits, and a
security context (``WorkflowSpec.AsExecutorPluginSpec`` and the plugin ``Sidecar.Validate``).
Argo stops at the first; every one is reported here, at the node that lacks it. A missing
``spec``, ``sidecar`` or ``container`` is a required field, so ``schema-value``'s."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule
from argolint.source.nodes import YMapping, YNode, YScalar, YSequence


def _present(node: YNode | None) -> bool:
    """Set and not empty: Go's zero value (nil map, empty list) counts as absent."""
    if node is None or (isinstance(node, YScalar) and node.value is None):
        return False
    if isinstance(node, YMapping):
        return bool(node.keys)
    if isinstance(node, YSequence):
        return any(True for _ in node)
    return True


@rule(
    "invalid-executor-plugin",
    category="correctness",
    severity="error",
    summary="An executor plugin in spec.executorPlugins has no name, or its sidecar lacks "
    "ports, resources or a securityContext.",
)
def check(ctx: Context) -> Iterator[Finding]:
    spec = ctx.manifest.spec
    plugins = spec.sequence("executorPlugins") if spec is not None else None
    if plugins is None:
        return
    for index, item in enumerate(plugins.mappings(), 1):
        yield from _plugin(ctx, item, index)


def _plugin(ctx: Context, item: YMapping, index: int) -> Iterator[Finding]:
    meta = item.mapping("metadata")
    name = meta.str("name") if meta is not None else None
    label = f"executor plugin `{name}`" if name else f"executor plugin #{index}"
    if not name:
        yield ctx.finding(
            item.key_node("metadata") or item,
            f"{label} has no `metadata.name`: Argo rejects the workflow (`executor plugin "
            "metadata name is mandatory`)",
            suggestion="add `metadata: {name: <plugin-name>}`",
        )
    spec = item.mapping("spec")
    sidecar = spec.mapping("sidecar") if spec is not None else None
    container = sidecar.mapping("container") if sidecar is not None else None
    if sidecar is not None and container is not None:
        # a missing spec, sidecar or container is schema-value's (required fields)
        yield from _sidecar(ctx, sidecar, container, label)


def _sidecar(ctx: Context, sidecar: YMapping, container: YMapping, label: str):
    at = sidecar.key_node("container") or container
    what = f"the sidecar container of {label}"
    if not _present(container.get("ports")):
        yield ctx.finding(
            at,
            f"{what} has no `ports`: Argo rejects the workflow (`at least one port is "
            "mandatory`); the executor talks to the plugin over that port",
            suggestion="add `ports: [{containerPort: 4355}]`",
        )
    resources = container.mapping("resources")
    for part in ("requests", "limits"):
        if not _present(resources.get(part) if resources is not None else None):
            yield ctx.finding(
                (container.key_node("resources") if resources is not None else None) or at,
                f"{what} has no `resources.{part}`: Argo rejects the workflow (`resources "
                f"{part} are mandatory`)",
                suggestion=f"add `resources: {{{part}: {{cpu: 100m, memory: 32Mi}}}}`",
            )
    if container.get("securityContext") is None:
        yield ctx.finding(
            at,
            f"{what} has no `securityContext`: Argo rejects the workflow (`security context "
            "is mandatory`)",
            suggestion="add `securityContext: {runAsNonRoot: true, runAsUser: 65534}`",
        )
