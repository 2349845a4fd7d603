"""Inline suppressions, in process: a test rule reports one ``{{...}}`` tag inside a block
scalar, so every way a comment can cover that finding is exercised whatever rules exist."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from argolint import rules
from argolint.config import Config
from argolint.engine import Input, run
from argolint.finding import Severity
from argolint.span import Span

MANIFEST = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: s-
spec:{spec}
  entrypoint: main
  templates:
    - name: main{item}
      script:
        image: python:3.12
        source: |{source}
          import sys
          print("{{{{workflow.parameters.x}}}}"){line}
"""
TAG = "{{workflow.parameters.x}}"


def _tag_finder(ctx) -> Iterator:
    for template in ctx.manifest.templates:
        script = template.node.get("script")
        source = script.get("source") if script is not None else None
        if source is not None and TAG in source.value:
            start = source.value.index(TAG)
            yield ctx.finding(source.sub_span(start, start + len(TAG)), "test finding")


@pytest.fixture(autouse=True)
def tag_rule():
    rule = rules.Rule("test-tag", "test", Severity.ERROR, "a test rule", _tag_finder)
    rules.all_rules()
    rules._REGISTRY[rule.id] = rule
    yield rule
    del rules._REGISTRY[rule.id]


def lint(spec="", item="", source="", line="") -> list:
    text = MANIFEST.format(spec=spec, item=item, source=source, line=line)
    config = Config(select={"test-tag", "unknown-rule"})
    return run([Input("wf.yaml", text.encode())], config).findings


def test_the_test_rule_points_inside_the_block_scalar():
    [finding] = lint()
    assert (finding.rule, finding.span) == ("test-tag", Span(13, 18, 13, 43))


@pytest.mark.parametrize(
    "where",
    [
        {"line": "  # argolint: ignore[test-tag] known"},  # on the line, inside the script
        {"source": "  # argolint: ignore[test-tag]"},  # on the `source: |` key
        {"item": "  # argolint: ignore[test-tag]"},  # on the list item enclosing it
        {"spec": "  # argolint: ignore[test-tag]"},  # on `spec:`
        {"spec": "  # argolint: ignore"},  # every rule
        {"line": "  #argolint:ignore[other-rule, test-tag]"},  # several ids, tight spacing
        {"item": "  # argolint: ignore[test]"},  # the rule's category
    ],
)
def test_comment_covers_the_finding(where: dict[str, str]):
    assert [f.rule for f in lint(**where) if f.rule == "test-tag"] == []


def test_comment_on_a_sibling_key_does_not_cover():
    """`image:` is not on the path from the root to the finding."""
    text = MANIFEST.format(spec="", item="", source="", line="").replace(
        "image: python:3.12", "image: python:3.12  # argolint: ignore[test-tag]"
    )
    found = run([Input("wf.yaml", text.encode())], Config(select={"test-tag"})).findings
    assert [f.rule for f in found] == ["test-tag"]


def test_comment_for_another_rule_does_not_cover():
    assert [f.rule for f in lint(line="  # argolint: ignore[duplicate-key]")] == ["test-tag"]


def test_unknown_id_is_reported_at_its_position_and_does_not_cover():
    found = lint(line="  # argolint: ignore[test-tga]")
    assert sorted(f.rule for f in found) == ["test-tag", "unknown-rule"]
    [unknown] = [f for f in found if f.rule == "unknown-rule"]
    assert unknown.span == Span(13, 66, 13, 74)
    assert "`test-tga`" in unknown.message


def test_comment_on_one_list_item_covers_only_that_item():
    template = (
        "    - name: t{i}{comment}\n"
        "      script:\n"
        "        image: python:3.12\n"
        "        source: |\n"
        '          print("{{{{workflow.parameters.x}}}}")\n'
    )
    items = "".join(
        template.format(i=i, comment="  # argolint: ignore[test-tag]" if i == 40 else "")
        for i in range(80)
    )
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: s-}\n"
        "spec:\n  entrypoint: t0\n  templates:\n" + items
    )
    found = run([Input("wf.yaml", text.encode())], Config(select={"test-tag"})).findings
    lines = [f.span.line for f in found]
    assert len(lines) == 79
    assert 7 + 40 * 5 + 4 not in lines  # the print line of template t40
    assert 7 + 39 * 5 + 4 in lines and 7 + 41 * 5 + 4 in lines


def test_a_category_of_other_rules_does_not_cover_and_is_not_unknown():
    assert [f.rule for f in lint(line="  # argolint: ignore[security]")] == ["test-tag"]


def test_an_unknown_category_is_reported_like_an_unknown_rule():
    found = lint(line="  # argolint: ignore[securty]")
    assert sorted(f.rule for f in found) == ["test-tag", "unknown-rule"]
