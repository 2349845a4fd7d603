"""invalid-label: label keys and values that the Kubernetes API server refuses, on the
document itself and on the objects Argo makes from it (the workflow, its pods)."""

from __future__ import annotations

from parity_helpers import spans

TEXT = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: labels-
  labels:
    "bad key!": x
    ok: "has spaces"
    app.kubernetes.io/name: fine
    empty: ""
spec:
  entrypoint: main
  serviceAccountName: runner
  workflowMetadata:
    labels:
      from-param: "{{workflow.parameters.team}}"
      Team_Name: "a-very-long-label-value-that-goes-on-and-on-past-the-limit-of-63-chars"
  podMetadata:
    labels:
      "-leading": x
  templates:
    - name: main
      metadata:
        labels:
          "x/y/z": v
          step: "{{inputs.parameters.step}}"
      inputs:
        parameters:
          - name: step
            value: one
      container:
        image: alpine:3.20
"""


def test_invalid_labels_are_reported_at_the_key_or_value() -> None:
    assert spans(TEXT, "invalid-label") == [
        ("invalid-label", 6, 5, 6, 15),
        ("invalid-label", 7, 9, 7, 21),
        ("invalid-label", 16, 18, 16, 90),
        ("invalid-label", 19, 7, 19, 17),
        ("invalid-label", 24, 11, 24, 18),
    ]


def test_valid_labels_pass() -> None:
    fixed = (
        TEXT.replace('"bad key!": x', "bad-key: x")
        .replace('"has spaces"', "has-spaces")
        .replace("a-very-long-label-value-that-goes-on-and-on-past-the-limit-of-63-chars", "short")
        .replace('"-leading": x', "leading: x")
        .replace('"x/y/z": v', "example.com/z: v")
    )
    assert spans(fixed, "invalid-label") == []


def test_a_name_indented_under_labels_is_missing_metadata_names() -> None:
    """`generateName` one level too deep (under labels) is one mistake, reported once, as
    missing-metadata-name (the corpus' fun-with-gifs.yaml)."""
    text = TEXT.replace(
        "  generateName: labels-\n  labels:\n", "  labels:\n    generateName: labels-\n"
    )
    found = spans(text, "invalid-label", "missing-metadata-name")
    assert ("missing-metadata-name", 3, 1, 3, 9) in found
    assert [s for s in found if s[1] == 4] == []
