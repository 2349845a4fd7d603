"""The strict schema against Argo's own examples: all pass, and a misspelt key injected at
the top of `spec`, in `metadata`, in a template and in an input parameter of each document
is reported as `unknown-field` at its exact line and column, suggesting the intended name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import lint_text

from argolint.source.discover import discover
from argolint.source.loader import load_text
from argolint.source.nodes import YMapping, YSequence

SCHEMA_RULES = {"unknown-field", "schema-type", "schema-value", "yaml-1.1-boolean"}

#: Fields to misspell at each place, tried in turn across documents.
INTENDED = {
    "spec": ("serviceAccountName", "activeDeadlineSeconds", "entrypoint", "podGC", "arguments"),
    "metadata": ("generateName", "labels", "annotations", "namespace"),
    "template": ("container", "retryStrategy", "activeDeadlineSeconds", "outputs", "inputs"),
    "parameter": ("value", "default", "valueFrom", "description", "enum"),
}


def misspell(word: str, how: int) -> str:
    """A plausible typo: drop, double, swap or mistype one inner letter."""
    i = max(1, len(word) // 2)
    if how % 4 == 0:
        return word[:i] + word[i + 1 :]
    if how % 4 == 1:
        return word[:i] + word[i] + word[i:]
    if how % 4 == 2 and len(word) > 3:
        while i < len(word) - 1 and word[i - 1] == word[i]:
            i += 1  # swapping equal letters would change nothing
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    return word[:i] + ("x" if word[i] != "x" else "z") + word[i + 1 :]


@dataclass
class Place:
    where: str
    mapping: YMapping


def places(root: YMapping, kind: str) -> list[Place]:
    spec = root.mapping("spec")
    if spec is not None and kind == "CronWorkflow":
        spec = spec.mapping("workflowSpec")
    out = [Place("metadata", root.mapping("metadata")), Place("spec", spec)]
    templates = spec.sequence("templates") if spec else None
    template = next(templates.mappings(), None) if isinstance(templates, YSequence) else None
    out.append(Place("template", template))
    parameter = None
    for t in templates.mappings() if isinstance(templates, YSequence) else ():
        params = t.mapping("inputs").sequence("parameters") if t.mapping("inputs") else None
        if params is not None and (parameter := next(params.mappings(), None)) is not None:
            break
    out.append(Place("parameter", parameter))
    return [p for p in out if isinstance(p.mapping, YMapping) and p.mapping.entries]


def corpus_documents(corpus: Path) -> list[tuple[Path, str, int]]:
    found = []
    for path in discover([corpus]):
        text = path.read_text(encoding="utf-8")
        for doc in load_text(text, str(path)).documents:
            if doc.is_argo:
                found.append((path, text, doc.position))
    return found


def test_corpus_passes_the_schema(corpus_dir: Path):
    problems = []
    for path in discover([corpus_dir]):
        result = lint_text(path.read_text(encoding="utf-8"), str(path), select=SCHEMA_RULES)
        problems += [f"{f.path}:{f.span.line}:{f.span.column} {f.rule} {f.message}"
                     for f in result.findings if f.rule in SCHEMA_RULES]  # fmt: skip
    assert problems == []


def test_injected_typos_are_found_with_the_intended_name(corpus_dir: Path):
    documents = corpus_documents(corpus_dir)
    assert len(documents) > 200
    failures: list[str] = []
    checked = 0
    for n, (path, text, position) in enumerate(documents):
        doc = next(d for d in load_text(text, str(path)).documents if d.position == position)
        assert isinstance(doc.root, YMapping)
        for place in places(doc.root, doc.kind or ""):
            key = place.mapping.entries[0][0]
            if text[place.mapping.start] == "{":
                continue  # a flow mapping: a new line would not be a key of it
            choices = INTENDED[place.where]
            intended = choices[n % len(choices)]
            typo = misspell(intended, n + len(place.where))
            assert typo != intended
            line, column = key.span.line, key.span.column
            injected = text[: key.start] + f"{typo}: x\n" + " " * (column - 1) + text[key.start :]
            findings = [
                f
                for f in lint_text(injected, str(path), select={"unknown-field"}).findings
                if f.rule == "unknown-field"
            ]
            hit = [f for f in findings if (f.span.line, f.span.column) == (line, column)]
            checked += 1
            if len(hit) != 1 or f"`{intended}`" not in (hit[0].suggestion or ""):
                got = [(f.span.line, f.span.column, f.message, f.suggestion) for f in findings]
                failures.append(
                    f"{path.name}#{position} {place.where} `{typo}`@{line}:{column}: {got}"
                )
            elif len(findings) != 1:
                failures.append(f"{path.name}#{position}: extra findings {findings}")
    assert checked > 600
    assert failures == [], "\n".join(failures[:20])


@pytest.mark.parametrize(
    ("word", "how", "typo"),
    [("container", 0, "continer"), ("value", 1, "vallue"), ("labels", 2, "laebls"),
     ("entrypoint", 3, "entryxoint"), ("serviceAccountName", 2, "serviceAcocuntName")],
)  # fmt: skip
def test_misspell_makes_the_typos_it_claims(word: str, how: int, typo: str):
    assert misspell(word, how) == typo
