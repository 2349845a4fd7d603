"""A file linted alone parses only the project's manifests it needs (the templates it
names, the kinds a rule reads), and gets exactly the findings it gets when the whole
context is parsed up front."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import FIXTURES

from argolint import project
from argolint.config import Config
from argolint.engine import inputs_from_paths, load_input, run
from argolint.project import Wanted, load_context

FOLDERS = ("refs", "rbac", "speed", "injection", "arguments", "templating", "withparam")


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    for folder in FOLDERS:
        shutil.copytree(FIXTURES / folder, tmp_path / folder)
    return tmp_path


def test_each_file_alone_gets_the_findings_of_an_eager_context(repository: Path) -> None:
    files = sorted(repository.rglob("*.yaml"))
    assert len(files) > 20
    for path in files:
        inputs = inputs_from_paths([path], base=repository)
        kinds = [d.kind for d in load_input(inputs[0], Config()).documents]
        eager = load_context([path], Config(), Wanted.by_kinds(kinds))
        assert run(inputs, Config()).findings == run(inputs, Config(), eager).findings, path


def test_a_workflow_alone_parses_only_the_templates_it_names(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[str] = []
    real = project.parse_context

    def spy(sources, config):  # type: ignore[no-untyped-def]
        sources = list(sources)
        parsed.extend(path.name for path, _ in sources)
        return real(sources, config)

    monkeypatch.setattr(project, "parse_context", spy)
    caller = repository / "speed" / "good-caller.yaml"
    result = run(inputs_from_paths([caller], base=repository), Config())
    assert not [f for f in result.findings if f.rule == "unresolved-template-ref"]
    assert parsed == ["good-template.yaml"]
