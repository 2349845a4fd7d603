from argolint.source.loader import load_text
from argolint.span import Span


def test_yaml_11_values_as_kubernetes_reads_them():
    doc = load_text("a: 0755\nb: yes\nc: 'yes'\nd: on\ne: 0x1f\nf: 1.5\ng: ~\nh: n\n", "f.yaml")
    assert doc.documents[0].to_python() == {
        "a": 493,
        "b": True,
        "c": "yes",
        "d": True,
        "e": 31,
        "f": 1.5,
        "g": None,
        "h": False,
    }


def test_duplicate_key_reported_at_second_key():
    result = load_text("a: 1\nb:\n  c: 1\n  c: 2\n", "f.yaml")
    [finding] = result.findings
    assert finding.rule == "duplicate-key"
    assert finding.span == Span(4, 3, 4, 4)
    assert result.documents[0].to_python() == {"a": 1, "b": {"c": 2}}


def test_syntax_error_loses_only_its_document():
    result = load_text("a: 1\n---\nfoo: [\n---\nok: 1\n", "f.yaml")
    assert [f.rule for f in result.findings] == ["yaml-syntax"]
    assert result.findings[0].span.line == 4
    assert [d.to_python() for d in result.documents] == [{"a": 1}, {"ok": 1}]
    assert [d.position for d in result.documents] == [0, 2]


def test_sub_span_inside_quoted_and_block_scalars():
    text = 'c: "é{{x}}"\nd: |\n  héllo {{steps.a}}\n  x\ne: "a\\tb {{y}}"\n'
    root = load_text(text, "f.yaml").documents[0].root
    assert root.get("c").sub_span(1, 6) == Span(1, 6, 1, 11)
    assert root.get("d").sub_span(6, 17) == Span(3, 9, 3, 20)
    value = root.get("e").value
    start = value.index("{{")
    assert root.get("e").sub_span(start, start + 5) == Span(5, 10, 5, 15)


def test_merge_keys_apply_with_explicit_keys_winning():
    text = "base: &b {p: 1, q: 2}\nthing:\n  <<: *b\n  q: 3\n"
    data = load_text(text, "f.yaml").documents[0].to_python()
    assert data["thing"] == {"p": 1, "q": 3}


def test_every_document_of_a_long_stream_is_its_own():
    # The parser frees each document's nodes before composing the next, so their ids are
    # reused: nothing of an earlier document may leak into a later one.
    text = "\n---\n".join(
        f"kind: K{i}\nmetadata:\n  name: n{i}\nspec:\n  a: [1, 2, {{b: c{i}}}]" for i in range(60)
    )
    result = load_text(text, "f.yaml")
    assert [d.to_python() for d in result.documents] == [
        {"kind": f"K{i}", "metadata": {"name": f"n{i}"}, "spec": {"a": [1, 2, {"b": f"c{i}"}]}}
        for i in range(60)
    ]
    assert [d.root.span.line for d in result.documents] == [1 + 6 * i for i in range(60)]


def test_anchors_are_shared_within_a_document_and_not_across():
    result = load_text("a: &x {k: 1}\nb: *x\n---\nc: &x {k: 2}\nd: *x\n", "f.yaml")
    first, second = result.documents
    assert first.root.get("a") is first.root.get("b")
    assert second.to_python() == {"c": {"k": 2}, "d": {"k": 2}}
