"""invalid-artifact: where Argo needs an artifact's path, and how many locations it may name."""

from __future__ import annotations

from parity_helpers import spans

HEAD = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: art-
spec:
  entrypoint: main
  serviceAccountName: runner
  templates:
"""


def test_two_locations_on_one_artifact() -> None:
    """Argo reads one location (artifactory, azure, git, gcs, hdfs, http, oss, raw, s3,
    plugin, in that order) and drops the rest; the full CRDs reject the artifact."""
    text = HEAD + (
        "    - name: main\n"  # 9
        "      inputs:\n"
        "        artifacts:\n"
        "          - name: a\n"  # 12
        "            path: /a\n"
        "            s3: {key: x}\n"  # 14
        "            gcs: {key: k}\n"  # 15
        "      container: {image: alpine:3.20}\n"
        "      outputs:\n"
        "        artifacts:\n"
        "          - name: o\n"  # 19
        "            path: /o\n"
        "            raw: {data: x}\n"  # 21
        "            http: {url: 'https://example.com/o'}\n"  # 22
        "            azure: {blob: b}\n"  # 23
        "          - name: fine\n"
        "            path: /f\n"
        "            s3: {key: y}\n"
        "            archive: {none: {}}\n"
    )
    assert spans(text, "invalid-artifact") == [
        ("invalid-artifact", 14, 13, 14, 15),
        ("invalid-artifact", 21, 13, 21, 16),
    ]


def test_resource_template_input_artifact_needs_a_path() -> None:
    """Every template that runs (IsLeaf: container, containerSet, script, resource, data,
    http, plugin) loads its input artifacts at a path: Argo's CleanPath fails without one."""
    text = HEAD + (
        "    - name: main\n"
        "      inputs:\n"
        "        artifacts:\n"
        "          - name: manifest\n"  # 12
        "            raw: {data: 'a: b'}\n"
        "      resource:\n"
        "        action: create\n"
        "        manifestFrom:\n"
        "          artifact:\n"
        "            name: manifest\n"
    )
    assert spans(text, "invalid-artifact") == [("invalid-artifact", 12, 19, 12, 27)]
    fixed = text.replace(
        "          - name: manifest\n",
        "          - name: manifest\n            path: /tmp/m.yaml\n",
    )
    assert spans(fixed, "invalid-artifact") == []


def test_artifact_mode_is_file_permission_bits() -> None:
    """`mode` is 0..0777 (the full CRDs' bounds); `mode: 755` is decimal 755 = 0o1363, not
    rwxr-xr-x, and YAML reads a leading 0 as octal, so `0755` is what was meant."""
    text = HEAD + (
        "    - name: main\n"
        "      inputs:\n"
        "        artifacts:\n"
        "          - name: a\n"
        "            path: /a\n"
        "            mode: 755\n"  # 14
        "            raw: {data: x}\n"
        "          - name: b\n"
        "            path: /b\n"
        "            mode: 0755\n"
        "            raw: {data: x}\n"
        "          - name: c\n"
        "            path: /c\n"
        "            mode: 511\n"
        "            raw: {data: x}\n"
        "      container: {image: alpine:3.20}\n"
    )
    from conftest import lint_text

    found = [f for f in lint_text(text).findings if f.rule == "invalid-artifact"]
    assert [(f.span.line, f.span.column, f.span.end_column) for f in found] == [(14, 19, 22)]
    assert found[0].suggestion is not None and "`0755`" in found[0].suggestion
