"""``retryStrategy``: a known ``retryPolicy``, a ``limit`` that is a non-negative whole number
(or a variable), and backoff durations Argo can parse."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.go_duration import is_argo_duration
from argolint.checks.literal_enums import unknown_literal
from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule
from argolint.source.nodes import YMapping, YNode, YScalar

POLICIES = ("Always", "OnFailure", "OnError", "OnTransientError")


def _is_tag(text: str) -> bool:
    text = text.strip()
    return text.startswith("{{") and text.endswith("}}")


def _int_or_tag(node: YNode, minimum: int) -> str | None:
    """Why ``node`` is not a whole number >= ``minimum`` (or a ``{{...}}`` tag)."""
    if not isinstance(node, YScalar) or node.value is None:
        return None
    value = node.value
    if isinstance(value, (bool, float)):
        return "must be a whole number"
    if isinstance(value, int):
        return None if value >= minimum else f"must be at least {minimum}"
    if _is_tag(node.text):
        return None
    try:
        number = int(node.text.strip())
    except ValueError:
        return "must be a whole number or a `{{...}}` variable"
    return None if number >= minimum else f"must be at least {minimum}"


def _duration(node: YNode) -> str | None:
    """Backoff durations: a Go duration, or a plain number of seconds."""
    if not isinstance(node, YScalar) or node.value is None or isinstance(node.value, bool):
        return None
    if isinstance(node.value, (int, float)):
        return None
    text = node.text.strip()
    if not text or _is_tag(text) or is_argo_duration(text):
        return None
    return "is not a duration (`30s`, `2m`, `1h`) or a number of seconds"


def _strategies(ctx: Context) -> Iterator[tuple[str, YMapping]]:
    manifest = ctx.manifest
    spec = manifest.spec
    if spec is None:
        return
    defaults = spec.mapping("templateDefaults")
    if defaults is not None and defaults.mapping("retryStrategy") is not None:
        yield "`templateDefaults`", defaults.mapping("retryStrategy")  # type: ignore[misc]
    for template in manifest.all_templates:
        strategy = template.retry_strategy
        if strategy is not None:
            name = template.name or (template.inline_of.name if template.inline_of else None)
            yield f"template `{name}`" if name else "this template", strategy


@rule(
    "invalid-retry-strategy",
    category="correctness",
    severity="error",
    summary="A retryStrategy has an unknown retryPolicy, a bad limit or an unparsable backoff.",
)
def check(ctx: Context) -> Iterator[Finding]:
    for label, strategy in _strategies(ctx):
        policy = strategy.get("retryPolicy")
        if isinstance(policy, YScalar) and policy.text and policy.text not in POLICIES:
            what = f"a retry policy of {label}"
            yield from unknown_literal(ctx, policy, POLICIES, what, "retryPolicy")
        limit = strategy.get("limit")
        why = _int_or_tag(limit, 0) if limit is not None else None
        if why:
            yield ctx.finding(limit, f"retry `limit` of {label} {why}")  # type: ignore[arg-type]
        backoff = strategy.mapping("backoff")
        if backoff is None:
            continue
        for key in ("duration", "maxDuration"):
            node = backoff.get(key)
            why = _duration(node) if node is not None else None
            if why:
                yield ctx.finding(node, f"backoff `{key}` of {label} {why}")  # type: ignore[arg-type]
        factor = backoff.get("factor")
        why = _int_or_tag(factor, 0) if factor is not None else None
        if why:
            yield ctx.finding(factor, f"backoff `factor` of {label} {why}")  # type: ignore[arg-type]
