"""Bad input through the console script: each gets a clear finding or no finding at all,
never a traceback, and never hides the findings of the other files. Also the whole corpus
of Argo's examples in one run."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from test_cli import FIXTURES, NO_SA, cli

MANIFEST = (FIXTURES / NO_SA).read_text()


def lint_json(*args: str, cwd: Path) -> tuple[int, dict, str]:
    proc = cli("--format", "json", "--no-cache", *args, cwd=cwd)
    err = proc.stderr.decode()
    assert "Traceback" not in err
    return proc.returncode, json.loads(proc.stdout), err


def located(document: dict) -> list[tuple]:
    return [(f["path"], f["rule"], f["line"], f["column"]) for f in document["findings"]]


def test_binary_file_is_one_clear_finding(tmp_path: Path):
    (tmp_path / "logo.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, report, err = lint_json("logo.yaml", cwd=tmp_path)
    assert code == 1 and err == ""
    [finding] = report["findings"]
    assert (finding["rule"], finding["severity"]) == ("file-encoding", "error")
    assert "binary" in finding["message"]


def test_invalid_utf8_is_reported_at_the_bad_byte(tmp_path: Path):
    (tmp_path / "latin.yaml").write_bytes(MANIFEST.replace("build-", "caf\xe9-").encode("latin-1"))
    code, report, _ = lint_json("latin.yaml", cwd=tmp_path)
    assert code == 1
    assert located(report) == [("latin.yaml", "file-encoding", 4, 20)]
    assert "UTF-8" in report["findings"][0]["message"]


def test_utf16_with_a_byte_order_mark_is_read(tmp_path: Path):
    (tmp_path / "wide.yaml").write_bytes(MANIFEST.encode("utf-16"))
    code, report, _ = lint_json("wide.yaml", cwd=tmp_path)
    assert located(report) == [("wide.yaml", "missing-service-account", 5, 1)]
    assert code == 0


@pytest.mark.parametrize(
    "content",
    [b"", b"\n\n", b"# only a comment\n", b"---\n", b"---\n...\n", b"~\n"],
    ids=["empty", "blank", "comment", "separator", "end-marker", "null"],
)
def test_files_without_a_document_are_not_an_error(tmp_path: Path, content: bytes):
    (tmp_path / "nothing.yaml").write_bytes(content)
    code, report, err = lint_json("nothing.yaml", cwd=tmp_path)
    assert (code, report["findings"], err) == (0, [], "")
    assert report["summary"]["files"] == 1 and report["summary"]["documents"] == 0


@pytest.mark.parametrize(
    "content",
    [
        "just a scalar\n",
        "42\n",
        "- name: install nginx\n  apt: {name: nginx}\n",  # an Ansible playbook: a list
        "[1, 2, 3]\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n",
    ],
    ids=["scalar", "number", "list", "flow-list", "other-kind"],
)
def test_documents_that_are_not_argo_objects_are_skipped_silently(tmp_path: Path, content: str):
    (tmp_path / "other.yaml").write_text(content)
    code, report, err = lint_json("other.yaml", cwd=tmp_path)
    assert (code, report["findings"], err) == (0, [], "")
    assert report["summary"]["documents"] == 0


def test_non_object_documents_do_not_hide_the_argo_ones_beside_them(tmp_path: Path):
    (tmp_path / "mixed.yaml").write_text("- a list\n---\nplain\n---\n" + MANIFEST)
    _, report, _ = lint_json("mixed.yaml", cwd=tmp_path)
    assert located(report) == [("mixed.yaml", "missing-service-account", 9, 1)]
    assert report["summary"]["documents"] == 1


def test_bad_files_do_not_hide_findings_of_good_ones(tmp_path: Path):
    (tmp_path / "a-binary.yaml").write_bytes(b"\x00" * 64)
    (tmp_path / "b-broken.yaml").write_text("kind: Workflow\nspec: [\n")
    (tmp_path / "c-manifest.yaml").write_text(MANIFEST)
    code, report, _ = lint_json(".", cwd=tmp_path)
    assert code == 1
    assert [(p, r) for p, r, *_ in located(report)] == [
        ("a-binary.yaml", "file-encoding"),
        ("b-broken.yaml", "yaml-syntax"),
        ("c-manifest.yaml", "missing-service-account"),
    ]


def test_a_5_mb_file_is_linted_without_trouble(tmp_path: Path):
    lines = "".join(
        f"          echo step {i} of a very long generated script\n" for i in range(120_000)
    )
    text = MANIFEST.replace(
        "      container:\n", "      script:\n        source: |\n" + lines
    ).replace("        command: [echo, building]\n", "")
    (tmp_path / "big.yaml").write_text(text)
    assert (tmp_path / "big.yaml").stat().st_size > 5 * 1024 * 1024
    started = time.monotonic()
    code, report, _ = lint_json("big.yaml", cwd=tmp_path)
    assert time.monotonic() - started < 60 and code == 0
    assert located(report) == [("big.yaml", "missing-service-account", 5, 1)]


def test_the_whole_corpus_in_one_run(corpus_dir: Path):
    proc = cli("--format", "json", "--no-cache", ".", cwd=corpus_dir, focus=False)
    err = proc.stderr.decode()
    assert proc.returncode in (0, 1), err
    assert "Traceback" not in err
    report = json.loads(proc.stdout)
    assert report["summary"]["files"] >= 200
    by_rule: dict[str, set[str]] = {}
    for f in report["findings"]:
        by_rule.setdefault(f["rule"], set()).add(f["path"])
    for rule in ("internal-error", "yaml-syntax", "file-encoding", "resource-limit"):
        assert rule not in by_rule, f"{rule} in {sorted(by_rule[rule])}"
    assert by_rule.get("duplicate-key", set()) <= {"k8s-patch-json-workflow.yaml"}
    known = {"fun-with-gifs.yaml", "k8s-jobs.yaml", "k8s-patch-json-workflow.yaml"}
    false_errors = [
        f"{f['path']}:{f['line']}:{f['column']} [{f['rule']}] {f['message']}"
        for f in report["findings"]
        if f["severity"] == "error" and f["path"] not in known
    ]
    assert not false_errors, "error-level findings on valid manifests:\n" + "\n".join(false_errors)
