"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and editors (VS Code SARIF viewer).

- ``tool.driver.rules`` lists every rule with its catalogue page: short and full
  description, help (text and Markdown), ``helpUri``, default level, category tags, and for
  security rules the ``security-severity`` GitHub uses to rank alerts.
- Locations are relative URIs against ``%SRCROOT%`` (the working directory, given as an
  absolute ``file:`` URI in ``originalUriBaseIds`` so viewers can open the files); paths
  outside it are absolute ``file:`` URIs. Regions carry start and end line and column,
  counted in Unicode code points (``columnKind``).
- ``partialFingerprints`` hash the rule, the path, the text of the offending line (not its
  number) and the message with digits removed, so an alert keeps its identity when lines
  move above it; identical findings in one file are told apart by their order.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from argolint import __version__, catalogue, rules
from argolint.engine import RunResult
from argolint.finding import Finding, Severity
from argolint.report.json_layout import dumps
from argolint.span import Span

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/argolint/argolint"
BASE_ID = "%SRCROOT%"
FINGERPRINT_KEY = "argolint/v1"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_PROBLEM_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "recommendation",
}
#: GitHub ranks security alerts by this CVSS-like score: >= 7 high, >= 4 medium, else low.
_SECURITY_SEVERITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.5", Severity.INFO: "2.0"}
_DIGITS = re.compile(r"\d+")


def _rule_descriptor(rule: rules.Rule) -> dict[str, Any]:
    page = catalogue.page(rule.id)
    tags = [rule.category]
    properties: dict[str, Any] = {
        "tags": tags,
        "category": rule.category,
        "precision": "very-high",
        "problem.severity": _PROBLEM_SEVERITY[rule.severity],
    }
    if rule.category == "security":
        properties["security-severity"] = _SECURITY_SEVERITY[rule.severity]
    full = page.summary if page is not None and page.summary else rule.summary
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": full},
        "defaultConfiguration": {"level": _LEVEL[rule.severity], "enabled": rule.default_enabled},
        "helpUri": catalogue.DOCS_URL.format(id=rule.id),
        "help": {"text": page.body, "markdown": page.body}
        if page is not None
        else {"text": rule.summary},
        "properties": properties,
    }
    return descriptor


def _is_relative(path: str) -> bool:
    return not (path.startswith("/") or (len(path) > 1 and path[1] == ":"))


def _artifact(path: str) -> dict[str, Any]:
    return dict(_artifact_of(path))  # a copy: each result owns its location


@lru_cache(maxsize=4096)
def _artifact_of(path: str) -> tuple[tuple[str, str], ...]:
    """Once per file, however many results it has."""
    if _is_relative(path):
        return (("uri", quote(path.replace("\\", "/"))), ("uriBaseId", BASE_ID))
    return (("uri", Path(path).as_uri()),)


def _region(span: Span) -> dict[str, int]:
    """The span as a SARIF region, kept valid (1-based, end not before start) whatever a
    rule produced, so one odd finding cannot make GitHub reject the whole upload."""
    line, column = max(1, span.line), max(1, span.column)
    end_line = max(line, span.end_line)
    end_column = max(1, span.end_column)
    if end_line == line:
        end_column = max(column, end_column)
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _location(path: str, span: Span, message: str | None = None) -> dict[str, Any]:
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": _artifact(path), "region": _region(span)}
    }
    if message:
        location["message"] = {"text": message}
    return location


class _Fingerprints:
    """Stable identities for results, computed from content rather than line numbers."""

    def __init__(self, sources: dict[str, str]) -> None:
        self.sources = sources
        self.lines: dict[str, list[str]] = {}
        self.seen: dict[str, int] = {}

    def __call__(self, f: Finding) -> str:
        lines = self.lines.get(f.path)
        if lines is None:
            lines = self.lines[f.path] = self.sources.get(f.path, "").splitlines()
        line = "".join(lines[f.span.line - 1].split()) if 1 <= f.span.line <= len(lines) else ""
        key = "\0".join((f.rule, f.path, line, _DIGITS.sub("", f.message)))
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        self.seen[digest] = self.seen.get(digest, 0) + 1
        return f"{digest}:{self.seen[digest]}"


def _result(f: Finding, rule_index: dict[str, int], fingerprint: _Fingerprints) -> dict[str, Any]:
    message = f.message + (f"\nSuggestion: {f.suggestion}" if f.suggestion else "")
    entry: dict[str, Any] = {
        "ruleId": f.rule,
        "level": _LEVEL[f.severity],
        "message": {"text": message},
        "locations": [_location(f.path, f.span)],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(f)},
    }
    if f.rule in rule_index:
        entry["ruleIndex"] = rule_index[f.rule]
    if f.related:
        entry["relatedLocations"] = [
            {"id": i, **_location(r.path, r.span, r.message)} for i, r in enumerate(f.related, 1)
        ]
    if f.suggestion or f.details:
        properties: dict[str, Any] = {}
        if f.suggestion:
            properties["suggestion"] = f.suggestion
        if f.details:
            properties["details"] = f.details
        entry["properties"] = properties
    return entry


def render(result: RunResult, *, sources: dict[str, str] | None = None, **_: Any) -> str:
    known = rules.all_rules()
    rule_index = {rid: i for i, rid in enumerate(known)}
    fingerprint = _Fingerprints(sources or {})
    results = [
        _result(f, rule_index, fingerprint)
        for f in sorted(result.findings, key=lambda f: f.sort_key)
    ]
    internal = [f for f in result.findings if f.rule == "internal-error"]
    invocation: dict[str, Any] = {"executionSuccessful": not internal}
    if internal:
        invocation["toolExecutionNotifications"] = [
            {
                "level": "error",
                "message": {"text": f.message},
                "locations": [_location(f.path, f.span)],
            }
            for f in internal
        ]
    document = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "argolint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule_descriptor(rule) for rule in known.values()],
                    }
                },
                "invocations": [invocation],
                "originalUriBaseIds": {BASE_ID: {"uri": Path.cwd().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return dumps(document, depth=4)  # one result per line
