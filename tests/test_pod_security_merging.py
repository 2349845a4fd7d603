"""How Argo and Kubernetes combine securityContexts, as the pod rules must read them: a
template's pod-level `securityContext` replaces the workflow's as a whole (Argo copies one or
the other), and `runAsUser: 0` under an effective `runAsNonRoot: true` never starts."""

from __future__ import annotations

from argolint.finding import Severity
from tests.conftest import findings_of

_SHADOWED = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: shadowed-
spec:
  entrypoint: main
  serviceAccountName: runner
  securityContext:
    runAsNonRoot: true
    runAsUser: 1000
  templates:
    - name: main
      securityContext:
        fsGroup: 2000
      container:
        image: alpine:3.19
        command: [echo, hi]
    - name: other
      container:
        image: alpine:3.19
        command: [echo, hi]
"""


def test_template_security_context_replaces_the_workflows():
    found = findings_of(_SHADOWED, "run-as-root")
    assert [(f.span.line, f.span.column) for f in found] == [(15, 7)]
    assert "replaces" in found[0].message and "`spec.securityContext`" in found[0].message


def test_template_defaults_security_context_also_replaces_the_workflows():
    text = _SHADOWED.replace(
        "  templates:\n",
        "  templateDefaults:\n    securityContext:\n      fsGroup: 2000\n  templates:\n",
    ).replace("      securityContext:\n        fsGroup: 2000\n", "")
    found = findings_of(text, "run-as-root")
    assert len(found) == 2 and all("`templateDefaults`" in f.message for f in found)


def test_template_security_context_that_keeps_non_root_is_silent():
    text = _SHADOWED.replace("fsGroup: 2000", "{fsGroup: 2000, runAsNonRoot: true}").replace(
        "        fsGroup: 2000", "        fsGroup: 2000\n        runAsNonRoot: true"
    )
    assert findings_of(text, "run-as-root") == []


def test_pod_spec_patch_merges_into_the_template_security_context():
    text = _SHADOWED.replace(
        "      securityContext:\n        fsGroup: 2000\n",
        "      securityContext:\n        fsGroup: 2000\n"
        '      podSpecPatch: \'{"securityContext": {"runAsNonRoot": true}}\'\n',
    )
    assert findings_of(text, "run-as-root") == []


def test_root_user_under_run_as_non_root_is_an_error():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: never-starts-
spec:
  entrypoint: main
  serviceAccountName: runner
  securityContext:
    runAsNonRoot: true
    runAsUser: 1000
  templates:
    - name: main
      initContainers:
        - name: chown
          image: busybox:1.36
          command: [chown, -R, "1000", /work]
          securityContext:
            runAsUser: 0
      container:
        image: alpine:3.19
        command: [echo, hi]
"""
    found = findings_of(text, "run-as-root")
    assert [(f.span.line, f.span.column, f.severity) for f in found] == [(18, 24, Severity.ERROR)]
    assert "never starts" in found[0].message
    # Without runAsNonRoot in effect, running as root on purpose stays a warning.
    relaxed = text.replace("    runAsNonRoot: true\n", "")
    found = findings_of(relaxed, "run-as-root")
    assert [f.severity for f in found if f.span.line == 17] == [Severity.WARNING]


def test_container_added_by_a_pod_spec_patch_is_checked_once():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: patched-
spec:
  entrypoint: main
  serviceAccountName: runner
  podSpecPatch: |
    containers:
      - name: debug
        image: busybox
        securityContext:
          privileged: true
  templates:
    - name: main
      steps:
        - - {name: a, template: a}
          - {name: b, template: b}
    - name: a
      container: {image: "alpine:3.19", command: [echo]}
    - name: b
      container: {image: "alpine:3.19", command: [echo]}
"""
    found = findings_of(text, "privileged-container")
    assert [(f.span.line, f.span.column) for f in found] == [(13, 23)]
    assert "container `debug` in `podSpecPatch`" in found[0].message
    assert [f.span.line for f in findings_of(text, "image-not-pinned")] == [11]


def test_privileged_with_escalation_off_is_rejected():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: contradiction-
spec:
  entrypoint: main
  serviceAccountName: runner
  templates:
    - name: main
      podSpecPatch: |
        containers:
          - name: main
            securityContext: {allowPrivilegeEscalation: false}
      container:
        image: alpine:3.19
        command: [echo]
        securityContext:
          privileged: true
"""
    found = findings_of(text, "privileged-container")
    assert [(f.span.line, f.span.column, f.severity) for f in found] == [(18, 23, Severity.ERROR)]
    assert "rejects" in found[0].message


def test_cap_sys_admin_with_escalation_off_is_rejected():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: caps-
spec:
  entrypoint: main
  serviceAccountName: runner
  templates:
    - name: main
      container:
        image: alpine:3.19
        command: [echo]
        securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            add: [CAP_SYS_ADMIN, SYS_ADMIN]
"""
    found = findings_of(text, "dangerous-capabilities")
    # Kubernetes compares the literal `CAP_SYS_ADMIN`; `SYS_ADMIN` passes its validation.
    assert [(f.span.column, f.severity) for f in found] == [
        (19, Severity.ERROR),
        (34, Severity.WARNING),
    ]
