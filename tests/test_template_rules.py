"""The templating rules on fixtures: each finding, its rule and the exact place it starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, findings_of, lint_text

TEMPLATING = {
    "tag-syntax",
    "unresolved-variable",
    "step-not-yet-run",
    "undeclared-output",
    "item-outside-loop",
    "item-key-missing",
    "hyphen-in-expression",
    "expr-builtin-name",
}


def fixture(name: str) -> str:
    return (FIXTURES / "templating" / name).read_text(encoding="utf-8")


def position(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the ``occurrence``-th ``needle`` in ``text``."""
    at = -1
    for _ in range(occurrence):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    return line, column


def templating_findings(text: str) -> list:
    return [f for f in lint_text(text).findings if f.rule in TEMPLATING]


def assert_finding(found: list, rule: str, text: str, needle: str, occurrence: int = 1):
    line, column = position(text, needle, occurrence)
    matches = [
        f for f in found if f.rule == rule and (f.span.line, f.span.column) == (line, column)
    ]
    assert matches, f"no {rule} at {line}:{column} ({needle!r}); found " + str(
        [(f.rule, f.span.line, f.span.column, f.message) for f in found]
    )
    return matches[0]


@pytest.mark.parametrize(
    "name", sorted(p.name for p in (FIXTURES / "templating").glob("good-*.yaml"))
)
def test_good_fixtures_have_no_templating_findings(name: str):
    found = templating_findings(fixture(name))
    assert found == [], [(f.rule, f.span.line, f.span.column, f.message) for f in found]


def test_scope_rules_on_bad_scopes():
    text = fixture("bad-scopes.yaml")
    found = templating_findings(text)
    # a reference into a parallel step group
    f = assert_finding(found, "step-not-yet-run", text, "steps.gen.outputs.result")
    assert "same step group 1" in f.message and f.suggestion
    assert f.related and f.related[0].message == "`gen` is defined here"
    assert_finding(found, "step-not-yet-run", text, "steps.wait.outputs.result")
    later = assert_finding(found, "step-not-yet-run", text, "steps.later.outputs.result")
    assert "later step group" in later.message
    # outputs the template does not declare / produce
    assert_finding(found, "undeclared-output", text, "steps.gen.outputs.parameters.nope")
    # unknown names, each with the closest valid name
    wiat = assert_finding(found, "unresolved-variable", text, "steps.wiat.status")
    assert wiat.suggestion == "did you mean `steps.wait.status`?"
    typo = assert_finding(found, "unresolved-variable", text, "workflw.name")
    assert typo.suggestion == "did you mean `workflow.name`?"
    inp = assert_finding(found, "unresolved-variable", text, "input.parameters.x")
    assert inp.suggestion == "did you mean `inputs.parameters.x`?"
    param = assert_finding(found, "unresolved-variable", text, "workflow.parameters.mesage")
    assert param.suggestion == "did you mean `workflow.parameters.message`?"
    label = assert_finding(found, "unresolved-variable", text, "workflow.labels.tema")
    assert label.suggestion == "did you mean `workflow.labels.team`?"
    mgs = assert_finding(found, "unresolved-variable", text, "inputs.parameters.mgs")
    assert mgs.suggestion == "did you mean `inputs.parameters.msg`?"
    for needle in ("retries", "workflow.priority", "workflow.failures", "{{status", "cronworkflow"):
        start = needle.lstrip("{")
        line, column = position(text, needle)
        column += len(needle) - len(start)
        assert any(
            f.rule == "unresolved-variable" and (f.span.line, f.span.column) == (line, column)
            for f in found
        ), needle
    line, column = position(text, "{{outputs.result}}")
    assert any(
        f.rule == "unresolved-variable" and (f.span.line, f.span.column) == (line, column + 2)
        for f in found
    )
    # a DAG task output used without a dependency, and a task reading itself
    dag = assert_finding(found, "step-not-yet-run", text, "tasks.A.outputs.result")
    assert dag.suggestion == 'add `depends: "A"`'
    transitive = assert_finding(found, "step-not-yet-run", text, "tasks.A.exitCode")
    assert transitive.suggestion == 'add it to `depends`: "B && A"'
    assert_finding(found, "step-not-yet-run", text, "tasks.C.status")
    # `tasks.B` is an ancestor of C: no finding there
    line, column = position(text, "tasks.B.outputs.result")
    assert not [f for f in found if (f.span.line, f.span.column) == (line, column)]


def test_finding_span_covers_the_reference():
    text = fixture("bad-scopes.yaml")
    found = templating_findings(text)
    f = assert_finding(found, "unresolved-variable", text, "workflw.name")
    assert f.span.end_line == f.span.line
    assert f.span.end_column - f.span.column == len("workflw.name")


def test_item_rules():
    text = fixture("bad-items.yaml")
    found = templating_findings(text)
    some = assert_finding(found, "item-key-missing", text, "item.size")
    assert "some of" in some.message
    typo = assert_finding(found, "item-key-missing", text, "item.nmae")
    assert typo.suggestion == "did you mean `item.name`?"
    plain = assert_finding(found, "item-key-missing", text, "item.name")
    assert "plain values" in plain.message
    assert_finding(found, "item-outside-loop", text, "item}}", 1)
    inner = assert_finding(found, "item-outside-loop", text, "item}}", 2)
    assert "not inside the template it calls" in inner.message
    assert len(found) == 5


def test_syntax_and_pitfalls():
    text = fixture("bad-syntax.yaml")
    found = templating_findings(text)
    line, column = position(text, "{{inputs.parameters.}}")
    assert any(
        f.rule == "tag-syntax" and (f.span.line, f.span.column) == (line, column + 20)
        for f in found
    )
    assert_finding(found, "tag-syntax", text, "steps['a']")
    line, column = position(text, "A && (A.Succeded")
    assert any(f.rule == "tag-syntax" and f.span.line == line for f in found)
    when = assert_finding(found, "tag-syntax", text, "= x")
    assert "`when`" in when.message
    assert_finding(found, "tag-syntax", text, "{{unterminated")
    hyphen = assert_finding(found, "hyphen-in-expression", text, "inputs.parameters.my-param")
    assert hyphen.suggestion == "write `inputs.parameters['my-param']`"
    old_argo = findings_of(text, "expr-builtin-name", argo_version="3.5.2")
    assert_finding(old_argo, "expr-builtin-name", text, "split && A")
    assert not [f for f in found if f.rule == "unresolved-variable"]


def test_expr_builtin_name_respects_the_argo_version():
    text = fixture("bad-syntax.yaml")
    # Without a version, the newest Argo is meant (as for the schema): builtins are fine.
    assert not findings_of(text, "expr-builtin-name")
    assert findings_of(text.replace("split", "in"), "expr-builtin-name")
    assert not findings_of(text, "expr-builtin-name", argo_version="3.5.5")
    assert findings_of(text, "expr-builtin-name", argo_version="3.5.2")
    keyword = text.replace("split", "in")
    assert findings_of(keyword, "expr-builtin-name", argo_version="3.7.0")


WORKFLOW_TEMPLATE = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: shared
spec:
  arguments:
    parameters:
      - name: env
  templates:
    - name: main
      container:
        image: alpine:3.20
        command: [echo, "{{workflow.parameters.env}} {{workflow.parameters.region}}"]
    - name: notify
      container:
        image: alpine:3.20
        command: [echo, "{{workflow.failures}}"]
"""


def test_workflow_template_parameters_are_warnings_and_failures_allowed():
    found = templating_findings(WORKFLOW_TEMPLATE)
    assert [(f.rule, str(f.severity)) for f in found] == [("unresolved-variable", "warning")]
    assert "region" in found[0].message


CRON_OUTSIDE = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: x-
spec:
  entrypoint: main
  templates:
    - name: main
      retryStrategy:
        expression: "lastRetry.exitCod > 1"
      container:
        image: alpine:3.20
        command: [echo, "{{=cronworkflow.name}}"]
"""


def test_raw_expressions_and_expression_tags_are_checked():
    found = templating_findings(CRON_OUTSIDE)
    retry = assert_finding(found, "unresolved-variable", CRON_OUTSIDE, "lastRetry.exitCod")
    assert retry.suggestion == "did you mean `lastRetry.exitCode`?"
    assert_finding(found, "unresolved-variable", CRON_OUTSIDE, "cronworkflow.name")


def test_foreign_template_languages_are_left_alone():
    text = WORKFLOW_TEMPLATE.replace(
        "{{workflow.failures}}", "{{ .Values.x }} {{ toYaml .spec }} {{ username }}"
    )
    assert not [f for f in templating_findings(text) if "Values" in f.message]
    assert not [f for f in templating_findings(text) if f.rule == "tag-syntax"]


@pytest.mark.parametrize(
    "snippet",
    [
        "templates: null",
        "templates: [a-string, 3, null]",
        "templates:\n    - name: t\n      steps: [[{name: s, template: t, when: 3}], x]",
        "templates:\n    - name: t\n      dag: {tasks: [{name: a, depends: 5}, 7]}",
        "templates:\n    - name: t\n      dag: {tasks: [{name: a, dependencies: a}]}",
        "\n".join(
            [
                "templates:",
                "    - name: t",
                "      inputs: {parameters: {name: x}}",
                '      container: {args: ["{{inputs.parameters.x}}"]}',
            ]
        ),
    ],
)
def test_odd_shapes_do_not_crash(snippet: str):
    head = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: x}\n"
    text = f"{head}spec:\n  {snippet}\n"
    assert not [f for f in lint_text(text).findings if f.rule == "internal-error"]


def test_corpus_has_no_templating_errors(corpus_dir: Path):
    from argolint.config import Config
    from argolint.engine import inputs_from_paths, run

    result = run(inputs_from_paths([corpus_dir]), Config(select=TEMPLATING | {"internal-error"}))
    errors = [
        (f.path, f.span.line, f.rule, f.message)
        for f in result.findings
        if str(f.severity) == "error"
    ]
    assert errors == []


LITERAL_PARAM = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: literal-
spec:
  entrypoint: main
  templateDefaults:
    container:
      env:
        - name: X
          value: "{{inputs.parameters.anything}}"
  templates:
    - name: main
      steps:
        - - name: each
            template: echo
            withParam: '[{"os": "linux"}, {"os": "darwin"}]'
            arguments:
              parameters:
                - name: msg
                  value: "{{item.os}} {{item.arch}}"
          - name: nested
            inline:
              steps:
                - - name: inner
                    template: echo
                    arguments:
                      parameters:
                        - name: msg
                          value: "{{steps.each.outputs.result}}"
        - - name: after
            template: echo
            hooks:
              running:
                expression: steps.after.status == "Running" && workflow.status == "Running"
                template: echo
                arguments:
                  parameters:
                    - name: msg
                      value: "{{steps.after.status}}"
            arguments:
              parameters:
                - name: msg
                  value: "{{steps.each.outputs.result}} {{steps.nested.status}}"
    - name: echo
      inputs:
        parameters:
          - name: msg
      container:
        image: alpine:3.20
        command: [echo, "{{inputs.parameters.msg}}"]
"""


def test_literal_with_param_hooks_inline_and_template_defaults():
    found = templating_findings(LITERAL_PARAM)
    assert [(f.rule, f.span.line) for f in found] == [
        ("item-key-missing", position(LITERAL_PARAM, "item.arch")[0]),
        # `nested`, inline template included, is substituted in the outer scope, where
        # `each` runs in the same step group
        ("step-not-yet-run", position(LITERAL_PARAM, "steps.each.outputs.result")[0]),
    ]


CROSS_FILE_TEMPLATE = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: builder
spec:
  templates:
    - name: build
      outputs:
        parameters:
          - name: image
            valueFrom:
              path: /tmp/image
      container:
        image: alpine:3.20
"""

CROSS_FILE_WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: uses-builder-
spec:
  entrypoint: main
  templates:
    - name: main
      dag:
        tasks:
          - name: build
            templateRef: {name: builder, template: build}
          - name: show
            depends: build
            template: show
            arguments:
              parameters:
                - name: image
                  value: "{{tasks.build.outputs.parameters.img}}"
          - name: remote
            templateRef: {name: elsewhere, template: x}
          - name: show-remote
            depends: remote
            template: show
            arguments:
              parameters:
                - name: image
                  value: "{{tasks.remote.outputs.parameters.anything}}"
    - name: show
      inputs:
        parameters:
          - name: image
      container:
        image: alpine:3.20
        command: [echo, "{{inputs.parameters.image}}"]
"""


def test_outputs_of_templates_in_other_files(tmp_path: Path):
    from argolint.config import Config
    from argolint.engine import inputs_from_paths, run

    (tmp_path / "builder.yaml").write_text(CROSS_FILE_TEMPLATE)
    (tmp_path / "workflow.yaml").write_text(CROSS_FILE_WORKFLOW)
    result = run(inputs_from_paths([tmp_path]), Config(select={"undeclared-output"}))
    found = [f for f in result.findings if f.rule == "undeclared-output"]
    assert len(found) == 1
    assert found[0].path.endswith("workflow.yaml")
    assert found[0].suggestion == "did you mean `tasks.build.outputs.parameters.image`?"
    assert found[0].span.line == position(CROSS_FILE_WORKFLOW, "tasks.build.outputs")[0]


def test_dag_ancestors_are_transitive_and_cycle_safe():
    from argolint.analysis.dag import build_dag
    from argolint.config import Config
    from argolint.model import Manifest
    from argolint.source.loader import load_bytes

    tasks = "\n".join(
        f"      - {{name: t{i}, template: x, depends: t{i - 1}}}" for i in range(1, 400)
    )
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: x}\nspec:\n"
        "  templates:\n  - name: d\n    dag:\n      tasks:\n      - {name: t0, template: x}\n"
        f"{tasks}\n      - {{name: c1, template: x, depends: c2}}\n"
        "      - {name: c2, template: x, depends: c1 && t5}\n"
    )
    doc = load_bytes(text.encode(), "x.yaml", Config().limits).documents[0]
    graph = build_dag(Manifest(doc).templates[0])
    assert graph.is_ancestor("t0", "t399") and not graph.is_ancestor("t399", "t0")
    assert len(graph.ancestors("t399")) == 399
    assert graph.ancestors("c1") == {"c2", "t0", "t1", "t2", "t3", "t4", "t5"}
    assert graph.cycles() == [["c1", "c2"]]


LIBRARY = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: library
spec:
  templates:
    - name: build
      container:
        image: alpine:3.20
        command: [echo, "{{workflow.parameters.repo}} {{workflow.parameters.branch}}"]
"""

PIPELINE = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: pipeline
spec:
  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: build
            templateRef: {name: library, template: build}
"""

RUN = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: run-
  labels: {team: a}
spec:
  arguments:
    parameters:
      - name: repo
        value: x
  workflowTemplateRef:
    name: pipeline
"""


def test_workflow_template_parameters_come_from_its_users(tmp_path: Path):
    from argolint.config import Config
    from argolint.engine import inputs_from_paths, run

    (tmp_path / "library.yaml").write_text(LIBRARY)
    alone = [
        f
        for f in run(inputs_from_paths([tmp_path]), Config()).findings
        if f.rule == "unresolved-variable"
    ]
    assert [str(f.severity) for f in alone] == ["info", "info"]
    (tmp_path / "pipeline.yaml").write_text(PIPELINE)
    (tmp_path / "run.yaml").write_text(RUN)
    used = [
        f
        for f in run(inputs_from_paths([tmp_path]), Config()).findings
        if f.rule == "unresolved-variable"
    ]
    # `repo` comes from the Workflow through the pipeline; nobody supplies `branch`
    assert len(used) == 1 and "branch" in used[0].message
    assert str(used[0].severity) == "warning"


def test_unknown_labels_are_warnings():
    text = RUN.replace("workflowTemplateRef:\n    name: pipeline\n", "").replace(
        "spec:\n",
        "spec:\n  entrypoint: main\n  templates:\n    - name: main\n"
        "      container: {image: a, args: ['{{workflow.labels.taem}}']}\n",
    )
    (found,) = findings_of(text, "unresolved-variable")
    assert str(found.severity) == "warning"
    assert found.suggestion == "did you mean `workflow.labels.team`?"


METRIC_WHEN = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: metric-
spec:
  entrypoint: main
  templates:
    - name: main
      metrics:
        prometheus:
          - name: result
            help: result
            when: "{{status}} === Succeeded"
            counter:
              value: "1"
      container:
        image: alpine:3.20
"""


def test_metric_when_is_parsed():
    (found,) = findings_of(METRIC_WHEN, "tag-syntax")
    assert (found.span.line, found.span.column) == position(METRIC_WHEN, "= Succeeded")


CROSS_SUGGESTIONS = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: s-}
spec:
  entrypoint: d
  arguments: {parameters: [{name: region, value: x}]}
  templates:
  - name: d
    dag:
      tasks:
      - name: a
        template: t
        arguments: {parameters: [{name: msg, value: "{{inputs.parameters.region}}"}]}
      - name: b
        template: t
        depends: a
        arguments: {parameters: [{name: msg, value: "{{steps.a.outputs.result}}"}]}
  - name: t
    inputs: {parameters: [{name: msg}]}
    container: {image: alpine, args: ["{{workflow.parameters.msg}}"]}
"""


def test_suggestions_cross_between_families():
    found = {
        f.span.line: f.suggestion for f in findings_of(CROSS_SUGGESTIONS, "unresolved-variable")
    }
    assert found == {
        13: "did you mean the workflow's `workflow.parameters.region`?",
        17: "did you mean `tasks.a.outputs.result`?",
        20: "did you mean the template's input `inputs.parameters.msg`?",
    }


RAW_HYPHEN = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: raw-}
spec:
  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: build-image
            template: work
        - - name: report
            template: work
            hooks:
              running:
                expression: steps.build-image.status == "Running"
                template: work
    - name: work
      container:
        image: alpine:3.20
"""


def test_hyphen_in_raw_expressions():
    (found,) = findings_of(RAW_HYPHEN, "hyphen-in-expression")
    assert (found.span.line, found.span.column) == position(RAW_HYPHEN, "steps.build-image")
    assert found.suggestion == "write `steps['build-image'].status`"
    assert not findings_of(RAW_HYPHEN, "unresolved-variable")


TEMPLATE_DEFAULT_RETRY = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: td-
spec:
  entrypoint: main
  templateDefaults:
    retryStrategy:
      limit: 2
  templates:
    - name: main
      container:
        image: alpine:3.20
        command: [echo, "attempt {{retries}}"]
"""


def test_retries_with_a_retry_strategy_from_template_defaults():
    """Argo merges `spec.templateDefaults` into every template before it runs it."""
    assert templating_findings(TEMPLATE_DEFAULT_RETRY) == []
    without = TEMPLATE_DEFAULT_RETRY.replace("retryStrategy", "activeDeadlineSeconds: 60\n    x")
    without = without.replace("    x:\n      limit: 2\n", "")
    found = templating_findings(without)
    assert_finding(found, "unresolved-variable", without, "retries}}")


CRON_LABELS = """\
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: nightly
  labels:
    app: billing
spec:
  schedules: ["0 2 * * *"]
  workflowMetadata:
    labels:
      team: data
  workflowSpec:
    entrypoint: main
    templates:
      - name: main
        container:
          image: alpine:3.20
          args: ["{{workflow.labels.team}}", "{{workflow.labels.app}}"]
"""


def test_a_cron_workflows_own_labels_are_not_its_workflows_labels():
    """Argo copies `spec.workflowMetadata` into each Workflow it starts, but of the
    CronWorkflow's own labels only the creator's (common.ConvertCronWorkflowToWorkflow)."""
    (found,) = findings_of(CRON_LABELS, "unresolved-variable")
    assert (found.span.line, found.span.column) == position(CRON_LABELS, "workflow.labels.app")
    assert "workflowMetadata" in (found.suggestion or "")


NESTED_ITEM = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: nested-item-
spec:
  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: deploy
            template: echo
            arguments:
              parameters:
                - name: msg
                  value: "{{item.app.name}} {{item.app}} {{item.dotted.key}} {{=item.app.name}}"
            withItems:
              - {app: {name: a}, dotted.key: 1}
              - {app: {name: b}, dotted.key: 2}
    - name: echo
      inputs:
        parameters:
          - name: msg
      container:
        image: alpine:3.20
        command: [echo, "{{inputs.parameters.msg}}"]
"""


def test_nested_item_keys_are_not_variables():
    """Argo sets `item.KEY` for each top-level key of a map item only (operator.go
    processItem), so `{{item.app.name}}` stays unresolved and fails the step; a key that
    itself holds a dot is fine."""
    found = templating_findings(NESTED_ITEM)
    (nested,) = found
    assert nested.rule == "item-key-missing"
    assert (nested.span.line, nested.span.column) == position(NESTED_ITEM, "item.app.name")
    assert "top-level" in nested.message


JINJA_LOOP = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: jinja-
spec:
  entrypoint: render
  templates:
    - name: render
      script:
        image: python:3.12
        command: [python]
        source: |
          from jinja2 import Template
          t = Template("{% for item in rows %}{{ item }} {{ item.name }}{% endfor %}")
          print(t.render(rows=[]))
          print(Template("{%- set pod = 1 -%}{{ pod.name }}").render())
          print("{{item}}")
"""


def test_names_bound_by_jinja_in_the_same_string_are_jinja_variables():
    """`{% for item in rows %}` binds `item` for Jinja; Argo leaves those tags alone. The
    binding is per string: the third `{{item}}` is not in a Jinja loop."""
    found = templating_findings(JINJA_LOOP)
    (outside,) = found
    assert outside.rule == "item-outside-loop"
    assert (outside.span.line, outside.span.column) == position(JINJA_LOOP, 'item}}")')


RETRY_WITH_TAG = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: retry-tag-
spec:
  entrypoint: retry
  arguments:
    parameters:
      - name: safe-to-retry
        value: "true"
  templates:
    - name: retry
      inputs:
        parameters:
          - name: safe-to-retry
      retryStrategy:
        limit: "10"
        expression: >-
          asInt(lastRetry.exitCode) > 1 &&
          ({{inputs.parameters.safe-to-retry}} == true || lastRety.message matches 'x|y') &&
          '{{workflow.name}}' != ''
      container:
        image: alpine:3.20
"""


def test_raw_expressions_holding_tags_are_still_checked():
    """Argo substitutes the tags of `retryStrategy.expression` first, then evaluates the
    expression: the references around the tags are checked as if the tags were values."""
    found = templating_findings(RETRY_WITH_TAG)
    (typo,) = found
    assert typo.rule == "unresolved-variable"
    assert (typo.span.line, typo.span.column) == position(RETRY_WITH_TAG, "lastRety")
    assert typo.suggestion == "did you mean `lastRetry.message`?"


INLINE_OUTPUT = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: inline-out-
spec:
  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: gen
            inline:
              outputs:
                parameters:
                  - name: p
                    valueFrom:
                      path: /tmp/p
              container:
                image: alpine:3.20
        - - name: use
            inline:
              container:
                image: alpine:3.20
                command:
                  - echo
                  - "{{steps.gen.outputs.parameters.p}} {{steps.gen.outputs.parameters.q}}"
"""


def test_outputs_of_an_inline_template_are_named_after_its_step():
    (found,) = templating_findings(INLINE_OUTPUT)
    where = position(INLINE_OUTPUT, "steps.gen.outputs.parameters.q")
    assert (found.span.line, found.span.column) == where
    assert "the inline template of step `gen`" in found.message and "None" not in found.message


WORKFLOW_POD_SPEC_PATCH = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: patch-
spec:
  entrypoint: main
  podSpecPatch: |
    containers:
      - name: main
        resources:
          limits:
            cpu: "{{inputs.parameters.cpu}}"
        env:
          - name: POD
            value: "{{pod.name}}"
          - name: WF
            value: "{{workflw.name}}"
  templates:
    - name: main
      inputs:
        parameters:
          - name: cpu
            value: "1"
      container:
        image: alpine:3.20
"""


def test_workflow_pod_spec_patch_is_read_in_each_pod_templates_scope():
    """Argo substitutes `spec.podSpecPatch` for every pod with that template's inputs and
    pod name (workflowpod.go processPodSpecPatch); workflow variables are still checked."""
    (found,) = templating_findings(WORKFLOW_POD_SPEC_PATCH)
    assert (found.span.line, found.span.column) == position(WORKFLOW_POD_SPEC_PATCH, "workflw")


INLINE_STEPS_IN_A_LOOP = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: inline-loop-
spec:
  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: per-region
            withItems: [us, eu]
            inline:
              steps:
                - - name: deploy
                    template: echo
                    arguments:
                      parameters:
                        - name: msg
                          value: "{{item}}"
    - name: echo
      inputs:
        parameters:
          - name: msg
      container:
        image: alpine:3.20
        command: [echo, "{{inputs.parameters.msg}}", "{{item}}"]
"""


def test_item_reaches_the_steps_of_a_looped_inline_template():
    """Argo substitutes `item` into the whole looping step, its inline template's own steps
    included; the template those steps call still does not see it."""
    (found,) = templating_findings(INLINE_STEPS_IN_A_LOOP)
    assert found.rule == "item-outside-loop"
    line, column = position(INLINE_STEPS_IN_A_LOOP, '{{item}}"]')
    assert (found.span.line, found.span.column) == (line, column + 2)


INLINE_STEPS_READ_OUTER = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: inline-outer-
spec:
  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: gen
            template: gen
        - - name: nested
            inline:
              steps:
                - - name: use
                    template: echo
                    arguments:
                      parameters:
                        - name: msg
                          value: "{{steps.gen.outputs.result}} {{steps.nope.outputs.result}}"
    - name: gen
      container:
        image: alpine:3.20
    - name: echo
      inputs:
        parameters:
          - name: msg
      container:
        image: alpine:3.20
"""


def test_steps_of_an_inline_template_read_the_outer_steps():
    """The outer step, inline template included, is substituted in the outer scope first."""
    (found,) = templating_findings(INLINE_STEPS_READ_OUTER)
    assert found.rule == "unresolved-variable"
    line, column = position(INLINE_STEPS_READ_OUTER, "steps.nope")
    assert (found.span.line, found.span.column) == (line, column)


LIBRARY_LABELS = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: lib-labels
spec:
  templates:
    - name: echo
      container:
        image: alpine:3.20
        command: [echo, "{{workflow.labels.team}}"]
"""


def test_a_workflow_templates_labels_come_from_the_workflow_that_runs_it():
    """A template called by `templateRef` reads the labels of the calling Workflow, which
    this document cannot see: worth knowing (info), not a warning."""
    (found,) = findings_of(LIBRARY_LABELS, "unresolved-variable")
    assert str(found.severity) == "info"
    assert "runs this template" in found.message


LIBRARY_GLOBAL_OUTPUT = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: notify
spec:
  templates:
    - name: on-exit
      container:
        image: alpine:3.20
        command: [echo, "{{workflow.outputs.parameters.build-id}}"]
"""


def test_a_workflow_templates_global_outputs_may_come_from_the_caller():
    """A global output is lifted by whichever template of the running Workflow sets
    `globalName`; a WorkflowTemplate's template may read one its callers produce."""
    (found,) = findings_of(LIBRARY_GLOBAL_OUTPUT, "unresolved-variable")
    assert str(found.severity) == "info"


LIST_ITEMS = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: list-items-
spec:
  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: pairs
            template: echo
            arguments:
              parameters:
                - name: msg
                  value: "{{item.0}} and {{item}}"
            withItems:
              - [a, 1]
              - [b, 2]
    - name: echo
      inputs:
        parameters:
          - name: msg
      container:
        image: alpine:3.20
        command: [echo, "{{inputs.parameters.msg}}"]
"""


def test_list_items_have_no_keys():
    """For a list item Argo substitutes `{{item}}` (the list as JSON) only (operator.go
    processItem): `{{item.0}}` fails the step."""
    (found,) = templating_findings(LIST_ITEMS)
    assert found.rule == "item-key-missing"
    assert (found.span.line, found.span.column) == position(LIST_ITEMS, "item.0")
    assert "lists" in found.message
    assert templating_findings(LIST_ITEMS.replace("{{item.0}}", "{{=item[0]}}")) == []
