"""``podGC``: a known ``strategy``, a label selector Kubernetes can parse, and a
``deleteDelayDuration`` that is a duration."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.go_duration import is_argo_duration
from argolint.analysis.label_selector import label_key_problem, label_value_problem
from argolint.checks.literal_enums import unknown_literal
from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule
from argolint.source.nodes import YMapping, YScalar, YSequence

STRATEGIES = ("OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess")
OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


@rule(
    "invalid-pod-gc",
    category="correctness",
    severity="error",
    summary="podGC has an unknown strategy, an invalid label selector or a bad delay.",
)
def check(ctx: Context) -> Iterator[Finding]:
    spec = ctx.manifest.spec
    gc = spec.mapping("podGC") if spec is not None else None
    if gc is None:
        return
    strategy = gc.get("strategy")
    if isinstance(strategy, YScalar) and strategy.text and strategy.text not in STRATEGIES:
        yield from unknown_literal(ctx, strategy, STRATEGIES, "a podGC strategy", "podGC.strategy")
    delay = gc.get("deleteDelayDuration")
    if (
        isinstance(delay, YScalar)
        and delay.text
        and "{{" not in delay.text
        and not is_argo_duration(delay.text)
    ):
        yield ctx.finding(
            delay, f"`{delay.text}` is not a duration (`30s`, `5m`, `1h`) or a number of seconds"
        )
    selector = gc.mapping("labelSelector")
    if selector is not None:
        yield from _selector(ctx, selector)


def _selector(ctx: Context, selector: YMapping) -> Iterator[Finding]:
    labels = selector.mapping("matchLabels")
    for key, key_node, value in labels.items() if labels is not None else ():
        why = label_key_problem(key)
        if why:
            yield ctx.finding(key_node, f"label key `{key}` {why}")
        if isinstance(value, YScalar):
            why = label_value_problem(value.text)
            if why:
                yield ctx.finding(value, f"label value `{value.text}` {why}")
    expressions = selector.sequence("matchExpressions")
    for expr in expressions.mappings() if expressions is not None else ():
        key = expr.get("key")
        if isinstance(key, YScalar) and key.text and (why := label_key_problem(key.text)):
            yield ctx.finding(key, f"label key `{key.text}` {why}")
        op = expr.get("operator")
        op_text = op.text if isinstance(op, YScalar) else ""
        if op_text not in OPERATORS:
            yield ctx.finding(
                op if op is not None else expr,
                f"`{op_text}` is not a selector operator ({', '.join(OPERATORS)})",
            )
            continue
        values = expr.get("values")
        count = len(values) if isinstance(values, YSequence) else 0
        if op_text in ("In", "NotIn") and count == 0:
            yield ctx.finding(
                expr.key_node("operator") or expr,
                f"operator `{op_text}` needs at least one value under `values`",
            )
        elif op_text in ("Exists", "DoesNotExist") and count > 0:
            yield ctx.finding(
                expr.key_node("values") or expr,
                f"operator `{op_text}` takes no `values`",
            )
