"""Go/Helm templates are noted once, not linted as YAML; rendered output maps back to the
chart's template files through Helm's ``# Source:`` comments."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, lint_text

from argolint.cli import main
from argolint.config import Config
from argolint.engine import Input, run
from argolint.finding import Severity
from argolint.source.rendered import regions
from argolint.span import Span

TEMPLATED = FIXTURES / "templated"
CHART = TEMPLATED / "chart" / "pipeline"


@pytest.mark.parametrize(
    ("name", "span", "excerpt"),
    [
        ("bad-helm-workflow.yaml", Span(1, 1, 1, 35), "{{- if .Values.pipeline.enabled }}"),
        ("bad-helm-quoted.yaml", Span(5, 18, 5, 37), "{{ .Release.Name }}"),
    ],
)
def test_helm_template_is_one_info_finding_at_the_first_action(name, span, excerpt):
    result = lint_text((TEMPLATED / name).read_text(), path=name)
    [finding] = result.findings
    assert finding.rule == "templated-file" and finding.severity is Severity.INFO
    assert finding.span == span
    assert excerpt in finding.message
    assert "argolint - --stdin-filename" in finding.suggestion


@pytest.mark.parametrize("name", ["good-go-template-in-script.yaml", "good-argo-tags.yaml"])
def test_argo_tags_and_go_templates_inside_strings_are_not_templates(name):
    result = lint_text((TEMPLATED / name).read_text(), path=name)
    assert not [f for f in result.findings if f.rule in ("templated-file", "yaml-syntax")]
    assert result.documents == 1


@pytest.mark.parametrize(
    "action",
    [
        "{{ .x }}",
        "{{ $name }}",
        '{{ printf "%s" .x }}',
        "{{ .Values.x }}",
        "{{- .x }}",
        "{{ end }}",
        "{{/* comment */}}",
        '{{ "{{" }}',
    ],
)
def test_go_actions_outside_strings_make_a_template(action):
    text = f"apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: {action}\n"
    result = lint_text(text)
    assert [f.rule for f in result.findings] == ["templated-file"]
    assert result.findings[0].span.line == 4


def test_go_action_in_a_comment_is_not_a_template():
    text = "# render with {{ .Values.x }} first\napiVersion: v1\nkind: ConfigMap\n"
    assert lint_text(text).findings == []


def test_templated_file_does_not_fail_the_run(tmp_path: Path):
    outcome = CliRunner().invoke(main, [str(TEMPLATED / "bad-helm-workflow.yaml")])
    assert outcome.exit_code == 0
    assert "templated-file" in outcome.stdout


def test_source_regions_of_rendered_output():
    text = (CHART / "rendered.txt").read_text()
    assert regions(text) == [
        _region(2, 6, "pipeline/templates/configmap.yaml"),
        _region(8, 23, "pipeline/templates/workflow.yaml"),
    ]


def _region(first, last, source):
    from argolint.source.rendered import Region

    return Region(first, last, source)


def test_findings_in_rendered_output_map_to_the_chart_template():
    rendered = (CHART / "rendered.txt").read_bytes()
    stdin_name = str(CHART.relative_to(Path.cwd()) if CHART.is_relative_to(Path.cwd()) else CHART)
    result = run([Input(f"{stdin_name}/rendered.yaml", rendered)], Config())
    [finding] = [f for f in result.findings if f.rule == "missing-service-account"]
    assert Path(finding.path).resolve() == (CHART / "templates" / "workflow.yaml").resolve()
    assert finding.span == Span(8, 1, 8, 5)  # `spec:` of the template, not of the rendering
    assert "rendered from pipeline/templates/workflow.yaml" in finding.details
    [related] = finding.related
    assert related.path.endswith("rendered.yaml") and related.span == Span(16, 1, 16, 5)
    assert finding.path in result.sources  # so reports can quote the template's line


def test_changed_lines_map_approximately_and_say_so(tmp_path: Path, monkeypatch):
    chart = tmp_path / "demo" / "templates"
    chart.mkdir(parents=True)
    (chart / "wf.yaml").write_text("kind: Workflow\nmetadata: {{ .Values.meta }}\nspec: {}\n")
    monkeypatch.chdir(tmp_path)
    rendered = "---\n# Source: demo/templates/wf.yaml\nkind: Workflow\nmetadata: {name: x}\n"
    rendered += "metadata: {name: y}\n"
    result = run([Input("rendered.yaml", rendered.encode())], Config())
    [dup] = [f for f in result.findings if f.rule == "duplicate-key"]
    assert dup.path == "demo/templates/wf.yaml"
    assert dup.span.line == 3 and "position approximate" in dup.details


def test_unknown_chart_file_keeps_the_source_path_with_relative_lines(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rendered = "# Source: gone/templates/wf.yaml\na: 1\na: 2\n"
    [dup] = run([Input("out.yaml", rendered.encode())], Config()).findings
    assert dup.path == "gone/templates/wf.yaml" and dup.span.line == 2


def test_suggestion_names_the_chart_holding_the_template(monkeypatch):
    monkeypatch.chdir(CHART.parent)
    result = run(
        [Input("pipeline/templates/workflow.yaml", None, Path("pipeline/templates/workflow.yaml"))],
        Config(),
    )
    [finding] = result.findings
    assert finding.suggestion == (
        "helm template pipeline | argolint - --stdin-filename pipeline/rendered.yaml"
    )


def test_unterminated_argo_tag_before_another_tag_is_a_tag_error_not_a_template():
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: u-\n"
        "spec:\n  entrypoint: main\n  templates:\n    - name: main\n"
        "      inputs:\n        parameters:\n          - name: x\n"
        "      container:\n        image: alpine:3.20\n"
        '        args: ["{{inputs.parameters.x", "then {{inputs.parameters.x}}"]\n'
    )
    rules = {f.rule for f in lint_text(text).findings}
    assert "templated-file" not in rules
    [finding] = [f for f in lint_text(text).findings if f.rule == "tag-syntax"]
    assert finding.span == Span(14, 17, 14, 19)


def test_a_jinja_template_is_one_info_finding_at_its_first_statement():
    text = (FIXTURES / "templated" / "bad-jinja-workflow.yaml").read_text()
    [finding] = lint_text(text).findings
    assert (finding.rule, finding.severity) == ("templated-file", Severity.INFO)
    assert finding.span == Span(8, 1, 8, 24)
    assert "Jinja template (`{% for step in steps %}`)" in finding.message


def test_jinja_inside_a_script_string_is_not_a_template():
    text = (FIXTURES / "templated" / "good-jinja-in-a-script.yaml").read_text()
    rules = {f.rule for f in lint_text(text).findings}
    assert "templated-file" not in rules and "yaml-syntax" not in rules


def test_a_go_template_run_by_a_script_is_not_a_helm_template():
    """kubectl's go-template output format, with keywords and a string literal, inside a
    script: the workflow is still a manifest and is linted."""
    text = (FIXTURES / "templated" / "good-go-template-in-a-script.yaml").read_text()
    rules = {f.rule for f in lint_text(text).findings}
    assert "templated-file" not in rules and "yaml-syntax" not in rules
    assert "run-as-root" in rules  # linted as a workflow
