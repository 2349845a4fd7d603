"""``--format github``: GitHub Actions workflow commands, one annotation per finding."""

from __future__ import annotations

from typing import Any

from argolint.engine import RunResult
from argolint.finding import Severity

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: RunResult, **_: Any) -> str:
    lines = []
    for f in sorted(result.findings, key=lambda f: f.sort_key):
        s = f.span
        props = (
            f"file={_escape_property(f.path)},line={s.line},col={s.column},"
            f"endLine={s.end_line},endColumn={s.end_column},title={_escape_property(f.rule)}"
        )
        message = f.message + (f"\n{f.suggestion}" if f.suggestion else "")
        lines.append(f"::{_LEVEL[f.severity]} {props}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines)
