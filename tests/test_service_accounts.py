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


_NO_EXECUTOR = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: no-token-}
spec:
  entrypoint: main
  serviceAccountName: runner
  automountServiceAccountToken: false
  templates:
    - name: main
      steps:
        - - {name: a, template: a}
    - name: a
      container: {image: "alpine:3.20", command: [echo]}
"""


def test_token_disabled_without_executor_account_never_starts():
    found = findings_of(_NO_EXECUTOR, "automount-without-executor")
    assert [_span(f) for f in found] == [(7, 33, 7, 38)]
    assert "template `a`" in found[0].message and str(found[0].severity) == "error"


def test_token_disabled_with_executor_account_is_silent():
    spec_level = _NO_EXECUTOR.replace(
        "  templates:\n", "  executor:\n    serviceAccountName: runner-executor\n  templates:\n"
    )
    assert findings_of(spec_level, "automount-without-executor") == []
    template_level = _NO_EXECUTOR.replace(
        "    - name: a\n", "    - name: a\n      executor: {serviceAccountName: exec}\n"
    )
    assert findings_of(template_level, "automount-without-executor") == []
    # A template that turns the token back on needs no executor account.
    back_on = _NO_EXECUTOR.replace(
        "    - name: a\n", "    - name: a\n      automountServiceAccountToken: true\n"
    )
    assert findings_of(back_on, "automount-without-executor") == []


def test_token_disabled_on_a_template_or_in_a_workflow_template():
    text = _NO_EXECUTOR.replace("  automountServiceAccountToken: false\n", "").replace(
        "    - name: a\n", "    - name: a\n      automountServiceAccountToken: false\n"
    )
    found = findings_of(text, "automount-without-executor")
    assert [_span(f) for f in found] == [(12, 37, 12, 42)]
    # A WorkflowTemplate's caller may still set `executor`: a warning there, nothing in a library.
    template = _NO_EXECUTOR.replace("kind: Workflow", "kind: WorkflowTemplate").replace(
        "{generateName: no-token-}", "{name: no-token}"
    )
    found = findings_of(template, "automount-without-executor")
    assert [str(f.severity) for f in found] == ["warning"]
    library = template.replace("  entrypoint: main\n", "")
    assert findings_of(library, "automount-without-executor") == []


def test_controller_defaults_count_for_workflow_templates():
    from tests.conftest import lint_text

    template = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: t}
spec:
  entrypoint: main
  serviceAccountName: runner
  templates:
    - name: main
      container: {image: "alpine:3.20", command: [echo]}
"""
    rules = {"automount-token", "automount-without-executor"}

    def found(defaults: dict) -> list[str]:
        result = lint_text(template, workflow_defaults={"spec": defaults} if defaults else None)
        return [f.rule for f in result.findings if f.rule in rules]

    assert found({}) == ["automount-token"]
    both = {"automountServiceAccountToken": False, "executor": {"serviceAccountName": "x"}}
    assert found(both) == []
    assert found({"automountServiceAccountToken": False}) == ["automount-without-executor"]


def test_service_account_without_token_silences_automount_token():
    text = """\
apiVersion: v1
kind: ServiceAccount
metadata: {name: reporter, namespace: jobs}
automountServiceAccountToken: false
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: report-, namespace: jobs}
spec:
  entrypoint: main
  serviceAccountName: reporter
  templates:
    - name: main
      container: {image: "alpine:3.20", command: [echo]}
"""
    assert findings_of(text, "automount-token") == []
    other = text.replace("namespace: jobs}\nautomount", "namespace: other}\nautomount")
    assert len(findings_of(other, "automount-token")) == 1


def test_a_call_to_the_api_service_needs_the_token():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: api-}
spec:
  entrypoint: main
  serviceAccountName: runner
  templates:
    - name: main
      container:
        image: curlimages/curl:8.8.0
        command: [sh, -c]
        args: ["curl -sk https://kubernetes.default.svc/api/v1/namespaces"]
"""
    assert findings_of(text, "automount-token") == []
