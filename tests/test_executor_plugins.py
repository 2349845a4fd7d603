"""invalid-executor-plugin: spec.executorPlugins as Argo's validator reads them
(WorkflowSpec.AsExecutorPluginSpec and the plugin Sidecar's Validate)."""

from __future__ import annotations

from conftest import lint_text
from parity_helpers import spans

GOOD = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: plugin-
spec:
  entrypoint: main
  serviceAccountName: runner
  executorPlugins:
    - metadata:
        name: hello
      spec:
        sidecar:
          container:
            name: hello
            image: python:3.12-alpine
            ports:
              - containerPort: 4355
            resources:
              requests: {cpu: 100m, memory: 32Mi}
              limits: {cpu: 200m, memory: 64Mi}
            securityContext:
              runAsNonRoot: true
              runAsUser: 65534
  templates:
    - name: main
      plugin:
        hello: {}
"""


def test_a_complete_plugin_passes() -> None:
    assert spans(GOOD, "invalid-executor-plugin") == []


def test_each_mandatory_part_is_reported_where_it_is_missing() -> None:
    text = (
        GOOD.replace("        name: hello\n      spec:", "        labels: {a: b}\n      spec:")
        .replace("            ports:\n              - containerPort: 4355\n", "")
        .replace("              requests: {cpu: 100m, memory: 32Mi}\n", "")
        .replace(
            "            securityContext:\n              runAsNonRoot: true\n"
            "              runAsUser: 65534\n",
            "",
        )
    )
    found = [f for f in lint_text(text).findings if f.rule == "invalid-executor-plugin"]
    assert [(f.span.line, f.span.column, f.message.split(":")[0]) for f in found] == [
        (9, 7, "executor plugin #1 has no `metadata.name`"),
        (13, 11, "the sidecar container of executor plugin #1 has no `ports`"),
        (13, 11, "the sidecar container of executor plugin #1 has no `securityContext`"),
        (16, 13, "the sidecar container of executor plugin #1 has no `resources.requests`"),
    ]


def test_a_plugin_without_a_sidecar_container_is_the_schemas() -> None:
    text = GOOD[: GOOD.index("      spec:\n        sidecar:")] + GOOD[GOOD.index("  templates:") :]
    assert spans(text, "invalid-executor-plugin", "schema-value") == [("schema-value", 9, 7, 9, 15)]
