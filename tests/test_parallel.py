"""The process pool gives exactly the findings of one process, references across files
included; the batch runner picks the pool only when there is enough work."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from argolint import parallel, rules
from argolint.batch import lint
from argolint.config import Config
from argolint.context import Context
from argolint.engine import Input, inputs_from_paths, run
from argolint.finding import Finding, Severity
from argolint.rules import Rule

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "speed"


def _ref_probe(ctx: Context) -> Iterator[Finding]:
    """Reports every workflowTemplateRef with what it resolves to in the project."""
    spec = ctx.doc.root.get("spec")
    ref = spec.get("workflowTemplateRef") if spec is not None else None
    name = ref.get("name") if ref is not None else None
    if name is not None:
        found = ctx.project.workflow_template(name.value)
        yield ctx.finding(name, f"resolves to {found.path if found else None}")


@pytest.fixture
def ref_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    rule = Rule("test-ref-probe", "test", Severity.INFO, "probe", _ref_probe)
    rules.all_rules()
    monkeypatch.setitem(rules._REGISTRY, rule.id, rule)


@pytest.fixture
def small_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the pool even for a handful of small files, in as many chunks as files (up to
    eight with two jobs), so files land in different workers."""
    monkeypatch.setattr(parallel, "MIN_FILES", 2)
    monkeypatch.setattr(parallel, "MIN_BYTES", 1)
    monkeypatch.setattr(parallel, "CHUNKS_PER_JOB", 4)


def _project(tmp_path: Path, copies: int) -> list[Input]:
    for i in range(copies):
        shutil.copytree(FIXTURES, tmp_path / f"copy-{i:02d}")
    return inputs_from_paths([tmp_path], base=tmp_path)


def test_pool_resolves_references_into_files_of_other_workers(
    tmp_path: Path, ref_probe: None, small_pool: None
) -> None:
    inputs = _project(tmp_path, 6)
    assert parallel.worth_a_pool(
        [Input(i.path, i.fs_path.read_bytes(), i.fs_path) for i in inputs], 2
    )
    pooled = lint(inputs, Config(), jobs=2)
    probes = [f for f in pooled.findings if f.rule == "test-ref-probe"]
    assert len(probes) == 6
    assert all(f.message.startswith("resolves to copy-") for f in probes)
    assert pooled.findings == run(inputs, Config()).findings
    assert pooled.files == 12 and pooled.documents == 12


def test_pool_matches_one_process_on_the_corpus(corpus_dir: Path) -> None:
    inputs = inputs_from_paths([corpus_dir], base=corpus_dir)
    one = run(inputs, Config())
    pooled = lint(inputs, Config(), jobs=2)
    assert pooled.findings == one.findings
    assert (pooled.files, pooled.documents) == (one.files, one.documents)
    assert set(pooled.sources) == {f.path for f in one.findings}


def test_configuration_problems_reported_once_with_a_pool(tmp_path: Path, small_pool: None) -> None:
    problem = Finding("config-error", Severity.ERROR, "bad", ".argolint.yaml", _span())
    config = Config(problems=[problem])
    result = lint(_project(tmp_path, 3), config, jobs=2)
    assert [f for f in result.findings if f.rule == "config-error"] == [problem]


def _span():  # type: ignore[no-untyped-def]
    from argolint.span import Span

    return Span.point(1, 1)


def test_no_pool_for_a_few_files_or_one_job() -> None:
    small = [Input(f"f{i}.yaml", b"a: 1\n") for i in range(40)]
    big = [Input(f"f{i}.yaml", b"a: 1\n" * 10_000) for i in range(40)]
    assert not parallel.worth_a_pool(small, 2)
    assert not parallel.worth_a_pool(big[:3], 2)
    assert not parallel.worth_a_pool(big, 1)
    assert parallel.worth_a_pool(big, 2)


def test_chunks_cover_every_target_once_and_balance_bytes() -> None:
    inputs = [Input(f"f{i}.yaml", b"x" * (i * 100 + 1)) for i in range(50)]
    parts = parallel.chunks(inputs, list(range(50)), 2)
    flat = sorted(i for part in parts for i in part)
    assert flat == list(range(50))
    sizes = [sum(len(inputs[i].data) for i in part) for part in parts]
    assert max(sizes) - min(sizes) <= 4901  # at most one file apart


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"kind: WorkflowTemplate\n", True),
        (b'{"kind": "ClusterWorkflowTemplate"}', True),
        (b"kind: 'RoleBinding'\n", True),
        (b"kind: Workflow\n", False),
        (b"kind: CronWorkflow\nspec:\n  workflowSpec: {}\n", False),
        (b"templateRef:\n  name: WorkflowTemplate\n", False),
        (b"\xff\xfek\x00", True),  # UTF-16: cannot tell from bytes
        (None, False),
    ],
)
def test_which_files_may_be_referenced(data: bytes | None, expected: bool) -> None:
    assert parallel.may_be_referenced(data) is expected


def test_pool_sees_the_repository_outside_the_run(
    tmp_path: Path, ref_probe: None, small_pool: None
) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "templates").mkdir()
    shutil.copy(FIXTURES / "good-template.yaml", tmp_path / "templates" / "shared.yaml")
    for i in range(6):
        (tmp_path / "workflows" / str(i)).mkdir(parents=True)
        shutil.copy(FIXTURES / "good-caller.yaml", tmp_path / "workflows" / str(i) / "wf.yaml")
    inputs = inputs_from_paths([tmp_path / "workflows"], base=tmp_path)
    pooled = lint(inputs, Config(), jobs=2)
    probes = [f.message for f in pooled.findings if f.rule == "test-ref-probe"]
    assert len(probes) == 6 and all(m.endswith("shared.yaml") for m in probes), probes
    assert pooled.findings == run(inputs, Config()).findings


_LIBRARY = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: library
  namespace: pipelines
spec:
  templates:
    - name: main
      container:
        image: alpine:3.19
        command: [echo, "{{workflow.parameters.message}}"]
"""
_USER = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: user-{n}-
  namespace: pipelines
spec:
  serviceAccountName: runner
  arguments:
    parameters:
      - name: message
        value: hi
  workflowTemplateRef:
    name: library
"""
_BINDING = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: runner-admin
subjects:
  - kind: ServiceAccount
    name: runner
    namespace: pipelines
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: admin
"""


def _one_file_per_chunk(tmp_path: Path, files: dict[str, str]) -> list[Input]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    inputs = inputs_from_paths([tmp_path], base=tmp_path)
    assert len(parallel.chunks(inputs, list(range(len(inputs))), 2)) == len(inputs)
    return inputs


def test_pool_gives_a_template_the_parameters_of_callers_in_other_workers(
    tmp_path: Path, small_pool: None
) -> None:
    files = {"library.yaml": _LIBRARY} | {f"user-{n}.yaml": _USER.format(n=n) for n in range(7)}
    inputs = _one_file_per_chunk(tmp_path, files)
    pooled = lint(inputs, Config(), jobs=2)
    assert pooled.findings == run(inputs, Config()).findings
    assert not [f for f in pooled.findings if f.path == "library.yaml"]
    alone = lint([i for i in inputs if i.path == "library.yaml"], Config(), jobs=2)
    assert [f.rule for f in alone.findings if f.path == "library.yaml"] == ["unresolved-variable"]


def test_pool_lets_a_binding_see_every_workflow_that_runs_as_its_accounts(
    tmp_path: Path, small_pool: None
) -> None:
    files = {"binding.yaml": _BINDING} | {f"user-{n}.yaml": _USER.format(n=n) for n in range(7)}
    inputs = _one_file_per_chunk(tmp_path, files)
    pooled = lint(inputs, Config(), jobs=2)
    assert pooled.findings == run(inputs, Config()).findings
    (binding,) = [f for f in pooled.findings if f.rule == "overbroad-rbac-binding"]
    assert sorted(r.path for r in binding.related) == [f"user-{n}.yaml" for n in range(7)]
    shown = ", ".join(f"Workflow `user-{n}-` (user-{n}.yaml:7)" for n in range(4))
    assert f"service account `runner` runs {shown} and 3 more" in binding.message


def test_which_files_are_shared_with_other_workers() -> None:
    inputs = [
        Input("template.yaml", b"kind: WorkflowTemplate\n"),
        Input("caller.yaml", b"spec:\n  workflowTemplateRef:\n    name: t\n"),
        Input("step.yaml", b"steps:\n- - templateRef: {name: t, template: m}\n"),
        Input("plain.yaml", b"kind: Workflow\n"),
        Input("unreadable.yaml", None),
    ]
    assert parallel.shared_inputs(inputs) == [0, 1, 2]
    assert parallel.shared_inputs(inputs, binding_elsewhere=True) == [0, 1, 2, 3]
    with_binding = [*inputs, Input("rbac.yaml", b"kind: RoleBinding\n")]
    assert parallel.shared_inputs(with_binding) == [0, 1, 2, 3, 5]
