"""The result cache: a file's findings, reused while nothing they depend on has changed.

An entry is keyed by the file's reported path and content, the argolint code (version and
the package's own files), the configuration, and the documents it may reference: for an
ordinary file, the content of every file of the run that may hold a WorkflowTemplate,
ClusterWorkflowTemplate or RBAC object; for such a file itself, the content of every file of
the run (what references it may matter to its findings). So editing a WorkflowTemplate
re-lints the workflows, and editing a workflow re-lints only that workflow.

Entries live in one JSON file per code version and configuration under ``.argolint_cache/``
(JSON, not pickle: a cache folder committed by someone else must not run code). Writes are
atomic; a cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
import time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from argolint import __version__
from argolint.finding import Finding, Related, Severity
from argolint.span import Span

if TYPE_CHECKING:
    from argolint.config import Config

CACHE_DIR = ".argolint_cache"
KEEP_DAYS = 30  # entries unused for longer are dropped when the cache is written
KEEP_FILES = 8  # cache files (code versions x configurations) kept, most recent first
_SKIPPED_CONFIG_FIELDS = frozenset(("problems", "path"))


def digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        h.update(b"\x00")
    return h.hexdigest()


@cache
def code_fingerprint() -> str:
    """The version and every file of the installed package (size and modification time), so
    a development checkout never reuses results of older code."""
    package = Path(__file__).parent
    stamps = [__version__]
    for directory, dirnames, filenames in os.walk(package):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".pyc", ".pyo")):
                continue
            stat = os.stat(os.path.join(directory, name))
            stamps.append(
                f"{directory[len(str(package)) :]}/{name}:{stat.st_size}:{stat.st_mtime_ns}"
            )
    return digest(*stamps)


def config_fingerprint(config: Config) -> str:
    """Every setting that can change findings (all fields but the file's own path and its
    problems, which are reported outside the cache)."""
    values = {
        f.name: getattr(config, f.name)
        for f in dataclasses.fields(config)
        if f.name not in _SKIPPED_CONFIG_FIELDS
    }
    return digest(json.dumps(values, sort_keys=True, default=_canonical))


def _canonical(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return str(value)


def _encode(f: Finding) -> list:
    s = f.span
    related = [[r.path, *_span(r.span), r.message] for r in f.related]
    return [f.rule, int(f.severity), f.message, f.path, *_span(s), f.suggestion, f.details, related]


def _span(s: Span) -> list[int]:
    return [s.line, s.column, s.end_line, s.end_column]


def _decode(row: list) -> Finding:
    rule, severity, message, path, l1, c1, l2, c2, suggestion, details, related = row
    return Finding(
        rule,
        Severity(severity),
        message,
        path,
        Span(l1, c1, l2, c2),
        suggestion,
        details,
        tuple(Related(p, Span(a, b, c, d), m) for p, a, b, c, d, m in related),
    )


class ResultCache:
    """Findings and document counts of files, by key (see ``key``)."""

    def __init__(self, directory: Path, config: Config) -> None:
        self.directory = directory
        self.file = directory / f"{digest(code_fingerprint(), config_fingerprint(config))}.json"
        self.today = int(time.time() // 86400)
        self._entries: dict[str, list] = self._read()
        self._dirty = False

    def _read(self) -> dict[str, list]:
        try:
            data = json.loads(self.file.read_bytes())
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    @staticmethod
    def key(path: str, data: bytes, dependencies: str) -> str:
        return digest(path, data, dependencies)

    def get(self, key: str) -> tuple[list[Finding], int] | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        try:
            stamp, documents, rows = entry
            findings = [_decode(row) for row in rows]
        except (TypeError, ValueError):
            return None
        if stamp != self.today:
            entry[0] = self.today
            self._dirty = True
        return findings, documents

    def put(self, key: str, findings: list[Finding], documents: int) -> None:
        self._entries[key] = [self.today, documents, [_encode(f) for f in findings]]
        self._dirty = True

    def save(self) -> None:
        if not self._dirty:
            return
        keep = {k: v for k, v in self._entries.items() if self.today - v[0] <= KEEP_DAYS}
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            gitignore = self.directory / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("# created by argolint\n*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(keep, out, separators=(",", ":"))
            os.replace(tmp, self.file)
            self._prune()
        except OSError:
            return
        self._dirty = False

    def _prune(self) -> None:
        """Drop the files of old code versions and configurations beyond ``KEEP_FILES``."""
        files = sorted(self.directory.glob("*.json"), key=lambda p: -p.stat().st_mtime)
        for old in files[KEEP_FILES:]:
            old.unlink(missing_ok=True)
