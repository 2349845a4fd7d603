"""Fast paths that must answer exactly what the slow ones did: reported paths, the tree
walk without paths, and which of several same-named templates a reference resolves to."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from argolint.project import Project
from argolint.source.discover import discover, display_path
from argolint.source.loader import load_text
from argolint.source.nodes import descendants, walk


def _slow_display_path(path: Path, base: Path | None = None) -> str:
    base = base or Path.cwd()
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


@pytest.mark.parametrize("base", [None, "tmp", "tmp/a", "/"])
def test_display_path_matches_resolve_and_relative_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, base: str | None
) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "wf.yaml").write_text("a: 1\n")
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "a" / "b" / "wf.yaml", tmp_path / "elsewhere" / "link.yaml")
    monkeypatch.chdir(tmp_path)
    base_path = None if base is None else Path(base.replace("tmp", str(tmp_path)))
    for path in [
        Path("a/b/wf.yaml"),
        tmp_path / "a" / "b" / "wf.yaml",
        Path("elsewhere/link.yaml"),
        Path("a/../a/b/wf.yaml"),
        Path("."),
        Path("/"),
    ]:
        assert display_path(path, base_path) == _slow_display_path(path, base_path), path


def test_discover_yields_each_real_file_once(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "wf.yaml").write_text("a: 1\n")
    os.symlink(tmp_path / "a" / "wf.yaml", tmp_path / "link.yaml")
    found = list(discover([tmp_path, tmp_path / "a" / "wf.yaml", tmp_path / "link.yaml"]))
    assert found == [tmp_path / "link.yaml"]  # the first seen (a folder's files come first)


def test_descendants_are_walk_without_paths() -> None:
    text = "a: &x {k: [1, 2, {m: n}]}\nb: *x\nc: [*x, 3]\nd: plain\n"
    root = load_text(text, "f.yaml").documents[0].root
    walked = [node for _, node in walk(root)]
    fast = list(descendants(root))
    assert sorted(map(id, fast)) == sorted(map(id, walked))
    assert len(fast) == len({id(n) for n in fast})  # the shared mapping is visited once
    assert list(descendants(None)) == []


def _template(name: str, path: str, namespace: str | None = None):  # type: ignore[no-untyped-def]
    meta = f"  namespace: {namespace}\n" if namespace else ""
    text = f"kind: WorkflowTemplate\nmetadata:\n  name: {name}\n{meta}spec: {{}}\n"
    return load_text(text, path).documents[0]


def test_same_named_templates_resolve_in_path_order_whatever_the_split() -> None:
    b, a, c = _template("t", "b.yaml"), _template("t", "a.yaml"), _template("t", "c.yaml", "ns")
    for targets, context in [([b], [a, c]), ([c, a], [b]), ([], [c, b, a])]:
        project = Project(targets, context)
        assert project.workflow_template("t").path == "a.yaml"
        assert project.workflow_template("t", namespace="ns").path == "c.yaml"
        assert project.workflow_template("missing") is None
        assert project.workflow_template("t", cluster_scope=True) is None


def test_real_path_matches_realpath_through_linked_files_and_folders(tmp_path, monkeypatch):
    from argolint.source.discover import real_path

    real = tmp_path / "real"
    real.mkdir()
    (real / "a.yaml").write_text("kind: Workflow\n")
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)
    (real / "b.yaml").symlink_to(real / "a.yaml")
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "x.yaml").write_text("kind: Workflow\n")
    (tmp_path / "up").symlink_to(tmp_path / "deep" / "er", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    for path in (
        Path("up/../er/x.yaml"),
        tmp_path / "up" / ".." / "er" / "x.yaml",
        real / "a.yaml",
        real / "b.yaml",
        tmp_path / "linked" / "a.yaml",
        tmp_path / "linked" / "b.yaml",
        Path("linked/a.yaml"),
        Path("a.yaml"),
        Path("linked/../real/a.yaml"),
    ):
        assert real_path(path) == os.path.realpath(path), path
    assert real_path(tmp_path / "linked" / "a.yaml") == str(real / "a.yaml")
