"""``looped-output-reference``: a single-value output reference to a step or task that loops
over items (``withItems``/``withParam``/``withSequence``).

Argo's validator accepts both forms, but at run time they differ: a looped node has no
artifacts of its own, so ``steps.X.outputs.artifacts.A`` cannot say which iteration's
artifact it means (warning); ``steps.X.outputs.parameters.P`` is the JSON list of every
iteration's ``P`` (the controller aggregates it), not one value, which is worth knowing
where a single value is passed on (info). Inside ``withParam`` or a ``{{=...}}`` expression
the list is evidently intended, and nothing is said.
"""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.expr import tag_sites
from argolint.context import Context
from argolint.finding import Finding, Severity
from argolint.model.template import Invocation
from argolint.rules import rule

#: outputs.<kind>.<name>: the single-value references of one node.
SINGLE = frozenset(("parameters", "artifacts"))


def _calls_by_name(template) -> dict[str, Invocation]:
    calls: dict[str, Invocation] = {}
    for call in template.invocations:
        if call.name:
            calls.setdefault(call.name, call)
    return calls


@rule(
    "looped-output-reference",
    category="correctness",
    severity="warning",
    summary="A single-value output reference to a looped step or task (ambiguous or a list).",
)
def check(ctx: Context) -> Iterator[Finding]:
    if not any(c.loop is not None for t in ctx.manifest.all_templates for c in t.invocations):
        return  # nothing loops: no need to look at the tags
    tables: dict[int, dict[str, Invocation]] = {}
    for site in ctx.analysis(tag_sites):
        template = site.template
        if template is None:
            continue
        for ref in site.tag.refs:
            parts = ref.parts
            if (
                len(parts) < 5
                or parts[0] not in ("steps", "tasks")
                or parts[2] != "outputs"
                or parts[3] not in SINGLE
            ):
                continue
            key = id(template.node)
            calls = tables.get(key)
            if calls is None:
                calls = tables[key] = _calls_by_name(template)
            call = calls.get(parts[1])
            if call is None or call.loop is None or call.node is _owner(site, calls):
                continue
            loop_key, _ = call.loop
            kind = "step" if parts[0] == "steps" else "task"
            if parts[3] == "artifacts":
                yield ctx.finding(
                    ref.span(site.scalar),
                    f"`{ref.name}` names one artifact of {kind} `{parts[1]}`, which runs once "
                    f"per item (`{loop_key}`): a looped {kind} has no single artifact, so which "
                    "iteration's it gets is not defined",
                    suggestion="save each iteration's artifact under its own key (for example "
                    "with `{{item}}` in the key) and read them individually, or stop looping",
                )
            elif site.tag.kind == "simple" and site.path[-1:] != ("withParam",):
                yield ctx.finding(
                    ref.span(site.scalar),
                    f"`{ref.name}`: {kind} `{parts[1]}` runs once per item (`{loop_key}`), so this "
                    f"is the JSON list of every iteration's `{parts[4]}`, not one value",
                    suggestion="if one value is meant, pick it with an expression, e.g. "
                    f"`{{{{=jsonpath({parts[0]}['{parts[1]}'].outputs.parameters['{parts[4]}'], "
                    "'$[0]')}}`",
                    severity=Severity.INFO,
                )


def _owner(site, calls: dict[str, Invocation]):
    """The call whose own fields hold the tag (a loop referring to itself is not ours)."""
    path = site.path
    if len(path) >= 3 and path[0] == "steps":
        for call in calls.values():
            if call.node is not None and _path_matches(call, path):
                return call.node
    return None


def _path_matches(call: Invocation, path: tuple) -> bool:
    parent = call.parent
    node = parent.node
    try:
        probe = node
        for part in path[:3]:
            probe = probe.get(part) if isinstance(part, str) else probe.items[part]
        return probe is call.node
    except (AttributeError, IndexError, TypeError):
        return False
