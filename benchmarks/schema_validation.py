#!/usr/bin/env python3
"""How long the strict schema takes per Argo document: validation plus mapping every error
back to its YAML node (``schema_problems``) and the scalar scan behind yaml-1.1-boolean and
tag-in-typed-field (``schema_scalars``), YAML loading excluded.

    python benchmarks/schema_validation.py [CORPUS_DIR] [--repeat N] [--argo-version V]

Prints the median milliseconds per document over N passes (the first, which compiles the
schema, is reported separately). The target is under 1 ms per document.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from argolint.analysis.schema import argo_schema, schema_problems, select_version
from argolint.analysis.schema_scalars import typed_tag_nodes, yaml11_boolean_nodes
from argolint.config import Config
from argolint.context import Context
from argolint.project import Project
from argolint.source.discover import discover
from argolint.source.loader import load_bytes

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "argo-examples"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--argo-version", default=None)
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    docs = []
    for path in discover([args.corpus]):
        docs += [d for d in load_bytes(path.read_bytes(), str(path)).documents if d.is_argo]
    config = Config(argo_version=args.argo_version)
    project = Project(docs, ())
    version = select_version(args.argo_version)

    start = time.perf_counter()
    argo_schema(version)
    compile_ms = (time.perf_counter() - start) * 1000

    def one_pass(analysis) -> tuple[float, int]:  # type: ignore[no-untyped-def]
        found = 0
        begin = time.perf_counter()
        for doc in docs:
            found += len(Context(doc, project, config).analysis(analysis))
        return (time.perf_counter() - begin) * 1000, found

    first_ms, problems = one_pass(schema_problems)
    repeat = max(1, args.repeat)
    passes = [one_pass(schema_problems)[0] for _ in range(repeat)]

    def scalars(ctx: Context) -> list:
        return ctx.analysis(yaml11_boolean_nodes) + ctx.analysis(typed_tag_nodes)

    words = [one_pass(scalars)[0] for _ in range(repeat)]
    per_doc = statistics.median(passes) / len(docs)
    per_doc_words = statistics.median(words) / len(docs)
    print(f"schema argo-{version}: {len(docs)} documents, {problems} problems")
    print(f"load + compile schema: {compile_ms:.1f} ms; first pass: {first_ms:.1f} ms")
    print(f"validation, median over {repeat} passes: {per_doc:.3f} ms per document")
    print(f"scalar scan (YAML 1.1 words, tags): {per_doc_words:.3f} ms per document")
    print(f"schema layer total: {per_doc + per_doc_words:.3f} ms per document")
    return 0


if __name__ == "__main__":
    sys.exit(main())
