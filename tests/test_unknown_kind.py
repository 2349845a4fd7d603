"""unknown-kind: documents meant to be Argo workflows that would be skipped in silence."""

from __future__ import annotations

import pytest
from conftest import findings_of

from argolint.span import Span

BODY = "metadata: {name: x}\nspec:\n  entrypoint: main\n  templates: []\n"


@pytest.mark.parametrize(
    ("kind", "intended"),
    [
        ("Workfow", "Workflow"),
        ("workflow", "Workflow"),
        ("WorkflowTemplates", "WorkflowTemplate"),
        ("CronWorkFlow", "CronWorkflow"),
        ("ClusterWorkflowTemplate_", "ClusterWorkflowTemplate"),
    ],
)
def test_near_misses_point_at_the_kind_value(kind: str, intended: str):
    text = f"apiVersion: argoproj.io/v1alpha1\nkind: {kind}\n{BODY}"
    [finding] = findings_of(text, "unknown-kind")
    assert finding.span == Span(2, 7, 2, 7 + len(kind))
    assert f"did you mean `{intended}`?" in finding.message
    assert finding.suggestion == f"write `kind: {intended}`"


def test_missing_kind_on_an_argoproj_workflow_points_at_api_version():
    text = f"apiVersion: argoproj.io/v1alpha1\n{BODY}"
    [finding] = findings_of(text, "unknown-kind")
    assert finding.span == Span(1, 1, 1, 11)
    assert "no `kind`" in finding.message


def test_misspelt_kind_without_api_version_is_reported():
    [finding] = findings_of(f"kind: Cronworkflow\n{BODY}", "unknown-kind")
    assert finding.span == Span(1, 7, 1, 19)


@pytest.mark.parametrize(
    "text",
    [
        f"apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n{BODY}",  # linted as it is
        f"apiVersion: argoproj.io/v1alpha1\nkind: WorkflowEventBinding\n{BODY}",
        f"apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTaskSet\n{BODY}",
        "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nspec: {replicas: 2}\n",
        "apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec: {project: default}\n",
        f"apiVersion: example.com/v1\nkind: Workfow\n{BODY}",  # another API group's kind
        "apiVersion: argoproj.io/v1alpha1\nmetadata: {name: x}\nspec: {replicas: 1}\n",
        "apiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n",
        "kind: [Workflow]\n",
        "- kind: Workfow\n",
        "just text\n",
    ],
)
def test_other_documents_stay_silent(text: str):
    assert findings_of(text, "unknown-kind") == []


def test_the_other_documents_of_the_file_are_still_linted():
    text = (
        f"apiVersion: argoproj.io/v1alpha1\nkind: Workfow\n{BODY}---\n"
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: a\n"
        "  name: b\nspec: {entrypoint: m}\n"
    )
    assert [f.span.line for f in findings_of(text, "unknown-kind")] == [2]
    assert [f.span.line for f in findings_of(text, "duplicate-key")] == [12]
