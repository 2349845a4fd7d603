"""The Kubernetes object name of each Argo document: present (``name`` or ``generateName``),
well formed (a DNS subdomain: lower-case letters, digits, ``-`` and ``.``), and short enough
(``invalid-object-name``): Argo limits names to 63 characters, and CronWorkflows to 52,
because each run appends ``-`` and a 10-digit timestamp. ``invalid-label``: label keys and
values the API server refuses, on the document and on the workflow and pods Argo makes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from argolint.analysis.label_selector import label_key_problem, label_value_problem
from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule
from argolint.source.nodes import YMapping, YScalar

MAX_NAME = 63
MAX_CRON_NAME = 52
#: Kubernetes DNS subdomain (RFC 1123), which metadata.name of these kinds must be.
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
_PREFIX = re.compile(r"[a-z0-9]([-a-z0-9.]*)?\Z")


@rule(
    "missing-metadata-name",
    category="correctness",
    severity="error",
    summary="An Argo document has neither metadata.name nor metadata.generateName.",
)
def check_missing(ctx: Context) -> Iterator[Finding]:
    root = ctx.manifest.root
    if root is None:
        return
    meta = root.mapping("metadata")
    if meta is not None and (meta.str("name") or meta.str("generateName")):
        return
    kind = ctx.doc.kind or "document"
    hint = "`generateName: my-run-`" if kind == "Workflow" else "`name: my-template`"
    yield ctx.finding(
        root.key_node("metadata") or root.key_node("kind") or root,
        f"this {kind} has no `metadata.name`"
        + (" or `metadata.generateName`" if kind == "Workflow" else "")
        + ": Kubernetes refuses to create it",
        suggestion=f"add {hint} under `metadata`",
    )


@rule(
    "invalid-object-name",
    category="correctness",
    severity="error",
    summary="metadata.name or generateName is too long or not a valid Kubernetes name.",
)
def check_name(ctx: Context) -> Iterator[Finding]:
    root = ctx.manifest.root
    meta = root.mapping("metadata") if root is not None else None
    if meta is None:
        return
    kind = ctx.doc.kind
    limit = MAX_CRON_NAME if kind == "CronWorkflow" else MAX_NAME
    name = meta.get("name")
    if isinstance(name, YScalar) and name.text and "{{" not in name.text:
        text = name.text
        if len(text) > limit:
            why = (
                " (each run appends a timestamp, and the result must fit in 63)"
                if kind == "CronWorkflow"
                else ""
            )
            yield ctx.finding(
                name,
                f"{kind} name is {len(text)} characters long; Argo allows at most {limit}{why}",
                suggestion="shorten it",
            )
        elif not _SUBDOMAIN.match(text):
            yield ctx.finding(
                name,
                f"`{text}` is not a valid Kubernetes name: lower-case letters, digits, `-` and "
                "`.`, starting and ending with a letter or digit",
                suggestion=f"e.g. `{_fix(text)}`",
            )
    prefix = meta.get("generateName")
    if (
        isinstance(prefix, YScalar)
        and prefix.text
        and "{{" not in prefix.text
        and not _PREFIX.match(prefix.text)
    ):
        yield ctx.finding(
            prefix,
            f"generateName `{prefix.text}` is not a valid Kubernetes name prefix: "
            "lower-case letters, digits, `-` and `.`, starting with a letter or digit",
            suggestion=f"e.g. `{_fix(prefix.text, keep_dash=True)}`",
        )


def _fix(text: str, keep_dash: bool = False) -> str:
    fixed = re.sub(r"[^a-z0-9.-]+", "-", text.lower())
    fixed = fixed.lstrip("-.")
    return fixed if keep_dash else fixed.rstrip("-.") or "my-name"


@rule(
    "invalid-label",
    category="correctness",
    severity="error",
    summary="A label key or value that Kubernetes refuses, on the document, the workflow it "
    "makes or its pods.",
)
def check_labels(ctx: Context) -> Iterator[Finding]:
    misplaced = _misplaced_name_labels(ctx)
    for where, labels in _label_maps(ctx):
        for key, key_node, value in labels.items():
            if "{{" in key or key_node in misplaced:
                continue
            why = label_key_problem(key)
            if why:
                yield ctx.finding(
                    key_node,
                    f"label key `{key}` of {where} {why}",
                    suggestion="use letters, digits, `-`, `_` and `.`, with an optional "
                    "`example.com/` prefix",
                )
            if isinstance(value, YScalar) and isinstance(value.value, str):
                text = value.value
                why = None if "{{" in text else label_value_problem(text)
                if why:
                    yield ctx.finding(value, f"label `{key}` of {where}: value `{text}` {why}")


def _misplaced_name_labels(ctx: Context) -> list:
    """Key nodes of ``name``/``generateName`` written under ``metadata.labels`` of a document
    that has neither at ``metadata``: the field indented one level too deep, which
    ``missing-metadata-name`` reports; its value is no label and is not judged as one."""
    root = ctx.manifest.root
    meta = root.mapping("metadata") if root is not None else None
    if meta is None or meta.str("name") or meta.str("generateName"):
        return []
    labels = meta.mapping("labels")
    if labels is None:
        return []
    return [k for key, k, _v in labels.items() if key in ("name", "generateName")]


def _label_maps(ctx: Context) -> Iterator[tuple[str, YMapping]]:
    """Each ``labels`` mapping the API server checks: the document's own, and those Argo puts
    on the workflow (``workflowMetadata``) and on pods (``podMetadata``, template
    ``metadata``). Values with ``{{...}}`` are substituted first and are left alone."""
    root = ctx.manifest.root
    if root is None:
        return
    holders: list[tuple[str, YMapping | None]] = [
        (f"this {ctx.doc.kind}", root.mapping("metadata"))
    ]
    spec = ctx.manifest.spec
    outer = root.mapping("spec")
    for owner in {id(s): s for s in (outer, spec) if s is not None}.values():
        holders.append(("the workflow (`workflowMetadata`)", owner.mapping("workflowMetadata")))
    if spec is not None:
        holders.append(("the pods (`podMetadata`)", spec.mapping("podMetadata")))
    for template in ctx.manifest.all_templates:
        name = f"`{template.name}`" if template.name else "this template"
        holders.append((f"the pod of template {name}", template.node.mapping("metadata")))
    for where, holder in holders:
        labels = holder.mapping("labels") if holder is not None else None
        if labels is not None:
            yield where, labels
