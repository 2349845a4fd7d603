"""Which files to lint: given files always (a pipe such as ``<(helm template …)`` too);
directories recursively for YAML and JSON, skipping hidden folders (``.git``, ``.venv``,
...), well-known vendored trees, and FIFOs or devices, which could block a read forever."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

EXTENSIONS = (".yaml", ".yml", ".json")
SKIPPED_DIRS = frozenset(("node_modules", "__pycache__", "venv", "site-packages"))


def discover(paths: Iterable[Path]) -> Iterator[Path]:
    """Files to lint under ``paths``, each once, directories in sorted order."""
    seen: set[str] = set()
    for path in paths:
        if path.is_dir():
            candidates: Iterable[Path] = _walk(path)
        else:
            candidates = (path,)
        for candidate in candidates:
            key = real_path(candidate)
            if key not in seen:
                seen.add(key)
                yield candidate


def _walk(root: Path) -> Iterator[Path]:
    for directory, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in SKIPPED_DIRS)
        for name in sorted(filenames):
            if name.endswith(EXTENSIONS) and not name.startswith("."):
                path = Path(directory, name)
                if _special(path):
                    continue  # a FIFO or device found in a folder: opening it could block
                yield path


def _special(path: Path) -> bool:
    """An existing file that is not a regular file (a broken symlink is not special: it is
    reported as unreadable)."""
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def display_path(path: Path, base: Path | None = None) -> str:
    """The path as reported: relative to the working directory when inside it."""
    resolved = real_path(path)
    root = _resolved(str(base) if base is not None else os.getcwd())
    if resolved == root:
        return "."
    prefix = root if root.endswith(os.sep) else root + os.sep
    if resolved.startswith(prefix):
        return Path(resolved[len(prefix) :]).as_posix()
    return path.as_posix()


@lru_cache(maxsize=64)
def _resolved(base: str) -> str:
    """The real path of a base folder: once, however many files are reported against it."""
    return os.path.realpath(base)


def real_path(path: Path | str) -> str:
    """``os.path.realpath(path)``, resolving each folder once: for thousands of files,
    realpath's per-component lookups cost a tenth of a second before any linting starts."""
    head, name = os.path.split(path)
    if not name or name in (".", "..") or os.path.islink(path):
        return os.path.realpath(path)
    folder = os.path.join(os.getcwd(), head)  # not abspath: ".." must follow links
    return os.path.join(_real_folder(folder), name)


@lru_cache(maxsize=1024)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)
