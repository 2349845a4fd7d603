"""A colon inside a plain scalar of a flow collection (``args: [https://x.io/a]``): libyaml
refuses it, go-yaml (Kubernetes, Argo) takes it into the scalar, and so does argolint, by
parsing such a document again with ruamel's Python parser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import lint_text
from test_loader_events import _manifest_texts

from argolint.source import loader
from argolint.source.loader import load_text
from argolint.source.nodes import YMapping, YScalar, YSequence

WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: flow-colon-
spec:
  entrypoint: main
  templates:
    - name: main
      container:
        image: curlimages/curl:8.5.0
        command: [curl]
        args: [https://catfact.ninja/fact, "{{workflow.name}}", a:b, 12:30]
        env: [{name: URL, value: http://x:8080/y}, {a:1}]
"""


def _at(root: Any, *path: Any) -> Any:
    for part in path:
        root = root.items[part] if isinstance(root, YSequence) else root.get(part)
    return root


def test_colons_in_flow_scalars_are_read_as_kubernetes_reads_them() -> None:
    result = load_text(WORKFLOW, "wf.yaml")
    assert result.findings == []
    [doc] = result.documents
    container = _at(doc.root, "spec", "templates", 0, "container")
    args = container.get("args")
    assert [a.value for a in args.items] == [
        "https://catfact.ninja/fact",
        "{{workflow.name}}",
        "a:b",
        "12:30",
    ]
    first = args.items[0]
    assert isinstance(first, YScalar) and first.span.line == 12
    assert (first.span.column, first.span.end_column) == (16, 42)
    env = container.get("env")
    assert _at(env, 0, "value").value == "http://x:8080/y"
    odd = env.items[1]
    assert isinstance(odd, YMapping) and list(odd.keys) == ["a:1"]


def test_such_a_workflow_lints_without_a_syntax_error() -> None:
    rules = {f.rule for f in lint_text(WORKFLOW).findings}
    assert "yaml-syntax" not in rules


def test_a_real_syntax_error_after_such_a_colon_is_still_reported() -> None:
    text = WORKFLOW + "      bad: [unclosed\n"
    [finding] = [f for f in load_text(text, "wf.yaml").findings if f.rule == "yaml-syntax"]
    assert "unexpected ':'" not in finding.message
    assert finding.span.line >= 14


def test_the_python_parser_builds_what_libyaml_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wherever libyaml parses, the Python event parser gives the same trees and findings
    (syntax errors at the same place, some worded differently), but for one known
    difference: an empty value (``suspend:`` at the end of its line) is placed where the
    next token starts rather than just after its colon."""
    assert _moved_values([text for _, text in _manifest_texts()], monkeypatch) <= 2


def test_the_python_parser_builds_what_libyaml_builds_on_the_corpus(
    monkeypatch: pytest.MonkeyPatch, corpus_dir: Path
) -> None:
    texts = [p.read_text("utf-8") for p in sorted(corpus_dir.rglob("*.yaml"))]
    assert _moved_values(texts, monkeypatch) <= 2


def _moved_values(texts: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    by_events = loader._load_by_events
    moved = 0
    for text in texts:
        reference = load_text(text, "f.yaml")
        with monkeypatch.context() as patched:
            patched.setattr(loader, "_load_by_events", lambda *a, **k: by_events(*a, python=True))
            python = load_text(text, "f.yaml")
        assert [_key(f) for f in python.findings] == [_key(f) for f in reference.findings]
        assert len(python.documents) == len(reference.documents)
        for doc, other in zip(python.documents, reference.documents, strict=True):
            moved += _compare(doc.root, other.root, text)
    return moved


def _key(finding: Any) -> tuple:
    """A finding, but a syntax error's wording (the two parsers word some differently)."""
    message = "" if finding.rule == "yaml-syntax" else finding.message
    return finding.rule, finding.span, message


def _compare(a: Any, b: Any, text: str) -> int:
    """Asserts the trees agree; the number of empty scalars placed differently."""
    moved = 0
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        assert type(x) is type(y) and x.tag == y.tag
        if isinstance(x, YScalar):
            assert (x.value, x.style) == (y.value, y.style)
            if x.start == x.end == y.end and x.start != y.start:
                raise AssertionError((x, y))
            if (x.start, x.end) != (y.start, y.end):
                assert x.start == x.end and y.start == y.end and not text[y.start : x.start].strip()
                moved += 1
            continue
        assert (x.start, x.end) == (y.start, y.end)
        if isinstance(x, YSequence):
            stack.extend(zip(x.items, y.items, strict=True))
        else:
            assert list(x.keys) == list(y.keys)
            for pair, other in zip(x.entries, y.entries, strict=True):
                stack.extend(zip(pair, other, strict=True))
    return moved


def test_a_document_too_big_for_the_python_parser_keeps_libyamls_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(loader, "PYTHON_PARSE_LIMIT", 100)
    [finding] = load_text(WORKFLOW, "wf.yaml").findings
    assert finding.rule == "yaml-syntax" and "unexpected ':'" in finding.message
    assert (finding.span.line, finding.span.column) == (12, 21)
    assert finding.suggestion is not None and "quote the value" in finding.suggestion
