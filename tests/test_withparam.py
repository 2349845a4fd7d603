"""withParam dataflow: sources exist, run first, produce what is read, and emit a JSON list."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, findings_of, lint_text

from argolint.config import Config
from argolint.engine import Input, run
from argolint.finding import Severity
from argolint.span import Span

WITHPARAM_RULES = (
    "withparam-source-missing",
    "withparam-source-not-run",
    "withparam-no-result",
    "withparam-not-list",
    "withparam-extra-output",
    "unbounded-fan-out",
)


def fixture(name: str) -> str:
    return (FIXTURES / "withparam" / name).read_text()


def by_line(findings: list) -> dict[int, object]:
    return {f.span.line: f for f in findings}


def test_steps_sources():
    text = fixture("bad-sources-steps.yaml")
    missing = by_line(findings_of(text, "withparam-source-missing"))
    assert set(missing) == {20, 26}
    assert missing[20].span == Span(20, 25, 20, 57)
    assert missing[20].suggestion == "did you mean `generate`?"
    assert "has steps, not tasks" in missing[26].message
    not_run = by_line(findings_of(text, "withparam-source-not-run"))
    assert set(not_run) == {17, 23}
    assert "same parallel group" in not_run[17].message
    assert not_run[17].related[0].span.line == 11  # where `generate` is defined
    assert "runs later" in not_run[23].message
    no_result = by_line(findings_of(text, "withparam-no-result"))
    assert set(no_result) == {29, 32}
    assert "steps template" in no_result[29].message
    assert no_result[32].suggestion == "did you mean `items`?"
    assert no_result[32].span == Span(32, 25, 32, 68)


def test_dag_sources():
    text = fixture("bad-sources-dag.yaml")
    not_run = findings_of(text, "withparam-source-not-run")
    assert [f.span for f in not_run] == [Span(16, 25, 16, 58)]
    assert "not an ancestor of `unordered`" in not_run[0].message
    assert "dependencies" in not_run[0].suggestion
    missing = findings_of(text, "withparam-source-missing")
    assert [f.span.line for f in missing] == [20]
    no_result = findings_of(text, "withparam-no-result")
    assert [f.span.line for f in no_result] == [34]
    assert "resource template" in no_result[0].message
    # `through-chain` waits for `generate` through `middle`: an ancestor, no finding
    all_lines = {f.span.line for rule in WITHPARAM_RULES for f in findings_of(text, rule)}
    assert 24 not in all_lines


def test_not_list_from_every_kind_of_source():
    text = fixture("bad-not-list.yaml")
    found = by_line(findings_of(text, "withparam-not-list"))
    assert set(found) == {27, 30, 33, 36, 39, 42, 45, 48, 51}
    py_object = found[27]
    assert py_object.severity == Severity.ERROR
    assert py_object.span == Span(27, 25, 27, 59)
    assert "`py-object` at line 62 prints a JSON object with keys `files`" in py_object.message
    assert py_object.related[0].span == Span(62, 11, 62, 36)
    assert "jsonpath" in py_object.suggestion
    assert "Python list repr" in found[30].message
    assert "`sh-word` at line 76 prints text that is not JSON" in found[33].message
    assert "`container-object` at line 81 prints a JSON object" in found[36].message
    assert "JSON number" in found[39].message
    # a workflow argument may be replaced at submit time: only a warning
    assert found[42].severity == Severity.WARNING
    assert found[42].related[0].span.line == 11
    assert "the value is a JSON object" in found[45].message
    assert "expression evaluates to a JSON number" in found[48].message
    # valueFrom.expression formats a list with Go's %v: `[a b]`
    assert "printed the Go way" in found[51].message
    assert "toJson" in found[51].suggestion


def test_extra_output():
    text = fixture("bad-extra-output.yaml")
    found = by_line(findings_of(text, "withparam-extra-output"))
    assert set(found) == {21, 24, 27, 30}
    assert "prints at line 38" in found[21].message
    assert found[21].related[0].span == Span(38, 11, 38, 45)
    assert found[24].related[0].span == Span(45, 11, 45, 33)
    assert "inside a loop" in found[27].message
    assert found[27].related[0].span.line == 54
    # `echo` next to a `curl` we cannot read: the text is extra whatever curl prints
    assert "`fetch`'s stdout" in found[30].message
    assert found[30].related[0].span == Span(61, 13, 61, 37)
    assert findings_of(text, "withparam-not-list") == []


def test_good_sources_are_silent():
    for name in ("good-sources.yaml", "good-unknown-shapes.yaml"):
        result = lint_text(fixture(name), path=name)
        bad = [f for f in result.findings if f.rule in WITHPARAM_RULES]
        assert bad == [], (name, bad)


def test_unbounded_fan_out_and_its_limits():
    text = fixture("good-sources.yaml").replace("  parallelism: 4\n", "", 1)
    found = findings_of(text, "unbounded-fan-out")
    # (one line less than the fixture). Lists of unknown length: the Python list, the two
    # splitList expressions, toJson (its length is not tracked), the DAG task; literal lists
    # and short lists of known length (echo '[...]', defaults, withItems results) are bounded.
    assert {f.span.line for f in found} == {33, 57, 63, 66, 90}
    assert all(f.severity == Severity.WARNING for f in found)
    assert "parallelism: 10" in found[0].suggestion


def test_docs_loop_example(corpus_dir: Path):
    text = (corpus_dir / "loops-param-result.yaml").read_text()
    result = lint_text(text, path="loops-param-result.yaml")
    assert [f for f in result.findings if f.severity == Severity.ERROR] == []
    (fan_out,) = [f for f in result.findings if f.rule == "unbounded-fan-out"]
    assert fan_out.span == Span(22, 21, 22, 54)
    limited = text.replace("  entrypoint:", "  parallelism: 3\n  entrypoint:")
    assert findings_of(limited, "unbounded-fan-out") == []


def test_limits_from_callers_and_synchronization():
    base = fixture("good-sources.yaml").replace("  parallelism: 4\n", "", 1)
    caller_limited = base.replace(
        "    - name: main\n      steps:", "    - name: main\n      parallelism: 2\n      steps:"
    )
    assert findings_of(caller_limited, "unbounded-fan-out") == []
    synchronized = base.replace(
        "  entrypoint: main\n",
        "  entrypoint: main\n  synchronization:\n    mutex:\n      name: m\n",
    )
    assert findings_of(synchronized, "unbounded-fan-out") == []


def test_no_error_on_corpus(corpus_dir: Path):
    for path in sorted(corpus_dir.rglob("*.yaml")):
        result = lint_text(path.read_text(), path=path.name)
        bad = [
            f for f in result.findings if f.rule in WITHPARAM_RULES and f.severity == Severity.ERROR
        ]
        assert bad == [], (path.name, bad)


def test_tolerates_malformed_input():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: x}
spec:
  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: a
            template: gen
            withParam: {not: a string}
        - - name: b
            withParam: "{{steps.a.outputs.result}}"
          - name: c
            template: gen
            withParam: "{{steps}}"
          - "just a string"
        - null
    - name: gen
      script: "not a mapping"
    - templates: null
"""
    result = lint_text(text)
    assert [f for f in result.findings if f.rule == "internal-error"] == []


def test_any_line_removed_never_crashes():
    """Every fixture with any one line removed (odd shapes everywhere): no internal error."""
    for name in ("good-sources.yaml", "bad-sources-dag.yaml", "bad-not-list.yaml"):
        lines = fixture(name).splitlines(keepends=True)
        for i in range(len(lines)):
            text = "".join(lines[:i] + lines[i + 1 :])
            result = lint_text(text)
            crashes = [f for f in result.findings if f.rule == "internal-error"]
            assert crashes == [], (name, i + 1, crashes)


def test_source_template_in_another_file():
    """The source step calls a WorkflowTemplate of another file: its script is read there,
    and the finding's related location is in that file."""
    from argolint.config import Config
    from argolint.engine import Input, run

    library = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: generators
spec:
  templates:
    - name: regions
      script:
        image: python:3.12-alpine
        command: [python]
        source: |
          import json
          print(json.dumps({"regions": ["eu", "us"]}))
"""
    workflow = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: uses-library-
spec:
  entrypoint: main
  parallelism: 2
  templates:
    - name: main
      steps:
        - - name: list
            templateRef:
              name: generators
              template: regions
        - - name: deploy
            template: deploy
            withParam: "{{steps.list.outputs.result}}"
    - name: deploy
      container:
        image: alpine:3.20
        command: [echo, "{{item}}"]
"""
    result = run(
        [Input("lib.yaml", library.encode()), Input("wf.yaml", workflow.encode())], Config()
    )
    (found,) = [f for f in result.findings if f.rule == "withparam-not-list"]
    assert found.path == "wf.yaml" and found.span == Span(17, 25, 17, 54)
    assert "`regions` at line 13 prints a JSON object" in found.message
    assert found.related[0].path == "lib.yaml"
    assert found.related[0].span == Span(13, 11, 13, 55)


def test_item_keys_of_withparam_lists():
    text = fixture("bad-item-keys.yaml")
    found = by_line(findings_of(text, "item-key-missing"))
    assert set(found) == {26, 34}
    typo = found[26]
    assert typo.span == Span(26, 29, 26, 38)  # `item.nmae`, not the valid `item.size`
    assert "`files` at line 50 prints a JSON list of objects" in typo.message
    assert typo.suggestion == "did you mean `item.name`?"
    assert typo.related[0].span == Span(27, 24, 27, 56)  # the withParam value
    assert typo.related[1].span.line == 50  # the line that prints the list
    assert "prints a JSON list of objects" in typo.related[1].message
    assert "plain values" in found[34].message
    # a workflow argument may be replaced at submit time: its keys are not held against it
    assert 41 not in found


def test_one_finding_per_broken_source():
    """The general reference rules leave a broken withParam source to the withparam rules."""
    general = ("step-not-yet-run", "unresolved-variable", "undeclared-output")
    for name in ("bad-sources-steps.yaml", "bad-sources-dag.yaml"):
        result = lint_text(fixture(name), path=name)
        lines: dict[int, list[str]] = {}
        for f in result.findings:
            if f.rule in general or f.rule.startswith("withparam-"):
                lines.setdefault(f.span.line, []).append(f.rule)
        assert all(len(rules) == 1 for rules in lines.values()), lines
        assert all(rules[0].startswith("withparam-") for rules in lines.values()), lines
    # elsewhere the general rule still reports a step that has not run
    text = fixture("bad-sources-steps.yaml").replace(
        'withParam: "{{steps.generate.outputs.result}}"',
        'withParam: "{{steps.generate.outputs.result}}"\n'
        '            arguments: {parameters: [{name: x, value: "{{steps.generate.id}}"}]}',
    )
    assert [f.span.line for f in findings_of(text, "step-not-yet-run")] == [18]


def test_resource_jsonpath_wildcards_are_not_json():
    text = fixture("bad-resource-jsonpath.yaml")
    (found,) = findings_of(text, "withparam-not-list")
    assert found.span == Span(15, 25, 15, 69)
    assert "space-separated matches" in found.message
    assert found.related[0].span.line == 29
    assert "jqFilter" in found.suggestion


def test_every_good_source_is_read():
    """Each source of good-sources.yaml is understood: turning its list into an object is
    reported at the loop that reads it (so silence there is knowledge, not ignorance)."""
    text = fixture("good-sources.yaml")
    swaps = {
        "container-sh": ("args: [\"echo '[1, 2, 3]'\"]", "args: [\"echo '{}'\"]"),
        "container-echo": ('command: [echo, \'["x", "y"]\']', "command: [echo, '{}']"),
        "jq": ('jq -n -c \'[{"id": 1}, {"id": 2}]\'', "jq -n -c '{\"id\": 1}'"),
        "heredoc": ('          ["a", "b"]\n', '          {"a": "b"}\n'),
        "sh": ('echo \'[{"name": "{{workflow.name}}"}]\'', "echo '{\"name\": 1}'"),
        "py": ("json.dump(items, sys.stdout)", "json.dump({'items': items}, sys.stdout)"),
    }
    for step, (old, new) in swaps.items():
        assert old in text, step
        found = findings_of(text.replace(old, new), "withparam-not-list")
        assert any(f"`{step}` at line" in f.message for f in found), (step, found)


def test_cron_workflow_and_workflow_template_forms():
    body = fixture("bad-not-list.yaml").split("spec:\n", 1)[1]
    cron = (
        "apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\nmetadata:\n  name: c\n"
        "spec:\n  schedule: '0 * * * *'\n  workflowSpec:\n"
        + "".join(f"  {line}\n" if line else "\n" for line in body.splitlines())
    )
    found = findings_of(cron, "withparam-not-list")
    assert len(found) == 9
    assert found[0].span.line == 29 and found[0].span.column == 27  # shifted by the wrapper
    template = "apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata:\n  name: t\n"
    assert len(findings_of(template + "spec:\n" + body, "withparam-not-list")) == 9


def test_a_loop_reading_its_own_output():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: self-}
spec:
  entrypoint: main
  parallelism: 2
  templates:
    - name: main
      dag:
        tasks:
          - name: fan
            template: gen
            withParam: "{{tasks.fan.outputs.result}}"
    - name: gen
      script:
        image: python:3.12-alpine
        command: [python]
        source: print('[1]')
"""
    (found,) = findings_of(text, "withparam-source-not-run")
    assert found.span == Span(13, 25, 13, 53)
    assert "reads its own output" in found.message
    assert findings_of(text, "step-not-yet-run") == []


def test_item_key_missing_names_the_source_in_another_file():
    """The list's keys come from a template of another file: the note points there."""
    lib = (
        "apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata:\n  name: lib\n"
        "spec:\n  templates:\n  - name: gen\n    script:\n      image: python:3.12\n"
        "      command: [python]\n      source: |\n        import json\n"
        "        print(json.dumps([{'id': 1, 'path': 'x'}]))\n"
    )
    wf = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: w-\n"
        "spec:\n  entrypoint: main\n  parallelism: 2\n  templates:\n  - name: main\n"
        "    steps:\n    - - name: gen\n        templateRef: {name: lib, template: gen}\n"
        "    - - name: each\n        template: echo\n"
        '        arguments: {parameters: [{name: msg, value: "{{item.pth}}"}]}\n'
        '        withParam: "{{steps.gen.outputs.result}}"\n'
        "  - name: echo\n    inputs: {parameters: [{name: msg}]}\n"
        "    container: {image: alpine:3, command: [echo, '{{inputs.parameters.msg}}']}\n"
    )
    result = run(
        [Input("wf.yaml", wf.encode()), Input("lib.yaml", lib.encode())],
        Config(select={"item-key-missing"}),
    )
    (found,) = result.findings
    assert found.path == "wf.yaml" and found.span == Span(15, 56, 15, 64)
    assert [(r.path, r.span.line) for r in found.related] == [("wf.yaml", 16), ("lib.yaml", 13)]


def test_expression_naming_the_source_with_brackets_is_followed():
    """`{{=steps['gen-obj'].outputs.result}}` is the same source as the plain tag."""
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: w-\n"
        "spec:\n  entrypoint: main\n  parallelism: 2\n  templates:\n  - name: main\n"
        "    steps:\n    - - name: gen-obj\n        template: gen\n"
        "    - - name: each\n        template: echo\n"
        '        arguments: {parameters: [{name: msg, value: "{{item}}"}]}\n'
        "        withParam: \"{{= steps['gen-obj'].outputs.result }}\"\n"
        "  - name: gen\n    script:\n      image: python:3.12\n      command: [python]\n"
        "      source: |\n        import json\n        print(json.dumps({'a': 1}))\n"
        "  - name: echo\n    inputs: {parameters: [{name: msg}]}\n"
        "    container: {image: alpine:3, command: [echo, '{{inputs.parameters.msg}}']}\n"
    )
    (found,) = findings_of(text, "withparam-not-list")
    assert found.span == Span(16, 21, 16, 59)
    assert "`gen` at line 23 prints a JSON object" in found.message


def test_aggregated_output_parameters_holding_json_objects_are_objects():
    """Argo decodes a looped step's output values when every one is a JSON object or list
    (`aggregatedJSONValueList`): `{{item.host}}` over them is fine, not a key of a string."""
    text = fixture("good-aggregated-json-parameters.yaml")
    assert [f for f in lint_text(text).findings if f.severity == Severity.ERROR] == []


def test_aggregated_output_parameters_of_plain_values_are_strings():
    text = fixture("good-aggregated-json-parameters.yaml").replace(
        "        valueFrom: {path: /tmp/status.json}", '        value: "up"'
    )
    found = findings_of(text, "item-key-missing")
    assert [f.span for f in found] == [Span(17, 54, 17, 63), Span(17, 69, 17, 76)]
    assert "collected into a JSON list of strings" in found[0].message


def test_a_default_every_caller_overrides_is_not_judged():
    """Every caller passes `list` (a value only known at run time): the input's default
    never reaches the `withParam`."""
    text = fixture("good-default-never-used.yaml")
    assert findings_of(text, "withparam-not-list") == []
    # a caller that passes nothing lets the default through
    passing = (
        '        arguments: {parameters: [{name: list, value: "{{steps.gen.outputs.result}}"}]}\n'
    )
    lonely = text.replace(passing, "")
    (found,) = findings_of(lonely, "withparam-not-list")
    assert found.severity == Severity.WARNING and "line 23" in found.message


def test_an_entrypoint_argument_without_value_hides_the_default():
    """`spec.arguments` lists `list` without a value: it is supplied at submit time."""
    declared = "  entrypoint: fan\n  arguments:\n    parameters:\n    - name: list\n"
    text = fixture("good-default-never-used.yaml").replace("  entrypoint: main\n", declared)
    assert findings_of(text, "withparam-not-list") == []


def test_an_inline_source_is_named_by_its_task():
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: w-\n"
        "spec:\n  entrypoint: main\n  parallelism: 2\n  templates:\n  - name: main\n"
        "    dag:\n      tasks:\n      - name: gen\n        inline:\n          script:\n"
        "            image: python:3.12\n            command: [python]\n"
        "            source: |\n              import json\n"
        "              print(json.dumps({'a': 1}))\n"
        "      - name: each\n        depends: gen\n"
        '        withParam: "{{tasks.gen.outputs.result}}"\n'
        "        inline:\n          container: {image: alpine:3, command: [echo, '{{item}}']}\n"
    )
    (found,) = findings_of(text, "withparam-not-list")
    assert "the inline template of task `gen` at line 19 prints a JSON object" in found.message
    assert found.related[0].span.line == 19


LIBRARY = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: lib
spec:
  templates:
  - name: fan
    inputs: {parameters: [{name: items}]}
    steps:
    - - name: each
        template: echo
        arguments: {parameters: [{name: msg, value: "{{item}}"}]}
        withParam: "{{inputs.parameters.items}}"
  - name: echo
    inputs: {parameters: [{name: msg}]}
    container: {image: "alpine:3", command: [echo, "{{inputs.parameters.msg}}"]}
"""

CALLER = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: use-
spec:
  entrypoint: main
  parallelism: 4
  templates:
  - name: main
    steps:
    - - name: fan
        templateRef: {name: lib, template: fan}
        arguments: {parameters: [{name: items, value: '["a"]'}]}
"""


CRON = """\
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: nightly
spec:
  schedules: ['0 * * * *']
  workflowSpec:
    entrypoint: main
    parallelism: 4
    templates:
    - name: main
      steps:
      - - name: fan
          templateRef: {name: lib, template: fan}
          arguments: {parameters: [{name: items, value: '["a"]'}]}
"""


def _unbounded(*files: tuple[str, str]) -> list:
    result = run([Input(p, t.encode()) for p, t in files], Config(select={"unbounded-fan-out"}))
    return result.findings


def test_a_library_fan_out_is_bounded_when_every_caller_limits_the_workflow():
    """A templateRef'd template runs inside the caller's workflow, under its parallelism."""
    assert [f.path for f in _unbounded(("lib.yaml", LIBRARY))] == ["lib.yaml"]
    assert _unbounded(("lib.yaml", LIBRARY), ("wf.yaml", CALLER)) == []
    assert _unbounded(("lib.yaml", LIBRARY), ("wf.yaml", CALLER), ("cron.yaml", CRON)) == []
    # one caller without a limit is enough for the warning
    free = CALLER.replace("  parallelism: 4\n", "").replace("generateName: use-", "name: free")
    found = _unbounded(("lib.yaml", LIBRARY), ("wf.yaml", CALLER), ("free.yaml", free))
    assert [f.path for f in found] == ["lib.yaml"]


def test_a_node_script_printing_an_object():
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: w-\n"
        "spec:\n  entrypoint: main\n  parallelism: 2\n  templates:\n  - name: main\n"
        "    steps:\n    - - name: gen\n        template: gen\n"
        "    - - name: each\n        template: echo\n"
        '        arguments: {parameters: [{name: msg, value: "{{item}}"}]}\n'
        '        withParam: "{{steps.gen.outputs.result}}"\n'
        "  - name: gen\n    script:\n      image: node:20\n      command: [node]\n"
        "      source: |\n        const regions = { eu: 1, us: 2 };\n"
        "        console.log(JSON.stringify(regions));\n"
        "  - name: echo\n    inputs: {parameters: [{name: msg}]}\n"
        "    container: {image: alpine:3, command: [echo, '{{inputs.parameters.msg}}']}\n"
    )
    (found,) = findings_of(text, "withparam-not-list")
    assert "`gen` at line 23 prints a JSON object" in found.message
    assert found.related[0].span == Span(23, 9, 23, 45)
    fixed = text.replace("{ eu: 1, us: 2 }", "['eu', 'us']")
    assert findings_of(fixed, "withparam-not-list") == []


def test_an_output_expression_that_only_names_a_result_is_followed():
    """`valueFrom.expression: "tasks['gen'].outputs.result"` passes the text through."""
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: w-\n"
        "spec:\n  entrypoint: main\n  parallelism: 2\n  templates:\n  - name: main\n"
        "    steps:\n    - - name: inner\n        template: inner\n"
        "    - - name: each\n        template: echo\n"
        '        arguments: {parameters: [{name: msg, value: "{{item}}"}]}\n'
        '        withParam: "{{steps.inner.outputs.parameters.out}}"\n'
        "  - name: inner\n    dag:\n      tasks:\n      - name: gen\n        template: gen\n"
        "    outputs:\n      parameters:\n      - name: out\n        valueFrom:\n"
        "          expression: \"tasks['gen'].outputs.result\"\n"
        "  - name: gen\n    script:\n      image: python:3.12\n      command: [python]\n"
        "      source: |\n        import json\n        print(json.dumps({'a': 1}))\n"
        "  - name: echo\n    inputs: {parameters: [{name: msg}]}\n"
        "    container: {image: alpine:3, command: [echo, '{{inputs.parameters.msg}}']}\n"
    )
    (found,) = findings_of(text, "withparam-not-list")
    assert "`gen` at line 33 prints a JSON object" in found.message


def test_a_loop_over_its_own_output_is_not_told_to_move_or_depend_on_itself():
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: w-\n"
        "spec:\n  entrypoint: main\n  parallelism: 2\n  templates:\n  - name: main\n"
        "    steps:\n    - - name: each\n        template: echo\n"
        '        withParam: "{{steps.each.outputs.result}}"\n'
        "  - name: echo\n    container: {image: alpine:3, command: [echo, '{{item}}']}\n"
    )
    (found,) = findings_of(text, "withparam-source-not-run")
    assert "its own output" in found.message
    assert found.suggestion == "loop over the output of a step of an earlier group"
