"""Hostile, huge and odd input: each gets a clear finding at the place, in bounded time and
memory, and never a traceback."""

from __future__ import annotations

import io
import time
import tracemalloc
from pathlib import Path

import pytest
from conftest import lint_text

from argolint.config import Config
from argolint.engine import Input, run
from argolint.source import nesting
from argolint.source.loader import Limits, load_bytes, load_text, read_bounded
from argolint.span import Span

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""

WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: ok-
spec:
  entrypoint: main
  templates:
    - name: main
      container:
        image: alpine:3.20
"""


def rules_of(result) -> list[str]:
    return [f.rule for f in result.findings]


def test_billion_laughs_is_refused_in_under_a_second():
    lint_text(WORKFLOW)  # imports, rule discovery and grammars: once per process, not per file
    started = time.perf_counter()
    [limit] = lint_text(BILLION_LAUGHS).findings
    assert time.perf_counter() - started < 1.0
    result = lint_text(BILLION_LAUGHS + "---\n" + WORKFLOW)
    [limit] = [f for f in result.findings if f.rule == "resource-limit"]
    assert "aliases expand this document" in limit.message
    assert limit.span == Span(7, 4, 7, 5)  # the anchor whose aliases cross the budget
    # the other document of the file is still linted
    assert "missing-service-account" in rules_of(result)


def test_alias_budget_is_configurable():
    text = "a: &a [1, 2, 3]\nb: [*a, *a, *a, *a]\n"
    assert load_text(
        text, "f.yaml", Limits(max_aliases=16)
    ).documents  # 24 nodes expanded, 8 distinct
    result = load_text(text, "f.yaml", Limits(max_aliases=15))
    assert [f.rule for f in result.findings] == ["resource-limit"]


def test_recursive_alias_is_refused_not_followed():
    result = load_text("a: &a [1, *a]\n---\nb: 2\n", "f.yaml")
    [limit] = result.findings
    assert limit.rule == "resource-limit" and "refers to the node itself" in limit.message
    assert limit.span.line == 1
    assert [d.to_python() for d in result.documents] == [{"b": 2}]


@pytest.mark.parametrize(
    "text",
    [
        "[" * 200_000 + "]" * 200_000,  # would overflow libyaml's C stack
        "a: " + "{a: " * 100_000 + "}" * 100_000,
        "- " * 100_000 + "x",  # block nesting on one line
        # quoted brackets cannot hide the depth from the estimate
        '[ "]" ' * 50_000 + "]" * 50_000,
    ],
    ids=["flow-seq", "flow-map", "block-seq", "quoted-decoy"],
)
def test_deep_nesting_is_refused_quickly_without_crashing(text):
    started = time.perf_counter()
    result = lint_text(text)
    assert time.perf_counter() - started < 2.0
    assert rules_of(result) == ["resource-limit"]
    assert "nests more than" in result.findings[0].message


def test_nesting_beyond_max_depth_is_reported_at_the_node():
    text = "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 12)) + "  " * 12 + "x: 1\n"
    result = load_text(text, "f.yaml", Limits(max_depth=5))
    [limit] = result.findings
    assert limit.rule == "resource-limit" and "deeper than 5 levels" in limit.message
    assert limit.span.line == 6  # the first node below the limit


def test_deep_but_allowed_nesting_is_built_without_recursion_errors():
    depth = 190
    text = "[" * depth + "1" + "]" * depth
    [doc] = load_text(text, "f.yaml").documents
    value = doc.to_python()
    for _ in range(depth - 1):
        value = value[0]
    assert value == [1]


def test_long_lines_and_long_scalars_keep_exact_positions():
    long_value = "x" * 2_000_000
    text = WORKFLOW.replace(
        "image: alpine:3.20", f"image: alpine:3.20\n        args: [{long_value}, '{{{{bad']"
    )
    started = time.perf_counter()
    result = lint_text(text)
    assert time.perf_counter() - started < 5.0
    assert "internal-error" not in rules_of(result)
    doc = load_text(text, "f.yaml").documents[0]
    args = doc.root.get("spec").get("templates").items[0].get("container").get("args")
    assert args.items[1].span == Span(11, 2_000_018, 11, 2_000_025)


def test_huge_file_is_refused_by_size_without_being_read(tmp_path: Path):
    huge = tmp_path / "huge.yaml"
    with open(huge, "wb") as handle:  # a sparse 300 MiB file: costs no disk
        handle.truncate(300 * 2**20)
    tracemalloc.start()
    try:
        result = run([Input("huge.yaml", None, huge)], Config())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [limit] = result.findings
    assert limit.rule == "resource-limit" and limit.span == Span(1, 1, 1, 2)
    assert "300.0 MiB, over the limit of 20.0 MiB" in limit.message
    assert peak < 5 * 2**20


def test_unbounded_stream_is_read_only_up_to_the_limit():
    class Endless(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def readinto(self, buffer) -> int:
            buffer[:] = b"a" * len(buffer)
            return len(buffer)

    data, size = read_bounded(io.BufferedReader(Endless()), 1000)
    assert len(data) == 1001 and size == 1001
    [limit] = load_bytes(data, "-", Limits(max_file_size=1000), size).findings
    assert "larger than the limit of 1,000 bytes" in limit.message


def test_size_limit_is_configurable():
    assert load_bytes(b"a: 1\n", "f", Limits(max_file_size=4)).findings[0].rule == "resource-limit"
    assert load_bytes(b"a: 1\n", "f", Limits(max_file_size=5)).documents


@pytest.mark.parametrize(
    ("data", "message", "span"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00IHDR", "binary file", Span(3, 1, 3, 2)),
        (b"a: 1\nb: caf\xe9\n", "not valid UTF-8", Span(2, 7, 2, 8)),
        (b"\xff\xfe" + "a: \ud800".encode("utf-16-le", "surrogatepass"), "UTF-16", None),
    ],
    ids=["binary", "invalid-utf8", "invalid-utf16"],
)
def test_unreadable_bytes_are_one_file_encoding_finding(data, message, span):
    [finding] = load_bytes(data, "f.yaml").findings
    assert finding.rule == "file-encoding" and message in finding.message
    if span is not None:
        assert finding.span == span


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_marks_are_honoured_with_positions_in_characters(encoding):
    text = WORKFLOW.replace("ok-", "é-")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    result = run([Input("wf.yaml", data)], Config())
    [finding] = [f for f in result.findings if f.rule == "missing-service-account"]
    assert finding.span == Span(5, 1, 5, 5)


def test_tabs_in_indentation_are_a_syntax_error_at_the_tab():
    result = lint_text("a: 1\n\tb: 2\n")
    [finding] = result.findings
    assert finding.rule == "yaml-syntax" and "tab" in finding.message
    assert "spaces" in finding.suggestion
    assert finding.span == Span(2, 1, 2, 2)


def test_non_string_keys_are_tolerated():
    text = WORKFLOW + "  1: one\n  true: yes\n  null: x\n  ? [a, b]\n  : c\n  {k: v}: d\n"
    result = lint_text(text)
    assert "internal-error" not in rules_of(result)
    spec = load_text(text, "f.yaml").documents[0].root.get("spec")
    assert {"1", "true", "null", "[a, b]", "{k: v}"} <= set(spec.keys)


def test_merge_keys_feed_the_rules():
    text = "defaults: &defaults\n  serviceAccountName: runner\n---\n" + WORKFLOW.replace(
        "spec:\n", "spec:\n  <<: {serviceAccountName: runner}\n"
    )
    result = lint_text(text)
    assert "missing-service-account" not in rules_of(result)


def test_anchors_do_not_cross_documents():
    result = lint_text(WORKFLOW.replace("alpine:3.20", "&img alpine:3.20") + "---\nx: *img\n")
    [finding] = [f for f in result.findings if f.rule == "yaml-syntax"]
    assert finding.span == Span(12, 4, 12, 5) and "undefined alias `*img`" in finding.message
    assert finding.suggestion == "define `&img` earlier in the same document"
    assert "missing-service-account" in rules_of(result)  # the first document is linted


def test_python_tags_are_never_constructed(tmp_path: Path):
    marker = tmp_path / "pwned"
    text = (
        f'a: !!python/object/apply:os.system ["touch {marker}"]\n'
        "b: !!python/object:argolint.config.Config {select: [x]}\n"
        f"c: !!python/name:os.system\nd: !!binary aGVsbG8=\n"
    )
    [doc] = load_text(text, "f.yaml").documents
    data = doc.to_python()
    assert data["a"] == [f"touch {marker}"]
    assert data["b"] == {"select": ["x"]}
    assert data["c"] == "" and data["d"] == "aGVsbG8="
    assert not marker.exists()


def test_max_depth_is_capped_where_python_libraries_still_cope():
    text = "a: " + "[" * 600 + "]" * 600 + "\n"
    [limit] = load_text(text, "f.yaml", Limits(max_depth=10_000)).findings
    assert "deeper than 500 levels" in limit.message


def test_every_rule_copes_with_the_deepest_document_allowed():
    deep_list = "[" * 495 + "1" + "]" * 495
    deep_map = "{a: " * 495 + "1" + "}" * 495
    text = WORKFLOW.replace("image: alpine:3.20", f"image: alpine:3.20\n        args: {deep_list}")
    text += f"  podSpecPatch: {deep_map}\n"
    result = lint_text(text, select={"all"}, limits=Limits(max_depth=500))
    assert "internal-error" not in rules_of(result)
    assert "resource-limit" not in rules_of(result)


def test_a_string_full_of_braces_is_not_deep_nesting():
    braces = "{{" * 100_000
    text = WORKFLOW.replace("image: alpine:3.20", f'image: alpine:3.20\n        args: ["{braces}"]')
    started = time.perf_counter()
    result = load_text(text, "f.yaml")
    assert time.perf_counter() - started < 2.0
    assert result.findings == [] and len(result.documents) == 1


@pytest.mark.parametrize(
    "text",
    ["{{" * 200_000, "a: '" + "{{" * 100_000 + "}}'\n", "{{ x " * 50_000, "# {{ .x }}\n" * 50_000],
    ids=["open-braces", "one-huge-tag", "unclosed-actions", "comments"],
)
def test_template_detection_is_linear(text):
    started = time.perf_counter()
    lint_text(text)
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("utf-16-le", "UTF-16 (little-endian)"),
        ("utf-16-be", "UTF-16 (big-endian)"),
        ("utf-32-le", "UTF-32 (little-endian)"),
    ],
)
def test_wide_encodings_without_a_bom_are_named(encoding, name):
    [finding] = load_bytes(WORKFLOW.encode(encoding), "f.yaml").findings
    assert finding.rule == "file-encoding"
    assert f"{name} without a byte-order mark" in finding.message
    assert finding.suggestion == "save the file as UTF-8"


def test_invalid_utf8_after_a_bom_is_located_in_the_file():
    [finding] = load_bytes(b"\xef\xbb\xbfa: 1\nb: caf\xe9\n", "f.yaml").findings
    assert finding.span == Span(2, 7, 2, 8) and "at byte 14" in finding.message


def test_a_fifo_in_a_folder_is_skipped_not_waited_for(tmp_path: Path):
    import os

    from argolint.engine import inputs_from_paths

    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "wf.yaml").write_text(WORKFLOW)
    (tmp_path / "dangling.yaml").symlink_to(tmp_path / "missing.yaml")
    inputs = inputs_from_paths([tmp_path], tmp_path)
    assert [i.path for i in inputs] == ["missing.yaml", "wf.yaml"]  # paths are resolved
    result = run(inputs, Config())
    assert {(f.path, f.rule) for f in result.findings} >= {
        ("missing.yaml", "file-encoding"),
        ("wf.yaml", "missing-service-account"),
    }


def test_forbidden_control_character_is_located_in_characters():
    [finding] = load_text("a: é€😀\nb: x\x0c\n", "f.yaml").findings
    assert finding.rule == "yaml-syntax" and "control characters" in finding.message
    assert finding.span == Span(2, 5, 2, 6)
    assert finding.suggestion is None  # "unacceptable" is not about tabs


def test_terminal_escapes_from_a_manifest_never_reach_the_terminal(tmp_path: Path):
    from click.testing import CliRunner

    from argolint.cli import main

    text = WORKFLOW.replace("  generateName: ok-\n", '  name: "x\\e[2J"\n  "\\e[31mevil": 1\n')
    text += "---\n# a form\x0cfeed comment\nbad: [\n"
    (tmp_path / "evil.yaml").write_text(text)
    outcome = CliRunner().invoke(main, [str(tmp_path / "evil.yaml"), "--no-cache", "--color"])
    assert "\x1b[2J" not in outcome.output and "\x1b[31mevil" not in outcome.output
    assert "\\x1b[2J" in outcome.output  # shown escaped
    assert "\x0c" not in outcome.output


@pytest.mark.parametrize(
    "line",
    ['"\\' * 200_000, "'x" * 200_000, '"' + "[" * 200_000],
    ids=["escaped-quotes", "apostrophes", "unclosed-brackets"],
)
def test_nesting_estimate_is_linear_on_one_long_line(line):
    started = time.perf_counter()
    lint_text(f"a: {line}\n" + "[" * 1500 + "]" * 1500)
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- " * 600 + "x\n", 501),  # on the first line
        ("a: 1\r\nb:\n" + " - ?\t" * 150 + "x\n", 9 + 501),  # on a later line
        ("a:\n" + " " * 501 + "x\n", None),  # just within the estimate
        ("a: " + "- " * 600 + "\n", None),  # not at a line start
    ],
)
def test_block_nesting_estimate_points_at_its_line(text, expected):
    assert nesting.too_deep_at(text, 1000) == expected
