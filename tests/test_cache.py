"""The result cache: a warm run reports exactly what a cold one does, re-lints what
changed (and what depends on a changed template), and never trusts a broken cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from argolint import batch
from argolint.batch import lint
from argolint.cache import ResultCache, config_fingerprint
from argolint.cli import main
from argolint.config import Config
from argolint.engine import Input, inputs_from_paths, run

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "speed"
RISKY = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: risky-
spec:
  entrypoint: main
  templates:
  - name: main
    container:
      image: alpine:3.19
"""


@pytest.fixture
def relinted(monkeypatch: pytest.MonkeyPatch) -> list[set[str]]:
    """The paths the engine linted, one set per batch run."""
    seen: list[set[str]] = []
    real = batch.lint_chunk

    def spy(inputs, targets, config, *context):  # type: ignore[no-untyped-def]
        seen.append({inputs[i].path for i in targets})
        return real(inputs, targets, config, *context)

    monkeypatch.setattr(batch, "lint_chunk", spy)
    return seen


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES, root)
    (root / "risky.yaml").write_text(RISKY)
    return root


def _lint(root: Path, cache: Path, config: Config | None = None):  # type: ignore[no-untyped-def]
    inputs = inputs_from_paths([root], base=root)
    return lint(inputs, config or Config(), jobs=1, cache_dir=cache)


def test_warm_run_reports_what_a_cold_run_does(tmp_path: Path, relinted: list) -> None:
    root = _project(tmp_path)
    cold = _lint(root, tmp_path / "cache")
    warm = _lint(root, tmp_path / "cache")
    assert cold.findings, "the fixture should raise something to cache"
    plain = run(inputs_from_paths([root], base=root), Config())
    assert warm.findings == cold.findings == plain.findings
    assert (warm.files, warm.documents) == (cold.files, cold.documents) == (3, 3)
    assert set(warm.sources) == {f.path for f in cold.findings}
    assert relinted == [{"good-caller.yaml", "good-template.yaml", "risky.yaml"}]


def test_editing_a_workflow_relints_only_that_workflow(tmp_path: Path, relinted: list) -> None:
    root = _project(tmp_path)
    _lint(root, tmp_path / "cache")
    (root / "risky.yaml").write_text(RISKY.replace("risky-", "risky-again-"))
    _lint(root, tmp_path / "cache")
    # a file that may be referenced is re-linted whenever any file of the run changes
    assert relinted[-1] == {"risky.yaml", "good-template.yaml"}


def test_editing_a_template_relints_what_may_reference_it(tmp_path: Path, relinted: list) -> None:
    root = _project(tmp_path)
    _lint(root, tmp_path / "cache")
    template = root / "good-template.yaml"
    template.write_text(template.read_text().replace("hello]", "bye]"))
    _lint(root, tmp_path / "cache")
    assert relinted[-1] == {"good-caller.yaml", "good-template.yaml", "risky.yaml"}


def test_another_configuration_has_its_own_entries(tmp_path: Path, relinted: list) -> None:
    root = _project(tmp_path)
    _lint(root, tmp_path / "cache")
    narrowed = _lint(root, tmp_path / "cache", Config(ignore={"missing-service-account"}))
    assert len(relinted) == 2
    assert all(f.rule != "missing-service-account" for f in narrowed.findings)
    assert config_fingerprint(Config()) != config_fingerprint(Config(ignore={"x"}))
    assert config_fingerprint(Config(ignore={"a", "b"})) == config_fingerprint(
        Config(ignore={"b", "a"})
    )


def test_a_corrupt_cache_is_ignored_and_replaced(tmp_path: Path, relinted: list) -> None:
    root = _project(tmp_path)
    cold = _lint(root, tmp_path / "cache")
    [file] = (tmp_path / "cache").glob("*.json")
    file.write_text('{"broken": [1, 2')
    again = _lint(root, tmp_path / "cache")
    assert again.findings == cold.findings and len(relinted) == 2
    entries = json.loads(file.read_text())
    for entry in entries.values():
        entry[2] = "not rows"
    file.write_text(json.dumps(entries))
    assert _lint(root, tmp_path / "cache").findings == cold.findings
    assert len(relinted) == 3


def test_unreadable_cache_folder_only_costs_the_cache(tmp_path: Path) -> None:
    root = _project(tmp_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = _lint(root, blocker)
    plain = run(inputs_from_paths([root], base=root), Config())
    assert result.findings == plain.findings


def test_internal_errors_are_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = ResultCache(tmp_path, Config())
    from argolint.finding import Finding, Severity
    from argolint.span import Span

    crash = Finding("internal-error", Severity.ERROR, "boom", "a.yaml", Span.point(1, 1))
    batch._store(cache, [Input("a.yaml", b"a: 1\n")], [0], {0: "k"}, [([crash], {}, {})])
    assert cache.get("k") is None


def test_cli_writes_the_cache_beside_the_configuration_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    (root / ".argolint.yaml").write_text("ignore: []\n")
    monkeypatch.chdir(root)
    runner = CliRunner()
    first = runner.invoke(main, ["--no-cache", "."])
    assert not (root / ".argolint_cache").exists()
    second = runner.invoke(main, ["."])
    third = runner.invoke(main, ["-j", "2", "."])
    assert first.output == second.output == third.output
    assert first.exit_code == second.exit_code == third.exit_code
    assert (root / ".argolint_cache" / ".gitignore").read_text().endswith("*\n")
    assert runner.invoke(main, ["--jobs", "0", "."]).exit_code == 2


def test_editing_a_template_outside_the_run_relints_its_callers(
    tmp_path: Path, relinted: list
) -> None:
    root = _project(tmp_path)
    (root / ".git").mkdir()
    (root / "templates").mkdir()
    outside = root / "templates" / "outside.yaml"
    (root / "good-template.yaml").rename(outside)
    inputs = [i for i in inputs_from_paths([root], base=root) if "templates" not in i.path]
    lint(inputs, Config(), jobs=1, cache_dir=tmp_path / "cache")
    lint(inputs, Config(), jobs=1, cache_dir=tmp_path / "cache")
    assert len(relinted) == 1
    outside.write_text(outside.read_text().replace("hello]", "bye]"))
    lint(inputs, Config(), jobs=1, cache_dir=tmp_path / "cache")
    assert relinted[-1] == {"good-caller.yaml", "risky.yaml"}


def test_a_relinted_template_still_sees_its_cached_callers(tmp_path: Path, relinted: list) -> None:
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES, root)
    template = root / "good-template.yaml"
    # the template now reads a workflow parameter that only its caller declares
    template.write_text(template.read_text().replace("hello]", "'{{workflow.parameters.who}}']"))
    caller = root / "good-caller.yaml"
    caller.write_text(
        caller.read_text().replace(
            "spec:\n",
            "spec:\n  arguments:\n    parameters:\n      - name: who\n        value: me\n",
        )
    )
    cold = _lint(root, tmp_path / "cache")
    (root / "risky.yaml").write_text(RISKY.replace("risky-", "risky-again-"))
    warm = _lint(root, tmp_path / "cache")
    assert relinted[-1] == {"risky.yaml", "good-template.yaml"}
    plain = run(inputs_from_paths([root], base=root), Config())
    assert not [f for f in plain.findings if f.path == "good-template.yaml"]
    assert [f for f in warm.findings if f.path != "risky.yaml"] == [
        f for f in cold.findings if f.path != "risky.yaml"
    ]
