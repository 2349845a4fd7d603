"""What a workflow starts and ends with: ``entrypoint`` present, lifecycle hooks well formed.

(Whether ``entrypoint``, ``onExit`` and hooks name real templates is ``undefined-template``.)
"""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.refs import resolve_workflow_template_ref
from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule
from argolint.source.nodes import YMapping

#: The one lifecycle event that needs no ``expression``: it fires when the node exits.
EXIT_EVENT = "exit"


@rule(
    "missing-entrypoint",
    category="correctness",
    severity="error",
    summary="A Workflow or CronWorkflow has no entrypoint (nor one from its WorkflowTemplate).",
    kinds=("Workflow", "CronWorkflow"),
)
def check_entrypoint(ctx: Context) -> Iterator[Finding]:
    manifest = ctx.manifest
    spec = manifest.spec
    if spec is None or manifest.entrypoint:
        return
    ref = resolve_workflow_template_ref(ctx)
    if ref is not None:
        if not ref.found or ref.manifest is None or ref.manifest.entrypoint:
            return  # the referenced template gives it (or cannot be seen: nothing to say)
        detail = f" and WorkflowTemplate `{ref.name}` has none either"
    else:
        detail = ""
    holder = manifest.root.get("spec") if manifest.kind == "CronWorkflow" else None
    anchor = (
        holder.key_node("workflowSpec")
        if isinstance(holder, YMapping)
        else manifest.root.key_node("spec")
    )
    names = [t.name for t in manifest.templates if t.name]
    yield ctx.finding(
        spec.key_node("entrypoint") or anchor or spec,
        f"no `entrypoint`{detail}: Argo does not know which template to run",
        suggestion=f"add `entrypoint: {names[0]}`" if names else "add `entrypoint: <template>`",
    )


@rule(
    "invalid-hook",
    category="correctness",
    severity="error",
    summary="A lifecycle hook other than `exit` has no `expression`, so it can never fire.",
)
def check_hooks(ctx: Context) -> Iterator[Finding]:
    manifest = ctx.manifest
    if manifest.spec is None:
        return
    holders = [manifest.spec.mapping("hooks")]
    holders += [
        call.node.mapping("hooks") for t in manifest.all_templates for call in t.invocations
    ]
    for hooks in holders:
        if hooks is None:
            continue
        for name, key, hook in hooks.items():
            if name == EXIT_EVENT or not isinstance(hook, YMapping):
                continue
            expression = hook.get("expression")
            if expression is None or (expression.is_scalar() and not hook.str("expression")):
                yield ctx.finding(
                    key,
                    f"hook `{name}` has no `expression`: only the `exit` hook runs without one",
                    suggestion="add `expression: ...` (for example "
                    '`workflow.status == "Running"`) or rename the hook to `exit`',
                )
