"""Arguments against inputs: every required input of a called template is supplied
(``missing-argument``, as Argo's validator demands), and every argument names an input of
the template it is passed to (``unknown-argument``: Argo silently ignores it, which is how a
renamed input in a shared WorkflowTemplate breaks its callers)."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.refs import resolve_call, template_source
from argolint.context import Context
from argolint.finding import Finding, Severity
from argolint.model import Template
from argolint.model.template import IO, Artifact, Invocation, Parameter, Step
from argolint.rules import RuleSpec, family
from argolint.source.nodes import YNode, YScalar

MISSING, UNKNOWN = "missing-argument", "unknown-argument"

#: Artifact fields that give an input artifact its own source (no argument needed).
ARTIFACT_LOCATIONS = (
    "s3", "git", "http", "artifactory", "hdfs", "raw", "oss", "gcs", "azure", "plugin",
)  # fmt: skip


def parameter_has_value(param: Parameter) -> bool:
    """An input parameter that needs no argument: a value, a default or a ConfigMap source."""
    if param.value is not None and not _null(param.value):
        return True
    if param.default is not None and not _null(param.default):
        return True
    value_from = param.value_from
    return value_from is not None and (
        value_from.get("configMapKeyRef") is not None or value_from.get("default") is not None
    )


def artifact_has_source(art: Artifact) -> bool:
    node = art.node
    if node.scalar("optional") is True:
        return True
    return any(node.get(k) is not None for k in ARTIFACT_LOCATIONS)


def _null(node: YNode) -> bool:
    return isinstance(node, YScalar) and node.value is None


def _callee_label(template: Template, call: Invocation | None) -> str:
    if template.inline_of is not None:
        return "its inline template"
    doc = template.manifest.doc
    name = f"template `{template.name}`"
    return (
        name
        if call is None or call.node.get("templateRef") is None
        else (f"{name} of {doc.kind} `{doc.name}`")
    )


def _compare(
    ctx: Context,
    callee: Template,
    args: IO,
    anchor: YNode,
    who: str,
    call: Invocation | None,
    report_unknown: bool,
) -> Iterator[Finding]:
    inputs = callee.inputs
    label = _callee_label(callee, call)
    related = (
        [ctx.related(callee.name_node, f"{label} is defined here", callee.manifest.doc)]
        if callee.inline_of is None
        else []
    )
    supplied = {p.name for p in args.parameters if p.name}
    for param in inputs.parameters:
        if param.name and param.name not in supplied and not parameter_has_value(param):
            yield ctx.finding(
                anchor,
                f"{who} does not supply input parameter `{param.name}` of {label}, which has "
                "no value or default",
                suggestion=f"pass it under `arguments.parameters` (name: {param.name}) or give "
                "the input a `default`",
                related=related,
                rule=MISSING,
            )
    given_arts = {a.name for a in args.artifacts if a.name}
    for art in inputs.artifacts:
        if art.name and art.name not in given_arts and not artifact_has_source(art):
            yield ctx.finding(
                anchor,
                f"{who} does not supply input artifact `{art.name}` of {label}",
                suggestion="pass it under `arguments.artifacts`, give the input a location, "
                "or mark it `optional: true`",
                related=related,
                rule=MISSING,
            )
    if not report_unknown:
        return
    declared_params = {p.name for p in inputs.parameters}
    declared_arts = {a.name for a in inputs.artifacts}
    for what, given, declared in (
        ("parameter", args.parameters, declared_params),
        ("artifact", args.artifacts, declared_arts),
    ):
        for item in given:
            if item.name and item.name not in declared and "{{" not in item.name:
                names = sorted(n for n in declared if n)
                from argolint.analysis.refs import closest

                near = closest(item.name, names)
                yield ctx.finding(
                    item.name_node,
                    f"argument {what} `{item.name}` matches no input {what} of {label}; Argo "
                    "ignores it",
                    suggestion=f"did you mean `{near}`?"
                    if near
                    else (
                        f"inputs are: {', '.join(names)}"
                        if names
                        else f"{label} takes no input {what}s"
                    ),
                    related=related,
                    rule=UNKNOWN,
                )


def _anchor(call: Invocation) -> YNode:
    node = call.node
    args = node.mapping("arguments")
    if args is not None:
        return node.key_node("arguments") or args
    for key in ("template", "templateRef", "inline"):
        if key in node:
            return node.key_node(key) or node
    return call.name_node


def _findings(ctx: Context) -> list[Finding]:
    manifest = ctx.manifest
    out: list[Finding] = []
    for template in manifest.all_templates:
        for call in template.invocations:
            target = resolve_call(ctx, call)
            if not target.found or target.template is None:
                continue
            kind = "step" if isinstance(call, Step) else "task"
            who = f"{kind} `{call.name}`" if call.name else f"this {kind}"
            out += _compare(ctx, target.template, call.arguments, _anchor(call), who, call, True)
    out += _workflow_arguments(ctx)
    return out


def _workflow_arguments(ctx: Context) -> Iterator[Finding]:
    """A Workflow's entrypoint receives ``spec.arguments`` (merged with those of the
    referenced WorkflowTemplate); WorkflowTemplates are checked where they are used."""
    manifest = ctx.manifest
    if manifest.kind not in ("Workflow", "CronWorkflow") or manifest.spec is None:
        return
    source = template_source(ctx)
    entry = manifest.entrypoint or (source.entrypoint if source is not None else None)
    if source is None or not entry or "{{" in entry:
        return
    args = _merged_arguments(
        manifest.arguments, source.arguments if source is not manifest else None
    )
    spec = manifest.spec
    anchor = (
        spec.key_node("arguments")
        or spec.get("entrypoint")
        or spec.key_node("workflowTemplateRef")
        or spec
    )
    # The entrypoint and the exit handler both receive the workflow's arguments.
    names = [entry]
    on_exit = spec.str("onExit") or (source.spec.str("onExit") if source.spec else None)
    if on_exit and "{{" not in on_exit and on_exit != entry:
        names.append(on_exit)
    for name in names:
        callee = source.template(name)
        if callee is not None:
            yield from _compare(ctx, callee, args, anchor, "`spec.arguments`", None, False)
            yield from _valueless(ctx, callee, manifest.arguments)


def _valueless(ctx: Context, callee: Template, args: IO) -> Iterator[Finding]:
    """A workflow argument listed without a value replaces the input's default with nothing:
    ``argo lint`` and a submission without ``-p NAME=...`` reject the workflow."""
    declared = {p.name for p in callee.inputs.parameters}
    for param in args.parameters:
        if param.name in declared and param.value is None and param.value_from is None:
            yield ctx.finding(
                param.name_node,
                f"workflow argument `{param.name}` has no value and feeds input `{param.name}` "
                f"of template `{callee.name}`: `argo lint`, and a submission without "
                f"`-p {param.name}=...`, reject the workflow (the input's default does not "
                "apply when the argument is listed)",
                suggestion="give it a `value`, or remove it to let the input's default apply",
                severity=Severity.WARNING,
                rule=MISSING,
            )


class _MergedIO(IO):
    def __init__(self, own: IO, inherited: IO | None) -> None:
        super().__init__(own.node)
        params = list(own.parameters)
        arts = list(own.artifacts)
        if inherited is not None:
            names = {p.name for p in params}
            params += [p for p in inherited.parameters if p.name not in names]
            names = {a.name for a in arts}
            arts += [a for a in inherited.artifacts if a.name not in names]
        self.__dict__["parameters"] = params
        self.__dict__["artifacts"] = arts


def _merged_arguments(own: IO, inherited: IO | None) -> IO:
    return _MergedIO(own, inherited)


family(
    _findings,
    RuleSpec(
        MISSING,
        category="correctness",
        severity="error",
        summary="A call does not supply a required input parameter or artifact of its template.",
    ),
    RuleSpec(
        UNKNOWN,
        category="correctness",
        severity="warning",
        summary="An argument matches no input of the called template; Argo silently ignores it.",
    ),
)
