"""What a ``withParam`` fans out over: where the list comes from and the JSON shape it has.

For every step or task with ``withParam`` this finds the source the value names (a step or
task's ``outputs.result`` or output parameter, an input or workflow parameter, an
expression, or literal text), checks that the source exists, runs first and produces what is
referenced, and infers what it emits (``json_shape.Shape``) with the place it reasons from:
the line of a script that prints it, the default of a parameter. Nothing is run; whatever
cannot be told is unknown, and unknown is never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from argolint.analysis.dag import dag_graph
from argolint.analysis.expr.expression import analyse_expression
from argolint.analysis.expr.tags import Tag, tags_in
from argolint.analysis.json_shape import (
    HOLE,
    LIST,
    OBJECT,
    SCALAR,
    TEXT,
    UNKNOWN,
    UNKNOWN_SHAPE,
    Shape,
    closing_bracket,
    join,
    list_of,
    object_with,
    scalar,
    shape_of_text,
)
from argolint.analysis.json_shape import text as text_shape
from argolint.analysis.refs import closest, resolve_call
from argolint.analysis.stdout_events import Stdout, Write, combine
from argolint.analysis.stdout_node import node_writes
from argolint.analysis.stdout_python import python_writes
from argolint.analysis.stdout_shell import shell_writes
from argolint.source.nodes import YMapping, YNode, YScalar, YSequence
from argolint.span import Span

if TYPE_CHECKING:
    from argolint.analysis.expr.refs import Ref
    from argolint.analysis.refs import Target
    from argolint.context import Context
    from argolint.model import Manifest, Parameter, Template
    from argolint.model.template import Invocation

# source problems
MISSING = "missing"  # no step/task of that name where the withParam is
NOT_RUN = "not-run"  # it exists but has not finished when the loop expands
NO_RESULT = "no-result"  # its template has no ``result`` / no such output parameter

#: Template types whose main container's stdout becomes ``outputs.result``
#: (Argo's ``HasOutput``; containerSet only with a container named ``main``).
RESULT_TYPES = frozenset(("container", "script", "data", "http", "plugin"))
_SHELLS = frozenset(("sh", "bash", "ash", "dash", "zsh", "ksh", "busybox"))
_MAX_DEPTH = 6

#: Expression functions whose result is evidently a list (expr builtins and sprig).
_LIST_FUNCTIONS = frozenset(
    (
        "filter",
        "map",
        "keys",
        "values",
        "split",
        "splitAfter",
        "sort",
        "sortBy",
        "flatten",
        "uniq",
        "concat",
        "reverse",
        "toPairs",
        "sprig.splitList",
        "sprig.list",
        "sprig.uniq",
        "sprig.sortAlpha",
        "sprig.keys",
        "sprig.values",
        "sprig.compact",
        "sprig.concat",
        "sprig.append",
        "sprig.prepend",
        "sprig.reverse",
        "sprig.without",
        "sprig.rest",
        "sprig.initial",
        "sprig.until",
        "sprig.untilStep",
        "sprig.mustAppend",
        "sprig.mustPrepend",
        "sprig.mustUniq",
        "sprig.mustCompact",
        "sprig.mustReverse",
        "sprig.regexFindAll",
        "sprig.regexSplit",
    )
)
_NUMBER_FUNCTIONS = frozenset(("asInt", "asFloat", "len", "int", "float", "sprig.len"))


@dataclass(frozen=True)
class Emission:
    """What a source emits and why we think so."""

    shape: Shape
    origin: str  # "`gen` at line 31 prints": completed by ``shape.describe()``
    span: Span | None = None  # the place it reasons from (the print, the default)
    path: str | None = None  # the file of that place
    definite: bool = True  # False: a default or declared value that may be overridden
    extra: tuple[tuple[Span, str], ...] = ()  # other writes to stdout: (span, what)
    repeated: Span | None = None  # the JSON is printed inside a loop

    @property
    def sentence(self) -> str:
        return f"{self.origin} {self.shape.describe()}"


@dataclass(frozen=True)
class SourceProblem:
    kind: str  # MISSING, NOT_RUN or NO_RESULT
    message: str
    suggestion: str | None = None
    related: tuple[tuple[Span, str, str], ...] = ()  # (span, path, message)


@dataclass(frozen=True)
class Fanout:
    """One ``withParam`` and what it reads."""

    call: Invocation
    node: YScalar  # the withParam value
    start: int  # the part of the value that names the source (the tag, or all of it)
    end: int
    problem: SourceProblem | None = None
    emission: Emission | None = None
    item_keys_from: Template | None = field(default=None, compare=False)

    @property
    def span(self) -> Span:
        return self.node.sub_span(self.start, self.end)

    @property
    def shape(self) -> Shape:
        return self.emission.shape if self.emission else UNKNOWN_SHAPE


def fanouts(ctx: Context) -> list[Fanout]:
    """Every ``withParam`` of the document with its source, computed once per document."""
    return ctx.analysis(_fanouts)


def fanout_of(ctx: Context, call: Invocation) -> Fanout | None:
    """The ``withParam`` analysis of one step or task (None if it has no withParam)."""
    return ctx.analysis(_fanout_index).get(id(call.node))


def _fanout_index(ctx: Context) -> dict[int, Fanout]:
    return {id(f.call.node): f for f in fanouts(ctx)}


def _fanouts(ctx: Context) -> list[Fanout]:
    reader = _Reader(ctx)
    found: list[Fanout] = []
    for template in ctx.manifest.all_templates:
        for call in template.invocations:
            node = call.node.get("withParam")
            if isinstance(node, YScalar) and node.value is not None:
                found.append(reader.fanout(call, node))
    return found


class _Reader:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.path = ctx.doc.path
        self._results: dict[int, Emission | None] = {}
        self._sizing: set[int] = set()
        self._siblings: dict[tuple[int, str], dict[str, Invocation]] = {}
        self._callers: dict[int, dict[str, list[tuple[Template, Invocation]]]] = {}

    # -- the withParam value ------------------------------------------------------------
    def fanout(self, call: Invocation, node: YScalar) -> Fanout:
        value = node.text
        tags = tags_in(node)
        stripped = value.strip()
        if len(tags) == 1 and stripped == tags[0].text and not tags[0].error:
            tag = tags[0]
            problem, emission = self.tag(call.parent, tag, node, 0, call)
            return Fanout(call, node, tag.start, tag.end, problem, emission)
        if not value.strip():
            return Fanout(call, node, 0, len(value), None, None)
        masked = value
        for tag in tags:
            masked = masked[: tag.start] + HOLE * (tag.end - tag.start) + masked[tag.end :]
        shape = shape_of_text(masked)
        emission = Emission(shape, "the value is", node.span, self.path)
        return Fanout(call, node, 0, len(value), None, emission if shape.known else None)

    def tag(
        self, template: Template, tag: Tag, scalar: YScalar, depth: int, call: Invocation | None
    ) -> tuple[SourceProblem | None, Emission | None]:
        """The source a tag names, read in ``template``; ``call`` is the looping call (for
        the checks of order, which only apply at the top)."""
        if tag.kind == "expression":
            ref = _whole_ref(tag)
            if ref is None:
                return None, self.expression(tag, scalar)
        else:
            if not tag.refs:
                return None, None
            ref = tag.refs[0]
        parts = ref.parts
        root = parts[0] if parts else ""
        if root in ("steps", "tasks") and len(parts) >= 4 and parts[2] == "outputs":
            return self.node_output(template, parts, call, depth)
        if root == "inputs" and len(parts) == 3 and parts[1] == "parameters":
            param = _parameter(template.inputs.node, parts[2])
            if param is None:
                return None, None
            covered, passed = self.passed_argument(template, parts[2], depth)
            if covered:  # every caller passes a value: the input's own never applies
                return None, passed
            own = self.parameter_value(param, f"input parameter `{parts[2]}`", template, depth)
            return None, passed or own
        if root == "workflow" and len(parts) == 3 and parts[1] == "parameters":
            spec = template.manifest.spec
            arguments = spec.mapping("arguments") if spec else None
            param = _parameter(arguments, parts[2])
            if param is None:
                return None, None
            emission = self.parameter_value(
                param, f"workflow parameter `{parts[2]}`", template, depth
            )
            return None, _overridable(emission)
        return None, None

    def node_output(
        self,
        template: Template,
        parts: tuple[str, ...],
        call: Invocation | None,
        depth: int,
    ) -> tuple[SourceProblem | None, Emission | None]:
        """``steps.X.outputs...`` / ``tasks.X.outputs...`` read in ``template``."""
        kind = parts[0]
        name = parts[1]
        siblings = self.siblings(template, kind)
        source = siblings.get(name)
        if source is None:
            if call is None:
                return None, None
            where = "steps" if template.step_groups else "tasks" if template.dag else None
            if where is None or where != kind:
                message = f"`{kind}.{name}` cannot be read here: template `{template.name}` " + (
                    f"has {where}, not {kind}" if where else "has neither steps nor tasks"
                )
                return SourceProblem(MISSING, message), None
            guess = closest(name, list(siblings))
            message = f"there is no {kind[:-1]} named `{name}` in template `{template.name}`"
            if guess:
                suggestion = f"did you mean `{guess}`?"
            elif siblings:
                names = ", ".join(f"`{n}`" for n in list(siblings)[:8])
                suggestion = f"read one of the {kind} of `{template.name}`: {names}"
            else:
                suggestion = None
            return SourceProblem(MISSING, message, suggestion), None
        if call is not None:
            problem = self.order_problem(kind, template, source, call)
            if problem is not None:
                return problem, None
        target = resolve_call(self.ctx, source)
        source_template = target.template if target.found else None
        loop = source.loop
        field_parts = parts[3:]
        if source_template is None:
            return None, None
        label = f"`{name}`"
        if field_parts[0] == "result" and len(field_parts) == 1:
            if not _has_result(source_template):
                kind_name = source_template.type or "this"
                message = (
                    f"{kind[:-1]} `{name}` has no `outputs.result`: its template "
                    f"`{source_template.name}` is a {kind_name} template, and only container, "
                    "script, containerSet (with a `main` container), data, http and plugin "
                    "templates capture stdout"
                )
                related = ((source_template.name_node.span, self._path(target), "defined here"),)
                suggestion = (
                    "read an output parameter of it instead "
                    f"(`{{{{{kind}.{name}.outputs.parameters.NAME}}}}`)"
                )
                return SourceProblem(NO_RESULT, message, suggestion, related), None
            emission = self.result(source_template, self._path(target), depth)
            if loop is not None:
                item = emission.shape if emission and emission.shape.kind != TEXT else None
                return None, Emission(
                    list_of(item, self.loop_size(loop, source)),
                    f"{label} loops ({loop[0]}), so its results are collected into",
                    loop[1].span,
                    self.path,
                )
            return None, emission
        if field_parts[0] == "parameters" and len(field_parts) == 2:
            pname = field_parts[1]
            declared = source_template.outputs.parameters
            param = next((p for p in declared if p.name == pname), None)
            if param is None:
                names = [p.name for p in declared if p.name]
                guess = closest(pname, names)
                message = (
                    f"template `{source_template.name}` of {kind[:-1]} `{name}` declares no "
                    f"output parameter `{pname}`"
                )
                suggestion = (
                    f"did you mean `{guess}`?"
                    if guess
                    else (
                        f"declare `{pname}` under `outputs.parameters` of `{source_template.name}`"
                    )
                )
                related = ((source_template.name_node.span, self._path(target), "defined here"),)
                return SourceProblem(NO_RESULT, message, suggestion, related), None
            if loop is not None:
                each = self.output_parameter(param, source_template, depth)
                return None, Emission(
                    list_of(_aggregated_value(each), self.loop_size(loop, source)),
                    f"{label} loops ({loop[0]}), so its `{pname}` values are collected into",
                    loop[1].span,
                    self.path,
                )
            return None, self.output_parameter(param, source_template, depth)
        if field_parts[0] == "parameters" and len(field_parts) == 1 and loop is not None:
            keys = frozenset(p.name for p in source_template.outputs.parameters if p.name)
            return None, Emission(
                list_of(object_with(keys), self.loop_size(loop, source)),
                f"{label} loops ({loop[0]}), so its output parameters are collected into",
                loop[1].span,
                self.path,
            )
        return None, None

    def siblings(self, template: Template, kind: str) -> dict[str, Invocation]:
        """The steps (or tasks) of a template by name, the first of each name."""
        key = (id(template.node), kind)
        found = self._siblings.get(key)
        if found is None:
            calls = template.steps if kind == "steps" else template.tasks
            found = self._siblings[key] = {}
            for call in calls:
                if call.name:
                    found.setdefault(call.name, call)
        return found

    def callers(self, manifest: Manifest) -> dict[str, list[tuple[Template, Invocation]]]:
        """Template name → (template, call) for every local call of it in ``manifest``."""
        key = id(manifest)
        found = self._callers.get(key)
        if found is None:
            found = self._callers[key] = {}
            for caller in manifest.all_templates:
                for call in caller.invocations:
                    name = call.template_name
                    if name and call.node.get("templateRef") is None:
                        found.setdefault(name, []).append((caller, call))
        return found

    def loop_size(self, loop: tuple[str, YNode], source: Invocation) -> int | None:
        """How many iterations a loop has when that is known: a loop's results are as many."""
        key, node = loop
        if key == "withItems" and isinstance(node, YSequence):
            return len(node.items)
        if key == "withParam" and isinstance(node, YScalar) and id(node) not in self._sizing:
            self._sizing.add(id(node))
            try:
                shape = self.fanout(source, node).shape
            finally:
                self._sizing.discard(id(node))
            return shape.size if shape.kind == LIST else None
        return None

    def _path(self, target: Target) -> str:
        manifest = target.manifest
        return manifest.doc.path if manifest is not None else self.path

    def order_problem(
        self, kind: str, template: Template, source: Invocation, call: Invocation
    ) -> SourceProblem | None:
        """Whether ``source`` has finished when ``call`` expands its loop."""
        name = source.name
        if kind == "steps":
            if source.group < call.group:
                return None
            when = "in the same parallel group" if source.group == call.group else "later"
            if source is call:
                when = "itself"
            message = (
                f"step `{name}` has not run when `{call.name}` expands its loop: it runs {when}"
                if source is not call
                else f"step `{name}` reads its own output in `withParam`"
            )
            suggestion = (
                f"move `{name}` into an earlier step group (`- - name: {name}`)"
                if source is not call
                else "loop over the output of a step of an earlier group"
            )
            related = ((source.name_node.span, self.path, f"`{name}` is defined here"),)
            return SourceProblem(NOT_RUN, message, suggestion, related)
        graph = dag_graph(self.ctx, template)
        if call.name and name in graph.ancestors(call.name):
            return None
        if source is call:
            message = f"task `{name}` reads its own output in `withParam`"
        else:
            message = (
                f"task `{name}` is not an ancestor of `{call.name}`: nothing makes "
                f"`{call.name}` wait for it, so its output may not exist yet"
            )
        suggestion = (
            f"add `{name}` to `dependencies` (or `depends`) of `{call.name}`"
            if source is not call
            else "loop over the output of a task it depends on"
        )
        related = ((source.name_node.span, self.path, f"`{name}` is defined here"),)
        return SourceProblem(NOT_RUN, message, suggestion, related)

    # -- what templates and parameters emit ----------------------------------------------
    def result(self, template: Template, path: str, depth: int) -> Emission | None:
        key = id(template.node)
        if key in self._results:
            return self._results[key]
        emission = self._results[key] = _template_stdout(template, path)
        return emission

    def output_parameter(self, param: Parameter, template: Template, depth: int) -> Emission | None:
        node = param.node
        label = f"output parameter `{param.name}` of `{template.name}`"
        value = node.get("value")
        if isinstance(value, YScalar) and value.value is not None:
            return self.text_value(value, label, template, depth, definite=True)
        value_from = node.mapping("valueFrom")
        if value_from is None:
            return None
        if value_from.get("parameter") is not None:
            inner = value_from.get("parameter")
            if isinstance(inner, YScalar):
                return self.text_value(inner, label, template, depth, definite=True)
            return None
        expression = value_from.get("expression")
        if isinstance(expression, YScalar) and isinstance(expression.value, str):
            parts = _named_output(expression.value)
            if parts is not None and depth < _MAX_DEPTH:  # a string passed through as is
                return self.node_output(template, parts, None, depth + 1)[1]
            shape = _expression_shape(expression.value, go_formatted=True)
            if shape.known:
                return Emission(
                    shape,
                    f"{label} (line {expression.line}) evaluates to",
                    expression.span,
                    template.manifest.doc.path,
                )
            return None
        queried = _resource_query_shape(value_from)
        if queried is not None:
            shape, node = queried
            where = f"{label} (line {node.line})"
            return Emission(shape, f"{where} reads", node.span, template.manifest.doc.path)
        if any(
            value_from.get(k) is not None
            for k in ("path", "jsonPath", "jqFilter", "event", "configMapKeyRef")
        ):
            return None
        default = value_from.get("default")
        if isinstance(default, YScalar) and default.value is not None:
            return self.text_value(default, f"the default of {label}", template, depth, False)
        return None

    def parameter_value(
        self, node: YMapping, label: str, template: Template, depth: int
    ) -> Emission | None:
        for key in ("value", "default"):
            value = node.get(key)
            if isinstance(value, YScalar) and value.value is not None:
                return self.text_value(value, f"{label} ({key})", template, depth, False)
            if isinstance(value, (YMapping, YSequence)):
                return None
        return None

    def passed_argument(
        self, template: Template, name: str, depth: int
    ) -> tuple[bool, Emission | None]:
        """What the callers of ``template`` pass as input ``name``: the workflow's argument
        for the entrypoint, else the arguments of every step and task that calls it in this
        document (only when they all agree on its shape). The flag says whether every caller
        passes a value (then the input's own value or default never applies), even when
        what they pass is unknown."""
        if depth >= _MAX_DEPTH or template.inline_of is not None:
            return False, None
        manifest = template.manifest
        if template.name is not None and template.name == manifest.entrypoint:
            spec = manifest.spec
            param = _parameter(spec.mapping("arguments") if spec else None, name)
            if param is None:
                return False, None
            found = self.parameter_value(param, f"workflow argument `{name}`", template, depth)
            return True, _overridable(found)
        found: Emission | None = None
        agreed = True
        callers = 0
        for caller, call in self.callers(manifest).get(template.name or "", ()):
            callers += 1
            arg = _parameter(call.arguments.node, name)
            value = arg.get("value") if arg is not None else None
            if arg is None or (value is None and arg.get("valueFrom") is None):
                return False, None  # this caller lets the input's own value through
            if not isinstance(value, YScalar) or value.value is None:
                agreed = False
                continue
            emission = self.text_value(
                value,
                f"the argument `{name}` passed by `{call.name}`",
                caller,
                depth + 1,
                definite=True,
            )
            if emission is None or (found is not None and found.shape.kind != emission.shape.kind):
                agreed = False
            elif found is None:
                found = emission
            else:
                found = Emission(
                    join(found.shape, emission.shape),
                    found.origin,
                    found.span,
                    found.path,
                    found.definite and emission.definite,
                )
        if not callers:
            return False, None
        return True, found if agreed else None

    def text_value(
        self, value: YScalar, label: str, template: Template, depth: int, definite: bool
    ) -> Emission | None:
        """A parameter's text: literal JSON, or one tag that we follow."""
        text = value.text
        tags = tags_in(value)
        path = template.manifest.doc.path
        if len(tags) == 1 and text.strip() == tags[0].text and not tags[0].error:
            if depth >= _MAX_DEPTH:
                return None
            _, inner = self.tag(template, tags[0], value, depth + 1, None)
            if inner is None:
                return None
            return Emission(
                inner.shape,
                inner.origin,
                inner.span,
                inner.path,
                inner.definite and definite,
                inner.extra,
                inner.repeated,
            )
        masked = text
        for tag in tags:
            masked = masked[: tag.start] + HOLE * (tag.end - tag.start) + masked[tag.end :]
        shape = shape_of_text(masked)
        if not shape.known:
            return None
        return Emission(shape, f"{label} at line {value.line} is", value.span, path, definite)

    def expression(self, tag: Tag, scalar: YScalar) -> Emission | None:
        shape = _expression_shape(tag.body)
        if not shape.known:
            return None
        return Emission(shape, "the expression evaluates to", tag.span(scalar), self.path)


def _overridable(emission: Emission | None) -> Emission | None:
    """Workflow arguments can be replaced at submit time: what they hold is only a default."""
    if emission is None:
        return None
    return Emission(emission.shape, emission.origin, emission.span, emission.path, False)


def _aggregated_value(each: Emission | None) -> Shape | None:
    """The elements of a looped step's ``outputs.parameters.P``: Argo decodes the values
    when every one is a JSON object or list (``aggregatedJSONValueList``), else keeps the
    strings. None (unknown) unless one iteration's value is known."""
    if each is None or not each.shape.known:
        return None
    if each.shape.kind in (OBJECT, LIST):
        return each.shape
    return scalar("string")


def _named_output(expression: str) -> tuple[str, ...] | None:
    """The parts of ``steps.X.outputs...`` / ``tasks['X'].outputs...`` when an expression
    is nothing but that reference."""
    info = analyse_expression(expression)
    if info.error or info.calls or len(info.refs) != 1:
        return None
    ref = info.refs[0]
    start = len(expression) - len(expression.lstrip())
    if (ref.start, ref.end) != (start, len(expression.rstrip())):
        return None
    parts = ref.parts
    if parts[0] in ("steps", "tasks") and len(parts) >= 4 and parts[2] == "outputs":
        return parts
    return None


def _whole_ref(tag: Tag) -> Ref | None:
    """The reference a ``{{=...}}`` tag consists of, if it is nothing else."""
    if len(tag.refs) != 1 or tag.calls:
        return None
    ref = tag.refs[0]
    body = tag.body
    start = tag.body_start + len(body) - len(body.lstrip())
    end = tag.body_start + len(body.rstrip())
    # dotted or bracketed (``steps['gen-list'].outputs.result``): the ref is all the body
    return ref if (ref.start, ref.end) == (start, end) else None


def _parameter(io: YMapping | None, name: str) -> YMapping | None:
    seq = io.sequence("parameters") if io is not None else None
    if seq is None:
        return None
    found = None
    for item in seq.mappings():
        if item.str("name") == name:
            found = item
    return found


def _has_result(template: Template) -> bool:
    kind = template.type
    if kind is None:
        return True  # malformed: another rule says so
    if kind in RESULT_TYPES:
        return True
    if kind == "containerSet":
        container_set = template.node.mapping("containerSet")
        containers = container_set.sequence("containers") if container_set else None
        return containers is not None and any(
            c.str("name") == "main" for c in containers.mappings()
        )
    return False


def _argv(holder: YMapping) -> list[YNode]:
    argv: list[YNode] = []
    for key in ("command", "args"):
        seq = holder.get(key)
        if isinstance(seq, YSequence):
            argv.extend(seq.items)
    return argv


def _template_stdout(template: Template, path: str) -> Emission | None:
    """What the main container of a script or container template prints."""
    kind = template.type
    name = _who(template)
    if kind == "script":
        script = template.node.mapping("script")
        source = script.get("source") if script else None
        if not isinstance(source, YScalar) or not isinstance(source.value, str):
            return None
        argv = _without_env(_argv(script))
        program = _program(argv[0]) if argv and isinstance(argv[0], YScalar) else None
        return _script_emission(name, program, source, path)
    holder = None
    if kind == "container":
        holder = template.node.mapping("container")
    elif kind == "containerSet":
        container_set = template.node.mapping("containerSet")
        containers = container_set.sequence("containers") if container_set else None
        holder = (
            next((c for c in containers.mappings() if c.str("name") == "main"), None)
            if (containers)
            else None
        )
    if holder is None or holder.get("command") is None:
        return None  # the image's entrypoint runs: what it prints is unknown
    argv = _without_env(_argv(holder))
    if not argv or not all(isinstance(a, YScalar) for a in argv):
        return None
    program = _program(argv[0])
    if program in _SHELLS or program.startswith("python"):
        for index, arg in enumerate(argv[1:], 1):
            flag = arg.text if isinstance(arg, YScalar) else ""
            if flag.startswith("-") and not flag.startswith("--") and flag.endswith("c"):
                if index + 1 < len(argv):
                    script_node = argv[index + 1]
                    if isinstance(script_node, YScalar) and isinstance(script_node.value, str):
                        language = "python" if program.startswith("python") else "sh"
                        return _script_emission(name, language, script_node, path)
                return None
        return None
    if program == "echo":
        words = [a.text for a in argv[1:] if isinstance(a, YScalar)]
        while words and re.fullmatch(r"-[neE]+", words[0]):
            words = words[1:]
        first = argv[1] if len(argv) > 1 else argv[0]
        masked = re.sub(r"\{\{.*?\}\}", lambda m: HOLE * len(m.group(0)), " ".join(words))
        shape = shape_of_text(masked)
        if not shape.known:
            return None
        return Emission(shape, f"{name} at line {first.line} prints", first.span, path)
    return None


def _who(template: Template) -> str:
    """How messages name a template: `gen`, or the inline template of the step `gen`."""
    if template.name:
        return f"`{template.name}`"
    call = template.inline_of
    if call is not None and call.name:
        kind = "task" if call.parent.dag else "step"
        return f"the inline template of {kind} `{call.name}`"
    return "the template"


def _without_env(argv: list[YNode]) -> list[YNode]:
    """``env [-i] [NAME=value...] program args``: the program and its arguments."""
    if not argv or not isinstance(argv[0], YScalar) or _program(argv[0]) != "env":
        return argv
    rest = argv[1:]
    while (
        rest
        and isinstance(rest[0], YScalar)
        and (rest[0].text.startswith("-") or "=" in rest[0].text)
    ):
        rest = rest[1:]
    return rest


def _program(node: YScalar) -> str:
    return node.text.strip().rsplit("/", 1)[-1]


def _script_emission(name: str, program: str | None, source: YScalar, path: str) -> Emission | None:
    if program is None:
        return None
    if program.startswith("python"):
        found = python_writes(source.value)
    elif program in _SHELLS:
        found = shell_writes(source.value)
    elif program in ("node", "nodejs"):
        found = node_writes(source.value)
    else:
        return None
    if found is None:
        return None
    stdout: Stdout = combine(*found)
    main = stdout.main
    extra = tuple((source.sub_span(w.start, w.end), _write_text(source, w)) for w in stdout.extra)
    if main is None:
        if not extra:
            return None
        return Emission(UNKNOWN_SHAPE, name, None, path, True, extra)
    span = source.sub_span(main.start, main.end)
    line = span.line
    repeated = span if stdout.repeated else None
    origin = (
        f"{name} at line {line} prints"
        if stdout.certain
        else (f"{name} at line {line} (in every branch seen) prints")
    )
    return Emission(stdout.shape, origin, span, path, stdout.certain, extra, repeated)


def _write_text(source: YScalar, write: Write) -> str:
    text = source.value[write.start : write.end]
    first = text.split("\n", 1)[0]
    return first if len(first) <= 60 else first[:57] + "..."


_KUBECTL_MATCHES = text_shape(
    "space-separated matches (kubectl's jsonpath prints every `[*]` match, not a JSON list)"
)


def _resource_query_shape(value_from: YMapping) -> tuple[Shape, YScalar] | None:
    """A resource template's ``jsonPath`` (run by ``kubectl -o jsonpath``) or ``jqFilter``:
    wildcards print space-separated matches; a jq array construction prints a list."""
    json_path = value_from.get("jsonPath")
    if isinstance(json_path, YScalar) and isinstance(json_path.value, str):
        query = json_path.value
        if "[*]" in query or ".." in query or "{range" in query:
            return _KUBECTL_MATCHES, json_path
        return None
    jq_filter = value_from.get("jqFilter")
    if isinstance(jq_filter, YScalar) and isinstance(jq_filter.value, str):
        query = jq_filter.value.strip()
        if query.startswith("[") and closing_bracket(query, 0) == len(query) - 1:
            return Shape(LIST), jq_filter
    return None


_GO_FORMATTED = text_shape(
    "a list printed the Go way (`[a b]`: `valueFrom.expression` formats a non-string value "
    "with %v), not JSON"
)
_TO_JSON = frozenset(("toJson", "sprig.toJson", "sprig.toRawJson", "sprig.mustToJson"))


def _expression_shape(body: str, go_formatted: bool = False) -> Shape:
    """The evident result type of an expression: a top-level call whose function returns a
    list (or a number), ``toJson`` of a literal, or a literal list. Otherwise unknown.

    In a ``{{=...}}`` tag Argo JSON-encodes the value; an output parameter's
    ``valueFrom.expression`` (``go_formatted``) formats it with Go's ``%v`` instead, so a
    list only becomes JSON through ``toJson``."""
    text = body.strip()
    if text.startswith("[") and closing_bracket(text, 0) == len(text) - 1:
        return _GO_FORMATTED if go_formatted else Shape(LIST)
    m = re.match(r"([A-Za-z_][\w.]*)\s*\(", text)
    if m is None or closing_bracket(text, m.end() - 1) != len(text) - 1:
        return UNKNOWN_SHAPE
    function = m.group(1)
    if function in _LIST_FUNCTIONS:
        return _GO_FORMATTED if go_formatted else Shape(LIST)
    if function in _NUMBER_FUNCTIONS:
        return scalar("number")
    if function in _TO_JSON:
        inner = text[m.end() : -1].strip()
        if inner.startswith("[") and closing_bracket(inner, 0) == len(inner) - 1:
            return Shape(LIST)
        if inner.startswith("{") and closing_bracket(inner, 0) == len(inner) - 1:
            return Shape(OBJECT)
        return _expression_shape(inner) if inner else UNKNOWN_SHAPE
    return UNKNOWN_SHAPE


__all__ = [
    "LIST",
    "MISSING",
    "NOT_RUN",
    "NO_RESULT",
    "OBJECT",
    "SCALAR",
    "TEXT",
    "UNKNOWN",
    "Emission",
    "Fanout",
    "SourceProblem",
    "fanout_of",
    "fanouts",
]
