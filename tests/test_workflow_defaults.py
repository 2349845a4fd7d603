"""Controller defaults (``workflow_defaults`` / ``--workflow-defaults``) merged into each
Workflow before checking, as the controller does: the workflow's own values win."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import findings_of, lint_text

from argolint.config import Config
from argolint.defaults import apply_workflow_defaults
from argolint.source.loader import load_text

WF = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: d-
  labels: {team: data}
spec:
  entrypoint: main
  templates:
    - name: main
      container:
        command: [echo]
"""
DEFAULTS = {
    "metadata": {"labels": {"team": "platform", "cost-center": "42"}},
    "spec": {
        "serviceAccountName": "argo-runner",
        "templateDefaults": {"container": {"image": "alpine:3.20"}},
        "podGC": {"strategy": "OnWorkflowSuccess"},
    },
}


def test_defaults_fill_what_the_workflow_leaves_out() -> None:
    assert findings_of(WF, "missing-image")
    assert findings_of(WF, "missing-service-account")
    assert findings_of(WF, "missing-image", workflow_defaults=DEFAULTS) == []
    assert findings_of(WF, "missing-service-account", workflow_defaults=DEFAULTS) == []


def test_merge_keeps_the_workflow_values_and_points_at_the_merge_key() -> None:
    (doc,) = load_text(WF, "wf.yaml").documents
    apply_workflow_defaults([doc], DEFAULTS)
    labels = doc.root.get("metadata").get("labels")
    assert labels.str("team") == "data"  # the workflow wins
    assert labels.str("cost-center") == "42"  # the default is added
    spec = doc.root.get("spec")
    assert spec.str("serviceAccountName") == "argo-runner"
    # a merged node has the span of the key it was merged under
    assert spec.get("podGC").span == doc.root.key_node("spec").span


def test_defaults_reach_cron_workflows_but_not_templates() -> None:
    cron = WF.replace("kind: Workflow", "kind: CronWorkflow").replace(
        "spec:\n", "spec:\n  schedules: ['@daily']\n  workflowSpec:\n", 1
    )
    cron = cron.replace("\n  entrypoint", "\n    entrypoint").replace(
        "\n  templates:", "\n    templates:"
    )
    cron = cron.replace(
        "\n    - name: main\n      container:\n        command",
        "\n      - name: main\n        container:\n          command",
    )
    assert findings_of(cron, "missing-image")
    assert findings_of(cron, "missing-image", workflow_defaults=DEFAULTS) == []
    template = WF.replace("kind: Workflow", "kind: WorkflowTemplate").replace(
        "generateName: d-", "name: d"
    )
    assert findings_of(template, "missing-image", workflow_defaults=DEFAULTS)


def test_workflow_defaults_file_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "wf.yaml").write_text(WF)
    configmap = tmp_path / "controller.yaml"
    configmap.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: workflow-controller-configmap}\n"
        "data:\n  workflowDefaults: |\n    spec:\n      templateDefaults:\n"
        "        container: {image: 'alpine:3.20'}\n"
    )
    run = [sys.executable, "-m", "argolint", "--format", "json", "wf.yaml"]
    without = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True)
    assert "missing-image" in without.stdout
    with_defaults = subprocess.run(
        [*run, "--workflow-defaults", str(configmap)], cwd=tmp_path, capture_output=True, text=True
    )
    assert "missing-image" not in with_defaults.stdout, with_defaults.stdout


def test_no_defaults_is_a_no_op() -> None:
    assert lint_text(WF, workflow_defaults=None).findings == lint_text(WF).findings
    assert Config().workflow_defaults is None


def test_labels_added_by_the_defaults_resolve() -> None:
    text = WF.replace("command: [echo]", 'args: ["{{workflow.labels.cost-center}}"]')
    assert findings_of(text, "unresolved-variable")
    assert findings_of(text, "unresolved-variable", workflow_defaults=DEFAULTS) == []
