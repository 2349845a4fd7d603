"""Generated inputs for the benchmark: one large Workflow with tags everywhere.

The workflow is valid Argo: every tag names something that exists in its scope, so the
benchmark measures the analyses on a big, realistic manifest rather than a flood of findings.
Its size grows linearly with ``templates``; a run that grows faster is quadratic somewhere.
"""

from __future__ import annotations

import argparse
from pathlib import Path

GROUP = 5  # templates per group: container, script, resource-free leaf, steps, dag


def big_workflow(templates: int = 2500) -> str:
    """A Workflow with about ``templates`` templates, wired by steps and DAG tasks."""
    groups = max(1, templates // GROUP)
    out: list[str] = [
        "apiVersion: argoproj.io/v1alpha1",
        "kind: Workflow",
        "metadata:",
        "  generateName: generated-big-",
        "  labels:",
        "    app: benchmark",
        "spec:",
        "  entrypoint: main",
        "  serviceAccountName: benchmark-runner",
        "  arguments:",
        "    parameters:",
        "    - name: message",
        "      value: hello",
        "    - name: count",
        '      value: "3"',
        "  templates:",
        "  - name: main",
        "    dag:",
        "      tasks:",
    ]
    for g in range(groups):
        entry = "steps" if g % 2 else "dag"
        out += [
            f"      - name: group-{g}",
            f"        template: {entry}-{g}",
        ]
        if g:
            out.append(f"        depends: group-{g - 1}")
        out += [
            "        arguments:",
            "          parameters:",
            "          - name: message",
            '            value: "{{workflow.parameters.message}}-' + str(g) + '"',
        ]
    for g in range(groups):
        out += _group(g)
    return "\n".join(out) + "\n"


def _group(g: int) -> list[str]:
    message = "{{inputs.parameters.message}}"
    return [
        f"  - name: echo-{g}",
        "    inputs:",
        "      parameters:",
        "      - name: message",
        "      - name: times",
        '        default: "1"',
        "    outputs:",
        "      parameters:",
        "      - name: said",
        "        valueFrom:",
        "          path: /tmp/said.txt",
        "      artifacts:",
        "      - name: log",
        "        path: /tmp/log.txt",
        "    container:",
        "      image: alpine:3.19",
        "      command: [sh, -c]",
        "      args:",
        '      - echo "$MESSAGE" "$TIMES" | tee /tmp/said.txt /tmp/log.txt',
        "      env:",
        "      - name: MESSAGE",
        f'        value: "{message} in {{{{workflow.name}}}}"',
        "      - name: TIMES",
        '        value: "{{inputs.parameters.times}}"',
        "      resources:",
        "        limits:",
        "          memory: 64Mi",
        "          cpu: 100m",
        f"  - name: count-{g}",
        "    inputs:",
        "      parameters:",
        "      - name: message",
        "    script:",
        "      image: python:3.12-alpine",
        "      command: [python]",
        "      env:",
        "      - name: MESSAGE",
        f'        value: "{message}"',
        "      - name: COUNT",
        '        value: "{{workflow.parameters.count}}"',
        "      source: |",
        "        import json, os",
        "        print(json.dumps([len(os.environ['MESSAGE'])] * int(os.environ['COUNT'])))",
        f"  - name: wait-{g}",
        "    inputs:",
        "      parameters:",
        "      - name: seconds",
        "    suspend:",
        '      duration: "{{inputs.parameters.seconds}}"',
        f"  - name: steps-{g}",
        "    inputs:",
        "      parameters:",
        "      - name: message",
        "    outputs:",
        "      parameters:",
        "      - name: said",
        "        valueFrom:",
        '          parameter: "{{steps.echo.outputs.parameters.said}}"',
        "    steps:",
        "    - - name: echo",
        f"        template: echo-{g}",
        "        arguments:",
        "          parameters:",
        "          - name: message",
        f'            value: "{message}"',
        "    - - name: measure",
        f"        template: count-{g}",
        "        arguments:",
        "          parameters:",
        "          - name: message",
        '            value: "{{steps.echo.outputs.parameters.said}}"',
        "      - name: wait",
        f"        template: wait-{g}",
        "        when: \"'{{steps.echo.outputs.parameters.said}}' != ''\"",
        "        arguments:",
        "          parameters:",
        "          - name: seconds",
        '            value: "{{=asInt(workflow.parameters.count) * 2}}"',
        f"  - name: dag-{g}",
        "    parallelism: 4",
        "    inputs:",
        "      parameters:",
        "      - name: message",
        "    dag:",
        "      tasks:",
        "      - name: echo",
        f"        template: echo-{g}",
        "        arguments:",
        "          parameters:",
        "          - name: message",
        f'            value: "{message}"',
        "      - name: measure",
        f"        template: count-{g}",
        "        depends: echo.Succeeded",
        "        arguments:",
        "          parameters:",
        "          - name: message",
        '            value: "{{tasks.echo.outputs.parameters.said}}"',
        "      - name: fan-out",
        f"        template: wait-{g}",
        "        depends: echo && measure",
        '        withParam: "{{tasks.measure.outputs.result}}"',
        "        arguments:",
        "          parameters:",
        "          - name: seconds",
        '            value: "{{item}}"',
    ]


def small_workflow() -> str:
    """The pre-commit case: one short, valid Workflow."""
    return """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: hello-
spec:
  entrypoint: main
  serviceAccountName: hello-runner
  arguments:
    parameters:
    - name: who
      value: world
  templates:
  - name: main
    inputs:
      parameters:
      - name: who
        value: "{{workflow.parameters.who}}"
    container:
      image: alpine:3.19
      command: [echo]
      args: ["hello {{inputs.parameters.who}}"]
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output", type=Path)
    parser.add_argument("--templates", type=int, default=2500)
    args = parser.parse_args()
    args.output.write_text(big_workflow(args.templates), encoding="utf-8")


if __name__ == "__main__":
    main()
