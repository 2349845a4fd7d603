"""RBAC across files: bindings judged by the roles they grant and the workflows they serve,
with a suggested least-privilege Role that argolint itself accepts."""

from __future__ import annotations

import shutil
from pathlib import Path

from argolint.config import Config
from argolint.engine import Input, inputs_from_paths, run
from argolint.finding import Severity
from tests.conftest import FIXTURES, findings_of, lint_text

RBAC = FIXTURES / "rbac"
RBAC_RULES = {"overbroad-rbac-binding", "rbac-wildcard"}


def _lint_paths(*paths: Path) -> list:
    return run(inputs_from_paths(list(paths)), Config()).findings


def _span(f) -> tuple[int, int, int, int]:
    return (f.span.line, f.span.column, f.span.end_line, f.span.end_column)


def test_admin_cluster_role_binding_names_the_workflows_and_suggests_a_role():
    findings = [f for f in _lint_paths(RBAC / "admin-cluster-binding") if f.rule in RBAC_RULES]
    assert len(findings) == 1
    [f] = findings
    assert f.rule == "overbroad-rbac-binding" and f.severity == Severity.WARNING
    assert f.path.endswith("rbac.yaml") and _span(f) == (15, 9, 15, 14)
    assert "ClusterRole `admin`" in f.message and "in every namespace" in f.message
    assert "WorkflowTemplate `fanout`" in f.message and "fanout-workflow.yaml:8" in f.message
    assert [r.span.line for r in f.related] == [8]
    assert f.suggestion is not None and "kind: Role\n" in f.suggestion
    assert "resources: [jobs]" in f.suggestion and "verbs: [create, get, watch]" in f.suggestion
    assert "resources: [workflowtaskresults]" in f.suggestion


def test_suggested_role_passes_argolint(tmp_path: Path):
    [f] = [
        f for f in _lint_paths(RBAC / "admin-cluster-binding") if f.rule == "overbroad-rbac-binding"
    ]
    yaml = f.suggestion.split(":\n", 1)[1]  # type: ignore[union-attr]
    shutil.copy(RBAC / "admin-cluster-binding" / "fanout-workflow.yaml", tmp_path / "wf.yaml")
    (tmp_path / "rbac.yaml").write_text(yaml)
    findings = _lint_paths(tmp_path)
    assert [x for x in findings if x.rule in RBAC_RULES or x.severity == Severity.ERROR] == []


def test_cluster_admin_through_a_role_binding_is_an_error():
    text = (RBAC / "bad-cluster-admin-rolebinding.yaml").read_text()
    [f] = findings_of(text, "overbroad-rbac-binding")
    assert f.severity == Severity.ERROR and _span(f) == (29, 9, 29, 22)
    assert "Workflow `nightly-`" in f.message and "service account `batch:nightly`" in f.message


def test_wildcard_role_and_its_binding():
    text = (RBAC / "bad-wildcard-role.yaml").read_text()
    wild = findings_of(text, "rbac-wildcard")
    assert [_span(f) for f in wild] == [(10, 17, 10, 20), (11, 17, 11, 20), (12, 13, 12, 16)]
    assert ["apiGroups" in wild[0].message, "verbs" in wild[2].message] == [True, True]
    [binding] = findings_of(text, "overbroad-rbac-binding")
    assert binding.severity == Severity.WARNING and _span(binding) == (22, 9, 22, 17)
    assert "resources: [deployments]" in binding.suggestion and "verbs: [get, patch]" in (
        binding.suggestion or ""
    )


def test_least_privilege_setup_is_silent():
    assert _lint_paths(RBAC / "least-privilege") == []


def test_cluster_binding_where_a_namespace_suffices():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: etl-, namespace: data}
spec:
  entrypoint: main
  serviceAccountName: etl
  templates:
    - name: main
      container: {image: "alpine:3.20"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: etl}
rules:
  - apiGroups: [argoproj.io]
    resources: [workflowtaskresults]
    verbs: [create, patch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: etl}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: etl}
subjects:
  - {kind: ServiceAccount, name: etl, namespace: data}
"""
    [f] = findings_of(text, "overbroad-rbac-binding")
    assert _span(f) == (20, 7, 20, 25) and "a RoleBinding" in (f.suggestion or "")
    assert "namespace `data`" in f.message
    # A role over cluster-scoped resources does need the cluster binding.
    needs_nodes = text.replace("resources: [workflowtaskresults]", "resources: [nodes]")
    assert findings_of(needs_nodes, "overbroad-rbac-binding") == []
    # A service account of another namespace is not the workflow's.
    other = text.replace("namespace: data}\n", "namespace: other}\n", 1)
    assert findings_of(other, "overbroad-rbac-binding") == []


def test_default_account_and_group_subjects():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: quick-}
spec:
  entrypoint: main
  templates:
    - name: main
      container: {image: "alpine:3.20"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: everyone-edits, namespace: argo}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
  - {kind: Group, name: "system:serviceaccounts:argo", apiGroup: rbac.authorization.k8s.io}
"""
    [f] = findings_of(text, "overbroad-rbac-binding")
    assert "group `system:serviceaccounts:argo`" in f.message
    assert "service account `default` runs Workflow `quick-`" in f.message
    assert "name: default" in (f.suggestion or "")


def test_binding_in_another_file_of_the_project(tmp_path: Path):
    """Linting only the RBAC file still finds the workflows elsewhere in the repository."""
    (tmp_path / ".git").mkdir()
    shutil.copy(RBAC / "admin-cluster-binding" / "fanout-workflow.yaml", tmp_path / "wf.yaml")
    shutil.copy(RBAC / "admin-cluster-binding" / "rbac.yaml", tmp_path / "rbac.yaml")
    findings = run([Input("rbac.yaml", None, tmp_path / "rbac.yaml")], Config()).findings
    [f] = [x for x in findings if x.rule == "overbroad-rbac-binding"]
    assert "WorkflowTemplate `fanout`" in f.message


def test_role_created_by_a_resource_template_is_checked_in_place():
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: setup-}
spec:
  entrypoint: main
  serviceAccountName: setup
  templates:
    - name: main
      resource:
        action: apply
        manifest: |
          apiVersion: rbac.authorization.k8s.io/v1
          kind: Role
          metadata:
            name: wide
          rules:
            - apiGroups: [""]
              resources: [secrets]
              verbs: ["*"]
"""
    [f] = findings_of(text, "rbac-wildcard")
    assert _span(f) == (19, 23, 19, 26)


def test_malformed_rbac_does_not_crash():
    for text in (
        "kind: RoleBinding\nroleRef: 3\nsubjects: [1, {kind: null}]\n",
        "kind: ClusterRoleBinding\nmetadata: []\nsubjects: null\n",
        "kind: Role\nmetadata: {name: x}\nrules: [null, {verbs: '*'}, {verbs: [null, '*']}]\n",
        "kind: ClusterRole\nrules: 5\n",
        "kind: Workflow\nspec: {serviceAccountName: [x], templates: [{serviceAccountName: 3}]}\n",
    ):
        result = lint_text(text)
        assert not [f for f in result.findings if f.rule == "internal-error"], text


def test_cli_suggest_rbac_prints_a_role_that_passes(tmp_path: Path):
    from click.testing import CliRunner

    from argolint.cli import main

    workflow = RBAC / "bad-wildcard-role.yaml"
    result = CliRunner().invoke(main, ["--suggest-rbac", str(workflow)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "kind: ServiceAccount" in out and "name: deployer\n" in out
    assert "resources: [deployments]" in out and "verbs: [get, patch]" in out
    assert "namespace: apps" in out
    # The suggestion plus the workflow: no RBAC finding, no error.
    wf_only = workflow.read_text().split("---\napiVersion: argoproj.io", 1)[1]
    (tmp_path / "wf.yaml").write_text("apiVersion: argoproj.io" + wf_only)
    (tmp_path / "rbac.yaml").write_text(out)
    findings = _lint_paths(tmp_path)
    assert [f for f in findings if f.rule in RBAC_RULES or f.severity == Severity.ERROR] == []


def test_cli_suggest_rbac_invents_an_account_when_none_is_named(tmp_path: Path):
    from click.testing import CliRunner

    from argolint.cli import main

    path = tmp_path / "wf.yaml"
    path.write_text(
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: Build-}\n"
        "spec:\n  entrypoint: main\n  templates:\n    - name: main\n"
        "      http: {url: 'https://example.com'}\n"
    )
    result = CliRunner().invoke(main, ["--suggest-rbac", str(path)])
    assert result.exit_code == 0
    assert "set `spec.serviceAccountName: build-runner`" in result.output
    assert "resources: [workflowtasksets/status]" in result.output


LIBRARY = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: publish-lib, namespace: ci}
spec:
  templates:
    - name: publish
      resource:
        action: apply
        manifest: |
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: published}
"""
CALLER = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: release-, namespace: ci}
spec:
  entrypoint: main
  serviceAccountName: release
  templates:
    - name: main
      steps:
        - - name: publish
            templateRef: {name: publish-lib, template: publish}
"""


def test_suggestion_includes_what_template_refs_run(tmp_path: Path):
    """A resource template reached through templateRef runs under the caller's account."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "lib.yaml").write_text(LIBRARY)
    (tmp_path / "wf.yaml").write_text(
        CALLER + "---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n"
        "metadata: {name: release, namespace: ci}\n"
        "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\n"
        "subjects: [{kind: ServiceAccount, name: release}]\n"
    )
    findings = run([Input("wf.yaml", None, tmp_path / "wf.yaml")], Config()).findings
    [f] = [x for x in findings if x.rule == "overbroad-rbac-binding"]
    assert "resources: [configmaps]" in (f.suggestion or "")
    assert "verbs: [create, get, patch]" in (f.suggestion or "")

    from click.testing import CliRunner

    from argolint.cli import main

    result = CliRunner().invoke(main, ["--suggest-rbac", str(tmp_path / "wf.yaml")])
    assert result.exit_code == 0 and "resources: [configmaps]" in result.output


_HUMAN_ADMINS = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: platform-admins
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: Group
    name: platform-admins
    apiGroup: rbac.authorization.k8s.io
"""


def test_cluster_admin_for_people_is_a_warning_for_workloads_an_error():
    [f] = findings_of(_HUMAN_ADMINS, "overbroad-rbac-binding")
    assert f.severity == Severity.WARNING and "group `platform-admins`" in f.message
    assert "every namespace, in every namespace" not in f.message
    for kind, name in (
        ("Group", "system:serviceaccounts:argo"),
        ("Group", "system:authenticated"),
        ("User", "system:serviceaccount:argo:runner"),
    ):
        text = _HUMAN_ADMINS.replace("kind: Group", f"kind: {kind}").replace(
            "name: platform-admins\n    apiGroup", f"name: {name}\n    apiGroup"
        )
        [f] = findings_of(text, "overbroad-rbac-binding")
        assert f.severity == Severity.ERROR, name


def test_user_subject_naming_a_service_account_serves_its_workflows():
    text = _HUMAN_ADMINS.replace("name: cluster-admin", "name: edit").replace(
        "kind: Group\n    name: platform-admins",
        "kind: User\n    name: system:serviceaccount:argo:runner",
    ) + (
        "---\napiVersion: argoproj.io/v1alpha1\nkind: Workflow\n"
        "metadata: {generateName: w-, namespace: argo}\n"
        "spec:\n  entrypoint: main\n  serviceAccountName: runner\n  templates:\n"
        "    - name: main\n      container: {image: 'alpine:3.20'}\n"
    )
    [f] = findings_of(text, "overbroad-rbac-binding")
    assert "runs Workflow" in f.message and "kind: Role" in (f.suggestion or "")


def test_suggest_rbac_grants_the_executor_account_when_one_is_named():
    from argolint.analysis.least_privilege import suggest_rbac
    from argolint.source.loader import load_text

    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: job-, namespace: ci}
spec:
  entrypoint: main
  serviceAccountName: job-pods
  automountServiceAccountToken: false
  executor:
    serviceAccountName: job-executor
  templates:
    - name: main
      resource:
        action: create
        manifest: |
          apiVersion: v1
          kind: ConfigMap
          metadata: {generateName: out-}
"""
    out = suggest_rbac(load_text(text, "wf.yaml").documents)
    # Argo mounts the executor account's token into its containers (the resource
    # template's main container included): that account needs the grants.
    binding = out.split("kind: RoleBinding", 1)[1]
    assert "name: job-executor" in binding and "name: job-pods\n" not in binding
    assert "resources: [configmaps]" in out


def test_suggest_rbac_places_grants_where_a_role_can_give_them(tmp_path: Path):
    from argolint.analysis.least_privilege import suggest_rbac
    from argolint.source.loader import load_text

    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: setup-, namespace: argo}
spec:
  entrypoint: main
  serviceAccountName: setup
  templates:
    - name: main
      steps:
        - - {name: ns, template: ns}
          - {name: cm, template: cm}
    - name: ns
      resource:
        action: create
        manifest: |
          apiVersion: v1
          kind: Namespace
          metadata: {name: tenant-b}
    - name: cm
      resource:
        action: apply
        manifest: |
          apiVersion: v1
          kind: ConfigMap
          metadata: {name: settings, namespace: tenant-b}
"""
    out = suggest_rbac(load_text(text, "wf.yaml").documents)
    docs = out.split("---\n")
    roles = {
        (d.split("kind: ", 1)[1].split("\n", 1)[0], "namespace: tenant-b" in d): d
        for d in docs
        if "rules:" in d
    }
    # Namespaces are cluster-scoped: a ClusterRole; the ConfigMap lives in tenant-b: a Role there.
    assert "resources: [namespaces]" in roles[("ClusterRole", False)]
    assert "resources: [configmaps]" in roles[("Role", True)]
    assert "configmaps" not in roles[("Role", False)] and "namespaces" not in roles[("Role", False)]
    assert out.count("    namespace: argo\n") == 3  # every binding's subject
    (tmp_path / "wf.yaml").write_text(text)
    (tmp_path / "rbac.yaml").write_text(out)
    findings = _lint_paths(tmp_path)
    assert [f for f in findings if f.rule in RBAC_RULES or f.severity == Severity.ERROR] == []


_AGGREGATED = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ci-runner
aggregationRule:
  clusterRoleSelectors:
    - matchLabels:
        example.com/aggregate-to-ci: "true"
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ci-extras
  labels:
    example.com/aggregate-to-ci: "true"
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ci-runner
  namespace: ci
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: ci-runner
subjects:
  - kind: ServiceAccount
    name: runner
    namespace: ci
"""


def test_aggregated_cluster_role_carries_the_rules_it_selects():
    found = findings_of(_AGGREGATED, "overbroad-rbac-binding")
    assert [(f.span.line, f.severity) for f in found] == [(30, Severity.WARNING)]
    assert "`verbs`" in found[0].message
    unlabelled = _AGGREGATED.replace(
        'example.com/aggregate-to-ci: "true"\nrules:\n  - api', "x: y\nrules:\n  - api"
    )
    assert (
        findings_of(
            unlabelled.replace(
                "  labels:\n    example.com/aggregate-to-ci", "  labels:\n    other"
            ),
            "overbroad-rbac-binding",
        )
        == []
    )


def test_a_binding_of_the_executor_account_names_the_workflow():
    text = _HUMAN_ADMINS.replace("name: cluster-admin", "name: edit").replace(
        "kind: Group\n    name: platform-admins\n    apiGroup: rbac.authorization.k8s.io",
        "kind: ServiceAccount\n    name: wf-executor\n    namespace: argo",
    ) + (
        "---\napiVersion: argoproj.io/v1alpha1\nkind: Workflow\n"
        "metadata: {generateName: w-, namespace: argo}\n"
        "spec:\n  entrypoint: main\n  serviceAccountName: runner\n"
        "  executor: {serviceAccountName: wf-executor}\n  templates:\n"
        "    - name: main\n      container: {image: 'alpine:3.20'}\n"
    )
    [f] = findings_of(text, "overbroad-rbac-binding")
    assert "`wf-executor`" in f.message and "Workflow" in f.message


_SUBJECTS = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: readers
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
  - kind: ServiceAccount
    name: wf-runner
  - kind: ServiceAccount
    name: wf-other
    namespace: argo
    apiGroup: rbac.authorization.k8s.io
  - kind: Group
    name: readers
  - kind: User
    name: jane
    apiGroup: ""
  - kind: ServiceAccount
    name: fine
    namespace: argo
    apiGroup: ""
  - kind: serviceaccount
    name: typo
    namespace: argo
"""


def test_subjects_the_api_server_rejects():
    found = findings_of(_SUBJECTS, "invalid-rbac-subject")
    # the missing namespace (at the subject's kind), the ServiceAccount's apiGroup, the
    # unknown kind; an empty apiGroup is defaulted (Group, User, the last account).
    assert [(f.span.line, f.span.column) for f in found] == [(10, 11), (15, 15), (25, 11)]
    assert all(f.severity == Severity.ERROR for f in found)
    assert "namespace" in found[0].message and "`ServiceAccount`" in found[2].message
    # In a RoleBinding the namespace defaults to the binding's.
    role_binding = _SUBJECTS.replace("kind: ClusterRoleBinding", "kind: RoleBinding").replace(
        "  name: readers\nroleRef", "  name: readers\n  namespace: argo\nroleRef"
    )
    assert [f.span.line for f in findings_of(role_binding, "invalid-rbac-subject")] == [16, 26]


def test_suggest_rbac_grants_artifact_gc_to_its_account():
    from argolint.analysis.least_privilege import suggest_rbac
    from argolint.source.loader import load_text

    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: gc-, namespace: argo}
spec:
  entrypoint: main
  serviceAccountName: runner
  artifactGC:
    strategy: OnWorkflowDeletion
    serviceAccountName: gc
  templates:
    - name: main
      container: {image: "alpine:3.20", command: [sh, -c, "echo > /tmp/a"]}
      outputs:
        artifacts:
          - name: a
            path: /tmp/a
            s3: {key: a.txt}
"""
    out = suggest_rbac(load_text(text, "wf.yaml").documents)
    gc = out.split("name: gc\n", 1)[1]
    assert "resources: [workflowartifactgctasks]" in gc and "verbs: [list, watch]" in gc
    assert "workflowartifactgctasks/status" in gc and "workflowtaskresults" not in gc
    runner = out.split("name: gc\n", 1)[0]
    assert "workflowartifactgctasks" not in runner
    never = text.replace("OnWorkflowDeletion", "Never")
    assert "workflowartifactgctasks" not in suggest_rbac(load_text(never, "wf.yaml").documents)


def test_suggest_rbac_without_a_namespace_asks_for_it_where_it_is_required():
    from argolint.analysis.least_privilege import suggest_rbac
    from argolint.source.loader import load_text

    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: ns-}
spec:
  entrypoint: main
  serviceAccountName: setup
  templates:
    - name: main
      resource:
        action: create
        manifest: |
          apiVersion: v1
          kind: Namespace
          metadata: {name: tenant-b}
"""
    out = suggest_rbac(load_text(text, "wf.yaml").documents)
    cluster_binding = out.split("kind: ClusterRoleBinding", 1)[1]
    assert "namespace: WORKFLOW-NAMESPACE" in cluster_binding
    found = lint_text(out).findings
    assert [f for f in found if f.rule == "invalid-rbac-subject"] == []


_CLUSTER_BINDING_WITHOUT_NAMESPACE = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: argo-binding
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: argo-cluster-role
subjects:
  - kind: ServiceAccount
    name: argo
"""


def test_a_subject_without_namespace_under_a_kustomization_is_a_warning(tmp_path: Path):
    base = tmp_path / "base" / "rbac"
    base.mkdir(parents=True)
    binding = base / "binding.yaml"
    binding.write_text(_CLUSTER_BINDING_WITHOUT_NAMESPACE)
    plain = [f for f in run(inputs_from_paths([binding]), Config()).findings]
    [error] = [f for f in plain if f.rule == "invalid-rbac-subject"]
    assert error.severity == Severity.ERROR and (error.span.line, error.span.column) == (10, 11)
    (tmp_path / "base" / "kustomization.yaml").write_text("resources: [rbac/binding.yaml]\n")
    from argolint.analysis import kustomize

    kustomize._kustomized.cache_clear()
    kustomized = run(inputs_from_paths([binding]), Config()).findings
    [warning] = [f for f in kustomized if f.rule == "invalid-rbac-subject"]
    assert warning.severity == Severity.WARNING and warning.span == error.span
    assert "kustomization" in warning.message
