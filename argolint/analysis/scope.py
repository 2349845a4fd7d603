"""Which variables exist at each place of a document, by Argo's rules (``docs/variables.md``,
``docs/variable-flow/variables.md`` and the validator in ``workflow/validate/validate.go``),
and what is wrong with each reference that does not resolve.

The analysis is ``ctx.analysis(reference_problems)``: every reference of every tag and raw
expression of the document, checked once, as ``ReferenceProblem``s tagged with the rule
that reports them (``unresolved-variable``, ``step-not-yet-run``, ``undeclared-output``,
``item-outside-loop``, ``item-key-missing``). Rules only filter that list.

Argo's own scope, summarised:

- global ``workflow.*``: identity fields, ``parameters.<declared>``, ``labels.<declared>`` and
  ``annotations.<declared>`` (metadata, ``workflowMetadata``, defaults, controller-added),
  ``outputs.parameters|artifacts.<globalName>``, ``priority`` only with ``spec.priority``,
  ``failures`` only in exit handlers;
- ``inputs.*`` of the enclosing template; ``outputs.<x>.path`` in leaf templates that declare a
  path, ``outputs.*``, ``status``, ``duration``, ``exitCode``, ``resourcesDuration.*`` in metrics;
- ``pod.name`` in pod templates, ``retries``/``lastRetry.*`` with a ``retryStrategy``;
- ``steps.X.*`` for steps of an earlier group, ``tasks.X.*`` for ancestors in the DAG (all of
  them in the template's ``outputs``, the step/task itself in its own ``hooks``);
- ``item`` inside the step or task that loops (and its inline template), with the keys the
  items have where known (``ITEM_SHAPE_PROVIDERS``);
- ``cronworkflow.*`` in the CronWorkflow's own spec (``when``, ``stopStrategy``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from argolint.analysis.dag import dag_graph
from argolint.analysis.expr.expression import ExpressionInfo, analyse_expression
from argolint.analysis.expr.refs import HyphenJoin, Ref, SyntaxProblem
from argolint.analysis.expr.sites import RAW_EXPRESSION_FIELDS, Path, TagSite, tag_sites
from argolint.analysis.expr.tags import ARGO_ROOTS, scan_tags
from argolint.analysis.loop_items import ITEM_SHAPE_PROVIDERS, ItemShape, item_shape
from argolint.analysis.shapes import fanouts
from argolint.analysis.workflow_globals import GlobalScope, all_calls
from argolint.cached import cached_property
from argolint.finding import Related
from argolint.source.nodes import YMapping, YNode, YScalar, node_at_path

if TYPE_CHECKING:
    from argolint.context import Context
    from argolint.model import Template
    from argolint.model.template import Invocation

__all__ = [
    "ITEM_KEY_MISSING",
    "ITEM_OUTSIDE_LOOP",
    "ITEM_SHAPE_PROVIDERS",
    "NOT_YET_RUN",
    "UNDECLARED_OUTPUT",
    "UNRESOLVED",
    "ExpressionSite",
    "ItemShape",
    "Place",
    "ReferenceProblem",
    "ScopeChecker",
    "expression_sites",
    "item_shape",
    "problems_of",
    "reference_problems",
    "scope_checker",
    "tags_with_places",
]

UNRESOLVED = "unresolved-variable"
NOT_YET_RUN = "step-not-yet-run"
UNDECLARED_OUTPUT = "undeclared-output"
ITEM_OUTSIDE_LOOP = "item-outside-loop"
ITEM_KEY_MISSING = "item-key-missing"

POD_TYPES = frozenset(("container", "containerSet", "script", "resource", "data"))
LEAF_TYPES = POD_TYPES | {"http", "plugin"}

WORKFLOW_FIELDS = (
    "name",
    "namespace",
    "uid",
    "mainEntrypoint",
    "serviceAccountName",
    "duration",
    "status",
    "creationTimestamp",
    "scheduledTime",
    "priority",
    "parameters",
    "labels",
    "annotations",
    "outputs",
    "failures",
)
NODE_FIELDS = ("id", "status", "startedAt", "finishedAt", "hostNodeName", "ip", "exitCode")
NODE_FIELDS_ALL = (*NODE_FIELDS, "outputs")
LAST_RETRY_FIELDS = ("exitCode", "status", "duration", "message")
CRON_FIELDS = (
    "name",
    "namespace",
    "labels",
    "annotations",
    "lastScheduledTime",
    "failed",
    "succeeded",
)
METRIC_ROOTS = frozenset(("status", "duration", "exitCode", "resourcesDuration"))


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class ReferenceProblem:
    """A reference that does not resolve where it is written."""

    rule: str
    ref: Ref
    scalar: YScalar
    message: str
    suggestion: str | None = None
    severity: str | None = None  # overrides the rule's default (e.g. warning in templates)
    related: tuple[tuple[YNode, str], ...] = ()
    also: tuple[Related, ...] = ()  # places in any file (where a withParam list is printed)

    @property
    def span(self):
        """From the start of the reference to its end: the column is where it starts."""
        return self.ref.span(self.scalar)


# --------------------------------------------------------------------------- places


@dataclass(frozen=True, slots=True)
class Place:
    """Where a reference is evaluated."""

    template: Template | None  # None: a field of the workflow spec outside any template
    path: Path  # from the template node (or the document root)
    call: Invocation | None = None  # the step/task whose fields hold it
    rest: Path = ()  # the path inside that step/task
    loop_call: Invocation | None = None  # the looping call whose item is in scope
    outer: Place | None = None  # for an inline template: the step/task that holds it

    @property
    def in_hooks(self) -> bool:
        return bool(self.rest) and self.rest[0] == "hooks"

    @property
    def in_metrics(self) -> bool:
        return "metrics" in self.path

    @property
    def in_outputs(self) -> bool:
        return bool(self.path) and self.path[0] == "outputs"


class TemplateFacts:
    """What one template declares, computed on first use."""

    def __init__(self, template: Template, defaults: YMapping | None = None) -> None:
        """``defaults``: the workflow's ``spec.templateDefaults``, which Argo merges into
        every template before running it."""
        self.template = template
        node = template.node
        self.type = template.type
        self.input_params = [p.name for p in template.inputs.parameters if p.name]
        self.input_artifacts = [a.name for a in template.inputs.artifacts if a.name]
        self.output_params = [p.name for p in template.outputs.parameters if p.name]
        self.output_artifacts = [a.name for a in template.outputs.artifacts if a.name]
        self.output_param_paths = [
            p.name for p in template.outputs.parameters if p.name and _value_from_path(p.node)
        ]
        self.output_artifact_paths = [
            a.name for a in template.outputs.artifacts if a.name and a.node.get("path")
        ]
        self.has_retry = template.retry_strategy is not None or (
            defaults is not None and defaults.get("retryStrategy") is not None
        )
        self.daemon = node.scalar("daemon") is True
        containers = node.mapping("containerSet")
        seq = containers.sequence("containers") if containers else None
        main = seq is not None and any(c.str("name") == "main" for c in seq.mappings())
        types = set(template.types)
        #: Argo's ``HasOutput``: templates whose stdout becomes ``outputs.result``.
        self.has_result = bool(types & {"container", "script", "data", "http", "plugin"}) or main

    @cached_property
    def calls(self) -> dict[int, Invocation]:
        return {id(call.node): call for call in self.template.invocations}

    @cached_property
    def steps(self) -> dict[str, Invocation]:
        found: dict[str, Invocation] = {}
        for step in self.template.steps:
            if step.name:
                found.setdefault(step.name, step)
        return found

    @property
    def is_leaf(self) -> bool:
        return self.type in LEAF_TYPES

    @property
    def is_pod(self) -> bool:
        return self.type in POD_TYPES


def _value_from_path(node: YMapping) -> bool:
    vf = node.mapping("valueFrom")
    return vf is not None and vf.get("path") is not None


# --------------------------------------------------------------------------- checking


class ScopeChecker:
    """Checks references against the scope of their place. One per document."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.manifest = ctx.manifest
        self.globals = GlobalScope(ctx)
        self._facts: dict[int, TemplateFacts] = {}
        spec = ctx.manifest.spec
        self._defaults = spec.mapping("templateDefaults") if spec is not None else None
        self._exit_templates: set[int] | None = None

    # ---- facts and places

    def facts(self, template: Template) -> TemplateFacts:
        key = id(template.node)
        facts = self._facts.get(key)
        if facts is None:
            defaults = self._defaults if template.manifest is self.manifest else None
            facts = self._facts[key] = TemplateFacts(template, defaults)
        return facts

    def place(self, template: Template | None, path: Path) -> Place:
        if template is None:
            return Place(None, path)
        outer = None
        if template.inline_of is not None:
            # Argo substitutes a step's inline template together with the step, in the
            # scope of the steps/tasks around it.
            call = template.inline_of
            parent = self.place(call.parent, ())
            outer = Place(
                call.parent, ("inline",), call, ("inline",), parent.loop_call, parent.outer
            )
            if call.loop is not None:
                outer = Place(call.parent, ("inline",), call, ("inline",), call, parent.outer)
        facts = self.facts(template)
        call: Invocation | None = None
        depth = 0
        if path and path[0] == "steps":
            for depth in (3, 2):
                if len(path) >= depth:
                    node, _ = node_at_path(template.node, path[:depth])
                    call = facts.calls.get(id(node)) if node is not None else None
                    if call is not None:
                        break
        elif len(path) >= 3 and path[:2] == ("dag", "tasks"):
            node, _ = node_at_path(template.node, path[:3])
            call = facts.calls.get(id(node)) if node is not None else None
            depth = 3
        rest = path[depth:] if call is not None else ()
        loop_call = None
        if call is not None and call.loop is not None and (not rest or rest[0] not in LOOP_KEYS):
            loop_call = call
        elif outer is not None:
            # the looping step is substituted whole, its inline template's steps included
            loop_call = outer.loop_call
        return Place(template, path, call, rest, loop_call, outer)

    def resolve(self, call: Invocation) -> Template | None:
        """The template a call runs, if it can be seen."""
        from argolint.analysis.refs import resolve_call

        return resolve_call(self.ctx, call).template

    @property
    def exit_templates(self) -> set[int]:
        """Node ids of templates that run as exit handlers or hooks (and what they call)."""
        if self._exit_templates is None:
            self._exit_templates = _exit_templates(self)
        return self._exit_templates

    # ---- the check

    def check(self, ref: Ref, scalar: YScalar, place: Place) -> ReferenceProblem | None:
        root = ref.root
        handler = _ROOT_HANDLERS.get(root)
        if handler is None:
            return self._unknown_root(ref, scalar)
        return handler(self, ref, scalar, place)

    def problem(
        self,
        rule: str,
        ref: Ref,
        scalar: YScalar,
        message: str,
        suggestion: str | None = None,
        **kw,
    ) -> ReferenceProblem:
        return ReferenceProblem(rule, ref, scalar, message, suggestion, **kw)

    def bare_root(self, ref: Ref, scalar: YScalar) -> ReferenceProblem | None:
        """A root such as ``workflow`` used alone: fine as an expression value, not as a tag."""
        if ref.expression:
            return None
        return self.problem(UNRESOLVED, ref, scalar, f"`{ref.root}` alone is not a variable")

    def wrong_part(
        self, ref: Ref, scalar: YScalar, index: int, allowed: tuple[str, ...], what: str
    ) -> ReferenceProblem:
        """Part ``index`` of ``ref`` is none of ``allowed``: say so, suggesting the closest."""
        close = _closest(ref.parts[index], allowed)
        choices = ", ".join(f"`{a}`" for a in allowed[:-1]) + f" or `{allowed[-1]}`"
        return self.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`{ref.name}`: {what} are {choices}",
            _replace_part(ref, index, close) if close else None,
        )

    def _unknown_root(self, ref: Ref, scalar: YScalar) -> ReferenceProblem | None:
        close = _closest(ref.root, sorted(ARGO_ROOTS), cutoff=0.75)
        if close is None and not ref.expression:
            return None  # another template language's tag: Argo leaves it in place
        if ref.expression and ref.root in ("sprig",):
            return None
        message = f"`{ref.name}` is not an Argo variable"
        if ref.expression:
            message += " (expr fails on unknown names)"
        return self.problem(
            UNRESOLVED, ref, scalar, message, _replace_part(ref, 0, close) if close else None
        )


LOOP_KEYS = frozenset(("withItems", "withParam", "withSequence"))


def _closest(word: str, candidates, cutoff: float = 0.6) -> str | None:
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=cutoff)
    return match[0] if match else None


def _replace_part(ref: Ref, index: int, value: str, keep_rest: bool = True) -> str:
    """The reference with part ``index`` replaced, written as in the source."""
    parts = list(ref.parts)
    parts[index] = value
    if not keep_rest:
        parts = parts[: index + 1]
    return "did you mean `" + _spell(parts, ref) + "`?"


def _spell(parts: list[str], ref: Ref) -> str:
    if not ref.expression:
        return ".".join(parts)
    out = parts[0]
    for p in parts[1:]:
        out += f".{p}" if p.replace("_", "a").isalnum() and not p[0].isdigit() else f"['{p}']"
    return out


def _names(names) -> str:
    names = sorted(set(names))
    if not names:
        return "none"
    shown = ", ".join(f"`{n}`" for n in names[:8])
    return shown + (f" and {len(names) - 8} more" if len(names) > 8 else "")


# --------------------------------------------------------------------------- roots


def _check_workflow(c: ScopeChecker, ref: Ref, scalar: YScalar, place: Place):
    g = c.globals
    parts = ref.parts
    if len(parts) == 1:
        return c.bare_root(ref, scalar)
    field_ = parts[1]
    rest = parts[2:]
    if field_ in ("name", "namespace", "uid", "mainEntrypoint", "serviceAccountName", "status"):
        return _no_more(c, ref, scalar, 2)
    if field_ in ("creationTimestamp", "scheduledTime", "duration"):
        return None  # Argo accepts any suffix (strftime characters, RFC3339, s)
    if field_ == "priority":
        if not g.has_priority and not g.is_template_kind:
            return c.problem(
                UNRESOLVED,
                ref,
                scalar,
                "`workflow.priority` is only set when the workflow has `spec.priority`",
                "set `spec.priority`, or do not reference it",
            )
        return None
    if field_ == "failures":
        return _check_failures(c, ref, scalar, place)
    if field_ == "parameters":
        return _check_workflow_parameters(c, ref, scalar, place)
    if field_ in ("labels", "annotations"):
        if not rest or (len(rest) == 1 and rest[0] == "json"):
            return None
        key = ".".join(rest)
        known = g.labels if field_ == "labels" else g.annotations
        if key in known:
            return None
        where = "`metadata.labels`" if field_ == "labels" else "`metadata.annotations`"
        cron_own = g.cron_labels if field_ == "labels" else g.cron_annotations
        if key in cron_own:
            where = (
                f"`spec.workflowMetadata.{field_}` (the CronWorkflow's own {field_} are not "
                "copied to the workflows it starts)"
            )
        close = _closest(key, known)
        declared = sorted(k for k in known if not k.startswith("workflows.argoproj.io/"))
        if g.is_template_kind:
            # the labels are those of whichever Workflow runs the template
            return c.problem(
                UNRESOLVED,
                ref,
                scalar,
                f"`workflow.{field_}.{key}`: no {field_[:-1]} `{key}` is declared here "
                f"(declared: {_names(declared)}); the workflow that runs this template must "
                "have it, or Argo leaves the tag unsubstituted",
                f"did you mean `workflow.{field_}.{close}`?" if close else None,
                severity="info",
            )
        return c.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`workflow.{field_}.{key}`: the workflow has no {field_[:-1]} `{key}` "
            f"(declared: {_names(declared)}); unless it is added when the workflow is "
            "submitted, Argo leaves the tag unsubstituted",
            (
                f"did you mean `workflow.{field_}.{close}`?"
                if close and key not in cron_own
                else f"add it to {where}"
            ),
            severity="warning",
        )
    if field_ == "outputs":
        return _check_workflow_outputs(c, ref, scalar)
    close = _closest(field_, WORKFLOW_FIELDS)
    return c.problem(
        UNRESOLVED,
        ref,
        scalar,
        f"`workflow.{field_}` is not a workflow variable",
        _replace_part(ref, 1, close) if close else None,
    )


def _no_more(c: ScopeChecker, ref: Ref, scalar: YScalar, length: int):
    if len(ref.parts) <= length or ref.expression:
        return None
    return c.problem(
        UNRESOLVED,
        ref,
        scalar,
        f"`{ref.name}` is not a variable: `{'.'.join(ref.parts[:length])}` has no fields",
        f"did you mean `{'.'.join(ref.parts[:length])}`?",
    )


def _check_failures(c: ScopeChecker, ref: Ref, scalar: YScalar, place: Place):
    g = c.globals
    if g.is_template_kind:
        return None  # it may be the exit handler of whichever Workflow uses it
    if place.template is None:
        if "hooks" in place.path[:3]:
            return None
    elif id(place.template.node) in c.exit_templates:
        return None
    return c.problem(
        UNRESOLVED,
        ref,
        scalar,
        "`workflow.failures` is only set while the exit handler (`spec.onExit` or an exit "
        "hook) runs; here it stays unsubstituted",
        "read it in the template that `spec.onExit` names",
    )


def _check_workflow_parameters(c: ScopeChecker, ref: Ref, scalar: YScalar, place: Place):
    g = c.globals
    rest = ref.parts[2:]
    if not rest or rest[0] == "json" or g.parameters_open:
        return None
    name = rest[0]
    if name in g.parameters:
        return _no_more(c, ref, scalar, 3)
    close = _closest(name, g.parameters)
    fix = _replace_part(ref, 2, close) if close else f"declare `{name}` in `spec.arguments`"
    template = place.template
    if close is None and template is not None and name in c.facts(template).input_params:
        fix = f"did you mean the template's input `{_spell(['inputs', *ref.parts[1:]], ref)}`?"
    declared = f"(declared: {_names(g.parameters)})"
    if not g.is_template_kind:
        return c.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`workflow.parameters.{name}` is not declared in `spec.arguments.parameters` "
            + declared,
            fix,
        )
    # A WorkflowTemplate's templates read the parameters of whichever Workflow runs them.
    supplied = g.caller_parameters()
    if supplied is not None:
        if name in supplied:
            return None
        return c.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`workflow.parameters.{name}` is neither declared here {declared} nor by any "
            "Workflow of the project that uses this template",
            fix,
            severity="warning",
        )
    return c.problem(
        UNRESOLVED,
        ref,
        scalar,
        f"`workflow.parameters.{name}` is not declared in `spec.arguments.parameters` "
        f"{declared}; every Workflow that uses this template must supply it",
        fix,
        severity="warning" if g.parameters else "info",
    )


def _check_workflow_outputs(c: ScopeChecker, ref: Ref, scalar: YScalar):
    g = c.globals
    parts = ref.parts
    if len(parts) < 4:
        if ref.expression:
            return None
        return c.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`{ref.name}` is incomplete",
            "use `workflow.outputs.parameters.NAME` or `workflow.outputs.artifacts.NAME`",
        )
    kind, name = parts[2], parts[3]
    if kind not in ("parameters", "artifacts"):
        return c.wrong_part(ref, scalar, 2, ("parameters", "artifacts"), "workflow outputs")
    known = g.global_params if kind == "parameters" else g.global_artifacts
    is_open = g.global_params_open if kind == "parameters" else g.global_artifacts_open
    if name in known or is_open:
        return None
    close = _closest(name, known)
    return c.problem(
        UNRESOLVED,
        ref,
        scalar,
        f"`{ref.name}`: no template output has `globalName: {name}` "
        f"(global {kind}: {_names(known)})"
        + ("; the workflow that runs this template must set it" if g.is_template_kind else ""),
        _replace_part(ref, 3, close) if close else f"set `globalName: {name}` on an output",
        # a WorkflowTemplate's templates also see the outputs of the Workflow running them
        severity="info" if g.is_template_kind else None,
    )


def _check_inputs(c: ScopeChecker, ref: Ref, scalar: YScalar, place: Place):
    if place.template is None:
        return c.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`{ref.name}`: `inputs` exist only inside a template",
            "use `workflow.parameters.NAME` at the workflow level",
        )
    facts = c.facts(place.template)
    parts = ref.parts
    tname = f"template `{place.template.name}`" if place.template.name else "this template"
    if len(parts) == 1:
        return c.bare_root(ref, scalar)
    kind = parts[1]
    if kind not in ("parameters", "artifacts"):
        return c.wrong_part(ref, scalar, 1, ("parameters", "artifacts"), "inputs")
    declared = facts.input_params if kind == "parameters" else facts.input_artifacts
    if len(parts) == 2:
        if kind == "parameters" and (declared or ref.expression):
            return None
        if ref.expression:
            return None
        return c.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`{ref.name}`: {tname} declares no input {kind}",
            f"declare them under `inputs.{kind}`",
        )
    name = parts[2]
    if name not in declared:
        close = _closest(name, declared)
        fix = _replace_part(ref, 2, close) if close else f"declare `{name}` under `inputs.{kind}`"
        if close is None and kind == "parameters" and name in c.globals.parameters:
            fix = f"did you mean the workflow's `{_spell(['workflow', *parts[1:]], ref)}`?"
        return c.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`{ref.name}`: {tname} has no input {kind[:-1]} `{name}` "
            f"(declared: {_names(declared)})",
            fix,
        )
    if len(parts) == 3 or ref.expression:
        return None
    if kind == "artifacts" and parts[3:] == ("path",):
        if facts.is_leaf:
            return None
        return c.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`{ref.name}`: only container, script and other pod templates place input "
            f"artifacts at a path; {tname} is a `{facts.type}` template",
        )
    return c.problem(
        UNRESOLVED,
        ref,
        scalar,
        f"`{ref.name}` is not a variable"
        + (": an input artifact only has `.path`" if kind == "artifacts" else ""),
        f"did you mean `{'.'.join(parts[:3])}`?",
    )


def _check_outputs(c: ScopeChecker, ref: Ref, scalar: YScalar, place: Place):
    if place.template is None:
        return c.problem(UNRESOLVED, ref, scalar, f"`{ref.name}` exists only inside a template")
    facts = c.facts(place.template)
    parts = ref.parts
    if place.in_metrics:
        if len(parts) >= 3 and parts[1] == "parameters" and parts[2] not in facts.output_params:
            close = _closest(parts[2], facts.output_params)
            return c.problem(
                UNRESOLVED,
                ref,
                scalar,
                f"`{ref.name}`: the template declares no output parameter `{parts[2]}` "
                f"(declared: {_names(facts.output_params)})",
                _replace_part(ref, 2, close) if close else None,
            )
        return None
    if len(parts) == 4 and parts[3] == "path" and parts[1] in ("parameters", "artifacts"):
        kind, name = parts[1], parts[2]
        with_path = (
            facts.output_param_paths if kind == "parameters" else facts.output_artifact_paths
        )
        if name in with_path:
            return None
        declared = facts.output_params if kind == "parameters" else facts.output_artifacts
        if name in declared:
            return c.problem(
                UNRESOLVED,
                ref,
                scalar,
                f"`{ref.name}`: output {kind[:-1]} `{name}` has no "
                + ("`valueFrom.path`" if kind == "parameters" else "`path`"),
            )
        close = _closest(name, declared)
        return c.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`{ref.name}`: the template declares no output {kind[:-1]} `{name}` "
            f"(declared: {_names(declared)})",
            _replace_part(ref, 2, close) if close else None,
        )
    return c.problem(
        UNRESOLVED,
        ref,
        scalar,
        f"`{ref.name}`: a template's own outputs are only variables in its `metrics` "
        "(and `outputs.parameters|artifacts.NAME.path` in pod templates)",
        "reference the output from the step or task that calls this template",
    )


def _check_pod(c: ScopeChecker, ref: Ref, scalar: YScalar, place: Place):
    if ref.parts[1:2] not in ((), ("name",)):
        return c.problem(
            UNRESOLVED, ref, scalar, f"`{ref.name}` is not a variable", "did you mean `pod.name`?"
        )
    if place.template is not None and (c.facts(place.template).is_pod or place.in_metrics):
        return None
    if place.template is None:
        what = "at the workflow level"
    else:
        what = f"in a `{c.facts(place.template).type}` template, which runs no pod"
    return c.problem(UNRESOLVED, ref, scalar, f"`pod.name` is not set {what}")


def _check_node(c: ScopeChecker, ref: Ref, scalar: YScalar, place: Place):
    if ref.parts[1:] in ((), ("name",)):
        return None
    return c.problem(
        UNRESOLVED, ref, scalar, f"`{ref.name}` is not a variable", "did you mean `node.name`?"
    )


def _check_retries(c: ScopeChecker, ref: Ref, scalar: YScalar, place: Place):
    if ref.root == "lastRetry" and len(ref.parts) > 1 and ref.parts[1] not in LAST_RETRY_FIELDS:
        close = _closest(ref.parts[1], LAST_RETRY_FIELDS)
        return c.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`{ref.name}`: `lastRetry` has {_names(LAST_RETRY_FIELDS)}",
            _replace_part(ref, 1, close) if close else None,
        )
    if ref.root == "retries" and len(ref.parts) > 1 and not ref.expression:
        return c.problem(UNRESOLVED, ref, scalar, f"`{ref.name}`: `retries` is a number")
    if place.template is not None and c.facts(place.template).has_retry:
        return None
    return c.problem(
        UNRESOLVED,
        ref,
        scalar,
        f"`{ref.name}` is only set in templates with a `retryStrategy`",
        "add a `retryStrategy` to the template",
    )


def _check_metric_only(c: ScopeChecker, ref: Ref, scalar: YScalar, place: Place):
    if place.in_metrics:
        return None
    return c.problem(
        UNRESOLVED,
        ref,
        scalar,
        f"`{ref.name}` is only set in `metrics` (it describes the finished node)",
        "use it inside the template's `metrics.prometheus`",
    )


def _check_cron(c: ScopeChecker, ref: Ref, scalar: YScalar, place: Place):
    cron_level = (
        c.globals.kind == "CronWorkflow"
        and place.template is None
        and place.path[:2] != ("spec", "workflowSpec")
    )
    if not cron_level:
        return c.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`{ref.name}` exists only in a CronWorkflow's own `when` and `stopStrategy`, "
            "not in the workflows it starts",
        )
    if len(ref.parts) > 1 and ref.parts[1] not in CRON_FIELDS:
        close = _closest(ref.parts[1], CRON_FIELDS)
        return c.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`{ref.name}` is not a CronWorkflow variable",
            _replace_part(ref, 1, close) if close else None,
        )
    return None


def _check_http(c: ScopeChecker, ref: Ref, scalar: YScalar, place: Place):
    if place.template is not None and place.path[:2] == ("http", "successCondition"):
        return None
    return c.problem(
        UNRESOLVED,
        ref,
        scalar,
        f"`{ref.name}` exists only in an HTTP template's `successCondition`",
    )


_ROOT_HANDLERS: dict[str, Callable[..., ReferenceProblem | None]] = {
    "workflow": _check_workflow,
    "inputs": _check_inputs,
    "outputs": _check_outputs,
    "pod": _check_pod,
    "node": _check_node,
    "retries": _check_retries,
    "lastRetry": _check_retries,
    "status": _check_metric_only,
    "duration": _check_metric_only,
    "exitCode": _check_metric_only,
    "resourcesDuration": _check_metric_only,
    "cronworkflow": _check_cron,
    "request": _check_http,
    "response": _check_http,
}


# --------------------------------------------------------------------------- steps/tasks


def _check_node_ref(c: ScopeChecker, ref: Ref, scalar: YScalar, place: Place):
    """``steps.X.*`` / ``tasks.X.*``."""
    kind = ref.root
    parts = ref.parts
    if len(parts) == 1:
        return c.bare_root(ref, scalar)
    if parts[1] == "name" and len(parts) == 2:
        return None  # the name of the current step/task
    template = place.template
    wanted = "steps" if kind == "steps" else "dag"
    if template is None and "volumes" in place.path[:3]:
        return None  # spec.volumes are substituted per pod, in the scope of its step/task
    if template is not None and c.facts(template).type != wanted and place.outer is not None:
        return _check_node_ref(c, ref, scalar, place.outer)
    if template is None or c.facts(template).type != wanted:
        where = "a steps template" if kind == "steps" else "a dag template"
        other = "tasks" if kind == "steps" else "steps"
        fix = None
        if template is not None and c.facts(template).type == (
            "dag" if kind == "steps" else "steps"
        ):
            names = dag_graph(c.ctx, template).tasks if kind == "steps" else c.facts(template).steps
            if parts[1] in names:
                fix = _replace_part(ref, 0, other)
        return c.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`{ref.name}`: `{kind}.*` exists only inside {where}",
            fix,
        )
    name = parts[1]
    facts = c.facts(template)
    if kind == "steps":
        target = facts.steps.get(name)
        candidates = list(facts.steps)
    else:
        graph = dag_graph(c.ctx, template)
        target = graph.tasks.get(name)
        candidates = graph.order
    if target is None and place.outer is not None:
        # an inline template is part of its step, substituted first in the outer scope
        outer = _check_node_ref(c, ref, scalar, place.outer)
        if outer is None or outer.rule != UNRESOLVED:
            return outer
    if target is None:
        close = _closest(name, candidates)
        noun = "step" if kind == "steps" else "task"
        return c.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`{ref.name}`: {_label(template)} has no {noun} `{name}`",
            _replace_part(ref, 1, close) if close else None,
        )
    problem = _visibility(c, ref, scalar, place, target)
    if problem is not None:
        return problem
    return _check_node_fields(c, ref, scalar, target)


def _visibility(c: ScopeChecker, ref: Ref, scalar: YScalar, place: Place, target: Invocation):
    call = place.call
    if place.in_outputs or (place.path[:2] == ("dag", "target")):
        return None  # the template's outputs are read once every step/task has finished
    if call is None:
        return c.problem(
            NOT_YET_RUN,
            ref,
            scalar,
            f"`{ref.name}` is read by the template itself before any "
            f"{'step' if ref.root == 'steps' else 'task'} has run",
            "read it in a later step/task or in the template's `outputs`",
        )
    if place.in_hooks and ref.parts[2:3] == ("status",):
        return None  # hooks fire while steps run: any step's current phase is readable
    if target is call:
        if place.in_hooks:
            return None
        return c.problem(
            NOT_YET_RUN,
            ref,
            scalar,
            f"`{ref.name}`: a {'step' if ref.root == 'steps' else 'task'} cannot read its "
            "own results before it has run",
            "read it in a later step/task or in this one's `hooks`",
        )
    related = ((target.name_node, f"`{target.name}` is defined here"),)
    if ref.root == "steps":
        group = getattr(call, "group", 0)
        target_group = getattr(target, "group", 0)
        if target_group < group:
            return None
        if target_group == group:
            message = (
                f"`{ref.name}`: step `{target.name}` runs in parallel with `{call.name}` "
                f"(same step group {group + 1}), so it has not finished"
            )
        else:
            message = (
                f"`{ref.name}`: step `{target.name}` runs in a later step group "
                f"({target_group + 1}) than `{call.name}` ({group + 1})"
            )
        return c.problem(
            NOT_YET_RUN,
            ref,
            scalar,
            message,
            f"move `{target.name}` into an earlier step group than `{call.name}`",
            related=related,
        )
    graph = dag_graph(c.ctx, place.template)
    if graph.is_ancestor(target.name or "", call.name or ""):
        return None
    parsed = graph.depends.get(call.name or "")
    if parsed is not None and parsed.error is not None and not parsed.operands:
        return None  # `depends` does not parse (tag-syntax): its ancestors are unknown
    depends = call.depends
    if depends is not None and depends.value is not None:
        hint = f'add it to `depends`: "{depends.text} && {target.name}"'
    elif call.dependencies:
        hint = f"add `{target.name}` to `dependencies`"
    else:
        hint = f'add `depends: "{target.name}"`'
    return c.problem(
        NOT_YET_RUN,
        ref,
        scalar,
        f"`{ref.name}`: task `{call.name}` does not depend on `{target.name}`, so it may "
        "start before that task has finished",
        hint,
        related=related,
    )


def _check_node_fields(c: ScopeChecker, ref: Ref, scalar: YScalar, target: Invocation):
    parts = ref.parts
    simple = not ref.expression
    if len(parts) == 2:
        if simple:
            return c.problem(
                UNRESOLVED,
                ref,
                scalar,
                f"`{ref.name}` is a node, not a value",
                f"did you mean `{ref.name}.outputs.result`?",
            )
        return None
    field_ = parts[2]
    called = c.resolve(target)
    facts = c.facts(called) if called is not None else None
    aggregate = target.loop is not None and target.loop[0] in ("withItems", "withParam")
    noun = "step" if ref.root == "steps" else "task"
    if field_ in ("id", "status", "startedAt", "finishedAt", "hostNodeName"):
        return _no_more(c, ref, scalar, 3)
    if field_ == "ip":
        if facts is None or facts.daemon:
            return None
        return c.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`{ref.name}`: only daemon {noun}s have an IP; {_label(called)} is not `daemon: true`",
        )
    if field_ == "exitCode":
        if facts is None or facts.has_result:
            return None
        return c.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`{ref.name}`: {_label(called)} is a `{facts.type}` template, which has no exit code",
        )
    if field_ != "outputs":
        close = _closest(field_, NODE_FIELDS_ALL)
        return c.problem(
            UNRESOLVED,
            ref,
            scalar,
            f"`{ref.name}`: a {noun} has {_names(NODE_FIELDS_ALL)}",
            _replace_part(ref, 2, close) if close else None,
        )
    if len(parts) == 3:
        if simple:
            return c.problem(
                UNRESOLVED,
                ref,
                scalar,
                f"`{ref.name}` is not a value",
                f"did you mean `{ref.name}.result`?",
            )
        return None
    what = parts[3]
    related = ()
    if called is not None:
        anchor = called.name_node if called.name_node is not None else called.node
        related = ((anchor, _label(called)),)
    if what == "result":
        if facts is None or facts.has_result:
            return _no_more(c, ref, scalar, 5)
        return c.problem(
            UNDECLARED_OUTPUT,
            ref,
            scalar,
            f"`{ref.name}`: {_label(called)} is a `{facts.type}` template, which "
            "produces no `outputs.result`",
            "declare an output parameter and reference `outputs.parameters.NAME`"
            if facts.type in ("steps", "dag", "resource", "suspend")
            else None,
            related=related,
        )
    if what not in ("parameters", "artifacts"):
        return c.wrong_part(ref, scalar, 3, ("result", "parameters", "artifacts"), "outputs")
    if len(parts) == 4:
        if ref.expression or (what == "parameters" and aggregate):
            return None
        return c.problem(
            UNDECLARED_OUTPUT,
            ref,
            scalar,
            f"`{ref.name}`: all output {what} of a {noun} are only a variable when it loops "
            "(`withItems`/`withParam`)",
            f"reference one: `{ref.name}.NAME`",
        )
    name = parts[4]
    if facts is None:
        return None
    declared = facts.output_params if what == "parameters" else facts.output_artifacts
    if name in declared:
        return _no_more(c, ref, scalar, 5)
    close = _closest(name, declared)
    return c.problem(
        UNDECLARED_OUTPUT,
        ref,
        scalar,
        f"`{ref.name}`: {_label(called)} declares no output {what[:-1]} `{name}` "
        f"(declared: {_names(declared)})",
        _replace_part(ref, 4, close) if close else f"declare `{name}` under its `outputs.{what}`",
        related=related,
    )


def _label(template: Template) -> str:
    """How messages name a called template: an inline one has no name of its own."""
    call = template.inline_of
    if call is not None:
        noun = "step" if call.parent.type == "steps" else "task"
        return f"the inline template of {noun} `{call.name}`"
    return f"template `{template.name}`"


_ROOT_HANDLERS["steps"] = _check_node_ref
_ROOT_HANDLERS["tasks"] = _check_node_ref


# --------------------------------------------------------------------------- items


def _check_item(c: ScopeChecker, ref: Ref, scalar: YScalar, place: Place):
    call = place.loop_call
    if call is None:
        if place.call is not None and place.rest and place.rest[0] in LOOP_KEYS:
            message = f"`{ref.name}` inside `{place.rest[0]}` itself: the items are not known yet"
        elif place.call is not None:
            message = (
                f"`{ref.name}`: {('step' if place.template.type == 'steps' else 'task')} "
                f"`{place.call.name}` has no `withItems`, `withParam` or `withSequence`"
            )
        elif place.template is not None:
            message = (
                f"`{ref.name}` is only set in the step or task that loops, not inside the "
                f"template it calls (`{place.template.name}`)"
            )
        else:
            message = f"`{ref.name}` is only set inside a step or task that loops"
        suggestion = (
            "pass the item as an argument and read `inputs.parameters.NAME`"
            if place.call is None and place.template is not None
            else "add `withItems`/`withParam`, or remove the reference"
        )
        return c.problem(ITEM_OUTSIDE_LOOP, ref, scalar, message, suggestion)
    if len(ref.parts) == 1:
        return None
    key = ref.parts[1]
    shape = item_shape(c.ctx, call)
    if shape is None or shape.kind in ("unknown", "mixed"):
        return None
    related = ((shape.source, f"{shape.description}"),) if shape.source is not None else ()
    also = (shape.origin,) if shape.origin is not None else ()
    if shape.kind == "list":  # Argo substitutes the whole list (`{{item}}`) only
        if ref.expression:
            return None  # an expression may index what it is given
        return c.problem(
            ITEM_KEY_MISSING,
            ref,
            scalar,
            f"`{ref.name}`: {shape.description} are lists, for which Argo sets only "
            "`{{item}}` (the list as JSON), no `item.KEY`",
            "use `{{item}}`, or make the items maps and name their values",
            related=related,
            also=also,
        )
    if shape.kind == "scalar":
        return c.problem(
            ITEM_KEY_MISSING,
            ref,
            scalar,
            f"`{ref.name}`: {shape.description} are plain values, not maps; there is no "
            f"key `{key}`",
            "use `{{item}}`",
            related=related,
            also=also,
        )
    nested = _nested_item_key(ref, shape)
    if nested is not None:
        return c.problem(
            ITEM_KEY_MISSING,
            ref,
            scalar,
            f"`{ref.name}`: Argo sets `item.KEY` for the top-level keys of an item only, so "
            f"`{nested}` is never substituted and the step fails",
            "give the items a top-level key for the value, or pass `{{item}}` (the item as "
            "JSON) and read the field inside the template",
            related=related,
        )
    if len(ref.parts) > 2 and not ref.expression:
        key = ".".join(ref.parts[1:])  # a key that holds dots: `item.a.b` is its variable
    if key in shape.keys_every:
        return None
    if key in shape.keys_some:
        return c.problem(
            ITEM_KEY_MISSING,
            ref,
            scalar,
            f"`{ref.name}`: some of {shape.description} have no key `{key}`; for those Argo "
            "leaves the tag unsubstituted",
            f"give every item a `{key}`",
            related=related,
            also=also,
        )
    close = _closest(key, shape.keys_some)
    return c.problem(
        ITEM_KEY_MISSING,
        ref,
        scalar,
        f"`{ref.name}`: {shape.description} have no key `{key}` (keys: {_names(shape.keys_some)})",
        _replace_part(ref, 1, close) if close else None,
        related=related,
        also=also,
    )


def _nested_item_key(ref: Ref, shape: ItemShape) -> str | None:
    """``{{item.a.b}}`` where ``a`` is a key of the items and ``a.b`` is not: Argo's
    ``processItem`` substitutes ``item.a`` (the inner map in Go's ``%v``), never deeper."""
    if ref.expression or len(ref.parts) < 3:
        return None
    joined = ".".join(ref.parts[1:])
    if joined in shape.keys_some or ref.parts[1] not in shape.keys_some:
        return None
    return ref.name


_ROOT_HANDLERS["item"] = _check_item


# --------------------------------------------------------------------------- exit handlers


def _exit_templates(c: ScopeChecker) -> set[int]:
    manifest = c.manifest
    spec = manifest.spec
    starts: list[Template] = []

    def local(name: str | None) -> None:
        if name:
            template = manifest.template(name)
            if template is not None:
                starts.append(template)

    if spec is not None:
        local(spec.str("onExit"))
        hooks = spec.mapping("hooks")
        for _, _, hook in hooks.items() if hooks else ():
            if isinstance(hook, YMapping):
                local(hook.str("template"))
    for call in all_calls(manifest):
        local(call.node.str("onExit"))
        hooks = call.node.mapping("hooks")
        for _, _, hook in hooks.items() if hooks else ():
            if isinstance(hook, YMapping):
                local(hook.str("template"))
    seen: set[int] = set()
    stack = starts
    while stack:
        template = stack.pop()
        if id(template.node) in seen:
            continue
        seen.add(id(template.node))
        for call in template.invocations:
            called = call.resolve_local()
            if called is not None:
                stack.append(called)
    return seen


# --------------------------------------------------------------------------- the analysis


@dataclass(frozen=True, slots=True)
class ExpressionSite:
    """A string that is an expression without braces (``hooks.*.expression``,
    ``retryStrategy.expression``, ``valueFrom.expression``, ``fromExpression``,
    ``http.successCondition``, ``stopStrategy.expression``)."""

    scalar: YScalar
    path: Path
    template: Template | None
    refs: tuple[Ref, ...]
    error: SyntaxProblem | None
    hyphens: tuple[HyphenJoin, ...] = ()


def expression_sites(ctx: Context) -> list[ExpressionSite]:
    """Every raw expression of the document (computed once per document)."""
    from argolint.analysis.expr.sites import spec_strings

    sites: list[ExpressionSite] = []
    for template, path, scalar in ctx.analysis(spec_strings):
        if not path or path[-1] not in RAW_EXPRESSION_FIELDS:
            continue
        if not _is_raw_expression_path(path, template is None):
            continue
        if "{{" in scalar.value:
            info = _around_tags(scalar.value)
            if info is None:
                continue
        else:
            info = analyse_expression(scalar.value)
        sites.append(ExpressionSite(scalar, path, template, info.refs, info.error, info.hyphens))
    return sites


def _around_tags(text: str) -> ExpressionInfo | None:
    """The expression Argo evaluates once the tags of ``text`` are substituted, with each tag
    read as a number of the same length (a value outside quotes, plain text inside them),
    so offsets stay valid. Its syntax depends on what the tags become, so a parse error is
    not reported; the references around the tags are (None: a tag does not even close)."""
    tags = scan_tags(text)
    if any(t.error is not None and t.error.message.startswith("unterminated") for t in tags):
        return None
    chars = list(text)
    for tag in tags:
        chars[tag.start : tag.end] = "1" * (tag.end - tag.start)
    info = analyse_expression("".join(chars))
    if info.error is not None:
        return None
    return info


def _is_raw_expression_path(path: Path, workflow_level: bool) -> bool:
    last = path[-1]
    parent = path[-2] if len(path) > 1 else None
    if last == "successCondition":
        return parent == "http"
    if last == "fromExpression":
        return True
    if parent == "stopStrategy":  # CronWorkflow: ``expression`` (``condition`` before 3.6)
        return workflow_level
    if last == "condition":
        return False
    # expression: hooks.NAME.expression, retryStrategy.expression, valueFrom.expression,
    # workflowMetadata.labelsFrom.NAME.expression
    if parent == "retryStrategy" or parent == "valueFrom":
        return True
    return len(path) >= 3 and path[-3] in ("hooks", "labelsFrom")


_WITHPARAM_CLAIMED = frozenset((UNRESOLVED, NOT_YET_RUN, UNDECLARED_OUTPUT))


def reference_problems(ctx: Context) -> list[ReferenceProblem]:
    """Every reference of the document that does not resolve where it is written."""
    checker = ctx.analysis(scope_checker)
    problems: list[ReferenceProblem] = []
    places: dict[tuple[int, Path], Place] = {}

    def place_of(template: Template | None, path: Path) -> Place:
        key = (id(template.node) if template is not None else 0, path)
        place = places.get(key)
        if place is None:
            place = places[key] = checker.place(template, path)
        return place

    # A withParam whose source is missing, not run or without that output is reported once,
    # by the more specific withparam-* rules (analysis.shapes).
    withparam = {id(f.node) for f in fanouts(ctx) if f.problem is not None}
    for site in ctx.analysis(tag_sites):
        if site.tag.foreign or _in_template_defaults(site.template, site.path):
            continue
        place = place_of(site.template, site.path)
        jinja = jinja_bindings(site.scalar.value) if "{%" in site.scalar.value else ()
        for ref in site.tag.refs:
            if not ref.expression and any(ref.bracketed):
                continue  # tag-syntax: a simple tag cannot use brackets
            if jinja and _jinja_bound(ref, site.tag.start, jinja):
                continue  # a Jinja variable of a template text, which Argo leaves alone
            if ref.root in _POD_SCOPE_ROOTS and _per_pod(site.template, site.path):
                continue
            problem = checker.check(ref, site.scalar, place)
            if problem is not None:
                if id(site.scalar) in withparam and problem.rule in _WITHPARAM_CLAIMED:
                    continue
                problems.append(problem)
    for esite in ctx.analysis(expression_sites):
        place = place_of(esite.template, esite.path)
        for ref in esite.refs:
            problem = checker.check(ref, esite.scalar, place)
            if problem is not None:
                problems.append(problem)
    return problems


_JINJA_BLOCK = re.compile(r"\{%-?\s*(for|endfor|set)\b([^%]*)%\}")
_JINJA_NAME = re.compile(r"[A-Za-z_]\w*")


def jinja_bindings(text: str) -> tuple[tuple[str, int, int], ...]:
    """Names a Jinja template text binds, with where: ``{% for x, y in ... %}`` binds ``x``
    and ``y`` up to its ``{% endfor %}``, ``{% set x = ... %}`` to the end of the text.
    A string like this is a template of its own (a script renders it with Jinja), and a
    ``{{ item }}`` inside such a loop is Jinja's, not a missing Argo loop item."""
    bound: list[tuple[str, int, int]] = []
    open_loops: list[tuple[list[str], int]] = []
    for match in _JINJA_BLOCK.finditer(text):
        keyword, rest = match.group(1), match.group(2)
        if keyword == "for":
            names = _JINJA_NAME.findall(rest.split(" in ", 1)[0]) if " in " in rest else []
            open_loops.append((names, match.start()))
        elif keyword == "endfor" and open_loops:
            names, start = open_loops.pop()
            bound.extend((name, start, match.end()) for name in names)
        elif keyword == "set":
            names = _JINJA_NAME.findall(rest.split("=", 1)[0])
            bound.extend((name, match.start(), len(text)) for name in names)
    for names, start in open_loops:  # unclosed: to the end
        bound.extend((name, start, len(text)) for name in names)
    return tuple(bound)


def _jinja_bound(ref: Ref, at: int, bindings: tuple[tuple[str, int, int], ...]) -> bool:
    return any(name == ref.root and start <= at < end for name, start, end in bindings)


#: Roots whose value depends on the template a pod runs.
_POD_SCOPE_ROOTS = frozenset(("inputs", "outputs", "pod", "retries", "lastRetry", "node"))


def _per_pod(template: Template | None, path: Path) -> bool:
    """The workflow's ``podSpecPatch`` is substituted for each pod in the scope of its
    template (``processPodSpecPatch``): template variables there are read per template."""
    return template is None and "podSpecPatch" in path[:3]


def _in_template_defaults(template: Template | None, path: Path) -> bool:
    """``spec.templateDefaults`` is merged into every template: its tags are read in each
    template's scope, which is not one place; they are left unchecked."""
    return template is None and "templateDefaults" in path[:3]


def problems_of(ctx: Context, rule: str) -> Iterator[ReferenceProblem]:
    for problem in ctx.analysis(reference_problems):
        if problem.rule == rule:
            yield problem


def scope_checker(ctx: Context) -> ScopeChecker:
    """The document's checker (``ctx.analysis(scope_checker)``), shared by every caller."""
    return ScopeChecker(ctx)


def tags_with_places(ctx: Context) -> Iterator[tuple[TagSite, Place]]:
    """Every tag of the document with the place it is evaluated in."""
    checker = ctx.analysis(scope_checker)
    for site in ctx.analysis(tag_sites):
        yield site, checker.place(site.template, site.path)
