"""One run: load every input, build the project, run each enabled rule on each document
under a guard, then apply suppressions, per-path ignores and severity overrides."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from pathlib import Path

from argolint import rules
from argolint.config import Config
from argolint.context import AnalysisError, Context
from argolint.defaults import apply_workflow_defaults
from argolint.finding import Finding, Severity
from argolint.project import LazyContext, Project, Wanted, context_sources
from argolint.source.discover import discover_resolved, display_path, may_hold_a_manifest
from argolint.source.files import read_bounded_path
from argolint.source.kinds import unrecognised_kind
from argolint.source.loader import KNOWN_KINDS, Document, LoadResult, load_bytes
from argolint.source.rendered import map_rendered
from argolint.span import Span
from argolint.suppress import collect, key_lines


@dataclass
class Input:
    """A file to lint, or standard input (``data`` given, ``path`` for reporting only)."""

    path: str
    data: bytes | None = None
    fs_path: Path | None = None
    size: int | None = None  # full size of ``data`` when it was read only up to the limit
    loaded: LoadResult | None = None  # already loaded (by a pool's parent), not to re-parse
    found_in_folder: bool = False  # not named: skipped if it cannot be a manifest


@dataclass
class RunResult:
    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    documents: int = 0
    sources: dict[str, str] = field(default_factory=dict)  # path -> text, for excerpts
    documents_per_file: dict[str, int] = field(default_factory=dict)  # for the result cache

    @property
    def internal_error(self) -> bool:
        return any(f.rule == "internal-error" for f in self.findings)

    def counts(self) -> dict[str, int]:
        counts = {str(s): 0 for s in sorted(Severity, reverse=True)}
        for f in self.findings:
            counts[str(f.severity)] += 1
        return counts


def inputs_from_paths(paths: list[Path], base: Path | None = None) -> list[Input]:
    return [
        Input(display_path(p, base, resolved), None, p, found_in_folder=walked)
        for p, resolved, walked in discover_resolved(paths)
    ]


def load_input(item: Input, config: Config) -> LoadResult:
    limits = config.limits
    try:
        if item.data is not None:
            data, size = item.data, item.size or len(item.data)
        else:
            data, size = read_bounded_path(item.fs_path, limits.max_file_size)  # type: ignore[arg-type]
    except OSError as err:
        return LoadResult(
            None,
            [],
            [
                Finding(
                    "file-encoding",
                    Severity.ERROR,
                    f"cannot read file: {err.strerror or err}",
                    item.path,
                    Span.point(1, 1),
                )
            ],
        )
    if item.found_in_folder and not may_hold_a_manifest(item.path, data):
        return LoadResult(None, [], [])
    try:
        return load_bytes(data, item.path, limits, size)
    except Exception as err:  # a loader bug must not lose the other files
        return LoadResult(None, [], [_internal_error("loader", item.path, Span.point(1, 1), err)])


def _internal_error(where: str, path: str, span: Span, err: BaseException) -> Finding:
    trace = "".join(traceback.format_exception(type(err), err, err.__traceback__, limit=-6))
    return Finding(
        "internal-error",
        Severity.ERROR,
        f"argolint failed in {where}: {type(err).__name__}: {_short(str(err))}. "
        "Please report this with the file that caused it.",
        path,
        span,
        details=trace,
    )


def _short(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def run(
    inputs: list[Input],
    config: Config,
    context_docs: list[Document] | None = None,
    lazy: LazyContext | None = None,
) -> RunResult:
    """Lint ``inputs``. The project's other manifests come from ``context_docs`` and
    ``lazy`` (parsed on demand), or, when neither is given, from the repository around the
    inputs (lazily)."""
    result = RunResult(files=len(inputs))
    findings: list[Finding] = list(config.problems)
    targets: list[Document] = []
    suppressions: dict[str, dict] = {}
    for item in inputs:
        loaded = item.loaded or load_input(item, config)
        findings.extend(loaded.findings)
        if loaded.file is not None:
            result.sources[item.path] = loaded.file.text
            try:
                suppressions[item.path] = collect(loaded.file.text)
            except Exception as err:
                findings.append(_internal_error("suppressions", item.path, _START, err))
        linted = [d for d in loaded.documents if d.kind in KNOWN_KINDS]
        findings.extend(filter(None, map(unrecognised_kind, loaded.documents)))
        result.documents_per_file[item.path] = len(linted)
        targets.extend(linted)
    result.documents = len(targets)
    if context_docs is None and lazy is None:  # the project's other manifests
        try:
            lazy = LazyContext(
                context_sources(
                    [i.fs_path for i in inputs if i.fs_path is not None],
                    config,
                    Wanted.by_kinds(d.kind for d in targets),
                ),
                config,
            )
        except Exception as err:
            findings.append(_internal_error("project context", _first_path(inputs), _START, err))
    try:
        apply_workflow_defaults(targets, config.workflow_defaults)
    except Exception as err:
        findings.append(_internal_error("workflow defaults", _first_path(inputs), _START, err))
    project = Project(targets, context_docs or [], lazy)
    active = [r for r in rules.all_rules().values() if r.check is not None]
    runs: dict[tuple[str | None, str], list[rules.Rule]] = {}  # (kind, path) -> its rules
    for doc in targets:
        chosen = runs.get((doc.kind, doc.path))
        if chosen is None:
            chosen = runs[(doc.kind, doc.path)] = [
                r for r in active if doc.kind in r.kinds and config.enabled(r, doc.path)
            ]
        findings.extend(_check_document(doc, project, config, chosen))
    try:
        result.findings = _finalise(findings, config, suppressions, targets)
    except Exception as err:  # never lose the findings: report them unfiltered
        findings.append(_internal_error("reporting", _first_path(inputs), _START, err))
        result.findings = sorted(findings, key=lambda f: f.sort_key)
    try:  # Helm's rendered output: findings go to the chart's template files
        result.findings = sorted(
            map_rendered(result.findings, result.sources), key=lambda f: f.sort_key
        )
    except Exception as err:
        result.findings.append(_internal_error("source mapping", _first_path(inputs), _START, err))
    return result


def _check_document(
    doc: Document, project: Project, config: Config, chosen: list[rules.Rule]
) -> list[Finding]:
    """The rules ``chosen`` for one document, each under a guard: an exception in a rule
    becomes an ``internal-error`` finding and the other rules still run. A failed analysis
    is reported once, naming every rule that needed it."""
    findings: list[Finding] = []
    ctx = Context(doc, project, config)
    broken: dict[int, tuple[AnalysisError, list[str]]] = {}
    for rule in chosen:
        ctx.rule = rule
        try:
            for finding in rule.check(ctx):  # type: ignore[misc]
                findings.append(finding)
        except AnalysisError as err:
            broken.setdefault(id(err), (err, []))[1].append(rule.id)
        except Exception as err:
            findings.append(_internal_error(f"rule `{rule.id}`", doc.path, _doc_span(doc), err))
    for err, rule_ids in broken.values():
        needed_by = ", ".join(f"`{r}`" for r in rule_ids)
        findings.append(
            _internal_error(
                f"analysis `{err.name}` (needed by {needed_by}, which did not run)",
                doc.path,
                _doc_span(doc),
                err.error,
            )
        )
    ctx.release()
    return findings


_START = Span.point(1, 1)


def _first_path(inputs: list[Input]) -> str:
    return inputs[0].path if inputs else "<input>"


def _doc_span(doc: Document) -> Span:
    line, column = doc.file.index.position(doc.root.start)
    return Span.point(line, column)


def _finalise(
    findings: list[Finding], config: Config, suppressions: dict[str, dict], docs: list[Document]
) -> list[Finding]:
    known = rules.all_rules()
    roots_by_path: dict[str, list[Document]] = {}
    for doc in docs:
        roots_by_path.setdefault(doc.path, []).append(doc)
    out: list[Finding] = []
    used: set[tuple[str, int]] = set()
    for f in findings:
        rule = known.get(f.rule)
        if rule is not None and f.rule != "internal-error":
            if not config.enabled(rule, f.path):
                continue
            if f.rule in config.severity:
                f = _with_severity(f, config.severity[f.rule])
        table = suppressions.get(f.path)
        if table and f.rule != "internal-error":
            lines = [f.span.line]
            if any(s.line < f.span.line for s in table.values()):
                lines += key_lines(roots_by_path.get(f.path, ()), f.span)
            category = rule.category if rule is not None else None
            hit = next(
                (table[ln] for ln in lines if ln in table and table[ln].covers(f.rule, category)),
                None,
            )
            if hit is not None:
                used.add((f.path, hit.line))
                continue
        out.append(f)
    out.extend(_unknown_suppressions(suppressions, known))
    out.sort(key=lambda f: f.sort_key)
    return out


def _with_severity(f: Finding, severity: Severity) -> Finding:
    from dataclasses import replace

    return replace(f, severity=severity)


def _unknown_suppressions(suppressions: dict[str, dict], known: dict) -> list[Finding]:
    out = []
    rule = known["unknown-rule"]
    categories = {r.category for r in known.values()}
    for path, table in suppressions.items():
        for s in table.values():
            for rid, span in s.id_spans:
                if rid not in known and rid not in categories:
                    out.append(
                        Finding(
                            rule.id,
                            rule.severity,
                            f"unknown rule or category `{rid}` in suppression comment",
                            path,
                            span,
                        )
                    )
    return out
