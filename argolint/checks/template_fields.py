"""Fields that only some template types accept (``misplaced-field``) and time limits that
must be well formed (``invalid-time-limit``).

Argo accepts ``parallelism`` only on steps and dag templates, ``activeDeadlineSeconds`` only
on templates that are not steps/dag, ``timeout``/``pendingTimeout`` only on templates that run
something (leaf templates), ``podResources`` not on http/plugin templates (they run on the
shared agent pod) and ``resourceClaims`` only on templates that create a pod.
"""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.go_duration import is_argo_duration, is_go_duration
from argolint.context import Context
from argolint.finding import Finding
from argolint.model import Template
from argolint.rules import rule
from argolint.source.nodes import YMapping, YNode, YScalar

LEAF_TYPES = frozenset(
    ("container", "script", "containerSet", "resource", "data", "http", "plugin")
)
POD_TYPES = frozenset(("container", "script", "containerSet", "resource", "data"))
NON_LEAF = frozenset(("steps", "dag"))


def _label(template: Template) -> str:
    if template.inline_of is not None:
        return f"the inline template of `{template.inline_of.name or '?'}`"
    return f"template `{template.name}`" if template.name else "this template"


def _misplaced(template: Template) -> Iterator[tuple[str, str]]:
    """(field, why) for each field that this template's type does not accept."""
    ttype = template.type
    if ttype is None:
        return
    node = template.node
    if ttype not in NON_LEAF and "parallelism" in node:
        yield "parallelism", "is only valid on steps and dag templates"
    if ttype in NON_LEAF and "activeDeadlineSeconds" in node:
        yield "activeDeadlineSeconds", "is only valid on templates that run a pod, not steps/dag"
    for key in ("timeout", "pendingTimeout"):
        if ttype not in LEAF_TYPES and _set(node.get(key)):
            yield key, f"is not supported by {ttype} templates, only by templates that run"
    if ttype in ("http", "plugin") and "podResources" in node:
        yield "podResources", f"is not supported by {ttype} templates (they run on the agent pod)"
    if ttype not in POD_TYPES and _set(node.get("resourceClaims")):
        yield "resourceClaims", f"is not supported by {ttype} templates, which create no pod"


def _set(node: YNode | None) -> bool:
    if node is None:
        return False
    if isinstance(node, YScalar):
        return node.value is not None and node.text != ""
    return not (node.is_sequence() and len(node) == 0)  # type: ignore[arg-type]


@rule(
    "misplaced-field",
    category="correctness",
    severity="error",
    summary="A template sets a field its type does not accept (parallelism on a container...).",
)
def check_misplaced(ctx: Context) -> Iterator[Finding]:
    for template in ctx.manifest.all_templates:
        for key, why in _misplaced(template):
            yield ctx.finding(
                template.node.key_node(key) or template.node,
                f"`{key}` {why}; {_label(template)} is a {template.type} template",
                suggestion=f"remove `{key}` or move it to a template that accepts it",
            )


def deadline_problem(node: YNode) -> str | None:
    """Why an ``activeDeadlineSeconds`` value is not a non-negative integer or a tag."""
    if not isinstance(node, YScalar) or node.value is None:
        return None
    value = node.value
    if isinstance(value, (bool, float)):
        return "must be a whole number of seconds"
    if isinstance(value, int):
        return "must not be negative" if value < 0 else None
    text = node.text.strip()
    if text.startswith("{{") and text.endswith("}}"):
        return None
    try:
        number = int(text)
    except ValueError:
        return "must be a whole number of seconds or a `{{...}}` variable"
    return "must not be negative" if number < 0 else None


#: Template types whose activeDeadlineSeconds is copied onto the pod they create.
POD_TYPES = frozenset(("container", "script", "containerSet", "resource"))


def _is_zero(node: YNode | None) -> bool:
    if not isinstance(node, YScalar) or isinstance(node.value, bool):
        return False
    return node.value == 0 or (isinstance(node.value, str) and node.value.strip() == "0")


@rule(
    "invalid-time-limit",
    category="correctness",
    severity="error",
    summary="activeDeadlineSeconds, timeout, pendingTimeout, a suspend duration or memoize "
    "maxAge is not a valid time limit.",
)
def check_time_limits(ctx: Context) -> Iterator[Finding]:
    manifest = ctx.manifest
    if manifest.spec is None:
        return
    if manifest.kind == "CronWorkflow":
        yield from _starting_deadline(ctx)
    holders: list[tuple[str, YNode | None]] = [("the workflow", manifest.spec)]
    holders += [(_label(t), t.node) for t in manifest.all_templates]
    pod_templates = {id(t.node) for t in manifest.all_templates if t.type in POD_TYPES}
    for label, holder in holders:
        if holder is None:
            continue
        deadline = holder.get("activeDeadlineSeconds")
        why = deadline_problem(deadline) if deadline is not None else None
        if not why and id(holder) in pod_templates and _is_zero(deadline):
            why = (
                "is 0: it becomes the pod's activeDeadlineSeconds, which Kubernetes wants at "
                "least 1, so the pod is never created"
            )
        if why:
            yield ctx.finding(
                deadline,  # type: ignore[arg-type]
                f"`activeDeadlineSeconds` of {label} {why}",
                suggestion="use a positive number of seconds, e.g. `activeDeadlineSeconds: 300`",
            )
        if holder is manifest.spec:
            continue
        yield from _suspend_duration(ctx, holder, label)
        yield from _memoize_max_age(ctx, holder, label)
        for key in ("timeout", "pendingTimeout"):
            node = holder.get(key)
            if not isinstance(node, YScalar) or node.value is None or "{{" in node.text:
                continue
            text = node.text.strip()
            if not text:
                continue
            if text.lstrip("+-").isdigit():
                yield ctx.finding(
                    node,
                    f"`{key}` of {label} is a bare number; Argo needs a duration with a unit",
                    suggestion=f'write `{key}: "{text}s"`',
                )
            elif not is_go_duration(text):
                yield ctx.finding(
                    node,
                    f"`{key}` of {label} is not a duration (`30s`, `10m`, `1h30m`)",
                )


def _suspend_duration(ctx: Context, template: YNode, label: str) -> Iterator[Finding]:
    """``suspend.duration`` is read by ``ParseStringToDuration`` when the step runs (a whole
    number is seconds); anything else errors the workflow there."""
    suspend = template.get("suspend") if isinstance(template, YMapping) else None
    node = suspend.get("duration") if isinstance(suspend, YMapping) else None
    if not isinstance(node, YScalar) or not isinstance(node.value, str):
        return  # a number is schema-type's
    text = node.value.strip()
    if text and "{{" not in text and not is_argo_duration(text):
        yield ctx.finding(
            node,
            f"`suspend.duration` of {label} is not a duration (`30s`, `10m`, `2h`) or a number "
            "of seconds: the workflow errors when the step is reached",
            suggestion="Go durations have no days: write `24h` for a day",
        )


def _memoize_max_age(ctx: Context, template: YNode, label: str) -> Iterator[Finding]:
    """``memoize.maxAge`` is read by ``time.ParseDuration`` when the step runs; a value it
    cannot read errors the node (``invalid maxAge``)."""
    memoize = template.get("memoize") if isinstance(template, YMapping) else None
    node = memoize.get("maxAge") if isinstance(memoize, YMapping) else None
    if not isinstance(node, YScalar) or not isinstance(node.value, str):
        return
    text = node.value.strip()
    if text and "{{" not in text and not is_go_duration(text):
        yield ctx.finding(
            node,
            f"`memoize.maxAge` of {label} is not a Go duration (`180s`, `10m`, `24h`): the "
            "step errors when it runs (`invalid maxAge`)",
            suggestion="add a unit (`s`, `m`, `h`); there is no `d`",
        )


def _starting_deadline(ctx: Context) -> Iterator[Finding]:
    spec = ctx.manifest.root.mapping("spec") if ctx.manifest.root is not None else None
    node = spec.get("startingDeadlineSeconds") if spec is not None else None
    if isinstance(node, YScalar) and node.value is not None:
        value = node.value
        bad = isinstance(value, bool) or not isinstance(value, int) or value < 0
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            bad = int(value) < 0
        if bad:
            yield ctx.finding(
                node,
                "`startingDeadlineSeconds` must be a whole number of seconds, not negative",
                suggestion="e.g. `startingDeadlineSeconds: 60`",
            )


def pod_resource_problems(resources: YNode) -> Iterator[tuple[YNode, str]]:
    """(node, why) for each part of a ``podResources`` that Kubernetes refuses at pod level:
    only ``cpu``, ``memory`` and ``hugepages-*``, and no ``claims``."""
    if not isinstance(resources, YMapping):
        return
    claims = resources.get("claims")
    if claims is not None and not (isinstance(claims, YScalar) and claims.value is None):
        yield resources.key_node("claims") or claims, "`claims` are not supported at pod level"
    for key in ("limits", "requests"):
        table = resources.mapping(key)
        for name, key_node, _value in table.items() if table is not None else ():
            if name not in ("cpu", "memory") and not name.startswith("hugepages-"):
                yield (
                    key_node,
                    f"`{name}` is not a pod-level resource (only cpu, memory and hugepages-*)",
                )


@rule(
    "invalid-pod-resources",
    category="correctness",
    severity="error",
    summary="podResources names a resource other than cpu, memory or hugepages-*, or claims.",
)
def check_pod_resources(ctx: Context) -> Iterator[Finding]:
    manifest = ctx.manifest
    if manifest.spec is None:
        return
    holders = [manifest.spec, *(t.node for t in manifest.all_templates)]
    for holder in holders:
        resources = holder.get("podResources")
        if resources is None:
            continue
        for node, why in pod_resource_problems(resources):
            yield ctx.finding(
                node,
                f"podResources: {why}; the API server would reject the pod when the step runs",
                suggestion="set other resources on the containers' `resources`",
            )
