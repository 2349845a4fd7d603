"""Every tag, expression, ``depends`` and ``when`` of Argo's own examples parses, and the
examples use every grammar."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from argolint.analysis.expr import parse_depends, parse_when
from argolint.analysis.expr.grammars import parser
from argolint.analysis.expr.sites import collect_tag_sites
from argolint.config import Config
from argolint.model import Manifest
from argolint.source.loader import ARGO_KINDS, load_bytes


def corpus_manifests(corpus: Path):
    for path in sorted(corpus.glob("*.y*ml")):
        loaded = load_bytes(path.read_bytes(), path.name, Config().limits)
        for doc in loaded.documents:
            if doc.kind in ARGO_KINDS:
                yield path.name, Manifest(doc)


def test_every_corpus_tag_depends_and_when_parses(corpus_dir):
    used: Counter[str] = Counter()
    problems = []
    for name, manifest in corpus_manifests(corpus_dir):
        for site in collect_tag_sites(manifest):
            used[site.tag.kind] += 1
            if site.tag.error or site.tag.foreign:
                problems.append((name, site.path, site.tag.body, site.tag.error))
            elif site.tag.kind == "simple":
                # plain names take a fast path: the grammar must agree with it
                parser("simple").parse(site.tag.body)
                used["simple-grammar"] += 1
        for template in manifest.all_templates:
            for call in template.invocations:
                if call.when is not None:
                    used["when"] += 1
                    if (error := parse_when(call.when).error) is not None:
                        problems.append((name, "when", call.when.value, error))
            for task in template.tasks:
                if task.depends is not None:
                    used["depends"] += 1
                    if (error := parse_depends(task.depends).error) is not None:
                        problems.append((name, "depends", task.depends.value, error))
    assert problems == []
    assert {"simple", "simple-grammar", "expression", "when", "depends"} <= set(used), used
