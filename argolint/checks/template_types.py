"""What a template is: exactly one type (``container``, ``script``, ``steps``, ``dag``...),
and, for containers and scripts, an image (its own or from ``templateDefaults``)."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.context import Context
from argolint.finding import Finding
from argolint.model import TEMPLATE_TYPES, Template
from argolint.rules import rule
from argolint.source.nodes import YMapping, YScalar

_CHOICES = ", ".join(f"`{t}`" for t in TEMPLATE_TYPES)


def _label(template: Template) -> str:
    if template.inline_of is not None:
        return f"the inline template of `{template.inline_of.name or '?'}`"
    return f"template `{template.name}`" if template.name else "this template"


def _present(node: YMapping, key: str) -> bool:
    """Argo counts a type when its field is non-nil: ``steps: []`` counts, ``steps:`` not."""
    value = node.get(key)
    return value is not None and not (isinstance(value, YScalar) and value.value is None)


@rule(
    "template-type",
    category="correctness",
    severity="error",
    summary="A template defines no type, or more than one (container, steps, dag, script...).",
)
def check_type(ctx: Context) -> Iterator[Finding]:
    for template in ctx.manifest.all_templates:
        node = template.node
        types = [t for t in TEMPLATE_TYPES if _present(node, t)]
        if len(types) == 1:
            continue
        if not types:
            yield ctx.finding(
                template.name_node if template.inline_of is None else node,
                f"{_label(template)} has no type: Argo does not know what to run",
                suggestion=f"add one of {_choices_for(node)}",
            )
            continue
        for extra in types[1:]:
            yield ctx.finding(
                node.key_node(extra) or node,
                f"{_label(template)} is both `{types[0]}` and `{extra}`; a template has "
                "exactly one type",
                suggestion=f"move `{extra}` into a template of its own",
            )


def _choices_for(node: YMapping) -> str:
    if "template" in node or "templateRef" in node:
        return f"{_CHOICES} (to call another template, use `steps` with one step)"
    return _CHOICES


def _default_image(ctx: Context, kind: str) -> bool:
    spec = ctx.manifest.spec
    defaults = spec.mapping("templateDefaults") if spec is not None else None
    holder = defaults.mapping(kind) if defaults is not None else None
    return bool(holder is not None and holder.str("image"))


@rule(
    "missing-image",
    category="correctness",
    severity="error",
    summary="A container or script template has no image and templateDefaults gives none.",
)
def check_image(ctx: Context) -> Iterator[Finding]:
    for template in ctx.manifest.all_templates:
        for kind in ("container", "script"):
            body = template.node.mapping(kind)
            if body is None or body.str("image") or _default_image(ctx, kind):
                continue
            yield ctx.finding(
                body.key_node("image") or template.node.key_node(kind) or body,
                f"the {kind} of {_label(template)} has no `image`",
                suggestion=f"set `{kind}.image`, or `templateDefaults.{kind}.image` for all",
            )
