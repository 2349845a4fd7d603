"""Template references: local names, templateRef/workflowTemplateRef across documents and
files, external templates, and the project context a pre-commit run sees."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import lint_text
from parity_helpers import fixture_text, spans, write

from argolint.config import Config
from argolint.engine import Input, inputs_from_paths, run
from argolint.source.loader import load_text

RULES = ("undefined-template", "unresolved-template-ref", "invalid-template-ref", "invalid-hook")

WT_LIB = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: lib
spec:
  entrypoint: echo
  templates:
    - name: echo
      container:
        image: alpine:3.20
"""

WF_USES_LIB = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: use-
spec:
  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: call
            templateRef:
              name: lib
              template: echo
"""


def test_bad_fixture_positions() -> None:
    assert spans(fixture_text("refs/bad-references.yaml"), *RULES) == [
        ("invalid-hook", 10, 5, 10, 12),
        ("invalid-template-ref", 25, 13, 25, 21),
        ("invalid-template-ref", 29, 26, 29, 37),
        ("undefined-template", 6, 15, 6, 19),
        ("undefined-template", 7, 11, 7, 14),
        ("undefined-template", 16, 23, 16, 27),
        ("unresolved-template-ref", 22, 48, 22, 52),
        ("unresolved-template-ref", 27, 33, 27, 38),
    ]


def test_good_fixture_is_silent() -> None:
    assert spans(fixture_text("refs/good-references.yaml"), *RULES) == []


def test_suggestion_names_the_closest_template() -> None:
    from conftest import findings_of

    (entry,) = [
        f
        for f in findings_of(fixture_text("refs/bad-references.yaml"), "undefined-template")
        if f.span.line == 6
    ]
    assert "`main`" in (entry.suggestion or "")


def test_every_document_of_a_multi_document_file_is_loaded() -> None:
    text = "\n---\n".join(WT_LIB.replace("name: lib", f"name: lib{i}", 1) for i in range(5))
    docs = load_text(text, "x.yaml").documents
    assert [d.name for d in docs] == [f"lib{i}" for i in range(5)]


def test_later_document_of_a_file_resolves() -> None:
    text = WF_USES_LIB + "---\n" + WT_LIB.replace("name: lib", "name: other", 1) + "---\n" + WT_LIB
    assert spans(text, *RULES) == []


def test_missing_workflow_template_points_at_its_name() -> None:
    assert spans(WF_USES_LIB, *RULES) == [("unresolved-template-ref", 12, 21, 12, 24)]


def test_cluster_scope_mismatch_suggests_the_fix() -> None:
    text = (
        WF_USES_LIB
        + "---\n"
        + WT_LIB.replace("kind: WorkflowTemplate", "kind: ClusterWorkflowTemplate")
    )
    from conftest import findings_of

    (f,) = findings_of(text, "unresolved-template-ref")
    assert "clusterScope: true" in (f.suggestion or "")


def test_external_templates_silence_cluster_only_references() -> None:
    assert spans(WF_USES_LIB, *RULES, external_templates=["lib"]) == []
    assert spans(WF_USES_LIB, *RULES, external_templates=["lib/echo"]) == []
    assert spans(WF_USES_LIB, *RULES, external_templates=["li*"]) == []
    assert spans(WF_USES_LIB, *RULES, external_templates=["lib/other"]) != []


def test_workflow_template_ref_resolves_entrypoint_and_flags_templates() -> None:
    wf = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: by-ref-
spec:
  workflowTemplateRef:
    name: lib
  onExit: nope
  templates:
    - name: local
      container: {image: alpine}
"""
    assert spans(wf + "---\n" + WT_LIB, *RULES, "missing-entrypoint") == [
        ("invalid-template-ref", 9, 3, 9, 12),
        ("undefined-template", 8, 11, 8, 15),
    ]
    assert spans(wf, *RULES) == [
        ("invalid-template-ref", 9, 3, 9, 12),
        ("unresolved-template-ref", 7, 11, 7, 14),
    ]


def _git_repo(root: Path) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)


def test_pre_commit_run_on_one_file_resolves_templates_in_other_files(tmp_path: Path) -> None:
    _git_repo(tmp_path)
    write(tmp_path, "templates/lib.yaml", WT_LIB)
    write(tmp_path, "notes/readme.yaml", "not: argo\n")
    broken = write(tmp_path, "templates/broken.yaml", "kind: WorkflowTemplate\n: : :\n")
    target = write(tmp_path, "workflows/use.yaml", WF_USES_LIB)
    result = run(inputs_from_paths([target]), Config())
    assert [f for f in result.findings if f.rule in RULES] == []
    # findings only for the file given, never for the context files
    assert result.documents == 1
    assert all(f.path.endswith("use.yaml") for f in result.findings), broken


def test_without_a_repository_only_the_given_files_count(tmp_path: Path) -> None:
    write(tmp_path, "lib.yaml", WT_LIB)
    target = write(tmp_path, "use.yaml", WF_USES_LIB)
    result = run(inputs_from_paths([target]), Config())
    assert [f.rule for f in result.findings if f.rule in RULES] == ["unresolved-template-ref"]


def test_template_paths_configure_where_templates_live(tmp_path: Path) -> None:
    write(tmp_path, "shared/lib.yaml", WT_LIB)
    target = write(tmp_path, "use.yaml", WF_USES_LIB)
    config = Config(template_paths=["shared"], base_dir=tmp_path)
    result = run(inputs_from_paths([target]), config)
    assert [f for f in result.findings if f.rule in RULES] == []


def test_stdin_input_gets_no_context() -> None:
    result = run([Input("-", WF_USES_LIB.encode())], Config())
    assert [f.rule for f in result.findings if f.rule in RULES] == ["unresolved-template-ref"]


def test_argument_across_files_matching_no_input(tmp_path: Path) -> None:
    _git_repo(tmp_path)
    lib = WT_LIB.replace(
        "    - name: echo\n",
        "    - name: echo\n      inputs:\n        parameters:\n          - name: message\n",
    )
    write(tmp_path, "templates/lib.yaml", lib)
    caller = WF_USES_LIB + (
        "            arguments:\n              parameters:\n"
        "                - name: mesage\n                  value: hi\n"
    )
    target = write(tmp_path, "use.yaml", caller)
    result = run(inputs_from_paths([target]), Config())
    unknown = [f for f in result.findings if f.rule == "unknown-argument"]
    missing = [f for f in result.findings if f.rule == "missing-argument"]
    assert [(f.span.line, f.span.column) for f in unknown] == [(16, 25)]
    assert "`message`" in (unknown[0].suggestion or "")
    assert unknown[0].related[0].path.endswith("lib.yaml")
    assert len(missing) == 1 and "WorkflowTemplate `lib`" in missing[0].message


def test_namespaced_reference_to_another_namespace_is_a_warning() -> None:
    from conftest import findings_of

    wf = WF_USES_LIB.replace("  generateName: use-\n", "  generateName: use-\n  namespace: ci\n")
    lib = WT_LIB.replace("  name: lib\n", "  name: lib\n  namespace: tools\n")
    (found,) = findings_of(wf + "---\n" + lib, "unresolved-template-ref")
    assert found.severity.name == "WARNING" and (found.span.line, found.span.column) == (13, 21)
    same = lib.replace("namespace: tools", "namespace: ci")
    assert findings_of(wf + "---\n" + same, "unresolved-template-ref") == []
    both = wf + "---\n" + lib + "---\n" + same
    assert findings_of(both, "unresolved-template-ref") == []


def test_step_level_on_exit_names_a_template() -> None:
    text = WF_USES_LIB.replace(
        "        - - name: call\n", "        - - name: call\n            onExit: cleanup\n"
    )
    assert spans(text + "---\n" + WT_LIB, *RULES) == [("undefined-template", 11, 21, 11, 28)]


_EVENT_CONSUMER = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: event-consumer
spec:
  entrypoint: main
  templates:
    - name: main
      container:
        image: alpine:3.20
        args: [echo, "{{workflow.parameters.appellation}}"]
"""
_EVENT_BINDING = """\
---
apiVersion: argoproj.io/v1alpha1
kind: WorkflowEventBinding
metadata:
  name: event-consumer
spec:
  event:
    selector: payload.appellation != ""
  submit:
    workflowTemplateRef:
      name: event-consumer
    arguments:
      parameters:
        - name: appellation
          valueFrom:
            event: payload.appellation
"""


def test_a_workflow_event_binding_supplies_the_parameters_it_submits() -> None:
    alone = [f for f in lint_text(_EVENT_CONSUMER).findings if f.rule == "unresolved-variable"]
    assert [(f.span.line, f.span.column) for f in alone] == [(11, 25)]
    bound = lint_text(_EVENT_CONSUMER + _EVENT_BINDING).findings
    assert not [f for f in bound if f.rule == "unresolved-variable"]
    other = _EVENT_BINDING.replace("- name: appellation", "- name: salutation")
    unbound = lint_text(_EVENT_CONSUMER + other).findings
    assert [f.span.line for f in unbound if f.rule == "unresolved-variable"] == [11]


_LIBRARY_READING_A_PARAMETER = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: library
spec:
  templates:
    - name: main
      container:
        image: alpine:3.20
        args: [echo, "{{workflow.parameters.who}}"]
"""
_CALLER_SUPPLYING_IT = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: caller-
spec:
  serviceAccountName: runner
  arguments:
    parameters:
      - name: who
        value: me
  workflowTemplateRef:
    name: library
"""
_ADMIN_BINDING = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: runner-admin
subjects:
  - {kind: ServiceAccount, name: runner, namespace: pipelines}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
"""


def test_a_template_linted_alone_sees_its_callers_in_the_repository(tmp_path: Path) -> None:
    _git_repo(tmp_path)
    target = write(tmp_path, "templates/library.yaml", _LIBRARY_READING_A_PARAMETER)
    alone = run(inputs_from_paths([target]), Config()).findings
    assert [f.rule for f in alone if f.rule == "unresolved-variable"] == ["unresolved-variable"]
    write(tmp_path, "workflows/caller.yaml", _CALLER_SUPPLYING_IT)
    with_caller = run(inputs_from_paths([target]), Config()).findings
    assert not [f for f in with_caller if f.rule == "unresolved-variable"]
    whole = run(inputs_from_paths([tmp_path], base=tmp_path), Config()).findings
    assert [f for f in whole if f.path.endswith("library.yaml")] == with_caller


def test_a_binding_linted_alone_names_the_workflows_of_the_repository(tmp_path: Path) -> None:
    _git_repo(tmp_path)
    write(tmp_path, "workflows/caller.yaml", _CALLER_SUPPLYING_IT)
    target = write(tmp_path, "rbac/binding.yaml", _ADMIN_BINDING)
    [finding] = [
        f
        for f in run(inputs_from_paths([target]), Config()).findings
        if f.rule == "overbroad-rbac-binding"
    ]
    assert [r.path.rsplit("/", 2)[-2:] for r in finding.related] == [["workflows", "caller.yaml"]]
