"""Bytes → text → YAML documents of positioned nodes, with YAML problems as findings.

Uses ruamel.yaml's libyaml-backed parser (fast, and it keeps a mark for every node):
``EventBuilder`` builds the nodes from its events; a document it refuses (a limit, a
recursive alias) is composed by ruamel and built by ``NodeBuilder``, which reports exactly
where. Without the C extension, the pure-Python composer and ``NodeBuilder`` do everything.
Comments are not needed here: suppression comments are read from the text, line by line
(see ``suppress``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from argolint.finding import Finding, Severity
from argolint.source import nesting, templated
from argolint.source.builders import (
    EventBuilder,
    LimitExceeded,
    NodeBuilder,
    composer_parser,
    event_api,
    python_event_parser,
)
from argolint.source.nodes import YMapping, YNode
from argolint.span import LineIndex, Span

ARGO_KINDS = frozenset(("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"))
RBAC_KINDS = frozenset(
    ("ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
)
#: Argo documents that are not workflows but point at one (read for the security rules).
EVENT_KINDS = frozenset(("WorkflowEventBinding",))
KNOWN_KINDS = ARGO_KINDS | RBAC_KINDS | EVENT_KINDS

_ALIAS = re.compile(r"\*[^\s,\[\]{}]+")
_DOC_START = re.compile(r"^(?:%[^\n]*\n)*---(?=[ \t\r\n]|$)", re.MULTILINE)


@dataclass(frozen=True)
class Limits:
    max_file_size: int = 20 * 1024 * 1024  # bytes; a Kubernetes object is at most ~1.5 MiB
    max_aliases: int = 1_000_000  # extra nodes alias expansion may add to one document
    max_depth: int = 200  # nesting of one document (real manifests stay below 30)


@dataclass
class SourceFile:
    """One input: its path as reported, its decoded text and a line index over it."""

    path: str
    text: str
    index: LineIndex = field(init=False)

    def __post_init__(self) -> None:
        self.index = LineIndex(self.text)


@dataclass
class Document:
    file: SourceFile
    position: int  # 0-based index of the document in its file
    root: YNode
    kind: str | None = None
    api_version: str | None = None

    @property
    def path(self) -> str:
        return self.file.path

    @property
    def metadata(self) -> YMapping | None:
        return self.root.mapping("metadata") if isinstance(self.root, YMapping) else None

    @property
    def name(self) -> str | None:
        meta = self.metadata
        return meta.str("name") if meta else None

    @property
    def namespace(self) -> str | None:
        meta = self.metadata
        return meta.str("namespace") if meta else None

    @property
    def is_argo(self) -> bool:
        return self.kind in ARGO_KINDS and _is_argo_api(self.api_version)

    def to_python(self, max_aliases: int = Limits.max_aliases) -> Any:
        return self.root.to_python([max_aliases])


def _is_argo_api(api_version: str | None) -> bool:
    return api_version is None or api_version.startswith("argoproj.io/")


@dataclass
class LoadResult:
    file: SourceFile | None
    documents: list[Document]
    findings: list[Finding]


def decode(data: bytes) -> tuple[str | None, str | None, int | None]:
    """(text, problem, offset of the problem). Honours UTF-8/16/32 byte order marks."""
    skipped = 0
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding, skipped = data[3:], "utf-8", 3
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        encoding = "utf-32"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
        head = data[:8192]
        if b"\x00" in head:
            wide = _wide_encoding(head)
            if wide:
                return None, f"{wide} without a byte-order mark; not readable as YAML", 0
            return None, "binary file (NUL bytes); not YAML", data.index(b"\x00")
    try:
        return data.decode(encoding), None, None
    except UnicodeDecodeError as err:
        at = err.start + skipped
        return None, f"not valid {encoding.upper()}: {err.reason} at byte {at}", at


def _wide_encoding(head: bytes) -> str | None:
    """UTF-16/32 without a BOM (Kubernetes cannot read it either): ASCII text with every
    other (or three of four) bytes zero."""
    if len(head) < 8:
        return None
    quads = [head[i::4].count(0) for i in range(4)]
    count = len(head) // 4
    if quads[1] == quads[2] == quads[3] == count and quads[0] == 0:
        return "UTF-32 (little-endian)"
    if quads[0] == quads[1] == quads[2] == count and quads[3] == 0:
        return "UTF-32 (big-endian)"
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd >= len(head) // 2 * 0.9 and even == 0:
        return "UTF-16 (little-endian)"
    if even >= len(head) // 2 * 0.9 and odd == 0:
        return "UTF-16 (big-endian)"
    return None


def load_text(text: str, path: str, limits: Limits = Limits()) -> LoadResult:
    """Parse every document of a text; a problem in one document loses only that one.

    Each document (from one ``---`` to the next) is parsed on its own: YAML forbids a
    document marker inside content and anchors across documents, so this is what one
    parser would do, and a syntax error or an exceeded limit cannot spill over."""
    file = SourceFile(path, text)
    actions = templated.actions(text)
    action = templated.strong_action(actions)
    if action is not None:
        return LoadResult(file, [], [_templated_finding(file, action)])
    documents: list[Document] = []
    findings: list[Finding] = []
    ceiling = nesting.ceiling(limits.max_depth)
    position = 0
    for start, end in _segments(text):
        segment = text[start:end] if start or end != len(text) else text
        too_deep = nesting.too_deep_at(segment, ceiling, _event_depth_overflow)
        if too_deep is not None:
            findings.append(
                _limit_finding(
                    file,
                    start + too_deep,
                    f"document nests more than {ceiling} levels deep here (the limit is "
                    f"{nesting.effective_depth(limits.max_depth)}); not analysed",
                    "raise `max_depth` in the configuration if this is intended",
                )
            )
            position += 1
            continue
        loaded = _load_by_events(file, segment, start, limits, position)
        if loaded is None:
            loaded = _load_by_nodes(file, segment, start, limits, position)
        if (
            loaded.syntax is not None
            and _FLOW_COLON in loaded.syntax.message
            and len(segment) <= PYTHON_PARSE_LIMIT
        ):
            retried = _load_by_events(file, segment, start, limits, position, python=True)
            if retried is not None:  # its own syntax error, if any, is the real one
                loaded = retried
        position = _add_segment(file, loaded, documents, findings)
    if actions:
        clean = not any(f.rule == "yaml-syntax" for f in findings)
        action = templated.template_action(actions, (d.root for d in documents), clean)
        if action is not None:
            return LoadResult(file, [], [_templated_finding(file, action)])
    return LoadResult(file, documents, findings)


#: libyaml's refusal of a colon inside a flow collection's plain scalar, which go-yaml (and
#: so Kubernetes and Argo) accepts: such a segment is parsed again by ruamel's Python parser.
_FLOW_COLON = "found unexpected ':'"
#: The Python parser reads about 0.7 MB a second: beyond this many characters a document
#: keeps libyaml's error (with a suggestion to quote), so no input can make a run crawl.
PYTHON_PARSE_LIMIT = 1 << 20


def _load_by_events(
    file: SourceFile,
    segment: str,
    base: int,
    limits: Limits,
    position: int,
    python: bool = False,
) -> _Segment | None:
    """The segment built by ``EventBuilder`` (from libyaml's events, or ``python``'s:
    ruamel's Python parser); None when it refuses (nothing is lost: the caller loads the
    segment through the composer instead)."""
    api = event_api()
    if api.parser is None and not python:  # pragma: no cover - C extension missing
        return None
    builder = EventBuilder(file, limits, base)
    parser = python_event_parser(segment) if python else api.parser(segment)
    syntax = None
    try:
        builder.run(parser)
    except api.yaml_error as err:  # the parser's errors, and the composer's ones it mimics
        syntax = _syntax_finding(file, err, base)  # (kept, `err` would hold this frame)
    except Exception:  # Refused, or anything odd: the composer path decides
        return None
    finally:
        if python:  # its parts refer to each other: free them without a collection
            vars(parser).clear()
    roots: list[YNode | Finding] = list(builder.roots)
    return _Segment(position, roots, builder.findings, syntax)


def _load_by_nodes(
    file: SourceFile, segment: str, base: int, limits: Limits, position: int
) -> _Segment:
    """The segment composed by ruamel and built by ``NodeBuilder``: the reference, and the
    exact report of every document the event builder refuses."""
    loaded = _Segment(position)
    builder = NodeBuilder(file, limits, base)
    parser = composer_parser()(segment)
    try:
        while parser.check_node():
            raw = parser.get_node()
            if raw is None:
                continue
            try:
                loaded.roots.append(builder.build(raw))
            except LimitExceeded as limit:
                loaded.roots.append(
                    _limit_finding(file, limit.offset, limit.message, limit.suggestion)
                )
    except Exception as err:  # ruamel raises MarkedYAMLError and a few plain errors
        loaded.syntax = _syntax_finding(file, err, base)
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose:
            dispose()
    loaded.findings = builder.findings
    return loaded


@dataclass
class _Segment:
    """What one segment gave: its documents' roots (numbered from ``position``), then
    its findings in order; ``syntax`` (a syntax error after them) costs one position."""

    position: int
    roots: list[YNode | Finding] = field(default_factory=list)  # Finding: a refused document
    findings: list[Finding] = field(default_factory=list)
    syntax: Finding | None = None


def _add_segment(
    file: SourceFile, loaded: _Segment, documents: list[Document], findings: list[Finding]
) -> int:
    position = loaded.position
    for root in loaded.roots:
        if isinstance(root, Finding):
            findings.append(root)
        else:
            documents.extend(_documents(file, position, root))
        position += 1
    if loaded.syntax is not None:
        findings.append(loaded.syntax)
        position += 1
    findings.extend(loaded.findings)
    return position


def _templated_finding(file: SourceFile, action: templated.GoAction) -> Finding:
    excerpt = action.text(file.text)
    if len(excerpt) > 60 or "\n" in excerpt:
        excerpt = excerpt.replace("\n", " ")[:57] + "…"
    if action.jinja:
        language = "Jinja"
        suggestion = (
            "render it first (your Ansible/Jinja step), then lint the result: "
            f"<render> | argolint - --stdin-filename {file.path}"
        )
    else:
        language = "Go/Helm"
        chart = _chart_of(file.path) or "<chart>"
        suggestion = f"helm template {chart} | argolint - --stdin-filename {chart}/rendered.yaml"
    return Finding(
        rule="templated-file",
        severity=Severity.INFO,
        message=f"this file is a {language} template (`{excerpt}`), not a manifest yet; it is "
        "not linted. Lint what it renders to instead",
        path=file.path,
        span=file.index.span(action.start, action.end),
        suggestion=suggestion,
    )


def _chart_of(path: str) -> str | None:
    """The Helm chart directory holding ``path`` (the nearest ``Chart.yaml`` above it)."""
    try:
        for directory in list(Path(path).parents)[:4]:
            if (directory / "Chart.yaml").is_file():
                return directory.as_posix()
    except (OSError, ValueError):
        pass
    return None


def _event_depth_overflow(text: str, limit: int) -> int | None:
    """Offset of the first collection nested deeper than ``limit``, from parser events
    (libyaml's parser keeps explicit stacks: no recursion, unlike its composer)."""
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent

    parser = composer_parser()(text)
    depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > limit:
                    return event.start_mark.index
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except Exception:  # a syntax error: composing stops there too, and reports it
        return None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose:
            dispose()
    return None


def _segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of each document's text: split before each ``---`` line (and the
    directives above it)."""
    if "---" not in text:  # most files: one document, and no regex pass over every line
        return [(0, len(text))]
    cuts = [m.start() for m in _DOC_START.finditer(text) if m.start() > 0]
    bounds = [0, *cuts, len(text)]
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]


def _documents(file: SourceFile, position: int, root: YNode) -> list[Document]:
    """The document, or, for a Kubernetes ``List`` (what ``kubectl get -o yaml`` writes),
    each of its ``items``: Kubernetes applies them one by one, and so they are linted."""
    if isinstance(root, YMapping) and root.str("kind") == "List":
        items = root.sequence("items")
        if items is not None and _is_core_list(root.str("apiVersion")):
            return [_document(file, position, item) for item in items.mappings()]
    return [_document(file, position, root)]


def _is_core_list(api_version: str | None) -> bool:
    return api_version in (None, "v1")


def _document(file: SourceFile, position: int, root: YNode) -> Document:
    kind = api = None
    if isinstance(root, YMapping):
        kind = root.str("kind")
        api = root.str("apiVersion")
    return Document(file, position, root, kind, api)


def _limit_finding(file: SourceFile, offset: int, message: str, suggestion: str) -> Finding:
    return Finding(
        rule="resource-limit",
        severity=Severity.ERROR,
        message=message,
        path=file.path,
        span=file.index.span(offset, offset + 1),
        suggestion=suggestion,
    )


def _syntax_finding(file: SourceFile, err: Exception, base: int) -> Finding:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    problem = (
        getattr(err, "problem", None) or (str(err).strip().splitlines() or [type(err).__name__])[0]
    )
    context = getattr(err, "context", None)
    index = getattr(mark, "index", None)
    if index is None:  # a ReaderError (a forbidden character) has a byte position, no mark
        position = getattr(err, "position", None)
        if isinstance(position, int):
            head = file.text[base : base + position].encode("utf-8", "surrogatepass")
            index = len(head[:position].decode("utf-8", "ignore"))
    offset = base + (index if isinstance(index, int) else 0)
    line, column = file.index.position(offset)
    message = f"YAML syntax error: {problem}"
    if context:
        message += f" ({context})"
    suggestion = None
    if re.search(r"\btab\b", problem):
        suggestion = "indent with spaces: YAML does not allow tabs in indentation"
    elif "undefined alias" in problem:
        alias = _ALIAS.match(file.text, offset)
        if alias:
            message += (
                f" `{alias.group()}`: its anchor must come earlier in the same document "
                "(anchors do not carry over `---`)"
            )
            suggestion = f"define `&{alias.group()[1:]}` earlier in the same document"
    elif _FLOW_COLON in problem:
        suggestion = (
            "quote the value that holds the `:` (Kubernetes reads it unquoted, but "
            "argolint could not read this document with its second parser: too big?)"
        )
    elif "mapping values are not allowed" in problem:
        suggestion = "quote the value if it contains `: `"
    return Finding(
        rule="yaml-syntax",
        severity=Severity.ERROR,
        message=message,
        path=file.path,
        span=Span.point(line, column),
        suggestion=suggestion,
    )


def load_bytes(
    data: bytes, path: str, limits: Limits = Limits(), size: int | None = None
) -> LoadResult:
    """Decode and parse ``data``; ``size`` is the input's full size when ``data`` was cut
    short at the limit (see ``read_bounded``)."""
    size = len(data) if size is None else size
    if size > limits.max_file_size:
        return LoadResult(None, [], [_size_finding(path, size, limits)])
    text, problem, bad_offset = decode(data)
    if text is None:
        line = data.count(b"\n", 0, bad_offset or 0) + 1
        column = (bad_offset or 0) - (data.rfind(b"\n", 0, bad_offset or 0) + 1) + 1
        return LoadResult(
            None,
            [],
            [
                Finding(
                    rule="file-encoding",
                    severity=Severity.ERROR,
                    message=f"cannot read file: {problem}",
                    path=path,
                    span=Span.point(line, column),
                    suggestion="save the file as UTF-8",
                )
            ],
        )
    return load_text(text, path, limits)


def read_bounded(stream: BinaryIO, limit: int) -> tuple[bytes, int]:
    """At most ``limit + 1`` bytes of a stream (enough to know it is too big) and its size
    when known (a regular file's), so a huge file or ``/dev/zero`` never fills memory."""
    try:
        size = os.fstat(stream.fileno()).st_size
    except (OSError, AttributeError, ValueError):
        size = 0
    if size > limit:
        return b"", size
    data = stream.read(limit + 1)
    return data, max(size, len(data))


def _size_finding(path: str, size: int, limits: Limits) -> Finding:
    limit = _bytes(limits.max_file_size)
    what = f"is {_bytes(size)}, over" if size > limits.max_file_size + 1 else "is larger than"
    return Finding(
        rule="resource-limit",
        severity=Severity.ERROR,
        message=f"file {what} the limit of {limit}; not analysed",
        path=path,
        span=Span.point(1, 1),
        suggestion="raise `max_file_size` in the configuration if this is intended",
    )


def _bytes(n: int) -> str:
    return f"{n / 2**20:.1f} MiB" if n >= 2**20 else f"{n:,} bytes"
