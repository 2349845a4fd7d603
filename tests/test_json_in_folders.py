"""JSON files found in a folder are mostly tool configuration; argolint lints one only when
it names an apiVersion or a kind, as every manifest does. Named files are always linted."""

from __future__ import annotations

import json
from pathlib import Path

from argolint.batch import lint
from argolint.config import Config
from argolint.engine import inputs_from_paths

TSCONFIG = (
    '{\n  // comments: JSONC, which no YAML or JSON reader accepts\n  "compilerOptions": {}\n}\n'
)
WORKFLOW = {
    "apiVersion": "argoproj.io/v1alpha1",
    "kind": "Workflow",
    "metadata": {"generateName": "json-"},
    "spec": {"entrypoint": "main", "templates": [{"name": "main", "container": {}}]},
}


def _folder(root: Path) -> Path:
    (root / "ui").mkdir(parents=True)
    (root / "ui" / "tsconfig.json").write_text(TSCONFIG)
    (root / "ui" / "package.json").write_text('{"name": "ui"}\n')
    (root / "workflow.json").write_text(json.dumps(WORKFLOW, indent=2))
    return root


def test_configuration_json_in_a_folder_is_skipped_but_manifests_are_linted(tmp_path: Path):
    root = _folder(tmp_path)
    result = lint(inputs_from_paths([root], base=root), Config(), jobs=1)
    paths = {f.path for f in result.findings}
    assert "ui/tsconfig.json" not in paths
    assert "missing-image" in {f.rule for f in result.findings if f.path == "workflow.json"}
    assert result.files == 3 and result.documents == 1


def test_a_named_json_file_is_always_linted(tmp_path: Path):
    root = _folder(tmp_path)
    named = inputs_from_paths([root / "ui" / "tsconfig.json"], base=root)
    assert [f.rule for f in lint(named, Config(), jobs=1).findings] == ["yaml-syntax"]


def test_the_cache_keeps_a_skipped_file_apart_from_the_same_file_named(tmp_path: Path):
    root = _folder(tmp_path / "repo")
    cache = tmp_path / "cache"
    walked = lint(inputs_from_paths([root], base=root), Config(), jobs=1, cache_dir=cache)
    assert "ui/tsconfig.json" not in {f.path for f in walked.findings}
    named = inputs_from_paths([root / "ui" / "tsconfig.json"], base=root)
    assert [f.rule for f in lint(named, Config(), jobs=1, cache_dir=cache).findings] == [
        "yaml-syntax"
    ]
