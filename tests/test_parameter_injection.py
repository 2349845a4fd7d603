"""parameter-injection: submitter-controlled parameters pasted into scripts, followed
through the document's calls; an error when an event binding submits the template."""

from __future__ import annotations

from argolint.finding import Severity
from tests.conftest import FIXTURES, findings_of

WF = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: inj-
spec:
  entrypoint: main
  arguments:
    parameters:
      - name: msg
{extra}  templates:
    - name: main
{body}"""


def _spans(findings: list) -> list[tuple[int, int, int, int]]:
    return [(f.span.line, f.span.column, f.span.end_line, f.span.end_column) for f in findings]


def test_event_bound_template_is_an_error_at_each_tag():
    text = (FIXTURES / "injection" / "bad-injection.yaml").read_text()
    found = findings_of(text, "parameter-injection")
    # `ref` (from the event's branch) in the `sh -ec` script, and the library template's
    # input in a Python source; not `jobs` (a literal), not `target` (an enum), and not the
    # positional argument after the script.
    assert _spans(found) == [(37, 30, 37, 55), (47, 18, 47, 47)]
    # The event reaches `ref` through the entrypoint; the uncalled library template
    # `report` is not what the event submits: a warning there.
    assert [f.severity for f in found] == [Severity.ERROR, Severity.WARNING]
    assert "WorkflowEventBinding" not in found[1].message
    assert "`sh -ec` script" in found[0].message and "WorkflowEventBinding `on-push`" in (
        found[0].message
    )
    assert [r.span.line for r in found[0].related] == [59]
    assert "env:" in (found[0].suggestion or "") and "$REF" in (found[0].suggestion or "")


def test_env_passing_is_silent():
    text = (FIXTURES / "injection" / "good-injection.yaml").read_text()
    assert findings_of(text, "parameter-injection") == []


def test_workflow_parameter_in_bash_c_is_a_warning():
    body = (
        "      container:\n        image: alpine:3.20\n"
        "        command: [bash, -c, 'echo {{workflow.parameters.msg}}']\n"
    )
    [f] = findings_of(WF.format(extra="", body=body), "parameter-injection")
    assert f.severity == Severity.WARNING and _spans([f]) == [(14, 35, 14, 62)]


def test_enum_and_literals_are_not_the_submitters():
    body = (
        "      container:\n        image: alpine:3.20\n"
        "        command: [sh, -c, 'echo {{workflow.parameters.msg}}']\n"
    )
    enum = "        enum: [a, b]\n"
    text = WF.format(extra="", body=body).replace(
        "      - name: msg\n", "      - name: msg\n" + enum
    )
    assert findings_of(text, "parameter-injection") == []


def test_flow_through_with_param_items():
    body = """\
      steps:
        - - name: each
            template: echo
            arguments:
              parameters: [{name: v, value: "{{item}}"}]
            withParam: "{{workflow.parameters.msg}}"
        - - name: fixed
            template: echo2
            arguments:
              parameters: [{name: v, value: "{{item}}"}]
            withItems: [a, b]
    - name: echo
      inputs: {parameters: [{name: v}]}
      script: {image: "python:3.12", command: [python], source: "print('{{inputs.parameters.v}}')"}
    - name: echo2
      inputs: {parameters: [{name: v}]}
      script: {image: "python:3.12", command: [python], source: "print('{{inputs.parameters.v}}')"}
"""
    found = findings_of(WF.format(extra="", body=body), "parameter-injection")
    assert [f.span.line for f in found] == [25]


def test_interpreter_scripts_after_options_and_script_files():
    body = (
        "      container:\n        image: python:3.12\n"
        "        command: [python3.12, -u, -c, 'print(\"{{workflow.parameters.msg}}\")']\n"
        "    - name: file\n      container:\n        image: alpine:3.20\n"
        "        command: [sh, run.sh, '{{workflow.parameters.msg}}']\n"
    )
    found = findings_of(WF.format(extra="", body=body), "parameter-injection")
    assert len(found) == 1 and "`python -c` script" in found[0].message


def test_default_from_a_workflow_parameter_is_controlled():
    body = """\
      steps:
        - - name: go
            template: echo
    - name: echo
      inputs:
        parameters:
          - {name: v, default: "{{workflow.parameters.msg}}"}
      container:
        image: alpine:3.20
        command: [sh, -c, "echo {{inputs.parameters.v}}"]
"""
    [f] = findings_of(WF.format(extra="", body=body), "parameter-injection")
    assert f.span.line == 21


def test_event_binding_that_sets_only_constants_is_a_warning():
    text = (FIXTURES / "injection" / "bad-injection.yaml").read_text()
    constant = text.replace("event: payload.ref", 'event: "\\"main\\""')
    assert 'event: "\\"main\\""' in constant
    found = findings_of(constant, "parameter-injection")
    assert [f.severity for f in found] == [Severity.WARNING, Severity.WARNING]
