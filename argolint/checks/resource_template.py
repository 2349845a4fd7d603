"""``resource`` templates: a known ``action``; ``manifest`` or ``manifestFrom`` (exactly one)
unless the action is ``get`` or ``delete``; ``manifestFrom.artifact`` names an input artifact;
the ``manifest`` is YAML (each ``{{...}}`` tag read as a plain word, as Argo substitutes
parameters before it checks); ``successCondition``/``failureCondition`` parse as the label
selectors the executor reads them as (Argo itself finds out only when the step runs)."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.embedded import mask_tags
from argolint.analysis.label_selector import parse_selector
from argolint.analysis.schema import checks_enum_values
from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule
from argolint.source.loader import load_text
from argolint.source.nodes import YMapping, YScalar
from argolint.span import LineIndex

ACTIONS = ("get", "create", "apply", "delete", "replace", "patch")


def _has(node: YMapping, key: str) -> bool:
    value = node.get(key)
    return value is not None and not (
        isinstance(value, YScalar) and (value.value is None or value.text == "")
    )


@rule(
    "invalid-resource-template",
    category="correctness",
    severity="error",
    summary="A resource template has a bad action, no manifest, or a manifest that is not YAML.",
)
def check(ctx: Context) -> Iterator[Finding]:
    for template in ctx.manifest.all_templates:
        resource = template.node.mapping("resource")
        if resource is None:
            continue
        label = (
            f"resource template `{template.name}`" if template.name else "this resource template"
        )
        action_node = resource.get("action")
        action = resource.str("action") or ""
        if "{{" not in action and action not in ACTIONS and not checks_enum_values(ctx):
            yield ctx.finding(
                action_node
                if action_node is not None
                else (template.node.key_node("resource") or resource),
                f"{label}: action `{action}` is not one of {', '.join(ACTIONS)}"
                if action
                else f"{label} has no `action`",
                suggestion="use `action: create` (or apply, patch, replace, delete, get)",
            )
        yield from _conditions(ctx, resource, label)
        if action in ("get", "delete"):
            continue
        has_manifest, has_from = (
            _has(resource, "manifest"),
            resource.get("manifestFrom") is not None,
        )
        if not has_manifest and not has_from:
            yield ctx.finding(
                template.node.key_node("resource") or resource,
                f"{label} has neither `manifest` nor `manifestFrom`: nothing to "
                f"{action or 'apply'}",
            )
        elif has_manifest and has_from:
            yield ctx.finding(
                resource.key_node("manifestFrom") or resource,
                f"{label} has both `manifest` and `manifestFrom`; use one",
            )
        source = resource.mapping("manifestFrom")
        artifact = source.mapping("artifact") if source is not None else None
        name = artifact.get("name") if artifact is not None else None
        if (
            isinstance(name, YScalar)
            and name.text
            and "{{" not in name.text
            and template.inputs.artifact(name.text) is None
        ):
            yield ctx.finding(
                name,
                f"`manifestFrom` reads artifact `{name.text}`, which is not an input artifact "
                f"of {label}",
                suggestion="declare it under `inputs.artifacts`",
            )
        manifest = resource.get("manifest")
        if has_manifest and isinstance(manifest, YScalar) and isinstance(manifest.value, str):
            yield from _yaml(ctx, manifest, label)


def _conditions(ctx: Context, resource: YMapping, label: str) -> Iterator[Finding]:
    for key in ("successCondition", "failureCondition"):
        node = resource.get(key)
        if not isinstance(node, YScalar) or not node.text or "{{" in node.text:
            continue
        problem = parse_selector(node.text)
        if problem is not None:
            yield ctx.finding(
                node.sub_span(problem.start, problem.end),
                f"`{key}` of {label} is not a label selector: {problem.message}",
                suggestion="e.g. `status.succeeded > 0` or `status.phase in (Failed, Error)`; "
                "requirements are separated by `,`",
            )


def _yaml(ctx: Context, manifest: YScalar, label: str) -> Iterator[Finding]:
    masked = mask_tags(manifest.value)
    if masked.strip().startswith("x") and masked.strip().strip("x") == "":
        return  # the whole manifest is one parameter
    loaded = load_text(masked, ctx.doc.path)
    problem = next((f for f in loaded.findings if f.rule == "yaml-syntax"), None)
    if problem is None:
        return
    offset = LineIndex(masked).offset(problem.span.line, problem.span.column)
    offset = max(0, min(offset, len(masked.rstrip()) - 1))  # an error at the end: last char
    yield ctx.finding(
        manifest.sub_span(offset, offset + 1),
        f"the manifest of {label} is not valid YAML: {problem.message}",
    )
