# ruff: noqa: E501  (one malformed shape per line reads best)
"""Partial and malformed documents: every rule tolerates whatever shape it meets (a missing
``spec``, a template that is a string, ``templates: null``, steps of scalars, a list where a
mapping belongs…) and no rule crashes; the schema rule reports the shape instead."""

from __future__ import annotations

import itertools

import pytest
from conftest import lint_text

HEAD = "apiVersion: argoproj.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: x\n"
# fmt: off
BODIES = [
    "", "spec:\n", "spec: null\n", "spec: 3\n", "spec: [a]\n", "spec: {templates: null}\n",
    "spec: {templates: [a, 1, null, [x]]}\n", "spec: {templates: {a: b}}\n", "spec: {templates: x}\n",
    "spec: {entrypoint: [a], templates: [{name: [x]}]}\n",
    "spec: {templates: [{name: a, steps: [a, [b, 1, null], {x: y}]}]}\n",
    "spec: {templates: [{name: a, steps: null}]}\n",
    "spec: {templates: [{name: a, steps: [[{name: s, template: [t], arguments: x}]]}]}\n",
    "spec: {templates: [{name: a, dag: {tasks: [x, {name: t, depends: [1], template: a}]}}]}\n",
    "spec: {templates: [{name: a, dag: {tasks: {a: b}}}]}\n",
    "spec: {templates: [{name: a, dag: null}]}\n",
    "spec: {templates: [{name: a, container: null}]}\n",
    "spec: {templates: [{name: a, container: [x], script: 3}]}\n",
    "spec: {templates: [{name: a, script: {source: [x]}}]}\n",
    "spec: {templates: [{name: a, inputs: {parameters: [a, {name: [x]}, {name: p, value: {a: 1}}]}}]}\n",
    "spec: {templates: [{name: a, inputs: [x], outputs: x}]}\n",
    "spec: {templates: [{name: a, outputs: {parameters: [{name: p, valueFrom: x}], artifacts: 1}}]}\n",
    "spec: {arguments: {parameters: x}, templates: [{name: a}]}\n",
    "spec: {arguments: [x]}\n",
    "spec: {arguments: {parameters: [{name: p, value: [1]}, 5, {valueFrom: {configMapKeyRef: 1}}]}}\n",
    "spec: {templates: [{name: a, steps: [[{name: s, template: a, withParam: [1], withItems: x, when: [1]}]]}]}\n",
    "spec: {templates: [{name: a, steps: [[{name: s, templateRef: x}]]}]}\n",
    "spec: {templates: [{name: a, steps: [[{name: s, templateRef: {name: [x], template: 1}}]]}]}\n",
    "spec: {workflowTemplateRef: x}\n", "spec: {workflowTemplateRef: {name: [a]}}\n",
    "spec: {workflowSpec: null}\n", "spec: {workflowSpec: [x], schedules: x}\n",
    "spec: {workflowSpec: {templates: [1]}, schedule: [x]}\n",
    "spec: {securityContext: x, podSpecPatch: [x], templates: [{name: a, securityContext: 1, container: {securityContext: [x], image: [1], env: x, volumeMounts: 1}}]}\n",
    "spec: {serviceAccountName: [x], templates: [{name: a, serviceAccountName: 1, resource: {action: [x], manifest: [x]}}]}\n",
    "spec: {templates: [{name: a, resource: {action: create, manifest: 'a: [\\n'}}]}\n",
    "spec: {templates: [{name: a, resource: {action: create, manifest: '{{x}}'}}]}\n",
    "spec: {hooks: x, onExit: [1], templates: [{name: a, hooks: [1], retryStrategy: x, metrics: 1, synchronization: [1]}]}\n",
    "spec: {templates: [{name: a, metrics: {prometheus: [x, {name: [1]}]}}]}\n",
    "spec: {volumes: x, volumeClaimTemplates: [1], templates: [{name: a, volumes: 1}]}\n",
    "spec: {templates: [{name: a, containerSet: {containers: x}}]}\n",
    "spec: {templates: [{name: a, containerSet: {containers: [1, {name: [x], dependencies: x}]}}]}\n",
    "spec: {templates: [{name: a, data: {source: x, transformation: 1}}]}\n",
    "spec: {templates: [{name: a, http: {url: [x]}, plugin: 1, suspend: [x]}]}\n",
    "spec: {templates: [{name: a, inline: x, steps: [[{name: s, inline: [x]}]]}]}\n",
    "spec: {templateDefaults: x, podGC: [x], ttlStrategy: 1, executor: x, parallelism: '{{x}}'}\n",
]
EXTRA = ["kind: Workflow\n", "[1, 2]\n", "kind: Workflow\napiVersion: [x]\n", "kind: Workflow\nmetadata: x\n", "kind: Workflow\nmetadata: {name: [x], labels: x, annotations: [1]}\n",
 "kind: Role\nrules: x\n", "kind: RoleBinding\nroleRef: x\nsubjects: [1]\n", "kind: ServiceAccount\nmetadata: null\n", "kind: ClusterRole\nrules: [1, {verbs: x, resources: [1]}]\n"]
# fmt: on
KINDS = ["Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"]
CASES = [HEAD.format(kind=k) + b for k, b in itertools.product(KINDS, BODIES)] + EXTRA


@pytest.mark.parametrize("text", CASES)
def test_no_rule_crashes_on_a_malformed_shape(text: str):
    findings = lint_text(text, select={"all"}).findings
    crashes = [f for f in findings if f.rule == "internal-error"]
    assert not crashes, f"{crashes[0].message}\n{crashes[0].details}"


@pytest.mark.parametrize(
    "body",
    [
        "spec: {templates: [just-a-string]}\n",
        "spec: {templates: null}\n",
        "spec: {templates: [{name: a, steps: [a, b]}]}\n",
    ],
)
def test_the_schema_rule_reports_the_shape(body: str):
    findings = lint_text(HEAD.format(kind="Workflow") + body).findings
    assert any(f.severity.name == "ERROR" and f.span.line >= 5 for f in findings), findings
