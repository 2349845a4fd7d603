"""``--format json``: a stable, versioned document for other tools.

``{"version": 1, "tool": {...}, "findings": [...], "summary": {...}}``; findings sorted by
path, line, column (then end, rule, message), so the output of a run is deterministic.
Fields are only ever added within a version."""

from __future__ import annotations

from typing import Any

from argolint import __version__
from argolint.engine import RunResult
from argolint.finding import Finding
from argolint.report.json_layout import dumps


def finding_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": f.rule,
        "severity": str(f.severity),
        "message": f.message,
        "path": f.path,
        "line": f.span.line,
        "column": f.span.column,
        "end_line": f.span.end_line,
        "end_column": f.span.end_column,
    }
    if f.suggestion:
        out["suggestion"] = f.suggestion
    if f.details:
        out["details"] = f.details
    if f.related:
        out["related"] = [
            {
                "path": r.path,
                "line": r.span.line,
                "column": r.span.column,
                "end_line": r.span.end_line,
                "end_column": r.span.end_column,
                "message": r.message,
            }
            for r in f.related
        ]
    return out


def render(result: RunResult, **_: Any) -> str:
    findings = sorted(result.findings, key=lambda f: f.sort_key)
    by_rule: dict[str, int] = {}
    for f in findings:
        by_rule[f.rule] = by_rule.get(f.rule, 0) + 1
    document = {
        "version": 1,
        "tool": {"name": "argolint", "version": __version__},
        "findings": [finding_dict(f) for f in findings],
        "summary": {
            "files": result.files,
            "documents": result.documents,
            "findings": len(findings),
            **result.counts(),
            "by_rule": dict(sorted(by_rule.items())),
        },
    }
    return dumps(document, depth=2)  # one finding per line
