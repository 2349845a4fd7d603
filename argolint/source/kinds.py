"""Documents that were meant to be Argo workflows but will be skipped: a misspelt ``kind``
(``Workfow``, ``CronWorkFlow``) or an ``argoproj.io`` document with no ``kind`` at all.
Kubernetes refuses both, and without this the linter would pass them in silence.

Only near misses of the four Argo Workflows kinds are reported; every other kind, Argo CD's,
Argo Events' and Argo Rollouts' included, is still skipped silently."""

from __future__ import annotations

import difflib

from argolint.finding import Finding, Severity
from argolint.source.loader import ARGO_KINDS, KNOWN_KINDS, Document
from argolint.source.nodes import YMapping

#: Other kinds of the argoproj.io API group: never a misspelling of a workflow kind.
OTHER_ARGOPROJ_KINDS = frozenset(
    (
        "WorkflowEventBinding", "WorkflowTaskSet", "WorkflowTaskResult", "WorkflowArtifactGCTask",
        "EventSource", "Sensor", "EventBus",
        "Rollout", "AnalysisTemplate", "ClusterAnalysisTemplate", "AnalysisRun", "Experiment",
        "Application", "ApplicationSet", "AppProject", "ArgoCD", "ArgoCDExport",
        "NotificationsConfiguration", "RolloutManager",
    )
)  # fmt: skip
_LOWER = {kind.lower(): kind for kind in sorted(ARGO_KINDS)}
_WORKFLOW_SPEC_KEYS = ("templates", "entrypoint", "workflowSpec", "workflowTemplateRef")


def closest_argo_kind(kind: str) -> str | None:
    """The Argo Workflows kind ``kind`` most likely misspells, if any."""
    if kind in KNOWN_KINDS or kind in OTHER_ARGOPROJ_KINDS:
        return None
    match = difflib.get_close_matches(kind.lower(), list(_LOWER), n=1, cutoff=0.8)
    return _LOWER[match[0]] if match else None


def unrecognised_kind(doc: Document) -> Finding | None:
    """An ``unknown-kind`` finding for a document that will not be linted but should be."""
    root = doc.root
    if not isinstance(root, YMapping) or doc.kind in KNOWN_KINDS:
        return None
    api_version = root.get("apiVersion")
    api = api_version.value if api_version is not None and api_version.is_scalar() else None
    argoproj = isinstance(api, str) and api.startswith("argoproj.io/")
    if api is not None and not argoproj:
        return None  # another API group's kind
    kind_node = root.get("kind")
    if kind_node is None:
        spec = root.get("spec")
        if (
            not argoproj
            or spec is None
            or not any(spec.get(k) is not None for k in _WORKFLOW_SPEC_KEYS)
        ):
            return None
        return Finding(
            "unknown-kind",
            Severity.ERROR,
            "this argoproj.io document has no `kind`, so it is not linted, and Kubernetes "
            "refuses it",
            doc.path,
            (root.key_node("apiVersion") or root).span,
            suggestion="add `kind: Workflow` (or WorkflowTemplate, ClusterWorkflowTemplate, "
            "CronWorkflow)",
        )
    if not kind_node.is_scalar() or not isinstance(kind_node.value, str):
        return None
    close = closest_argo_kind(kind_node.value)
    if close is None:
        return None
    return Finding(
        "unknown-kind",
        Severity.ERROR,
        f"unknown kind `{kind_node.value}`; did you mean `{close}`? The document is not "
        "linted, and Kubernetes refuses it",
        doc.path,
        kind_node.span,
        suggestion=f"write `kind: {close}`",
    )
