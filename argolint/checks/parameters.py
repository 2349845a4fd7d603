"""Parameters and artifacts as Argo's validator reads them.

``invalid-parameter``: arguments need a ``value`` or an allowed ``valueFrom``
(``configMapKeyRef``, ``supplied``, ``event``, with an optional ``default``); ``enum`` is not
empty and contains the value; an output parameter has exactly one source, of the kind its
template type can produce (``path`` for container/script/containerSet, ``jsonPath`` or
``jqFilter`` for resource, ``parameter`` or ``expression`` for steps/dag).

``invalid-artifact``: an input artifact has no ``from``; ``path`` only on templates that run
a container, where inputs and outputs need it (inputs need it on every template that runs:
resource, data, http and plugin too); at most one location per artifact (Argo reads the first
in ``ArtifactLocation.Get``'s order); an argument artifact has a source (``from``,
``fromExpression``, a location), and not both ``from`` and ``fromExpression``; a ``git``
location names its ``repo``.
"""

from __future__ import annotations

from collections.abc import Iterator

from argolint.checks.arguments import ARTIFACT_LOCATIONS
from argolint.context import Context
from argolint.finding import Finding
from argolint.model import Template
from argolint.model.template import IO, Artifact, Parameter
from argolint.rules import RuleSpec, family
from argolint.source.nodes import YMapping, YNode, YScalar, YSequence

PARAM, ARTIFACT = "invalid-parameter", "invalid-artifact"

#: Template types whose inputs/outputs artifacts live on a path in a container.
LEAF_TYPES = frozenset(
    ("container", "script", "containerSet", "resource", "data", "http", "plugin")
)
#: The ``valueFrom`` sources, and what each template type may use for an output parameter.
OUTPUT_SOURCES = ("path", "jqFilter", "jsonPath", "parameter", "expression", "supplied")
OUTPUT_SOURCE_BY_TYPE = {
    "container": ("path",),
    "script": ("path",),
    "containerSet": ("path",),
    "resource": ("jsonPath", "jqFilter"),
    "steps": ("parameter", "expression"),
    "dag": ("parameter", "expression"),
}
#: The order in which ``ArtifactLocation.Get`` picks the one location it uses.
READ_ORDER = ("artifactory", "azure", "git", "gcs", "hdfs", "http", "oss", "raw", "s3", "plugin")
ARGUMENT_SOURCES = ("configMapKeyRef", "supplied", "event")
ARGUMENT_FORBIDDEN = ("path", "jsonPath", "jqFilter", "parameter", "expression")


def _set(node: YMapping | None, key: str) -> bool:
    """Present and not empty (Go's zero value counts as absent)."""
    if node is None:
        return False
    value = node.get(key)
    if value is None:
        return False
    return not (isinstance(value, YScalar) and (value.value is None or value.text == ""))


def _label(param: Parameter | Artifact, what: str) -> str:
    return f"{what} `{param.name}`" if param.name else what


def _arguments(ctx: Context, args: IO, allow_empty: bool) -> Iterator[Finding]:
    for param in args.parameters:
        label = _label(param, "argument parameter")
        value_from = param.value_from
        if param.value is None and value_from is None and not allow_empty:
            yield ctx.finding(
                param.name_node,
                f"{label} has neither `value` nor `valueFrom`",
                suggestion="add `value: ...`",
                rule=PARAM,
            )
        if value_from is not None:
            forbidden = [k for k in ARGUMENT_FORBIDDEN if _set(value_from, k)]
            if forbidden or not any(value_from.get(k) is not None for k in ARGUMENT_SOURCES):
                at = (
                    value_from.key_node(forbidden[0])
                    if forbidden
                    else param.node.key_node("valueFrom")
                )
                yield ctx.finding(
                    at or value_from,
                    f"{label}: `valueFrom` of an argument may only use `configMapKeyRef`, "
                    "`supplied` or `event` (with an optional `default`)"
                    + (f", not `{forbidden[0]}`" if forbidden else ""),
                    suggestion='pass the value with `value: "{{...}}"` instead',
                    rule=PARAM,
                )
        enum = param.node.get("enum")
        if enum is not None:
            yield from _enum(ctx, param, enum, label, allow_empty)
    for art in args.artifacts:
        label = _label(art, "argument artifact")
        node = art.node
        has_from = _set(node, "from")
        has_expr = _set(node, "fromExpression")
        if not (has_from or has_expr or any(k in node for k in ARTIFACT_LOCATIONS)):
            yield ctx.finding(
                art.name_node,
                f"{label} has no source: set `from`, `fromExpression` or a location (s3, git, "
                "http...)",
                rule=ARTIFACT,
            )
        if has_from and has_expr:
            yield ctx.finding(
                node.key_node("fromExpression") or node,
                f"{label} has both `from` and `fromExpression`; use one",
                rule=ARTIFACT,
            )
        yield from _location(ctx, node, label)
        yield from _one_location(ctx, node, label)


def _enum(ctx: Context, param: Parameter, enum: YNode, label: str, allow_empty: bool):
    if (isinstance(enum, YSequence) and len(enum) == 0) or (
        isinstance(enum, YScalar) and enum.value is None
    ):
        yield ctx.finding(enum, f"{label}: `enum` is empty", rule=PARAM)
        return
    if not isinstance(enum, YSequence):
        return
    value = param.value
    if not isinstance(value, YScalar) or value.value is None:
        if not allow_empty:
            yield ctx.finding(param.name_node, f"{label} has an `enum` but no `value`", rule=PARAM)
        return
    allowed = [n.text for n in enum if isinstance(n, YScalar)]
    if "{{" not in value.text and value.text not in allowed:
        yield ctx.finding(
            value,
            f"{label}: value `{value.text}` is not one of its `enum` ({', '.join(allowed)})",
            rule=PARAM,
        )


def _location(ctx: Context, node: YMapping, label: str) -> Iterator[Finding]:
    git = node.mapping("git")
    if git is not None and not _set(git, "repo"):
        yield ctx.finding(
            node.key_node("git") or git, f"{label}: `git` needs `repo`", rule=ARTIFACT
        )


def _mode(ctx: Context, node: YMapping, label: str) -> Iterator[Finding]:
    """``mode`` is file permission bits, 0 to 0777 (the bounds of Argo's full CRDs). A
    decimal ``755`` is 0o1363 (sticky and odd bits): YAML reads a leading 0 as octal."""
    mode = node.get("mode")
    if not isinstance(mode, YScalar) or isinstance(mode.value, bool):
        return
    if not isinstance(mode.value, int) or 0 <= mode.value <= 0o777:
        return
    digits = mode.text.strip()
    octal = digits.isdigit() and all(c in "01234567" for c in digits) and len(digits) <= 4
    yield ctx.finding(
        mode,
        f"{label}: `mode: {mode.text}` is not file permission bits (0 to 0777, 511 in decimal)",
        suggestion=f"write it in octal with a leading 0: `0{digits.lstrip('0')}`"
        if octal
        else "use an octal mode such as `0644` or `0755`",
        rule=ARTIFACT,
    )


def _one_location(ctx: Context, node: YMapping, label: str) -> Iterator[Finding]:
    """Argo reads the first location in ``ArtifactLocation.Get``'s order and silently drops
    the others (the full CRDs reject the artifact): reported once, at the first dropped key."""
    named = [key for key in node.keys if key in READ_ORDER and isinstance(node.get(key), YMapping)]
    if len(named) < 2:
        return
    used = min(named, key=READ_ORDER.index)
    dropped = [key for key in named if key != used]
    yield ctx.finding(
        node.key_node(dropped[0]) or node,
        f"{label} names {len(named)} locations ({', '.join(f'`{k}`' for k in named)}): Argo "
        f"reads only `{used}` and ignores {', '.join(f'`{k}`' for k in dropped)} (with Argo's "
        "full CRDs the API server rejects it)",
        suggestion="keep one location per artifact",
        rule=ARTIFACT,
    )


def _template(ctx: Context, template: Template) -> Iterator[Finding]:
    archive = template.node.mapping("archiveLocation")
    if archive is not None:
        yield from _location(ctx, archive, "`archiveLocation`")
    ttype = template.type
    leaf = ttype in LEAF_TYPES
    for art in template.inputs.artifacts:
        label = _label(art, "input artifact")
        node = art.node
        if _set(node, "from"):
            yield ctx.finding(
                node.key_node("from") or node,
                f"{label}: `from` is not valid in inputs; pass it from the caller's "
                "`arguments.artifacts`",
                rule=ARTIFACT,
            )
        yield from _path(ctx, art, label, leaf, ttype)
        yield from _location(ctx, node, label)
        yield from _one_location(ctx, node, label)
        yield from _mode(ctx, node, label)
    for art in template.outputs.artifacts:
        label = _label(art, "output artifact")
        yield from _path(ctx, art, label, leaf, ttype)
        yield from _one_location(ctx, art.node, label)
    for param in template.outputs.parameters:
        yield from _output_parameter(ctx, param, ttype)


def _path(ctx: Context, art: Artifact, label: str, leaf: bool, ttype: str | None):
    node = art.node
    if ttype is None:
        return
    pod_files = ttype in ("container", "script", "containerSet")
    if leaf and (pod_files or label.startswith("input")) and not _set(node, "path"):
        if label.startswith("output") and _set(node, "fromExpression"):
            return
        why = (
            f"a {ttype} template reads and writes artifacts as files"
            if pod_files
            else f"Argo loads the input artifacts of a {ttype} template at a path and rejects "
            "one without"
        )
        yield ctx.finding(
            art.name_node,
            f"{label} has no `path`: {why}",
            suggestion="add `path: /tmp/...`",
            rule=ARTIFACT,
        )
    elif not leaf and _set(node, "path"):
        yield ctx.finding(
            node.key_node("path") or node,
            f"{label}: `path` is only valid in templates that run a container, not in a "
            f"{ttype} template",
            rule=ARTIFACT,
        )


def _output_parameter(ctx: Context, param: Parameter, ttype: str | None) -> Iterator[Finding]:
    label = _label(param, "output parameter")
    value_from = param.value_from
    has_value = param.value is not None and not (
        isinstance(param.value, YScalar) and param.value.value is None
    )
    if has_value and value_from is not None:
        yield ctx.finding(
            param.node.key_node("valueFrom") or param.node,
            f"{label} has both `value` and `valueFrom`; choose one",
            rule=PARAM,
        )
        return
    if has_value:
        return
    if value_from is None:
        yield ctx.finding(
            param.name_node, f"{label} has neither `value` nor `valueFrom`", rule=PARAM
        )
        return
    sources = [
        k
        for k in OUTPUT_SOURCES
        if _set(value_from, k) or (k == "supplied" and "supplied" in value_from)
    ]
    if not sources:
        yield ctx.finding(
            param.node.key_node("valueFrom") or value_from,
            f"{label}: `valueFrom` names no source (path, jsonPath, jqFilter, parameter, "
            "expression, supplied)",
            rule=PARAM,
        )
        return
    if len(sources) > 1:
        yield ctx.finding(
            value_from.key_node(sources[1]) or value_from,
            f"{label}: `valueFrom` has several sources ({', '.join(sources)}); use one",
            rule=PARAM,
        )
        return
    allowed = OUTPUT_SOURCE_BY_TYPE.get(ttype or "")
    if allowed is not None and sources[0] not in allowed and sources[0] != "supplied":
        yield ctx.finding(
            value_from.key_node(sources[0]) or value_from,
            f"{label}: a {ttype} template cannot produce an output from `{sources[0]}`; use "
            + " or ".join(f"`{a}`" for a in allowed),
            rule=PARAM,
        )


def _findings(ctx: Context) -> list[Finding]:
    manifest = ctx.manifest
    if manifest.spec is None:
        return []
    # ``argo lint`` and WorkflowTemplates accept workflow arguments without a value (given at
    # submission); a CronWorkflow submits itself, so its arguments need values.
    allow_empty = manifest.kind != "CronWorkflow"
    out = list(_arguments(ctx, manifest.arguments, allow_empty))
    for template in manifest.all_templates:
        out += _template(ctx, template)
        for call in template.invocations:
            out += _arguments(ctx, call.arguments, False)
    return out


family(
    _findings,
    RuleSpec(
        PARAM,
        category="correctness",
        severity="error",
        summary="A parameter's value, valueFrom or enum breaks Argo's rules for where it is used.",
    ),
    RuleSpec(
        ARTIFACT,
        category="correctness",
        severity="error",
        summary="An artifact's from, path or location breaks Argo's rules for where it is used.",
    ),
)
