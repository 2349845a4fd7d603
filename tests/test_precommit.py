"""The pre-commit hook, run by the real ``pre-commit try-repo`` against a small fixture
repository: it installs argolint from this checkout (tracked changes included), passes it
only the YAML/JSON files, shows their findings and fails the commit on an error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures" / "cli"


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", "-c", "user.email=test@example.com", "-c", "user.name=test", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def test_hook_manifest_is_valid_for_pre_commit():
    clientlib = pytest.importorskip("pre_commit.clientlib")
    [hook] = clientlib.load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "argolint" and hook["entry"] == "argolint"
    assert hook["language"] == "python"
    assert set(hook["types_or"]) == {"yaml", "json"}
    assert hook["require_serial"] is True


def test_pre_commit_try_repo_runs_the_hook(tmp_path: Path):
    pytest.importorskip("pre_commit")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    if not (ROOT / ".git").exists():
        pytest.skip(f"{ROOT} is not a git checkout; pre-commit try-repo needs one")
    project = tmp_path / "project"
    project.mkdir()
    for name in ("good-hello.yaml", "bad-duplicate-key.yaml"):
        shutil.copy(FIXTURES / name, project / name)
    (project / "notes.txt").write_text("kind: Workflow\nnot: [yaml\n")
    _git("init", "-q", cwd=project)
    _git("add", "-A", cwd=project)
    _git("commit", "-qm", "fixtures", cwd=project)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "argolint", "--all-files"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    output = proc.stdout + proc.stderr
    assert "An error has occurred" not in output, output
    assert proc.returncode == 1, output
    assert "argolint" in output and "Failed" in output
    assert "bad-duplicate-key.yaml:7:3: error [duplicate-key]" in output
    assert not [
        line
        for line in output.splitlines()
        if line.startswith("good-hello.yaml:") and " error [" in line
    ]
    assert "notes.txt" not in output  # not YAML or JSON: never given to the hook
    assert "in 2 files." in output
