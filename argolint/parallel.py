"""Linting many files on several cores: a process pool over chunks of files.

Workers are forked after the parent has read every input and loaded, once, the documents
that files of other chunks may reference (WorkflowTemplates, ClusterWorkflowTemplates, RBAC
objects: see ``may_be_referenced``), so they start warm (modules imported, rules discovered,
file contents and that context in memory) and receive only chunk numbers; the project's
manifests outside the run are loaded once by the parent too. So a ``templateRef`` into a file
linted by another worker resolves exactly as in a single process. (Documents of other kinds
in other chunks, such as Workflows, are not visible to a worker: rules only reference the
kinds above.) Each worker lints one chunk and exits, which frees its memory without a
garbage collection. A pool is used only when there is enough work to pay for starting it.
"""

from __future__ import annotations

import gc
import os
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from argolint.finding import Finding
from argolint.source.loader import EVENT_KINDS, RBAC_KINDS

if TYPE_CHECKING:
    from argolint.config import Config
    from argolint.engine import Input, RunResult
    from argolint.source.loader import Document

#: Below these, a pool costs more than it saves (measured by benchmarks/run.py on 2 cores).
MIN_FILES = 16
MIN_BYTES = 256 * 1024
CHUNKS_PER_JOB = 4

# The kinds another document can reference by name (templateRef, workflowTemplateRef,
# serviceAccountName → bindings → roles), as a `kind:` value anywhere in the raw bytes.
_REFERENCEABLE = re.compile(
    rb"""kind["']?\s*:\s*["']?(?:WorkflowTemplate|ClusterWorkflowTemplate|ServiceAccount"""
    rb"""|Role|ClusterRole|RoleBinding|ClusterRoleBinding|WorkflowEventBinding)\b"""
)
REFERENCEABLE_KINDS = (
    frozenset(("WorkflowTemplate", "ClusterWorkflowTemplate")) | RBAC_KINDS | EVENT_KINDS
)
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def may_be_referenced(data: bytes | None) -> bool:
    """Whether a file may hold a document that other documents reference by name.

    A cheap over-approximation on the raw bytes; UTF-16/32 files always count."""
    if data is None:
        return False
    return data.startswith(_WIDE_BOMS) or _REFERENCEABLE.search(data) is not None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def worth_a_pool(inputs: list[Input], jobs: int) -> bool:
    if jobs < 2 or len(inputs) < MIN_FILES:
        return False
    if sum(len(i.data or b"") for i in inputs) < MIN_BYTES:
        return False
    import multiprocessing  # only now: importing it costs a pre-commit run 25 ms

    return "fork" in multiprocessing.get_all_start_methods()


def chunks(inputs: list[Input], targets: list[int], jobs: int) -> list[list[int]]:
    """Target indexes in about ``jobs * CHUNKS_PER_JOB`` chunks of similar byte size,
    largest files first so no worker is left with a big file at the end."""
    order = sorted(targets, key=lambda i: -len(inputs[i].data or b""))
    count = min(len(order), jobs * CHUNKS_PER_JOB)
    out: list[list[int]] = [[] for _ in range(count)]
    sizes = [0] * count
    for i in order:
        smallest = min(range(count), key=sizes.__getitem__)
        out[smallest].append(i)
        sizes[smallest] += len(inputs[i].data or b"") + 1
    return [c for c in out if c]


#: What a worker sends back: findings, documents per file, texts of files with findings.
Part = tuple[list[Finding], dict[str, int], dict[str, str]]

# Worker state, inherited through fork.
_INPUTS: list[Input] = []
_CONFIG: Config | None = None
_EXTERNAL: list[Document] = []
_CONTEXT: dict[int, list[Document]] | None = None


def context_documents(
    inputs: list[Input], referenced: list[int], config: Config
) -> dict[int, list[Document]]:
    """The referenceable documents of the files that may hold some, by input index."""
    from argolint.engine import load_input

    out: dict[int, list[Document]] = {}
    for i in referenced:
        loaded = load_input(inputs[i], config)
        out[i] = [d for d in loaded.documents if d.kind in REFERENCEABLE_KINDS]
    return out


def lint_chunk(
    inputs: list[Input],
    targets: list[int],
    config: Config,
    context: dict[int, list[Document]],
    external: list[Document],
) -> RunResult:
    """Lint ``targets`` with, as context, the project's manifests outside the run
    (``external``) and the referenceable documents of every other input."""
    from argolint.engine import run

    mine = set(targets)
    docs = [d for i, found in context.items() if i not in mine for d in found]
    return run([inputs[i] for i in targets], config, external + docs)


def _work(targets: list[int]) -> Part:
    """Lint one chunk in a fresh worker, which then exits: its memory goes back to the
    system with the process, so no collection is needed (it would cost about 0.1 s a chunk
    to free the model's back-references)."""
    assert _CONFIG is not None and _CONTEXT is not None
    result = lint_chunk(_INPUTS, targets, _CONFIG, _CONTEXT, _EXTERNAL)
    with_findings = {f.path for f in result.findings}
    sources = {p: t for p, t in result.sources.items() if p in with_findings}
    return result.findings, result.documents_per_file, sources


def lint_in_pool(
    inputs: list[Input], targets: list[int], config: Config, jobs: int, external: list[Document]
) -> list[Part]:
    """Lint ``targets`` in ``jobs`` forked workers, with the project's other manifests
    ``external`` as context; configuration problems are left to the caller (each worker
    would report them again)."""
    global _INPUTS, _CONFIG, _EXTERNAL, _CONTEXT
    _INPUTS, _CONFIG, _EXTERNAL = inputs, replace(config, problems=[]), external
    referenced = [i for i, item in enumerate(inputs) if may_be_referenced(item.data)]
    _CONTEXT = context_documents(inputs, referenced, _CONFIG)  # once, inherited by all
    parts = chunks(inputs, targets, jobs)
    import multiprocessing

    gc.freeze()  # the parent's objects stay untouched in the workers: no copy-on-write
    try:
        context = multiprocessing.get_context("fork")
        # One chunk per worker process: each exits after its chunk instead of collecting.
        with context.Pool(min(jobs, len(parts)), maxtasksperchild=1) as pool:
            return list(pool.imap_unordered(_work, parts))
    finally:
        gc.unfreeze()
        _INPUTS, _CONFIG, _EXTERNAL, _CONTEXT = [], None, [], None
