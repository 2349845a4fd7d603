"""Argo's own examples, linted as one project (as `argo lint --offline` sees them): no
error-level finding but the three known genuine problems."""

from __future__ import annotations

from pathlib import Path

from argolint.config import Config
from argolint.engine import inputs_from_paths, run
from argolint.finding import Severity

#: Genuine problems of the corpus (see its SOURCE.md): (file, rule).
KNOWN = {
    ("fun-with-gifs.yaml", "missing-metadata-name"),
    ("k8s-jobs.yaml", "missing-metadata-name"),
    ("k8s-patch-json-workflow.yaml", "duplicate-key"),
}


def test_corpus_has_no_error_but_the_known_ones(corpus_dir: Path) -> None:
    result = run(inputs_from_paths([corpus_dir], base=corpus_dir), Config())
    errors = {(Path(f.path).name, f.rule) for f in result.findings if f.severity >= Severity.ERROR}
    assert errors == KNOWN, sorted(errors - KNOWN)


def test_corpus_references_resolve_across_files(corpus_dir: Path) -> None:
    result = run(inputs_from_paths([corpus_dir], base=corpus_dir), Config())
    assert not [f for f in result.findings if f.rule == "unresolved-template-ref"]
    # and each referencing file alone, with its templates as project context, resolves too
    refs = [p for p in corpus_dir.rglob("*.yaml") if "templateRef" in p.read_text()]
    assert len(refs) >= 5
    from argolint.source.loader import load_bytes

    context = [
        d
        for p in corpus_dir.rglob("*templates.yaml")
        for d in load_bytes(p.read_bytes(), p.name).documents
    ]
    for path in refs:
        alone = run(inputs_from_paths([path]), Config(), context_docs=context)
        assert not [f for f in alone.findings if f.rule == "unresolved-template-ref"], path
