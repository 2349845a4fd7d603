"""``--format json``: a stable, versioned document for other tools."""

from __future__ import annotations

import json
from typing import Any

from argolint import __version__
from argolint.engine import RunResult
from argolint.finding import Finding


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
    document = {
        "version": 1,
        "tool": {"name": "argolint", "version": __version__},
        "findings": [finding_dict(f) for f in sorted(result.findings, key=lambda f: f.sort_key)],
        "summary": {"files": result.files, "documents": result.documents, **result.counts()},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
