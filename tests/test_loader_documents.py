"""Documents of one file never share nodes (ruamel node ids are reused once freed)."""

from argolint.source.loader import load_text


def test_each_document_has_its_own_nodes() -> None:
    body = "kind: A\nspec:\n  templates:\n  - name: t{i}\n    container: {{image: x}}\n"
    text = "---\n".join(body.format(i=i) for i in range(6))
    docs = load_text(text, "x.yaml").documents
    assert len(docs) == 6
    names = [d.root.get("spec").get("templates").items[0].get("name").value for d in docs]
    assert names == [f"t{i}" for i in range(6)]
    lines = [d.root.get("spec").span.line for d in docs]
    assert lines == sorted(set(lines))
