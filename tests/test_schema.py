"""The strict schema layer: unknown-field, schema-type, schema-value, yaml-1.1-boolean."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap

import pytest
from conftest import FIXTURES, ROOT, findings_of, lint_text

from argolint.analysis.schema import available_versions, did_you_mean, select_version

SCHEMA_RULES = {"unknown-field", "schema-type", "schema-value", "yaml-1.1-boolean"}


def schema_findings(text: str, **config: object) -> list:
    return [f for f in lint_text(text, **config).findings if f.rule in SCHEMA_RULES]


def at(findings: list) -> list[tuple]:
    return [
        (f.rule, f.span.line, f.span.column, f.span.end_line, f.span.end_column) for f in findings
    ]


def wf(body: str) -> str:
    head = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: w\n"
    return head + textwrap.dedent(body)


# -- the bad fixture: every problem, each at its exact place ------------------------------------
def test_bad_fixture_reports_every_problem_at_its_place():
    text = (FIXTURES / "schema" / "bad-typos.yaml").read_text()
    found = schema_findings(text)
    assert at(found) == [
        ("unknown-field", 5, 3, 5, 9),  # lables
        ("unknown-field", 9, 3, 9, 20),  # serviceAcountName
        ("unknown-field", 10, 3, 10, 23),  # activeDeadlineSecond
        ("schema-type", 11, 16, 11, 19),  # parallelism: two
        ("schema-value", 13, 15, 13, 26),  # OnPodSucess
        ("schema-value", 18, 22, 18, 28),  # retryPolicy: always
        ("yaml-1.1-boolean", 22, 20, 22, 22),  # value: no
        ("unknown-field", 23, 13, 23, 16),  # nme (the missing `name` is not reported twice)
        ("schema-type", 27, 22, 27, 23),  # args: [echo, 1]
        ("yaml-1.1-boolean", 30, 20, 30, 22),  # env value: on
        ("schema-value", 33, 21, 33, 27),  # memory: 2 gigs
        ("schema-type", 36, 14, 36, 16),  # steps: {}
    ]
    by_line = {f.span.line: f for f in found}
    assert by_line[5].suggestion == "did you mean `labels`?"
    assert by_line[9].suggestion == "did you mean `serviceAccountName`?"
    assert "`activeDeadlineSeconds`" in by_line[10].suggestion
    assert "integer" in by_line[11].message and "`two`" in by_line[11].message
    assert "`OnPodSuccess`" in by_line[13].suggestion
    assert by_line[18].suggestion == "did you mean `Always`?"
    assert "`OnTransientError`" in by_line[18].message
    assert by_line[23].suggestion == "did you mean `name`?"
    assert '"1"' in by_line[27].suggestion
    assert "quantity" in by_line[33].message
    assert "a list" in by_line[36].message and "a mapping" in by_line[36].message


def test_good_fixture_accepts_kubernetes_and_argo_conventions():
    text = (FIXTURES / "schema" / "good-conventions.yaml").read_text()
    assert schema_findings(text) == []


# -- unknown fields ------------------------------------------------------------------------------
def test_unknown_field_in_nested_step_and_inline_template():
    text = wf(
        """\
        spec:
          entrypoint: main
          templates:
            - name: main
              steps:
                - - name: a
                    templat: b
                - name: bare
                  inline:
                    contaner:
                      image: alpine
        """
    )
    found = findings_of(text, "unknown-field")
    assert [(f.span.line, f.span.column) for f in found] == [(11, 13), (14, 13)]
    assert found[0].suggestion == "did you mean `template`?"
    assert found[1].suggestion == "did you mean `container`?"
    assert "`spec.templates[0].steps[1].inline` (Template)" in found[1].message


def test_unknown_field_without_close_match_lists_valid_fields():
    found = findings_of(wf("spec:\n  entrypoint: main\n  zzzqqq: 1\n"), "unknown-field")
    assert len(found) == 1
    assert found[0].suggestion.startswith("remove it")
    assert found[0].details.startswith("valid fields of WorkflowSpec: ")
    assert "serviceAccountName" in found[0].details


def test_free_form_maps_accept_any_key():
    text = wf(
        """\
        spec:
          entrypoint: main
          nodeSelector: {anything: goes}
          podMetadata:
            labels: {whatever: x}
          templates:
            - name: main
              resource:
                action: apply
                manifest: "{}"
              metadata:
                annotations: {free: form}
        """
    )
    assert schema_findings(text) == []


def test_status_and_root_keys():
    found = findings_of(
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\n"
        "spec: {entrypoint: main}\nstatuss: {}\n",
        "unknown-field",
    )
    assert [(f.span.line, f.suggestion) for f in found] == [(5, "did you mean `status`?")]


def test_case_and_separator_slips_are_suggested_first():
    assert did_you_mean("ServiceAccountName", ["serviceAccountName", "schedulerName"]) == [
        "serviceAccountName"
    ]
    assert did_you_mean("service_account_name", ["serviceAccountName"]) == ["serviceAccountName"]
    assert did_you_mean("activeDeadline", ["activeDeadlineSeconds", "affinity"]) == [
        "activeDeadlineSeconds"
    ]
    assert did_you_mean("templat", ["template", "templateRef"]) == ["template"]
    assert did_you_mean("xyz", ["template", "templateRef"]) == []


# -- types and values ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("field", "value", "ok"),
    [
        ("parallelism", "3", True),
        ("parallelism", '"{{workflow.parameters.n}}"', True),
        ("parallelism", '"3"', False),  # a string is not an integer
        ("parallelism", "three", False),
        ("parallelism", '"{{a}} and more"', False),  # not a whole tag
        ("activeDeadlineSeconds", "60", True),
        ("suspend", "{}", False),
        ("suspend", "[]", False),
        ("archiveLogs", "true", True),
        ("archiveLogs", "maybe", False),
        ("priority", "", True),  # empty (null) is accepted for optional fields
    ],
)
def test_typed_workflow_spec_fields(field: str, value: str, ok: bool):
    text = wf(f"spec:\n  entrypoint: main\n  {field}: {value}\n")
    found = [f for f in schema_findings(text) if f.span.line == 7]
    assert (found == []) is ok, [f.message for f in found]
    if not ok:
        assert found[0].span.column == len(f"  {field}: ") + 1


@pytest.mark.parametrize(
    ("limit", "ok"),
    [("3", True), ('"3"', True), ('"{{inputs.parameters.n}}"', True), ("[3]", False)],
)
def test_int_or_string_accepts_both(limit: str, ok: bool):
    text = wf(
        f"""\
        spec:
          entrypoint: main
          templates:
            - name: main
              retryStrategy: {{limit: {limit}}}
              container: {{image: alpine}}
        """
    )
    assert (findings_of(text, "schema-type") == []) is ok


@pytest.mark.parametrize(
    ("quantity", "ok"),
    [("1", True), ("0.5", True), ("500m", True), ("1.5Gi", True), ("2e3", True),
     ('"2 gigs"', False), ("1GB", False), ('"{{inputs.parameters.mem}}"', True)],
)  # fmt: skip
def test_quantities(quantity: str, ok: bool):
    text = wf(
        f"""\
        spec:
          entrypoint: main
          templates:
            - name: main
              container:
                image: alpine
                resources: {{limits: {{memory: {quantity}}}}}
        """
    )
    found = findings_of(text, "schema-value")
    assert (found == []) is ok
    if not ok:
        assert found[0].span.line == 11


def test_parameter_values_are_any_string_but_env_values_are_strings():
    text = wf(
        """\
        spec:
          entrypoint: main
          arguments:
            parameters:
              - {name: a, value: 1}
              - {name: b, value: 2.5, default: true}
          templates:
            - name: main
              outputs:
                parameters:
                  - name: c
                    valueFrom: {path: /tmp/c, default: 0}
              container:
                image: alpine
                env:
                  - {name: NUM, value: 8080}
        """
    )
    found = schema_findings(text)
    assert at(found) == [("schema-type", 20, 32, 20, 36)]
    assert "`value` expects a string, got the integer `8080`" in found[0].message


def test_enum_values_and_tags():
    text = wf(
        """\
        spec:
          entrypoint: main
          podGC: {strategy: OnWorkflowSuccess}
          templates:
            - name: main
              container:
                image: alpine
                imagePullPolicy: "{{workflow.parameters.pull}}"
            - name: res
              resource: {action: upsert, manifest: "{}"}
        """
    )
    found = findings_of(text, "schema-value")
    assert [(f.span.line, f.span.column) for f in found] == [(14, 26)]
    assert "`get`, `create`, `apply`, `delete`, `replace`, `patch`" in found[0].message


def test_missing_required_field_points_at_the_enclosing_key():
    text = wf(
        """\
        spec:
          entrypoint: main
          templates:
            - name: main
              inputs:
                artifacts:
                  - path: /tmp/x
              dag:
                tasks:
                  - template: main
        """
    )
    found = findings_of(text, "schema-value")
    assert [(f.span.line, f.span.column, f.message.split(" is ")[0]) for f in found] == [
        (11, 13, "required field `name`"),
        (14, 13, "required field `name`"),
    ]
    assert "(Artifact)" in found[0].message and "(DAGTask)" in found[1].message


def test_wrong_api_version():
    text = "apiVersion: argoproj.io/v1beta1\nkind: Workflow\nmetadata: {name: w}\nspec: {}\n"
    found = findings_of(text, "schema-value")
    assert [(f.span.line, f.span.column, f.suggestion) for f in found] == [
        (1, 13, "did you mean `argoproj.io/v1alpha1`?")
    ]


# -- yaml-1.1-boolean ----------------------------------------------------------------------------
def test_yaml11_boolean_only_in_text_fields_and_only_unquoted():
    text = wf(
        """\
        spec:
          entrypoint: main
          suspend: yes
          arguments:
            parameters:
              - {name: a, value: Off}
              - {name: b, value: "no"}
              - {name: c, value: false}
              - {name: d, enum: [y, n]}
          templates:
            - name: main
              container:
                image: alpine
                args: [--flag, NO]
                env: [{name: X, value: on}]
        """
    )
    found = schema_findings(text)
    assert at(found) == [
        ("yaml-1.1-boolean", 10, 26, 10, 29),  # value: Off
        ("yaml-1.1-boolean", 13, 26, 13, 27),  # enum: [y, n]
        ("yaml-1.1-boolean", 13, 29, 13, 30),
        ("yaml-1.1-boolean", 18, 24, 18, 26),  # args: [--flag, NO]
        ("yaml-1.1-boolean", 19, 32, 19, 34),  # env value: on
    ]
    assert "`false`" in found[0].message and '"Off"' in found[0].suggestion
    assert "`true`" in found[4].message


def test_yaml11_boolean_is_not_also_a_type_error():
    text = wf("spec:\n  entrypoint: main\n  templates:\n  - name: x\n    container:\n"
              "      image: a\n      args: [yes]\n")  # fmt: skip
    assert [f.rule for f in schema_findings(text)] == ["yaml-1.1-boolean"]


# -- versions ------------------------------------------------------------------------------------
def test_shipped_versions_and_selection():
    versions = available_versions()
    assert versions == ("4.0.5", "4.1.2")
    assert select_version(None) == "4.1.2"
    assert select_version("4.1") == "4.1.2"
    assert select_version("v4.1.2") == "4.1.2"
    assert select_version("4.0") == "4.0.5"
    assert select_version("4.0.9") == "4.0.5"
    assert select_version("4.2.0") == "4.1.2"
    assert select_version("3.6") == "4.0.5"  # older than every schema: the oldest


def test_argo_version_selects_the_schema():
    text = wf(
        """\
        spec:
          entrypoint: main
          podResources: {requests: {cpu: 100m}}
          templates:
            - name: main
              container: {image: alpine}
        """
    )
    assert findings_of(text, "unknown-field") == []
    old = findings_of(text, "unknown-field", argo_version="4.0")
    assert [(f.span.line, f.span.column) for f in old] == [(7, 3)]
    assert "`podResources`" in old[0].message


def test_argo_version_on_the_command_line(tmp_path):
    from click.testing import CliRunner

    from argolint.cli import main

    path = tmp_path / "wf.yaml"
    path.write_text(wf("spec:\n  entrypoint: main\n  executorPlugins: []\n"))
    args = ["--select", "unknown-field", str(path)]
    assert CliRunner().invoke(main, args).exit_code == 0
    old = CliRunner().invoke(main, [*args, "--argo-version", "4.0.5"])
    assert old.exit_code == 1 and "executorPlugins" in old.output


# -- robustness and independence from other rules ----------------------------------------------
@pytest.mark.parametrize(
    "spec",
    [
        "spec: null",
        "spec: text",
        "spec: [1, 2]",
        "spec: {templates: null}",
        "spec: {templates: [just-a-string, 3, null, [nested]]}",
        "spec: {templates: [{name: a, steps: [[null, 1, {name: s}]]}]}",
        "spec: {arguments: {parameters: [{name: p, value: {a: b}}]}}",
        "spec: &a {entrypoint: main, workflowMetadata: *a}",
    ],
)
def test_any_shape_is_reported_without_a_crash(spec: str):
    result = lint_text(wf(spec))
    assert not result.internal_error, [f.message for f in result.findings]


def test_schema_problems_do_not_stop_other_rules():
    text = wf(
        """\
        spec:
          entrypoint: main
          parallelism: lots
          templates:
            - name: main
              contaner: {image: alpine}
              container: {image: alpine}
        """
    )
    rules = {f.rule for f in lint_text(text).findings}
    assert {"unknown-field", "schema-type", "missing-service-account"} <= rules


def test_cron_workflow_and_cluster_template_are_checked():
    cron = (
        "apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\nmetadata: {name: c}\n"
        "spec:\n  schedule: '* * * * *'\n  concurrencyPolicy: forbid\n"
        "  workflowSpec: {entrypoint: main, serviceAccountName: x}\n"
    )
    found = schema_findings(cron)
    assert at(found) == [("unknown-field", 5, 3, 5, 11), ("schema-value", 6, 22, 6, 28)]
    assert "`schedule`" in found[0].message and "removed in Argo 4.0.0" in found[0].message
    assert found[0].suggestion.startswith("use `schedules`, a list")
    assert found[1].suggestion == "did you mean `Forbid`?"
    cwt = (
        "apiVersion: argoproj.io/v1alpha1\nkind: ClusterWorkflowTemplate\nmetadata: {name: c}\n"
        "spec: {templates: [{name: a, scirpt: {image: python, source: x}}]}\n"
    )
    assert [f.suggestion for f in findings_of(cwt, "unknown-field")] == ["did you mean `script`?"]


def test_non_argo_documents_are_not_checked():
    text = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: x}\nsecrets: [{nmae: y}]\n"
    assert schema_findings(text) == []


# -- the generator -------------------------------------------------------------------------------
@pytest.mark.skipif(importlib.util.find_spec("hera") is None, reason="needs the dev extra (hera)")
def test_committed_schemas_are_what_the_generator_produces():
    script = ROOT / "scripts" / "generate_schema.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_a_field_at_the_wrong_level_says_where_it_belongs():
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n"
        "metadata:\n  name: w\n  serviceAccountName: runner\n"
        "entrypoint: main\n"
        "spec:\n  templates:\n    - name: main\n      image: alpine\n"
        "      container: {command: [echo]}\n"
    )
    found = findings_of(text, "unknown-field")
    assert [(f.span.line, f.span.column, f.suggestion) for f in found] == [
        (5, 3, "`serviceAccountName` belongs under `spec`: move it there"),
        (6, 1, "`entrypoint` belongs under `spec`: move it there"),
        (10, 7, "`image` belongs under `container`: move it there"),
    ]


def test_a_problem_in_an_anchored_node_is_reported_once():
    text = wf(
        """\
        spec:
          entrypoint: main
          templates:
            - &t
              name: main
              containr: {image: alpine}
            - *t
        """
    )
    found = findings_of(text, "unknown-field")
    assert [(f.span.line, f.span.column) for f in found] == [(10, 7)]


def test_fields_removed_in_argo_4_are_named_and_accepted_for_older_versions():
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\nmetadata: {name: c}\n"
        "spec:\n  schedule: '0 1 * * *'\n  workflowSpec:\n    entrypoint: main\n"
        "    podPriority: 3\n    synchronization:\n      semaphore: {configMapKeyRef: {key: k}}\n"
    )
    found = schema_findings(text)
    assert [(f.rule, f.span.line, f.span.column) for f in found] == [
        ("unknown-field", 5, 3),  # schedule (and `schedules` is not also reported missing)
        ("unknown-field", 8, 5),
        ("unknown-field", 10, 7),
    ]
    assert "`podPriorityClassName`" in found[1].suggestion
    assert "`semaphores`" in found[2].suggestion
    assert schema_findings(text, argo_version="3.7") == []


def test_type_slips_get_a_concrete_fix():
    text = wf(
        """\
        spec:
          entrypoint: main
          arguments:
            parameters: {name: a, value: b}
          templates:
            - name: main
              podSpecPatch: {containers: []}
              steps:
                - - name: s
                    template: main
                    withItems: "{{inputs.parameters.list}}"
            - name: work
              container:
                image: x
                env: [{name: MODE, value: 0755}]
        """
    )
    found = findings_of(text, "schema-type")
    assert [(f.span.line, f.span.column, f.suggestion.split(",")[0]) for f in found] == [
        (8, 17, "make it a list: start each item with `- `"),
        (11, 21, "write it as text"),
        (15, 24, "to loop over a JSON list held in a parameter or output"),
        (19, 35, 'quote it: `"0755"` (an unquoted number is rejected when the workflow is '
         "submitted through the API"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("api_version", "checked"),
    [("argoproj.io/v1alpha", True), ("argoprj.io/v1alpha1", True), ("core.oam.dev/v1alpha1", False),
     ("v1", False)],
)  # fmt: skip
def test_an_argo_kind_with_a_slip_in_api_version_is_checked(api_version: str, checked: bool):
    text = (
        f"apiVersion: {api_version}\nkind: Workflow\nmetadata: {{name: w}}\n"
        "spec: {entrypoint: main, entrypont: x}\n"
    )
    found = schema_findings(text)
    if not checked:  # another API group's Workflow (KubeVela has one): not Argo's business
        assert found == []
        return
    assert [(f.rule, f.span.line, f.span.column) for f in found] == [
        ("schema-value", 1, 13),
        ("unknown-field", 4, 26),
    ]
    assert found[0].message.startswith("`apiVersion` must be `argoproj.io/v1alpha1`")
    assert found[0].suggestion == "did you mean `argoproj.io/v1alpha1`?"


def test_tags_in_fields_argo_parses_before_substituting():
    text = wf(
        """\
        spec:
          entrypoint: main
          parallelism: "{{workflow.parameters.n}}"
          templates:
            - name: main
              activeDeadlineSeconds: "{{inputs.parameters.deadline}}"
              retryStrategy:
                limit: "{{inputs.parameters.n}}"
                retryPolicy: "{{inputs.parameters.policy}}"
              daemon: "{{inputs.parameters.daemon}}"
              container:
                image: "alpine:{{inputs.parameters.tag}}"
                resources: {limits: {memory: "{{inputs.parameters.mem}}"}}
        """
    )
    result = lint_text(text)
    assert not [f for f in result.findings if f.rule in ("schema-type", "schema-value")]
    found = [f for f in result.findings if f.rule == "tag-in-typed-field"]
    assert [(f.span.line, f.span.column, f.message.split(" when")[0]) for f in found] == [
        (7, 16, "`parallelism` is read as an integer"),
        (14, 15, "`daemon` is read as a boolean"),
        (17, 38, "`memory` is read as a resource quantity"),
    ]
    assert "`podSpecPatch`" in found[2].suggestion


def test_an_aliased_word_is_reported_once():
    text = wf(
        """\
        spec:
          entrypoint: main
          arguments:
            parameters:
              - {name: a, value: &word no}
              - {name: b, value: *word}
        """
    )
    found = findings_of(text, "yaml-1.1-boolean")
    assert [(f.span.line, f.span.column, f.span.end_column) for f in found] == [(9, 32, 34)]


def test_an_explicit_boolean_tag_is_meant():
    text = wf("spec:\n  entrypoint: main\n  arguments:\n    parameters:\n"
              "      - {name: a, value: !!bool yes}\n")  # fmt: skip
    assert schema_findings(text) == []


def test_an_unquoted_tag_is_named_and_quoting_suggested():
    text = wf(
        """\
        spec:
          entrypoint: main
          templates:
            - name: main
              container:
                image: {{inputs.parameters.image}}
                args: [{{inputs.parameters.a}}]
        """
    )
    found = findings_of(text, "schema-type")
    assert [(f.span.line, f.span.column, f.suggestion) for f in found] == [
        (10, 16, 'quote it: `"{{inputs.parameters.image}}"`'),
        (11, 16, 'quote it: `"{{inputs.parameters.a}}"`'),
    ]
    assert "an unquoted tag that YAML reads as a nested mapping" in found[0].message


def test_a_gauge_without_realtime_is_accepted() -> None:
    """Argo's OpenAPI requires `realtime` only for want of omitempty; its docs omit it."""
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: gauge-
spec:
  entrypoint: main
  metrics:
    prometheus:
      - name: exec_duration_gauge
        help: "Duration gauge"
        gauge:
          value: "{{workflow.duration}}"
  templates:
    - name: main
      container:
        image: alpine:3.20
"""
    from conftest import lint_text

    assert [f for f in lint_text(text).findings if f.rule.startswith("schema")] == []


OMITTED_WITHOUT_OMITEMPTY = {
    "key-only azure artifact": """\
      inputs:
        artifacts:
          - name: a
            path: /tmp/a
            azure:
              blob: my/blob
      container:
        image: alpine:3.20
""",
    "data template without transformation": """\
      data:
        source:
          artifactPaths:
            s3:
              bucket: test
""",
    "memoize without maxAge": """\
      memoize:
        key: k
        cache:
          configMap:
            name: c
      container:
        image: alpine:3.20
""",
}


@pytest.mark.parametrize(
    "template", OMITTED_WITHOUT_OMITEMPTY.values(), ids=list(OMITTED_WITHOUT_OMITEMPTY)
)
def test_fields_argo_reads_as_empty_are_not_required(template: str) -> None:
    """Go fields without omitempty are 'required' in the OpenAPI, but Argo reads them empty.

    A key-only Azure artifact takes container and endpoint from the artifact repository
    (ArtifactLocation.Relocate); a data template may have no transformation (its docs), an
    artifactPaths source needs no name (the executor only lists the location), and memoize
    without maxAge never expires (the operator checks for "").
    """
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: x-\n"
        "spec:\n  entrypoint: main\n  templates:\n    - name: main\n" + template
    )
    from conftest import lint_text

    assert [f for f in lint_text(text).findings if f.rule.startswith("schema")] == []
