"""missing-service-account: pods that would run under the namespace's ``default`` account."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule

#: Template types whose execution starts a pod with the workflow's service account.
POD_TEMPLATE_TYPES = frozenset(("container", "script", "containerSet", "resource", "data"))


@rule(
    "missing-service-account",
    category="security",
    severity="warning",
    summary="Pods would run under the namespace's default service account.",
    kinds=("Workflow", "WorkflowTemplate", "CronWorkflow"),
)
def check(ctx: Context) -> Iterator[Finding]:
    manifest = ctx.manifest
    spec = manifest.spec
    if spec is None or spec.get("serviceAccountName") is not None:
        return
    defaults = ctx.config.workflow_defaults or {}
    if isinstance(defaults.get("spec"), dict) and defaults["spec"].get("serviceAccountName"):
        return
    if manifest.workflow_template_ref is not None:
        return  # the referenced template decides; it is linted where it is defined
    uncovered = [
        t
        for t in manifest.all_templates
        if t.type in POD_TEMPLATE_TYPES and t.node.get("serviceAccountName") is None
    ]
    if not uncovered:
        return
    holder = manifest.root.get("spec") if manifest.kind == "CronWorkflow" else None
    anchor = (
        holder.key_node("workflowSpec")
        if holder is not None and holder.is_mapping()
        else manifest.root.key_node("spec")
    )
    names = ", ".join(f"`{t.name}`" for t in uncovered[:3] if t.name)
    more = f" and {len(uncovered) - 3} more" if len(uncovered) > 3 else ""
    yield ctx.finding(
        anchor or spec,
        "no `serviceAccountName`: the pods of "
        + (f"templates {names}{more}" if names else "this workflow")
        + " run under the namespace's `default` service account, which has either too few "
        "permissions (the run fails) or, once widened, too many",
        suggestion="set `spec.serviceAccountName` to a service account bound to a minimal Role",
    )
