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
    for path, _, _ in discover_resolved(paths):
        yield path


def discover_resolved(paths: Iterable[Path]) -> Iterator[tuple[Path, str, bool]]:
    """``discover`` with each file's real path (what tells two spellings of a file apart),
    resolved once for both the deduplication and the displayed path, and whether the file
    was found in a folder (rather than named)."""
    seen: set[str] = set()
    for path in paths:
        walked = path.is_dir()
        if walked:
            candidates: Iterable[tuple[Path, bool | None]] = _walk(path)
        else:
            candidates = ((path, None),)
        for candidate, link in candidates:
            key = real_path(candidate, link)
            if key not in seen:
                seen.add(key)
                yield candidate, key, walked


_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")


def may_hold_a_manifest(path: str, data: bytes) -> bool:
    """Whether a file found in a folder is worth parsing. JSON files there are mostly tool
    configuration (``package.json``, or ``tsconfig.json`` with comments, which no YAML or
    JSON reader accepts): one counts only when it names an ``apiVersion`` or a ``kind``, as
    every manifest does. YAML files always count (a broken one is reported)."""
    if not path.lower().endswith(".json"):
        return True
    return b"apiVersion" in data or b'"kind"' in data or data.startswith(_WIDE_BOMS)


def _walk(root: Path) -> Iterator[tuple[Path, bool]]:
    """(file, whether it is a symbolic link), from directory entries: the file type comes
    with the listing, so only links cost a system call each."""
    try:
        with os.scandir(root) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:
        return
    folders = []
    for entry in entries:
        name = entry.name
        try:
            if entry.is_dir(follow_symlinks=False):
                if not name.startswith(".") and name not in SKIPPED_DIRS:
                    folders.append(entry.path)
                continue
            if not name.endswith(EXTENSIONS) or name.startswith("."):
                continue
            link = entry.is_symlink()
            # a FIFO or device found in a folder: opening it could block
            special = _special(Path(entry.path)) if link else not entry.is_file()
        except OSError:
            continue
        if not special:
            yield Path(entry.path), link
    for folder in folders:
        yield from _walk(Path(folder))


def _special(path: Path) -> bool:
    """An existing file that is not a regular file (a broken symlink is not special: it is
    reported as unreadable)."""
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def display_path(path: Path, base: Path | None = None, resolved: str | None = None) -> str:
    """The path as reported: relative to the working directory when inside it
    (``resolved``: the real path, when known)."""
    resolved = resolved if resolved is not None else real_path(path)
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


def real_path(path: Path | str, link: bool | None = None) -> str:
    """``os.path.realpath(path)``, resolving each folder once: for thousands of files,
    realpath's per-component lookups cost a tenth of a second before any linting starts.
    ``link``: whether the path is a symbolic link, when the caller knows."""
    head, name = os.path.split(path)
    if link is None:
        link = os.path.islink(path)
    if not name or name in (".", "..") or link:
        return os.path.realpath(path)
    folder = os.path.join(os.getcwd(), head)  # not abspath: ".." must follow links
    return os.path.join(_real_folder(folder), name)


@lru_cache(maxsize=1024)
def _real_folder(folder: str) -> str:
    return os.path.realpath(folder)
