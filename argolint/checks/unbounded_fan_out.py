"""unbounded-fan-out: a ``withParam`` loop over a list only known at run time, with nothing
that limits how many of its pods run at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from argolint.analysis.expr.tags import has_tags
from argolint.analysis.json_shape import LIST
from argolint.analysis.shapes import fanouts
from argolint.analysis.workflow_globals import LIMITS, TEMPLATE_KINDS, limited_by_every_user
from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule

if TYPE_CHECKING:
    from argolint.model import Manifest, Template

_LIMITS = LIMITS


def _callers(ctx: Context) -> dict[str, list[Template]]:
    """Template name → the templates of this document that call it."""
    callers: dict[str, list[Template]] = {}
    for template in ctx.manifest.all_templates:
        for call in template.invocations:
            name = call.template_name
            if name and not call.node.get("templateRef"):
                callers.setdefault(name, []).append(template)
    return callers


def _limited(template: Template) -> bool:
    return any(template.node.get(key) is not None for key in _LIMITS)


def _limited_by_callers(ctx: Context, template: Template) -> bool:
    """Some template that (transitively) calls ``template`` sets parallelism: Argo counts the
    pods of everything below it against that limit."""
    callers = ctx.analysis(_callers)
    seen: set[int] = {id(template.node)}
    stack = [template]
    while stack:
        current = stack.pop()
        for caller in callers.get(current.name or "", ()):
            if id(caller.node) in seen:
                continue
            if _limited(caller):
                return True
            seen.add(id(caller.node))
            stack.append(caller)
    return False


def _workflow_limited(ctx: Context, manifest: Manifest) -> bool:
    spec = manifest.spec
    if spec is not None and any(spec.get(key) is not None for key in _LIMITS):
        return True
    if manifest.kind in TEMPLATE_KINDS and limited_by_every_user(
        ctx.project, (manifest.kind, ctx.doc.name)
    ):
        return True  # its templates run in its users' workflows, under their caps
    defaults = ctx.config.workflow_defaults or {}
    spec_defaults = defaults.get("spec") if isinstance(defaults, dict) else None
    return isinstance(spec_defaults, dict) and any(spec_defaults.get(k) for k in _LIMITS)


@rule(
    "unbounded-fan-out",
    category="reliability",
    severity="warning",
    summary="A withParam loop may start every element's pod at once: no parallelism limit.",
    options={"suggested-parallelism": 10},
)
def check(ctx: Context) -> Iterator[Finding]:
    manifest = ctx.manifest
    if _workflow_limited(ctx, manifest):
        return
    suggested = ctx.option("suggested-parallelism")
    for fanout in fanouts(ctx):
        if fanout.problem is not None or not has_tags(fanout.node.text):
            continue  # a broken source is reported elsewhere; a literal list has a known size
        size = fanout.shape.size if fanout.shape.kind == LIST else None
        if size is not None and size <= suggested:
            continue  # a short list of known length (a default, a withItems aggregate)
        parent = fanout.call.parent
        if _limited(parent) or _limited_by_callers(ctx, parent):
            continue
        body = fanout.call.resolve_local()
        if body is not None and body.node.get("synchronization") is not None:
            continue
        where = f"template `{parent.name}`" if parent.name else "the template"
        yield ctx.finding(
            fanout.span,
            f"`withParam` starts one pod per element of a list only known at run time, all at "
            f"once: neither {where} nor the workflow sets `parallelism`, and there is no "
            "`synchronization`",
            suggestion=f"add `parallelism: {suggested}` to {where} (or `spec.parallelism`)",
        )
