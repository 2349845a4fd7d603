"""The template-language parsers: tags, expressions, depends, when, and the DAG graph."""

from __future__ import annotations

from argolint.analysis.dag import build_dag
from argolint.analysis.expr import (
    analyse_expression,
    parse_depends,
    parse_when,
    scan_tags,
)
from argolint.analysis.expr.sites import collect_tag_sites
from argolint.config import Config
from argolint.model import Manifest
from argolint.source.loader import load_bytes


def manifest(text: str) -> Manifest:
    loaded = load_bytes(text.encode(), "t.yaml", Config().limits)
    return Manifest(loaded.documents[0])


def test_simple_tag_parts_and_offsets():
    text = "echo {{ inputs.parameters.msg }} done"
    (tag,) = scan_tags(text)
    assert tag.kind == "simple" and tag.error is None and not tag.foreign
    (ref,) = tag.refs
    assert ref.parts == ("inputs", "parameters", "msg")
    assert text[ref.start : ref.end] == "inputs.parameters.msg"
    assert [text[s:e] for s, e in zip(ref.starts, ref.ends, strict=True)] == [
        "inputs",
        "parameters",
        "msg",
    ]
    assert text[tag.start : tag.end] == "{{ inputs.parameters.msg }}"


def test_annotation_keys_keep_dots_and_slashes():
    (tag,) = scan_tags("{{workflow.annotations.example.io/owner}}")
    assert tag.refs[0].name == "workflow.annotations.example.io/owner"


def test_bracket_form_in_simple_tag_is_marked():
    (tag,) = scan_tags("{{steps['my-step'].outputs.result}}")
    ref = tag.refs[0]
    assert ref.parts == ("steps", "my-step", "outputs", "result")
    assert ref.bracketed == (False, True, False, False)


def test_unterminated_and_empty_and_malformed_tags():
    (unterminated,) = scan_tags("a {{inputs.parameters.x")
    assert unterminated.error and "unterminated" in unterminated.error.message
    assert unterminated.error.start == 2
    (empty,) = scan_tags("{{ }}")
    assert empty.error is not None
    (broken,) = scan_tags("x {{inputs.parameters.}}")
    assert broken.error is not None and broken.error.start == len("x {{inputs.parameters.")


def test_other_template_languages_are_foreign_not_errors():
    (tag,) = scan_tags("password: {{ .token }}")
    assert tag.foreign and tag.error is None and not tag.refs


def test_jinja_filters_on_a_bare_argo_word_are_foreign():
    """Argo checks a simple tag only when it starts with a variable prefix such as `item.`
    or `workflow.`: `{{ item | upper }}` (Jinja, Ansible) is left in place, while a broken
    `{{ workflow.name | upper }}` is rejected."""
    (jinja,) = scan_tags("echo '{{ item | upper }}'")
    assert jinja.foreign and jinja.error is None
    (broken,) = scan_tags("echo '{{ workflow.name | upper }}'")
    assert not broken.foreign and broken.error is not None


def test_tag_ends_at_first_closing_braces_like_fasttemplate():
    tags = scan_tags("{{=toJson({'a': {'b': 1}})}}")
    assert tags[0].body == "toJson({'a': {'b': 1"
    assert tags[0].error is not None


def test_expression_references_with_brackets_calls_and_guards():
    text = "asInt(inputs.parameters['my-int']) + len(steps.a.outputs.result ?? '')"
    info = analyse_expression(text)
    assert info.error is None
    names = [r.name for r in info.refs]
    assert names == ["inputs.parameters.my-int", "steps.a.outputs.result"]
    assert info.refs[1].guarded and not info.refs[0].guarded
    assert [c.name for c in info.calls] == ["asInt", "len"]
    first = info.refs[0]
    assert text[first.starts[2] : first.ends[2]] == "'my-int'"


def test_expression_method_call_and_namespaces_are_not_references():
    info = analyse_expression(
        "sprig.date('2006', workflow.creationTimestamp) + "
        "(now() - cronworkflow.lastScheduledTime).Seconds()"
    )
    assert [r.name for r in info.refs] == [
        "workflow.creationTimestamp",
        "cronworkflow.lastScheduledTime",
    ]


def test_expression_closures_and_let_bind_names():
    info = analyse_expression("let xs = [1, 2]; filter(xs, {# > 1}) + map(items, .name)")
    assert [r.name for r in info.refs] == ["items"]


def test_expr_env_variable_is_the_environment_not_a_reference():
    """expr's `$env` is the whole environment: `$env['inputs.parameters.x']` is a lookup
    that may fail softly, not an unknown variable."""
    info = analyse_expression("$env['x'] ?? inputs.parameters.y")
    assert [r.name for r in info.refs] == ["inputs.parameters.y"]


def test_expression_syntax_error_offset():
    info = analyse_expression("inputs.parameters.x ==")
    assert info.error is not None and info.error.start == len("inputs.parameters.x ==")
    info = analyse_expression("a + ) b")
    assert info.error is not None and info.error.start == 4


def test_hyphen_join_is_one_intended_reference():
    text = "steps.my-step.outputs.result == 'x'"
    info = analyse_expression(text)
    (join,) = info.hyphens
    assert join.ref.parts == ("steps", "my-step", "outputs", "result")
    assert join.suggestion == "steps['my-step'].outputs.result"
    assert [r.name for r in info.refs] == ["steps.my-step.outputs.result"]
    assert not analyse_expression("a.b - c").hyphens  # spaced: a real subtraction


def test_expression_offsets_are_shifted_inside_tags():
    text = "x={{= inputs.parameters.a }}"
    (tag,) = scan_tags(text)
    assert tag.kind == "expression"
    assert text[tag.refs[0].start : tag.refs[0].end] == "inputs.parameters.a"


def test_depends_operands_and_results():
    parsed = parse_depends("A && (B.Succeeded || !C.Failed)")
    assert parsed.error is None
    assert [(o.task, o.result) for o in parsed.operands] == [
        ("A", None),
        ("B", "Succeeded"),
        ("C", "Failed"),
    ]
    assert parsed.operands[2].start == len("A && (B.Succeeded || !")
    bad = parse_depends("A.Succeded")
    assert bad.error is not None and bad.error.start == 2
    assert parse_depends("A &&").error is not None
    assert parse_depends("(A || B").error is not None


def test_when_is_govaluate_after_substitution():
    assert parse_when("{{steps.a.outputs.result}} == heads").error is None
    assert parse_when("{{= steps.a.outputs.result == 'x'}}").error is None
    assert parse_when("'{{item}}' =~ '^a' && {{inputs.parameters.n}} < 5").error is None
    bad = parse_when("{{steps.a.outputs.result}} == = heads")
    assert bad.error is not None and bad.error.start == len("{{steps.a.outputs.result}} == ")
    assert parse_when("({{x}} == 1").error is not None


DAG = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: x-}
spec:
  entrypoint: d
  templates:
  - name: d
    dag:
      tasks:
      - {name: A, template: t}
      - {name: B, template: t, dependencies: [A]}
      - {name: C, template: t, depends: "B && (A.Succeeded || Z)"}
      - {name: E, template: t, depends: "F"}
      - {name: F, template: t, depends: "E"}
  - name: t
    container: {image: alpine, args: ["{{inputs.parameters.x}}"]}
"""


def test_dag_graph_ancestors_unknown_and_cycles():
    graph = build_dag(manifest(DAG).templates[0])
    assert graph.ancestors("C") == {"A", "B"}
    assert graph.ancestors("A") == frozenset()
    assert graph.cycles() == [["E", "F"]]
    (unknown,) = graph.unknown()
    assert (unknown.task, unknown.name) == ("C", "Z")
    assert unknown.span.line == 12 and unknown.span.column == DAG.splitlines()[11].index("Z") + 1


def test_tag_sites_know_template_and_path():
    sites = collect_tag_sites(manifest(DAG))
    (site,) = sites
    assert site.template is not None and site.template.name == "t"
    assert site.path == ("container", "args", 0)
    assert site.tag.refs[0].span(site.scalar).line == 16


def test_when_bare_words_with_hyphens_need_quotes():
    problem = parse_when("{{steps.region.outputs.result}} == us-east-1").error
    assert problem is not None and problem.start == len("{{steps.region.outputs.result}} == ")
    assert "quote it" in problem.message
    assert parse_when("'{{item}}' == 'us-east-1'").error is None
    assert parse_when("{{inputs.parameters.n}}-1 > 2").error is None


def test_expression_comments_are_ignored():
    info = analyse_expression("inputs.parameters.a /* the count */ + 1 // done")
    assert info.error is None and [r.name for r in info.refs] == ["inputs.parameters.a"]
    assert analyse_expression("'http://x' + inputs.parameters.a").error is None
