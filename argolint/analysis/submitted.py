"""Which parameters the person who submits a workflow controls.

``workflow.parameters.X`` is set at submission (``argo submit -p``, the UI, an event), unless
its argument restricts it with an ``enum``. A template's ``inputs.parameters.X`` is
controlled when its value can come from such a parameter: the entrypoint's inputs are filled
from the workflow's arguments; a template of a (Cluster)WorkflowTemplate that nothing in the
document calls is a library template whose callers pass anything; otherwise it is
controlled when some step or task passes it a value that mentions a controlled parameter (or
a loop item drawn from one). Literal values, defaults and other steps' outputs are not the
submitter's. Computed as a fixed point over the document's calls, once per document.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from argolint.analysis.expr import Ref, tags_in
from argolint.model import Manifest, Parameter, Template
from argolint.source.nodes import YNode, YScalar

if TYPE_CHECKING:
    from argolint.context import Context

_LIBRARY_KINDS = ("WorkflowTemplate", "ClusterWorkflowTemplate")


@dataclass
class Submitted:
    workflow: set[str] = field(default_factory=set)  # controlled workflow parameters
    inputs: set[tuple[int, str]] = field(default_factory=set)  # (id(template node), name)

    def controls(self, ref: Ref, template: Template | None) -> bool:
        parts = ref.parts
        if len(parts) < 3 or parts[1] != "parameters":
            return False
        if parts[0] == "workflow":
            return parts[2] in self.workflow
        if parts[0] == "inputs" and template is not None:
            return (id(template.node), parts[2]) in self.inputs
        return False


def _restricted(param: Parameter | None) -> bool:
    """An ``enum`` limits what can be submitted; a fixed input ``value`` cannot be passed."""
    return param is not None and param.field("enum") is not None


def _refs(node: YNode | None) -> Iterable[Ref]:
    if isinstance(node, YScalar) and isinstance(node.value, str) and "{{" in node.value:
        for tag in tags_in(node):
            yield from tag.refs


def submitted_parameters(ctx: Context) -> Submitted:
    return compute(ctx.manifest)


def compute(manifest: Manifest, only: set[str] | None = None) -> Submitted:
    """With ``only``, what those workflow parameters alone reach (the ones an event sets):
    the entrypoint's inputs of those names, not the library's uncalled templates."""
    state = Submitted()
    spec_args = {p.name: p for p in manifest.arguments.parameters if p.name}
    # A submitter may pass any workflow parameter (argo submit -p name=value).
    state.workflow = {
        name
        for name, p in spec_args.items()
        if not _restricted(p) and (only is None or name in only)
    }
    templates = list(manifest.all_templates)
    called: set[int] = set()
    calls = []
    for template in templates:
        for call in template.invocations:
            target = call.resolve_local()
            if target is not None:
                called.add(id(target.node))
                calls.append((template, call, target))

    def open_inputs(template: Template) -> None:
        for p in template.inputs.parameters:
            wanted = only is None or p.name in only
            if p.name and p.value is None and not _restricted(p) and wanted:
                state.inputs.add((id(template.node), p.name))

    for template in templates:  # a default computed from a controlled workflow parameter
        for p in template.inputs.parameters:
            if p.name and any(state.controls(r, None) for r in _refs(p.default)):
                state.inputs.add((id(template.node), p.name))
    entry = manifest.template(manifest.entrypoint) if manifest.entrypoint else None
    if entry is not None:
        open_inputs(entry)
    if manifest.kind in _LIBRARY_KINDS and only is None:
        for template in templates:
            if id(template.node) not in called and template.inline_of is None:
                open_inputs(template)
    changed = True
    while changed:
        changed = False
        for caller, call, target in calls:
            loop = call.loop
            item_controlled = (
                loop is not None
                and loop[0] == "withParam"
                and any(state.controls(r, caller) for r in _refs(loop[1]))
            )
            declared = {p.name: p for p in target.inputs.parameters if p.name}
            for arg in call.arguments.parameters:
                key = (id(target.node), arg.name or "")
                if not arg.name or key in state.inputs or _restricted(declared.get(arg.name)):
                    continue
                refs = list(_refs(arg.value))
                if any(state.controls(r, caller) for r in refs) or (
                    item_controlled and any(r.parts and r.parts[0] == "item" for r in refs)
                ):
                    state.inputs.add(key)
                    changed = True
    return state
