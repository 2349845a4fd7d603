"""run-as-root: containers that may run as UID 0 (no ``runAsNonRoot: true`` at container or
pod level), or are told to (``runAsUser: 0``, ``runAsNonRoot: false``)."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.pods import (
    Container,
    Setting,
    find,
    is_library,
    pod_security_layers,
    pods_of,
)
from argolint.context import Context
from argolint.finding import Finding, Severity
from argolint.rules import rule
from argolint.source.loader import ARGO_KINDS
from argolint.source.nodes import YNode

_FIX = "securityContext: {runAsNonRoot: true, runAsUser: 1000}"


def _setting(container: Container, key: str) -> Setting | None:
    """A container's own securityContext wins over its pod's (the template's, or else the
    workflow's: Argo takes one of them whole)."""
    return find(container.layers, "securityContext", key) or find(
        pod_security_layers(container.pod.layers)[0], "securityContext", key
    )


def _shadowing_note(container: Container) -> str:
    """Why a workflow-level ``runAsNonRoot: true`` does not reach the container, if so."""
    _, hiding = pod_security_layers(container.pod.layers)
    if hiding is None:
        return ""
    lost = find(container.pod.layers, "securityContext", "runAsNonRoot")
    if lost is None or lost.value is not True or lost.layer.scope not in ("spec", "controller"):
        return ""
    where = "`templateDefaults`" if hiding.scope == "defaults" else "the template's"
    source = "`spec.securityContext`" if lost.layer.scope == "spec" else lost.layer.label
    return (
        f": {where} `securityContext` replaces the workflow's {source} as a whole, so its "
        "`runAsNonRoot: true` does not apply"
    )


def _explicit_root(container: Container) -> Setting | None:
    """The setting that makes the container root on purpose, if any."""
    user = _setting(container, "runAsUser")
    if user is not None and user.value == 0 and not isinstance(user.value, bool):
        return user
    non_root = _setting(container, "runAsNonRoot")
    if (
        non_root is not None
        and non_root.value is False
        and (user is None or not isinstance(user.value, int) or user.value <= 0)
    ):
        return non_root
    return None


def _covered(container: Container) -> bool:
    """``runAsNonRoot: true`` in effect (or a ``{{...}}`` placeholder we cannot judge). A
    non-zero ``runAsUser`` alone keeps the process off UID 0, but Pod Security's
    ``restricted`` level (and checkov's CKV_ARGO_2) still require ``runAsNonRoot``."""
    non_root = _setting(container, "runAsNonRoot")
    return non_root is not None and (non_root.value is True or isinstance(non_root.value, str))


def _user_only(container: Container) -> bool:
    user = _setting(container, "runAsUser")
    return user is not None and isinstance(user.value, int) and user.value > 0


@rule(
    "run-as-root",
    category="security",
    severity="warning",
    summary="Containers may run as root: no `runAsNonRoot: true` at pod or container level.",
    kinds=ARGO_KINDS,
)
def check(ctx: Context) -> Iterator[Finding]:
    pods = [p for p in ctx.analysis(pods_of).pods if p.user_containers]
    # A library template's pods get the caller's securityContext: only explicit root counts.
    library = is_library(ctx.manifest)
    uncovered: list[Container] = []
    for pod in pods:
        for container in pod.containers:
            root = _explicit_root(container)
            if root is not None:
                yield _explicit_finding(ctx, container, root)
            elif not _covered(container) and not (library and not container.placement.embedded):
                uncovered.append(container)
    if not uncovered:
        return
    top = [c for c in uncovered if not c.placement.embedded]
    top_all = [c for p in pods if not p.placement.embedded for c in p.containers]
    anchor = _spec_anchor(ctx)
    shadowed = any(_shadowing_note(c) for c in top)
    if top and anchor is not None and len(top) == len(top_all) > 1 and not shadowed:
        yield _whole_workflow(ctx, anchor, top)
        uncovered = [c for c in uncovered if c.placement.embedded]
    reported_pods: set[int] = set()
    for container in uncovered:
        pod = container.pod
        if id(pod) in reported_pods:
            continue
        if len(pod.containers) > 1 and all(c in uncovered for c in pod.containers):
            reported_pods.add(id(pod))
            yield ctx.finding(
                pod.placement.span(pod.anchor),
                f"no container of {pod.label} is kept from running as root: no "
                "`runAsNonRoot: true` for the pod or its containers",
                suggestion=f"add `{_FIX}` to {pod.label}",
            )
            continue
        where = "the template" if pod.template is not None else "the pod spec"
        message = (
            f"the {container.describe} sets a non-root `runAsUser` but not `runAsNonRoot: "
            "true`: Pod Security's `restricted` level rejects the pod, and an image or patch "
            "that resets the user runs as root unchecked"
            if _user_only(container)
            else f"the {container.describe} may run as root: no `runAsNonRoot: true` for it "
            "or its pod" + _shadowing_note(container)
        )
        yield ctx.finding(
            container.placement.span(container.anchor),
            message,
            suggestion=f"add `{_FIX}` to the container or to {where}",
        )


def _explicit_finding(ctx: Context, container: Container, root: Setting) -> Finding:
    """Root on purpose: a warning, or an error when ``runAsNonRoot: true`` is also in effect
    (the kubelet then refuses to start the container)."""
    span = root.span(container.anchor, container.placement)
    non_root = _setting(container, "runAsNonRoot")
    if root.value == 0 and non_root is not None and non_root.value is True:
        return ctx.finding(
            span,
            f"`runAsUser: 0` ({root.layer.label}) contradicts `runAsNonRoot: true` "
            f"({non_root.layer.label}): the {container.describe} never starts (the kubelet "
            "refuses it with CreateContainerConfigError)",
            suggestion="run it as a non-zero `runAsUser`, or set `runAsNonRoot: false` on this "
            "container if it really must be root",
            severity=Severity.ERROR,
        )
    key = "runAsUser: 0" if root.value == 0 else "runAsNonRoot: false"
    return ctx.finding(
        span,
        f"`{key}` ({root.layer.label}) makes the {container.describe} run as root",
        suggestion=f"set `{_FIX}` instead",
    )


def _spec_anchor(ctx: Context) -> YNode | None:
    root = ctx.manifest.root
    if root is None:
        return None
    if ctx.doc.kind == "CronWorkflow":
        spec = root.mapping("spec")
        return spec.key_node("workflowSpec") if spec is not None else None
    return root.key_node("spec")


def _whole_workflow(ctx: Context, anchor: YNode, containers: list[Container]) -> Finding:
    names = sorted(
        {c.pod.template.name for c in containers if c.pod.template and c.pod.template.name}
    )
    shown = ", ".join(f"`{n}`" for n in names[:4]) + (
        f" and {len(names) - 4} more" if len(names) > 4 else ""
    )
    field = "workflowSpec" if ctx.doc.kind == "CronWorkflow" else "spec"
    why = (
        "a non-root `runAsUser` is set but not `runAsNonRoot: true`, so Pod Security's "
        "`restricted` level rejects them"
        if all(_user_only(c) for c in containers)
        else "no `runAsNonRoot: true` at workflow, template or container level"
    )
    return ctx.finding(
        anchor,
        f"pods of this workflow may run as root (templates {shown}): {why}",
        suggestion=f"add `{_FIX}` under `{field}` (or `spec.templateDefaults`)",
    )
