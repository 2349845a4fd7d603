"""A folder mixing valid manifests, Helm templates and broken files: the valid files'
findings are exactly those they get when linted alone, and nothing crashes."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES

from argolint.config import Config
from argolint.engine import inputs_from_paths, run

BROKEN = {
    "broken-truncated.yaml": b"apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec:\n"
    b"  templates: [",
    "broken-tabs.yaml": b"kind: Workflow\nspec:\n\ttemplates: []\n",
    "broken-binary.yaml": b"\x00\x01\x02\xff" * 64,
    "broken-latin1.yaml": b"kind: Workflow\nmetadata:\n  name: caf\xe9\n",
    "broken-bomb.yaml": b"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    + b"".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n".encode()
        for i in range(8)
    ),
    "broken-deep.yaml": b"[" * 100_000,
    "broken-shapes.yaml": b"kind: Workflow\napiVersion: argoproj.io/v1alpha1\nspec:\n"
    b"  templates: [just, strings, {name: x, steps: [a, [b]]}]\n",
    "broken-null.yaml": b"kind: Workflow\nspec:\n  templates: null\n",
}


def _findings_by_path(paths: list[Path], base: Path) -> dict[str, list]:
    result = run(inputs_from_paths(paths, base), Config(base_dir=base))
    out: dict[str, list] = {}
    for f in result.findings:
        out.setdefault(f.path, []).append((f.rule, f.span, f.message))
    return out


def _build_folder(root: Path, valid: list[Path]) -> list[str]:
    (root / ".git").mkdir()  # a project root: a file linted alone still sees its neighbours
    names = []
    for source in valid:
        shutil.copy(source, root / source.name)
        names.append(source.name)
    for name in ("bad-helm-workflow.yaml", "bad-helm-quoted.yaml"):
        shutil.copy(FIXTURES / "templated" / name, root / f"helm-{name}")
    for name, data in BROKEN.items():
        (root / name).write_bytes(data)
    return names


def _assert_same_as_alone(root: Path, names: list[str], monkeypatch) -> dict[str, list]:
    monkeypatch.chdir(root)
    together = _findings_by_path([root], root)
    for name in names:
        alone = _findings_by_path([root / name], root)
        assert together.get(name, []) == alone.get(name, []), name
    rules = {rule for found in together.values() for rule, _, _ in found}
    assert "internal-error" not in rules
    return together


def test_mixed_folder_with_fixtures(tmp_path: Path, monkeypatch):
    valid = sorted((FIXTURES / "templated").glob("good-*.yaml"))
    names = _build_folder(tmp_path, valid)
    together = _assert_same_as_alone(tmp_path, names, monkeypatch)
    assert [r for r, _, _ in together["helm-bad-helm-workflow.yaml"]] == ["templated-file"]
    assert [r for r, _, _ in together["broken-binary.yaml"]] == ["file-encoding"]
    assert [r for r, _, _ in together["broken-bomb.yaml"]] == ["resource-limit"]
    assert [r for r, _, _ in together["broken-deep.yaml"]] == ["resource-limit"]
    assert [r for r, _, _ in together["broken-truncated.yaml"]] == ["yaml-syntax"]


def test_mixed_folder_with_the_corpus(tmp_path: Path, monkeypatch, corpus_dir: Path):
    valid = sorted(corpus_dir.glob("*.yaml"))[::8]
    names = _build_folder(tmp_path, valid)
    _assert_same_as_alone(tmp_path, names, monkeypatch)
