"""Prometheus metrics of templates and workflows: Argo accepts a metric only with a valid
name (letters, digits and ``_``, not starting with a digit, no ``:``), valid label keys, a
``help`` text, and a ``value`` for its gauge, counter or histogram; a real-time gauge cannot
use ``resourcesDuration``, which is only known at the end."""

from __future__ import annotations

import re
from collections.abc import Iterator

from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule
from argolint.source.nodes import YMapping, YScalar

METRIC_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")


def _metrics(ctx: Context) -> Iterator[tuple[str, YMapping]]:
    manifest = ctx.manifest
    spec = manifest.spec
    if spec is None:
        return
    holders = [("the workflow", spec)] + [
        (f"template `{t.name}`" if t.name else "this template", t.node)
        for t in manifest.all_templates
    ]
    for label, holder in holders:
        metrics = holder.mapping("metrics")
        seq = metrics.sequence("prometheus") if metrics is not None else None
        for metric in seq.mappings() if seq is not None else ():
            yield label, metric


@rule(
    "invalid-metric",
    category="correctness",
    severity="error",
    summary="A Prometheus metric has an invalid name or label, no help text or no value.",
)
def check(ctx: Context) -> Iterator[Finding]:
    for label, metric in _metrics(ctx):
        name_node = metric.get("name")
        name = metric.str("name") or ""
        shown = f"metric `{name}`" if name else "a metric"
        if not name or not METRIC_NAME.match(name):
            yield ctx.finding(
                name_node if name_node is not None else metric,
                f"{shown} of {label}: a metric name needs letters, digits and `_`, not starting "
                "with a digit (no `-`, `.` or `:`)",
                suggestion=f"e.g. `{re.sub(r'[^a-zA-Z0-9_]', '_', name) or 'my_metric'}`",
            )
        labels = metric.sequence("labels")
        for item in labels.mappings() if labels is not None else ():
            key = item.get("key")
            if isinstance(key, YScalar) and not METRIC_NAME.match(key.text):
                yield ctx.finding(
                    key,
                    f"label key `{key.text}` of {shown} needs letters, digits and `_`",
                )
        if not metric.str("help"):
            yield ctx.finding(
                metric.key_node("help") or name_node or metric,
                f"{shown} of {label} has no `help` text",
                suggestion='add `help: "what this measures"`',
            )
        for kind in ("gauge", "counter", "histogram"):
            body = metric.mapping(kind)
            if body is None:
                continue
            if not body.str("value"):
                yield ctx.finding(
                    metric.key_node(kind) or body, f"the {kind} of {shown} has no `value`"
                )
            elif (
                kind == "gauge"
                and body.scalar("realtime") is True
                and "resourcesDuration." in (body.str("value") or "")
            ):
                yield ctx.finding(
                    body.get("value") or body,
                    f"real-time gauge {shown} uses `resourcesDuration`, which is only known when "
                    "the step ends",
                    suggestion="set `realtime: false`",
                )
