"""Mutations of valid manifests for fuzzing: what people and generators do to YAML by
mistake (drop, duplicate, retype and rename keys, re-indent, cut the file anywhere) and
what a hostile input adds (stray ``{{...}}``, control characters, odd tags, aliases).

Each mutation takes the text and a ``random.Random``; hypothesis drives it in the test
(``st.randoms()``, so failures shrink), ``scripts/fuzz.py`` drives it for long runs.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

from argolint.engine import Input, RunResult, run

KEYS = (
    "name", "template", "templates", "steps", "dag", "tasks", "inputs", "outputs",
    "parameters", "artifacts", "arguments", "value", "valueFrom", "default", "enum", "when",
    "depends", "dependencies", "withParam", "withItems", "withSequence", "entrypoint",
    "container", "script", "source", "resource", "manifest", "templateRef", "clusterScope",
    "workflowTemplateRef", "retryStrategy", "limit", "onExit", "hooks", "expression",
    "serviceAccountName", "securityContext", "metadata", "spec", "kind", "apiVersion",
    "workflowSpec", "schedules", "<<", "? x", "1", "true", "null", "~", "",
)  # fmt: skip
VALUES = (
    "null", "~", "42", "-1.5", "0o17", "0x1f", "yes", "true", "[]", "{}", '""', "''",
    "[a, {b: c}]", "{a: [1, 2]}", "*undefined", "&anchor x", "!!python/object:os.system x",
    "!!binary aGk=", "!custom {a: 1}", "|", ">-", "'{{inputs.parameters.x}}'",
    '"{{=1 +}}"', "{{item}}", "[[[[", "]]}}", "'unterminated", '"bad \\q escape"',
    "- a", ": b", "? c", "# comment", "%YAML 1.1", "---", "...", "@reserved", "`tick",
    "x" * 300, "é€😀", "\t", "\\u0000",
)  # fmt: skip
TAGS = (
    "{{inputs.parameters.x}}", "{{ inputs.parameters.x }}", "{{=inputs.parameters.x}}",
    "{{=", "{{", "}}", "{{}}", "{{=sprig.x(}}", "{{steps.a.outputs.result}}",
    "{{tasks.b.outputs.parameters.p}}", "{{item.a.b}}", "{{workflow.parameters}}",
    "{{ .Values.x }}", "{{- if .x }}", "{{ end }}", '{{ "{{" }}', "{{$x}}", "{{=a ? b : c}}",
    "{{=jsonpath(inputs.parameters.x, '$.a')}}", "{{=map(x, {#})}}", "{{workflow.}}",
)  # fmt: skip
CHARS = ("\x00", "\x07", "\t", "\r", "\u2028", "\ufeff", "\x85", "\\", "'", '"', "#", "&")

_KEY_LINE = re.compile(r"^(\s*(?:- )?)([^:#\n]*?):(?:[ \t]+(.*))?$")


def _lines(text: str) -> list[str]:
    return text.split("\n")


def drop_line(text: str, rnd: random.Random) -> str:
    lines = _lines(text)
    del lines[rnd.randrange(len(lines))]
    return "\n".join(lines)


def duplicate_line(text: str, rnd: random.Random) -> str:
    lines = _lines(text)
    i = rnd.randrange(len(lines))
    lines.insert(i, lines[i])
    return "\n".join(lines)


def _key_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if _KEY_LINE.match(line)]


def retype_value(text: str, rnd: random.Random) -> str:
    lines = _lines(text)
    candidates = _key_lines(lines)
    if not candidates:
        return text
    i = rnd.choice(candidates)
    match = _KEY_LINE.match(lines[i])
    assert match is not None
    lines[i] = f"{match.group(1)}{match.group(2)}: {rnd.choice(VALUES)}"
    return "\n".join(lines)


def rename_key(text: str, rnd: random.Random) -> str:
    lines = _lines(text)
    candidates = _key_lines(lines)
    if not candidates:
        return text
    i = rnd.choice(candidates)
    match = _KEY_LINE.match(lines[i])
    assert match is not None
    rest = f" {match.group(3)}" if match.group(3) is not None else ""
    lines[i] = f"{match.group(1)}{rnd.choice(KEYS)}:{rest}"
    return "\n".join(lines)


def reindent(text: str, rnd: random.Random) -> str:
    lines = _lines(text)
    i = rnd.randrange(len(lines))
    if lines[i].startswith("  ") and rnd.random() < 0.5:
        lines[i] = lines[i][2:]
    else:
        lines[i] = rnd.choice(("  ", "- ", "\t", " ")) + lines[i]
    return "\n".join(lines)


def splice_tag(text: str, rnd: random.Random) -> str:
    at = rnd.randrange(len(text) + 1)
    return text[:at] + rnd.choice(TAGS) + text[at:]


def splice_char(text: str, rnd: random.Random) -> str:
    at = rnd.randrange(len(text) + 1)
    return text[:at] + rnd.choice(CHARS) + text[at:]


def cut(text: str, rnd: random.Random) -> str:
    return text[: rnd.randrange(len(text) + 1)]


def swap_blocks(text: str, rnd: random.Random) -> str:
    """Move one line somewhere else: keys end up under the wrong parent."""
    lines = _lines(text)
    line = lines.pop(rnd.randrange(len(lines)))
    lines.insert(rnd.randrange(len(lines) + 1), line)
    return "\n".join(lines)


MUTATIONS: tuple[Callable[[str, random.Random], str], ...] = (
    drop_line, duplicate_line, retype_value, rename_key, reindent, splice_tag, splice_char,
    cut, swap_blocks,
)  # fmt: skip


def mutate(text: str, rnd: random.Random, max_steps: int = 4) -> str:
    for _ in range(rnd.randint(1, max_steps)):
        if not text:
            break
        text = rnd.choice(MUTATIONS)(text, rnd)
    return text


def seeds(*directories: Path) -> list[Path]:
    return sorted(p for d in directories for p in d.rglob("*.y*ml") if p.is_file())


def lint_mutant(text: str, path: str = "mutant.yaml") -> RunResult:
    from argolint.config import Config

    # every rule, opt-in ones too
    return run([Input(path, text.encode("utf-8", "surrogatepass"))], Config(select={"all"}))


def check_invariants(result: RunResult, path: str = "mutant.yaml") -> None:
    """No internal error (so the exit code is 0 or 1) and every finding inside the file."""
    crashes = [f for f in result.findings if f.rule == "internal-error"]
    assert not crashes, f"{crashes[0].message}\n{crashes[0].details}"
    text = result.sources.get(path)
    for f in result.findings:
        assert f.path == path, f"finding for another file: {f}"
        span = f.span
        assert 1 <= span.line <= span.end_line, f
        assert span.column >= 1 and span.end_column >= 1, f
        assert (span.end_line, span.end_column) > (span.line, span.column), f
        if text is None:  # unreadable bytes: the finding is at the bad byte, no text
            continue
        lines = text.split("\n")  # raw lines: a column may point at (or past) a final "\r"
        assert span.end_line <= len(lines), f
        assert span.column <= len(lines[span.line - 1]) + 1, f
        assert span.end_column <= len(lines[span.end_line - 1]) + 2, f
