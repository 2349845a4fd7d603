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


KUBECTL_LIST = """\
apiVersion: v1
kind: List
items:
  - apiVersion: argoproj.io/v1alpha1
    kind: WorkflowTemplate
    metadata: {name: hello}
  - just a string
  - apiVersion: v1
    kind: ServiceAccount
    metadata: {name: runner}
---
apiVersion: example.com/v1
kind: List
items:
  - kind: Workflow
"""


def test_the_items_of_a_kubernetes_list_are_documents() -> None:
    docs = load_text(KUBECTL_LIST, "list.yaml").documents
    assert [(d.kind, d.position) for d in docs] == [
        ("WorkflowTemplate", 0),
        ("ServiceAccount", 0),
        ("List", 1),  # another API group's List is not Kubernetes'
    ]
    assert docs[0].name == "hello" and docs[0].root.span.line == 4
    assert docs[1].root.span.line == 8


def test_a_template_in_a_list_is_found_by_reference() -> None:
    from conftest import lint_text

    caller = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: c-}\n"
        "spec:\n  workflowTemplateRef: {name: missing}\n"
    )
    text = KUBECTL_LIST.split("---")[0] + "---\n" + caller
    assert [f.rule for f in lint_text(text).findings if f.rule.startswith("unresolved")] == [
        "unresolved-template-ref"
    ]
    found = text.replace("name: missing", "name: hello")
    assert not [f for f in lint_text(found).findings if f.rule == "unresolved-template-ref"]
