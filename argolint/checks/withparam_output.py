"""What a withParam source emits: a JSON list (``withparam-not-list``), and nothing else on
stdout (``withparam-extra-output``). Argo decodes the whole value with ``json.Unmarshal``
into a list; anything else fails the loop at run time, after submission."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.json_shape import LIST, OBJECT, SCALAR, TEXT
from argolint.analysis.shapes import Fanout, fanouts
from argolint.context import Context
from argolint.finding import Finding, Related, Severity
from argolint.rules import rule


@rule(
    "withparam-not-list",
    category="dataflow",
    severity="error",
    summary="A withParam source emits something that is not a JSON list.",
)
def check_not_list(ctx: Context) -> Iterator[Finding]:
    for fanout in fanouts(ctx):
        emission = fanout.emission
        if emission is None or emission.shape.kind not in (OBJECT, SCALAR, TEXT):
            continue
        related = []
        if emission.span is not None and emission.path is not None:
            related.append(Related(emission.path, emission.span, emission.sentence))
        overridable = "" if emission.definite else " (a value that may be overridden at submit)"
        yield ctx.finding(
            fanout.span,
            f"`withParam` needs a JSON list, but {emission.sentence}{overridable}",
            suggestion=_suggestion(fanout),
            severity=None if emission.definite else Severity.WARNING,
            related=related,
        )


def _suggestion(fanout: Fanout) -> str:
    shape = fanout.shape
    source = fanout.node.text[fanout.start : fanout.end]
    if shape.kind == OBJECT:
        inner = source[2:-2].strip() if source.startswith("{{") else "..."
        return (
            "emit a list, or loop over a list inside the object, e.g. "
            f"`{{{{=jsonpath({inner}, '$.items')}}}}`"
        )
    if shape.kind == TEXT and "kubectl" in (shape.note or ""):
        return "use `jqFilter` with an array, e.g. `jqFilter: '[.items[].metadata.name]'`"
    if shape.kind == TEXT and "Go way" in (shape.note or ""):
        return "wrap the expression in `toJson(...)` so that the parameter holds JSON"
    if shape.kind == TEXT:
        return 'print the list as JSON (`json.dump(items, sys.stdout)`, `echo \'["a", "b"]\'`)'
    return 'emit a JSON list, such as `["a", "b"]`'


@rule(
    "withparam-extra-output",
    category="dataflow",
    severity="warning",
    summary="A withParam source prints more than its JSON list, so the result cannot parse.",
)
def check_extra_output(ctx: Context) -> Iterator[Finding]:
    for fanout in fanouts(ctx):
        emission = fanout.emission
        if emission is None or emission.shape.kind == TEXT:
            continue
        if emission.extra:
            first_span, first_text = emission.extra[0]
            more = len(emission.extra) - 1
            others = f" and {more} more write{'s' if more > 1 else ''}" if more else ""
            source = emission.origin.split(" at line ")[0]
            yield ctx.finding(
                fanout.span,
                f"`withParam` decodes all of {source}'s stdout as one JSON list, but it also "
                f"prints at line {first_span.line} (`{first_text}`){others}",
                suggestion="send logs to stderr (`print(..., file=sys.stderr)`, `echo ... >&2`)"
                " so that stdout holds only the JSON",
                related=[
                    Related(emission.path or ctx.doc.path, span, f"also prints `{text}`")
                    for span, text in emission.extra
                ],
            )
        elif emission.repeated is not None and emission.shape.kind in (LIST, OBJECT, SCALAR):
            yield ctx.finding(
                fanout.span,
                f"`withParam` decodes stdout as one JSON list, but {emission.origin} JSON "
                "inside a loop: stdout holds one document per iteration",
                suggestion="collect the items into one list and print it once, after the loop",
                related=[
                    Related(emission.path or ctx.doc.path, emission.repeated, "printed in a loop")
                ],
            )
