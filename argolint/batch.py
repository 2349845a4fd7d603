"""One command-line run over many inputs: cached results where nothing changed, a process
pool for the rest when there is enough of it, the plain engine otherwise.

Results are the same as ``engine.run`` over all inputs: the same findings in the same order,
whether they came from the cache, from workers or from this process.
"""

from __future__ import annotations

import gc
from dataclasses import replace
from pathlib import Path

from argolint.cache import ResultCache, digest
from argolint.config import Config
from argolint.engine import Input, RunResult, run
from argolint.finding import Finding
from argolint.parallel import (
    Part,
    default_jobs,
    has_binding,
    lint_chunk,
    lint_in_pool,
    load_shared,
    may_be_referenced,
    shared_inputs,
    worth_a_pool,
)
from argolint.project import LazyContext, Wanted, context_sources, parse_context
from argolint.source.discover import may_hold_a_manifest
from argolint.source.files import read_bounded_path

#: A run over more input than this leaves its garbage to the process's exit (see ``lint``).
BIG_RUN_BYTES = 256 * 1024


def lint(
    inputs: list[Input],
    config: Config,
    jobs: int | None = None,
    cache_dir: Path | None = None,
    process_ends: bool = False,
) -> RunResult:
    """Lint ``inputs``; ``jobs`` processes at most (default: one per core); results are
    cached under ``cache_dir`` unless it is None.

    The garbage collector is paused while linting: it would only re-scan the YAML trees,
    which stay alive until the end. ``process_ends`` (the command line): after a big run,
    the run's cyclic garbage (the model's back-references) is frozen rather than collected,
    since the process exits after the report; collecting it would cost a fifth of a second
    per thousand files."""
    jobs = default_jobs() if jobs is None or jobs < 1 else jobs
    enabled = gc.isenabled()
    gc.disable()
    try:
        inputs = [_with_data(item, config.limits.max_file_size) for item in inputs]
        if cache_dir is None:
            return _lint_uncached(inputs, config, jobs)
        return _lint_cached(inputs, config, jobs, ResultCache(cache_dir, config))
    finally:
        if process_ends and sum(len(i.data or b"") for i in inputs) > BIG_RUN_BYTES:
            gc.freeze()
        if enabled:
            gc.enable()


def _with_data(item: Input, limit: int) -> Input:
    if item.data is not None or item.fs_path is None:
        return item
    try:
        data, size = read_bounded_path(item.fs_path, limit)
        return replace(item, data=data, size=size)
    except OSError:
        return item  # the engine reports it


def _lint_uncached(inputs: list[Input], config: Config, jobs: int) -> RunResult:
    if not worth_a_pool(inputs, jobs):
        return run(inputs, config)
    wanted = Wanted.by_bytes(item.data for item in inputs)
    external = parse_context(context_sources(_files(inputs), config, wanted), config)
    result = run([], config, [])  # configuration problems, reported once
    _merge(result, lint_in_pool(inputs, list(range(len(inputs))), config, jobs, external))
    result.files = len(inputs)
    result.findings.sort(key=lambda f: f.sort_key)
    return result


def _files(inputs: list[Input]) -> list[Path]:
    return [item.fs_path for item in inputs if item.fs_path is not None]


def _lint_cached(inputs: list[Input], config: Config, jobs: int, cache: ResultCache) -> RunResult:
    # A file's findings depend on the referenceable files (templates, RBAC) of the run;
    # those files' own findings may depend on any file (callers, workflows a binding covers).
    referenced = [may_be_referenced(item.data) for item in inputs]
    wanted = Wanted.by_bytes(item.data for item in inputs)
    sources = context_sources(_files(inputs), config, wanted)  # the project outside the run
    hashes = [digest(item.data) if item.data is not None else None for item in inputs]
    stamps = [f"{item.path}\0{h}" for item, h in zip(inputs, hashes, strict=True)]
    outside = [f"{path}\0{digest(data)}" for path, data in sources]
    context = digest(*outside, *(s for s, r in zip(stamps, referenced, strict=True) if r))
    everything = digest(*outside, *stamps)

    result = run([], config, []) if config.problems else RunResult()
    keys: dict[int, str] = {}
    misses: list[int] = []
    for index, item in enumerate(inputs):
        if item.data is None:
            misses.append(index)
            continue
        keys[index] = key = ResultCache.key(
            _identity(item), item.data, everything if referenced[index] else context
        )
        hit = cache.get(key)
        if hit is None:
            misses.append(index)
            continue
        findings, documents = hit
        result.findings.extend(findings)
        result.documents += documents
        result.documents_per_file[item.path] = documents
        if findings:
            result.sources[item.path] = _text(item.data)

    if misses:
        parts = _lint_misses(inputs, misses, config, jobs, sources)
        _merge(result, parts)
        _store(cache, inputs, misses, keys, parts)
    cache.save()
    result.files = len(inputs)
    result.findings.sort(key=lambda f: f.sort_key)
    return result


def _identity(item: Input) -> str:
    """What the cache keys a file's results by, besides its bytes: its path, and whether it
    is skipped as found in a folder (``may_hold_a_manifest``; named, it would be linted)."""
    if (
        item.found_in_folder
        and item.data is not None
        and not may_hold_a_manifest(item.path, item.data)
    ):
        return item.path + "\0skipped in a folder"
    return item.path


def _lint_misses(
    inputs: list[Input],
    misses: list[int],
    config: Config,
    jobs: int,
    sources: list[tuple[Path, bytes]],
) -> list[Part]:
    """Per-file findings and document counts of the files not found in the cache, with
    the shared documents of the files found there and the project's other manifests
    (``sources``: parsed before a pool forks, else on demand) as context."""
    if worth_a_pool([inputs[i] for i in misses], jobs):
        return lint_in_pool(inputs, misses, config, jobs, parse_context(sources, config))
    bare = replace(config, problems=[])
    missed = set(misses)
    elsewhere = any(has_binding(data) for _, data in sources)
    others = [i for i in shared_inputs(inputs, elsewhere) if i not in missed]
    loaded = load_shared(inputs, others, bare)
    result = lint_chunk(loaded, misses, bare, [], LazyContext(sources, config))
    return [(result.findings, result.documents_per_file, result.sources)]


def _merge(result: RunResult, parts: list[Part]) -> None:
    for findings, documents, sources in parts:
        result.findings.extend(findings)
        result.documents += sum(documents.values())
        result.documents_per_file.update(documents)
        result.sources.update(sources)


def _store(
    cache: ResultCache,
    inputs: list[Input],
    misses: list[int],
    keys: dict[int, str],
    parts: list[Part],
) -> None:
    by_path: dict[str, list[Finding]] = {inputs[i].path: [] for i in misses}
    documents: dict[str, int] = {}
    for findings, counts, _ in parts:
        documents.update(counts)
        for f in findings:
            if f.path in by_path:
                by_path[f.path].append(f)
    for index in misses:
        key = keys.get(index)
        found = by_path[inputs[index].path]
        if key is None or any(f.rule == "internal-error" for f in found):
            continue  # unreadable, or a crash worth retrying
        cache.put(key, found, documents.get(inputs[index].path, 0))


def _text(data: bytes) -> str:
    from argolint.source.loader import decode

    text, _, _ = decode(data)
    return text or ""
