"""Service accounts: missing, explicitly `default`, and API tokens mounted for nothing."""

from __future__ import annotations

from tests.conftest import findings_of

HEAD = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: sa-}
spec:
  entrypoint: main
"""


def _span(f) -> tuple[int, int, int, int]:
    return (f.span.line, f.span.column, f.span.end_line, f.span.end_column)


def test_default_named_in_spec_template_and_executor():
    text = HEAD + (
        "  serviceAccountName: default\n"
        "  executor: {serviceAccountName: default}\n"
        "  templates:\n"
        "    - name: main\n"
        "      serviceAccountName: 'default'\n"
        '      container: {image: "alpine:3.20"}\n'
    )
    found = findings_of(text, "default-service-account")
    assert [_span(f) for f in found] == [(6, 23, 6, 30), (7, 34, 7, 41), (10, 27, 10, 36)]
    assert "the workflow's executor" in found[1].message
    assert "template `main`" in found[2].message


def test_missing_account_counts_empty_names_and_explains_executor():
    text = HEAD + (
        '  serviceAccountName: ""\n'
        "  executor: {serviceAccountName: runner}\n"
        "  templates:\n"
        "    - name: main\n"
        '      container: {image: "alpine:3.20"}\n'
    )
    [f] = findings_of(text, "missing-service-account")
    assert _span(f) == (4, 1, 4, 5)
    assert "`executor.serviceAccountName` only gives" in f.message


def test_missing_account_in_a_cron_workflow_points_at_workflow_spec():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata: {name: nightly}
spec:
  schedule: "0 1 * * *"
  workflowSpec:
    entrypoint: main
    templates:
      - name: main
        container: {image: "alpine:3.20"}
"""
    [f] = findings_of(text, "missing-service-account")
    assert _span(f) == (6, 3, 6, 15) and "workflowSpec.serviceAccountName" in f.suggestion


def test_automount_token_is_info_unless_disabled_or_needed():
    base = HEAD.replace("{", "{{").replace("}", "}}") + (
        "  serviceAccountName: runner\n{extra}  templates:\n    - name: main\n{body}"
    )
    plain = '      container: {image: "alpine:3.20", command: [echo, hi]}\n'
    [f] = findings_of(base.format(extra="", body=plain), "automount-token")
    assert str(f.severity) == "info" and _span(f) == (4, 1, 4, 5)
    assert "executor.serviceAccountName: runner" in f.suggestion
    disabled = "  automountServiceAccountToken: false\n  executor: {serviceAccountName: runner}\n"
    assert findings_of(base.format(extra=disabled, body=plain), "automount-token") == []
    kubectl = '      container: {image: "bitnami/kubectl:1.31", command: [kubectl, get, pods]}\n'
    assert findings_of(base.format(extra="", body=kubectl), "automount-token") == []
    script = (
        "      script:\n        image: python:3.12\n        command: [python]\n"
        "        source: |\n          from kubernetes import client, config\n"
    )
    assert findings_of(base.format(extra="", body=script), "automount-token") == []
    template_level = "      automountServiceAccountToken: false\n" + plain
    assert findings_of(base.format(extra="", body=template_level), "automount-token") == []


def test_library_templates_take_the_callers_settings():
    """A WorkflowTemplate without an entrypoint runs only through templateRef: account,
    token and pod securityContext come from the calling workflow."""
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: lib}
spec:
  templates:
    - name: a
      container: {image: "alpine:3.20"}
    - name: b
      container:
        image: "alpine:3.20"
        securityContext: {runAsUser: 0}
"""
    for rule in ("missing-service-account", "automount-token"):
        assert findings_of(text, rule) == [], rule
    [root] = findings_of(text, "run-as-root")
    assert "`runAsUser: 0`" in root.message and _span(root) == (11, 38, 11, 39)
    submittable = text.replace("spec:\n", "spec:\n  entrypoint: a\n")
    assert findings_of(submittable, "missing-service-account")
    assert len(findings_of(submittable, "run-as-root")) == 2
