"""invalid-pod-spec-patch: a podSpecPatch that Argo cannot apply (ApplyPodSpecPatch fails
every pod it applies to, in the middle of the run)."""

from __future__ import annotations

from parity_helpers import spans

TEXT = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: patch-
spec:
  entrypoint: main
  serviceAccountName: runner
  podSpecPatch: '{"containers":[{"name":"main","resources":{"limits":{"cpu":"1"}}}]'
  templates:
    - name: main
      inputs:
        parameters: [{name: mem, value: 1Gi}]
      podSpecPatch: |
        containers:
          - name: main
            resources:
              limits:
                memory: {{inputs.parameters.mem}}
      container:
        image: alpine:3.20
    - name: second
      podSpecPatch: |
        containers:
          name: main
      container:
        image: alpine:3.20
    - name: whole
      inputs:
        parameters: [{name: patch, value: "{}"}]
      podSpecPatch: "{{inputs.parameters.patch}}"
      container:
        image: alpine:3.20
"""


def test_patches_that_do_not_parse_or_are_no_pod_spec() -> None:
    assert spans(TEXT, "invalid-pod-spec-patch") == [
        ("invalid-pod-spec-patch", 8, 83, 8, 84),
        ("invalid-pod-spec-patch", 23, 9, 23, 19),
    ]


def test_good_patches_pass() -> None:
    fixed = TEXT.replace("}}}]'", "}}}]}'").replace(
        "          name: main\n", "          - name: main\n"
    )
    assert spans(fixed, "invalid-pod-spec-patch") == []
