"""Pod hardening rules: every pod an Argo template creates, positions included (inside
`podSpecPatch` strings and `resource.manifest` block scalars too)."""

from __future__ import annotations

from pathlib import Path

from argolint.finding import Severity
from tests.conftest import FIXTURES, findings_of, lint_text

POD_RULES = {
    "privileged-container",
    "allow-privilege-escalation",
    "dangerous-capabilities",
    "host-namespace",
    "host-path-volume",
    "run-as-root",
    "image-not-pinned",
    "missing-resource-limits",
}


def _fixture(name: str) -> str:
    return (FIXTURES / "pod-security" / name).read_text()


def _spans(findings: list) -> list[tuple[int, int, int, int]]:
    return [(f.span.line, f.span.column, f.span.end_line, f.span.end_column) for f in findings]


def test_hardened_workflow_is_silent():
    result = lint_text(_fixture("good-hardened.yaml"), extend_select={"missing-resource-limits"})
    assert [f for f in result.findings if f.rule in POD_RULES] == []


def test_privileged_in_embedded_job_is_an_error_at_the_value():
    found = findings_of(_fixture("bad-everywhere.yaml"), "privileged-container")
    assert _spans(found) == [(38, 25, 38, 29), (55, 35, 55, 39)]
    dind, job = found
    assert dind.severity == Severity.WARNING and "docker-in-docker" in dind.message
    assert job.severity == Severity.ERROR and "Job in resource template `deploy`" in job.message


def test_escalation_capabilities_and_host_access_positions():
    text = _fixture("bad-everywhere.yaml")
    assert _spans(findings_of(text, "allow-privilege-escalation")) == [(26, 39, 26, 43)]
    caps = findings_of(text, "dangerous-capabilities")
    assert _spans(caps) == [(33, 23, 33, 38)] and "`SYS_ADMIN`" in caps[0].message
    hosts = findings_of(text, "host-namespace")
    # spec.hostNetwork, hostPID inside the JSON podSpecPatch string, hostIPC in the Job.
    assert _spans(hosts) == [(8, 16, 8, 20), (9, 30, 9, 34), (50, 26, 50, 30)]
    assert ["hostNetwork" in hosts[0].message, "hostPID" in hosts[1].message] == [True, True]
    paths = findings_of(text, "host-path-volume")
    assert _spans(paths) == [(12, 7, 12, 15)] and "/var/run/docker.sock" in paths[0].message


def test_image_not_pinned_points_at_latest_and_untagged_images():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: x-}
spec:
  entrypoint: a
  templates:
    - name: a
      container: {image: "python:latest", command: [python]}
    - name: b
      script: {image: "registry.local:5000/tools", source: "true"}
    - name: c
      container: {image: "alpine:3.20@sha256:abc", command: [sh]}
    - name: d
      container: {image: "{{inputs.parameters.image}}", command: [sh]}
    - name: e
      container: {image: "alpine:3.20", command: [sh]}
"""
    found = findings_of(text, "image-not-pinned")
    assert _spans(found) == [(8, 33, 8, 40), (10, 23, 10, 50)]
    assert "`:latest`" in found[0].message and "no tag" in found[1].message
    digest = findings_of(
        text, "image-not-pinned", rule_options={"image-not-pinned": {"require_digest": True}}
    )
    assert [(f.span.line, f.severity) for f in digest][-1] == (16, Severity.INFO)


def test_run_as_root_layers():
    base = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {{generateName: x-}}
spec:
  entrypoint: a
{spec}  templates:
    - name: a
{tmpl}      container:
        image: alpine:3.20
{ctr}    - name: b
      script: {{image: "alpine:3.20", source: "true"}}
"""

    def lint(spec: str = "", tmpl: str = "", ctr: str = "") -> list:
        return findings_of(base.format(spec=spec, tmpl=tmpl, ctr=ctr), "run-as-root")

    whole = lint()
    assert _spans(whole) == [(4, 1, 4, 5)] and "`a`, `b`" in whole[0].message
    assert lint(spec="  securityContext: {runAsNonRoot: true}\n") == []
    assert lint(spec="  templateDefaults: {securityContext: {runAsNonRoot: true}}\n") == []
    # A non-root user without runAsNonRoot: still reported (Pod Security `restricted`).
    user_only = lint(
        spec="  securityContext: {runAsUser: 1000}\n", ctr="        securityContext: {}\n"
    )
    assert user_only and all("`restricted`" in f.message for f in user_only)
    # One template covered: the other is reported at its own `script:` key.
    partial = lint(tmpl="      securityContext: {runAsNonRoot: true}\n")
    assert _spans(partial) == [(12, 7, 12, 13)] and "script of template `b`" in partial[0].message
    # An explicit root user wins over the pod's runAsNonRoot, and is reported where written.
    explicit = lint(
        spec="  securityContext: {runAsNonRoot: true}\n",
        ctr="        securityContext: {runAsUser: 0}\n",
    )
    assert _spans(explicit) == [(11, 38, 11, 39)] and "`runAsUser: 0`" in explicit[0].message
    # The controller's workflowDefaults count (they have no position in the file).
    defaults = {"spec": {"securityContext": {"runAsNonRoot": True}}}
    assert (
        findings_of(
            base.format(spec="", tmpl="", ctr=""), "run-as-root", workflow_defaults=defaults
        )
        == []
    )


def test_pod_spec_patch_yaml_block_is_read_with_positions():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: x-}
spec:
  entrypoint: a
  templates:
    - name: a
      podSpecPatch: |
        securityContext:
          runAsNonRoot: true
        containers:
          - name: main
            securityContext:
              privileged: true
      container: {image: "alpine:3.20"}
"""
    assert findings_of(text, "run-as-root") == []
    assert _spans(findings_of(text, "privileged-container")) == [(14, 27, 14, 31)]


def test_malformed_shapes_do_not_crash():
    wf = "kind: Workflow\nspec:\n"
    shapes = [
        wf + "  templates: null\n",
        wf + "  templates: [x, {name: a, container: null}]\n",
        wf + "  podSpecPatch: '{{=x}}'\n  templates: [{name: a, container: 3}]\n",
        wf + "  templates: [{name: a, resource: {manifest: '- [a'}}]\n",
        wf + "  templates: [{name: a, resource: {manifest: 'kind: Pod\\n\\nspec: 3'}}]\n",
        wf + "  volumes: [{hostPath: null}]\n  templates: [{name: a, containerSet:"
        " {containers: [{securityContext: {capabilities: {add: null}}}]}}]\n",
        "kind: CronWorkflow\nspec:\n  workflowSpec: [1]\n",
    ]
    for text in shapes:
        result = lint_text(text, extend_select={"missing-resource-limits"})
        assert not [f for f in result.findings if f.rule == "internal-error"], text


def test_no_error_on_the_corpus(corpus_dir: Path):
    from argolint.config import Config
    from argolint.engine import inputs_from_paths, run

    result = run(inputs_from_paths([corpus_dir]), Config(extend_select={"missing-resource-limits"}))
    security = POD_RULES | {
        "overbroad-rbac-binding",
        "rbac-wildcard",
        "secret-in-plain-env",
        "parameter-injection",
        "default-service-account",
        "automount-token",
        "missing-service-account",
    }
    errors = [f for f in result.findings if f.rule in security and f.severity == Severity.ERROR]
    assert errors == []
    assert not [f for f in result.findings if f.rule == "internal-error"]
    assert any(f.rule == "run-as-root" for f in result.findings)
