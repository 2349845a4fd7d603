"""Names Argo validates: templates, steps, DAG tasks, parameters, artifacts, containers.

Two rules share one pass: ``invalid-name`` (missing, badly formed or too long) and
``duplicate-name`` (the same name twice where names must be unique). Names that contain a
``{{...}}`` tag are checked with each tag standing for one valid character, as Argo does
for step names after substitution.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from argolint.context import Context
from argolint.finding import Finding
from argolint.model import Template
from argolint.rules import RuleSpec, family
from argolint.source.nodes import YMapping, YNode, YScalar, YSequence

INVALID, DUPLICATE = "invalid-name", "duplicate-name"

#: Templates, steps, tasks and containers: DNS-label-like, any case, up to 128 characters.
FIELD_NAME = re.compile(r"[a-zA-Z0-9][-a-zA-Z0-9]*\Z")
FIELD_NAME_MAX = 128
#: Parameters and artifacts (and their ``globalName``): letters, digits, ``_`` and ``-``.
PARAM_NAME = re.compile(r"[-a-zA-Z0-9_]+\Z")
_TAG = re.compile(r"\{\{.*?\}\}")


def _skeleton(name: str) -> str:
    return _TAG.sub("x", name)


def field_name_problem(name: str) -> str | None:
    """Why ``name`` is not a valid template/step/task/container name, or None."""
    name = _skeleton(name)
    if len(name) > FIELD_NAME_MAX:
        return f"is {len(name)} characters long; at most {FIELD_NAME_MAX} are allowed"
    if not FIELD_NAME.match(name):
        return "must consist of letters, digits and '-', and start with a letter or digit"
    return None


def param_name_problem(name: str) -> str | None:
    if not PARAM_NAME.match(_skeleton(name)):
        return "must consist of letters, digits, '_' and '-'"
    return None


def _first_key(item: YMapping) -> YNode:
    return item.entries[0][0] if item.entries else item


def _check_names(
    ctx: Context,
    items: Iterable[YMapping],
    what: str,
    problem=field_name_problem,
    unique: bool = True,
    required: bool = True,
) -> Iterator[Finding]:
    seen: dict[str, YNode] = {}
    for item in items:
        node = item.get("name")
        if not isinstance(node, YScalar) or node.value is None or node.text == "":
            if required:
                yield ctx.finding(
                    node if node is not None else _first_key(item),
                    f"this {what} has no `name`",
                    suggestion="add `name: ...`",
                    rule=INVALID,
                )
            continue
        name = node.text
        why = problem(name)
        if why:
            yield ctx.finding(node, f"{what} name `{name}` {why}", rule=INVALID)
        if unique:
            first = seen.get(name)
            if first is not None:
                yield ctx.finding(
                    node,
                    f"{what} name `{name}` is used twice (first at line {first.line})",
                    suggestion="give each one its own name",
                    related=[ctx.related(first, "first defined here")],
                    rule=DUPLICATE,
                )
            else:
                seen[name] = node


def _mappings(node: YMapping | None, key: str) -> list[YMapping]:
    seq = node.sequence(key) if node is not None else None
    return list(seq.mappings()) if seq is not None else []


def _io(ctx: Context, holder: YMapping | None, where: str) -> Iterator[Finding]:
    if holder is None:
        return
    for key, what in (("parameters", "parameter"), ("artifacts", "artifact")):
        items = _mappings(holder, key)
        yield from _check_names(ctx, items, f"{where} {what}", param_name_problem)
        for item in items:
            glob = item.get("globalName")
            if isinstance(glob, YScalar) and glob.text and "{{" not in glob.text:
                why = param_name_problem(glob.text)
                if why:
                    yield ctx.finding(glob, f"globalName `{glob.text}` {why}", rule=INVALID)


def _template(ctx: Context, template: Template) -> Iterator[Finding]:
    node = template.node
    yield from _io(ctx, node.mapping("inputs"), "input")
    yield from _io(ctx, node.mapping("outputs"), "output")
    steps = [s.node for s in template.steps]
    if steps:
        yield from _check_names(ctx, steps, "step")
    tasks = [t.node for t in template.tasks]
    if tasks:
        yield from _check_names(ctx, tasks, "task")
    for call in template.invocations:
        yield from _io(ctx, call.node.mapping("arguments"), "argument")
    cset = node.mapping("containerSet")
    if cset is not None:
        yield from _check_names(ctx, _mappings(cset, "containers"), "container")
    yield from _check_names(ctx, _mappings(node, "initContainers"), "init container", unique=False)


def _findings(ctx: Context) -> list[Finding]:
    manifest = ctx.manifest
    spec = manifest.spec
    if spec is None:
        return []
    out: list[Finding] = []
    templates = spec.get("templates")
    if isinstance(templates, YSequence):
        out += _check_names(ctx, templates.mappings(), "template")
    out += _io(ctx, spec.mapping("arguments"), "argument")
    for template in manifest.all_templates:
        out += _template(ctx, template)
    return out


family(
    _findings,
    RuleSpec(
        INVALID,
        category="correctness",
        severity="error",
        summary=(
            "A template, step, task, parameter, artifact or container name is missing or invalid."
        ),
    ),
    RuleSpec(
        DUPLICATE,
        category="correctness",
        severity="error",
        summary="Two templates, steps, tasks, parameters, artifacts or containers share a name.",
    ),
)
