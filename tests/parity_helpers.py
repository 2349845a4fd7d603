"""What the parity tests share: lint a fixture and list findings as (rule, line, col, ...)."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES, lint_text


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text()


def spans(text: str, *rules: str, **config: object) -> list[tuple]:
    """(rule, line, column, end line, end column) of each finding of ``rules``."""
    result = lint_text(text, **config)
    return sorted(
        (f.rule, f.span.line, f.span.column, f.span.end_line, f.span.end_column)
        for f in result.findings
        if f.rule in rules
    )


def errors(text: str, **config: object) -> list:
    from argolint.finding import Severity

    return [f for f in lint_text(text, **config).findings if f.severity >= Severity.ERROR]


def write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
