"""Linting many files on several cores: a process pool over chunks of files.

Some findings of a document depend on documents of other files: a ``templateRef`` resolves
into a WorkflowTemplate, a WorkflowTemplate learns the parameters its callers supply, a
RoleBinding lists the workflows that run as the accounts it binds. The files holding
documents that other files read this way are *shared* (see ``shared_inputs``): the parent
loads them once, before forking, and every worker sees their documents as context, so a
worker's project holds everything a one-process run reads for its files and the findings
are the same whatever the split. A worker reuses the parent's documents for its own shared
files instead of parsing them again; the project's manifests outside the run are loaded
once by the parent too.

Workers are forked warm (modules imported, rules discovered, file contents and the shared
documents in memory) and receive only chunk numbers. Each worker lints one chunk and exits,
which frees its memory without a garbage collection. A pool is used only when there is
enough work to pay for starting it.
"""

from __future__ import annotations

import gc
import os
import re
from dataclasses import replace
from typing import TYPE_CHECKING

from argolint.defaults import apply_workflow_defaults
from argolint.finding import Finding
from argolint.project import BINDING_KIND, BINDING_KINDS, CALLER, WIDE_BOMS
from argolint.source.loader import KNOWN_KINDS

if TYPE_CHECKING:
    from argolint.config import Config
    from argolint.engine import Input, RunResult
    from argolint.project import LazyContext
    from argolint.source.loader import Document

#: Below these, a pool costs more than it saves (measured by benchmarks/run.py on 2 cores).
MIN_FILES = 16
MIN_BYTES = 256 * 1024
#: Each chunk costs a fork, the workers' view of the shared documents and an exit (about
#: 0.07 s of CPU); more chunks hold fewer documents at once. On the 4,340-file benchmark, 2
#: per job peak at 175 MB for 0.5 s less CPU than 4 per job (130 MB).
CHUNKS_PER_JOB = 2

# The kinds another document can reference by name (templateRef, workflowTemplateRef,
# serviceAccountName → bindings → roles), as a `kind:` value anywhere in the raw bytes.
_REFERENCEABLE = re.compile(
    rb"""kind["']?\s*:\s*["']?(?:WorkflowTemplate|ClusterWorkflowTemplate|ServiceAccount"""
    rb"""|Role|ClusterRole|RoleBinding|ClusterRoleBinding|WorkflowEventBinding)\b"""
)


def may_be_referenced(data: bytes | None) -> bool:
    """Whether a file may hold a document that other documents reference by name.

    A cheap over-approximation on the raw bytes; UTF-16/32 files always count."""
    if data is None:
        return False
    return data.startswith(WIDE_BOMS) or _REFERENCEABLE.search(data) is not None


def has_binding(data: bytes | None) -> bool:
    """Whether a file may hold a RoleBinding or ClusterRoleBinding (over-approximated): a
    binding's findings name every workflow that runs as an account it binds."""
    return data is not None and (
        data.startswith(WIDE_BOMS) or BINDING_KIND.search(data) is not None
    )


def shared_inputs(inputs: list[Input], binding_elsewhere: bool = False) -> list[int]:
    """Indexes of the inputs whose documents the findings of *other* files may depend on:
    referenceable kinds and callers of templates; every input when a binding is in the run
    (or, ``binding_elsewhere``, in the project outside it), since a binding's findings name
    the workflows that run as its accounts and any workflow may run as ``default``."""
    if binding_elsewhere or any(has_binding(item.data) for item in inputs):
        return [i for i, item in enumerate(inputs) if item.data is not None]
    return [
        i
        for i, item in enumerate(inputs)
        if item.data is not None
        and (may_be_referenced(item.data) or CALLER.search(item.data) is not None)
    ]


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


def load_shared(inputs: list[Input], shared: list[int], config: Config) -> list[Input]:
    """``inputs`` with the shared ones loaded (``Input.loaded``) and the workflow defaults
    merged into their documents as the engine merges them into every target (merging is
    idempotent), so other files see these documents as a one-process run does."""
    from argolint.engine import load_input

    out = list(inputs)
    for i in shared:
        loaded = load_input(inputs[i], config)
        apply_workflow_defaults(loaded.documents, config.workflow_defaults)
        out[i] = replace(inputs[i], loaded=loaded)
    return out


def lint_chunk(
    inputs: list[Input],
    targets: list[int],
    config: Config,
    external: list[Document],
    lazy: LazyContext | None = None,
) -> RunResult:
    """Lint ``targets`` with, as context, the project's manifests outside the run
    (``external``, and ``lazy``: parsed on demand) and the documents of every loaded input
    outside the chunk."""
    from argolint.engine import run

    mine = set(targets)
    docs = [
        doc
        for i, item in enumerate(inputs)
        if item.loaded is not None and i not in mine
        for doc in item.loaded.documents
        if doc.kind in KNOWN_KINDS
    ]
    return run([inputs[i] for i in targets], config, external + docs, lazy)


#: What a worker sends back: findings, documents per file, texts of files with findings.
Part = tuple[list[Finding], dict[str, int], dict[str, str]]

# Worker state, inherited through fork.
_INPUTS: list[Input] = []
_CONFIG: Config | None = None
_EXTERNAL: list[Document] = []


def _work(targets: list[int]) -> Part:
    """Lint one chunk in a fresh worker, which then exits: its memory goes back to the
    system with the process, so no collection is needed (it would cost about 0.1 s a chunk
    to free the model's back-references)."""
    assert _CONFIG is not None
    result = lint_chunk(_INPUTS, targets, _CONFIG, _EXTERNAL)
    with_findings = {f.path for f in result.findings}
    sources = {p: t for p, t in result.sources.items() if p in with_findings}
    return result.findings, result.documents_per_file, sources


def lint_in_pool(
    inputs: list[Input], targets: list[int], config: Config, jobs: int, external: list[Document]
) -> list[Part]:
    """Lint ``targets`` in ``jobs`` forked workers, with the project's other manifests
    ``external`` as context; configuration problems are left to the caller (each worker
    would report them again)."""
    global _INPUTS, _CONFIG, _EXTERNAL
    _CONFIG, _EXTERNAL = replace(config, problems=[]), external
    elsewhere = any(doc.kind in BINDING_KINDS for doc in external)
    _INPUTS = load_shared(inputs, shared_inputs(inputs, elsewhere), _CONFIG)  # inherited
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
        _INPUTS, _CONFIG, _EXTERNAL = [], None, []
