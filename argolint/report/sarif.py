"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and editors.

Every rule of the catalogue is listed in ``tool.driver.rules``; locations are relative to
``%SRCROOT%`` (the working directory); ``partialFingerprints`` hash the rule, the path and
the text of the offending line (not its number), so a finding keeps its identity when lines
move above it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from argolint import __version__, catalogue, rules
from argolint.engine import RunResult
from argolint.finding import Finding, Severity

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/argolint/argolint"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule_descriptor(rule: rules.Rule) -> dict[str, Any]:
    page = catalogue.page(rule.id)
    descriptor: dict[str, Any] = {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": (page.summary if page and page.summary else rule.summary)},
        "defaultConfiguration": {"level": _LEVEL[rule.severity], "enabled": rule.default_enabled},
        "properties": {"tags": [rule.category], "category": rule.category},
        "helpUri": catalogue.DOCS_URL.format(id=rule.id),
    }
    if page is not None:
        descriptor["help"] = {"text": page.body, "markdown": page.body}
    else:
        descriptor["help"] = {"text": rule.summary}
    return descriptor


def _is_relative(path: str) -> bool:
    return not (path.startswith("/") or (len(path) > 1 and path[1] == ":")) and path != "-"


def _location(path: str, span: Any, message: str | None = None) -> dict[str, Any]:
    if _is_relative(path):
        artifact = {"uri": quote(path), "uriBaseId": "SRCROOT"}
    else:
        artifact = {"uri": Path(path).as_uri() if path.startswith("/") else quote(path)}
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": artifact,
            "region": {
                "startLine": span.line,
                "startColumn": span.column,
                "endLine": span.end_line,
                "endColumn": span.end_column,
            },
        }
    }
    if message:
        location["message"] = {"text": message}
    return location


def _fingerprint(f: Finding, sources: dict[str, str], seen: dict[str, int]) -> str:
    text = sources.get(f.path)
    line = ""
    if text is not None:
        lines = text.splitlines()
        if 1 <= f.span.line <= len(lines):
            line = "".join(lines[f.span.line - 1].split())
    key = f"{f.rule}\0{f.path}\0{line}\0{f.message}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    seen[digest] = seen.get(digest, 0) + 1
    return f"{digest}:{seen[digest]}"


def render(result: RunResult, *, sources: dict[str, str] | None = None, **_: Any) -> str:
    sources = sources or {}
    known = rules.all_rules()
    descriptors = [_rule_descriptor(rule) for rule in known.values()]
    index = {rid: i for i, rid in enumerate(known)}
    seen: dict[str, int] = {}
    results = []
    for f in sorted(result.findings, key=lambda f: f.sort_key):
        message = f.message + (f"\nSuggestion: {f.suggestion}" if f.suggestion else "")
        entry: dict[str, Any] = {
            "ruleId": f.rule,
            "level": _LEVEL[f.severity],
            "message": {"text": message},
            "locations": [_location(f.path, f.span)],
            "partialFingerprints": {"argolint/v1": _fingerprint(f, sources, seen)},
        }
        if f.rule in index:
            entry["ruleIndex"] = index[f.rule]
        if f.related:
            entry["relatedLocations"] = [
                {"id": i, **_location(r.path, r.span, r.message)} for i, r in enumerate(f.related)
            ]
        if f.details:
            entry["properties"] = {"details": f.details}
        results.append(entry)
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
                        "rules": descriptors,
                    }
                },
                "originalUriBaseIds": {"SRCROOT": {"uri": Path.cwd().as_uri() + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
