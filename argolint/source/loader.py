"""Bytes → text → YAML documents of positioned nodes, with YAML problems as findings.

Uses ruamel.yaml's libyaml-backed parser (fast, and it keeps a mark for every node); falls
back to the pure-Python parser where the C extension is missing. Comments are not needed
here: suppression comments are read from the text, line by line (see ``suppress``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from argolint.finding import Finding, Severity
from argolint.source.nodes import YMapping, YNode, YScalar, YSequence
from argolint.source.resolve import resolve_plain
from argolint.span import LineIndex, Span

ARGO_KINDS = frozenset(("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"))
RBAC_KINDS = frozenset(
    ("ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
)
KNOWN_KINDS = ARGO_KINDS | RBAC_KINDS

_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
#: The tag of a plain scalar, from the type its YAML 1.1 value has.
_PLAIN_TAGS = {
    str: _STR_TAG,
    int: "tag:yaml.org,2002:int",
    float: "tag:yaml.org,2002:float",
    bool: "tag:yaml.org,2002:bool",
    type(None): "tag:yaml.org,2002:null",
}
_DOC_SEPARATOR = re.compile(r"^(?:---|\.\.\.)(?=[ \t\r\n]|$)", re.MULTILINE)


@dataclass(frozen=True)
class Limits:
    max_file_size: int = 50 * 1024 * 1024
    max_aliases: int = 1_000_000  # nodes an alias expansion may produce when turned into data
    max_depth: int = 500


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


class _TooDeep(Exception):
    def __init__(self, node: Any) -> None:
        self.node = node


def _parser_class() -> type:
    try:
        from ruamel.yaml.cyaml import CParser
    except ImportError:  # pragma: no cover - C extension missing
        CParser = None
    from ruamel.yaml.resolver import Resolver

    if CParser is not None:
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
        from ruamel.yaml.tag import Tag

        implicit = {
            ScalarNode: Tag(suffix=_STR_TAG),
            SequenceNode: Tag(suffix=_SEQ_TAG),
            MappingNode: Tag(suffix=_MAP_TAG),
        }

        class _CLoader(CParser, Resolver):  # type: ignore[misc, valid-type]
            implicit_tags: ClassVar[dict[str, Any]] = {
                "scalar": implicit[ScalarNode],
                "sequence": implicit[SequenceNode],
                "mapping": implicit[MappingNode],
            }

            def __init__(self, stream: str) -> None:
                CParser.__init__(self, stream)
                Resolver.__init__(self, loadumper=self)

            # The builder resolves plain scalars by YAML 1.1 itself: ruamel's YAML 1.2
            # resolution of every node (a Python call per node, a regex per scalar) is
            # wasted, so untagged nodes get one shared tag object per kind.
            def resolve(self, kind: Any, value: Any, implicit_: Any) -> Any:
                return implicit[kind]

            def descend_resolver(self, current_node: Any, current_index: Any) -> None:
                pass

            def ascend_resolver(self) -> None:
                pass

        return _CLoader

    from ruamel.yaml.composer import Composer  # pragma: no cover
    from ruamel.yaml.parser import Parser
    from ruamel.yaml.reader import Reader
    from ruamel.yaml.scanner import Scanner

    class _PyLoader(Reader, Scanner, Parser, Composer, Resolver):  # pragma: no cover
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream, loader=self)
            Scanner.__init__(self, loader=self)
            Parser.__init__(self, loader=self)
            Composer.__init__(self, loader=self)
            Resolver.__init__(self, loadumper=self)

    return _PyLoader


_LOADER: type | None = None


def _loader() -> type:
    global _LOADER
    if _LOADER is None:
        _LOADER = _parser_class()
    return _LOADER


def decode(data: bytes) -> tuple[str | None, str | None, int | None]:
    """(text, problem, offset of the problem). Honours UTF-8/16/32 byte order marks."""
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], "utf-8"
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        encoding = "utf-32"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
        if b"\x00" in data[:8192]:
            return None, "binary file (NUL bytes); not YAML", data.index(b"\x00")
    try:
        return data.decode(encoding), None, None
    except UnicodeDecodeError as err:
        return None, f"not valid {encoding.upper()}: {err.reason} at byte {err.start}", err.start


class _Builder:
    """Turns ruamel nodes into YNodes, resolving scalars by YAML 1.1 and noting duplicate
    keys. Alias targets are built once and shared, so anchors cost nothing extra."""

    def __init__(self, file: SourceFile, limits: Limits) -> None:
        self.file = file
        self.index = file.index
        self.text = file.text
        self.limits = limits
        self.findings: list[Finding] = []
        self._memo: dict[int, YNode] = {}  # mappings and sequences, for aliases
        shared = getattr(_loader(), "implicit_tags", {})
        self._implicit_scalar = shared.get("scalar")
        self._implicit_seq = shared.get("sequence")
        self._implicit_map = shared.get("mapping")

    def end_document(self) -> None:
        """Forget the document's nodes: aliases never cross documents, and the parser's
        nodes are freed, so their ids would be reused by the next document's."""
        self._memo.clear()

    def build(self, node: Any, depth: int = 0) -> YNode:
        if depth > self.limits.max_depth:
            raise _TooDeep(node)
        kind = node.id
        if kind == "scalar":  # not memoised: an alias of a scalar costs one small node
            start = node.start_mark.index
            value, tag = self._scalar_value(node, start)
            return YScalar(start, node.end_mark.index, tag, self.index, value, node.style or None)
        memo = self._memo.get(id(node))
        if memo is not None:
            return memo
        start, end = node.start_mark.index, node.end_mark.index
        if kind == "sequence":
            tag = _SEQ_TAG if node.ctag is self._implicit_seq else node.tag
            seq = YSequence(start, end, tag, self.index)
            self._memo[id(node)] = seq
            seq.items = [self.build(child, depth + 1) for child in node.value]
            return seq
        tag = _MAP_TAG if node.ctag is self._implicit_map else node.tag
        mapping = YMapping(start, end, tag, self.index)
        self._memo[id(node)] = mapping
        self._fill_mapping(mapping, node, depth)
        return mapping

    def _scalar_value(self, node: Any, start: int) -> tuple[Any, str]:
        """(value, tag): quoted and block scalars are strings, plain ones resolve by YAML
        1.1, explicitly tagged ones by their tag (never constructing anything else)."""
        raw = node.value
        if node.style:  # quoted or block: always a string
            return raw, _STR_TAG if node.ctag is self._implicit_scalar else node.tag
        if self.text.startswith("!", start):
            tag = node.tag
            if tag.endswith(":int") or tag.endswith(":float") or tag.endswith(":bool"):
                return resolve_plain(raw), tag
            if tag.endswith(":null"):
                return None, tag
            return raw, tag  # !!str and unknown tags: never construct anything
        value = resolve_plain(raw)
        return value, _PLAIN_TAGS.get(type(value), _STR_TAG)

    def _fill_mapping(self, mapping: YMapping, node: Any, depth: int) -> None:
        merges: list[YMapping] = []
        implicit = self._implicit_scalar
        for key_node, value_node in node.value:
            if (key_node.id == "scalar" and key_node.value == "<<" and not key_node.style) or (
                key_node.ctag is not implicit and key_node.tag == _MERGE_TAG
            ):
                merged = self.build(value_node, depth + 1)
                if isinstance(merged, YMapping):
                    merges.append(merged)
                elif isinstance(merged, YSequence):
                    merges.extend(m for m in merged.items if isinstance(m, YMapping))
                continue
            key = self.build(key_node, depth + 1)
            value = self.build(value_node, depth + 1)
            text = _key_text(key)
            mapping.entries.append((key, value))
            previous = mapping.keys.get(text)
            if previous is not None:
                first_line = previous[0].line
                self.findings.append(
                    Finding(
                        rule="duplicate-key",
                        severity=Severity.ERROR,
                        message=f"duplicate key `{text}` (first defined at line {first_line}); "
                        "readers disagree on which value wins, and Argo's lint drops the document",
                        path=self.file.path,
                        span=key.span,
                        suggestion=f"keep one `{text}` key and merge their contents",
                    )
                )
                del mapping.keys[text]  # keep source order with the last value winning
            mapping.keys[text] = (key, value)
        for merged in merges:  # explicit keys win over merged ones (YAML merge semantics)
            for text, k, v in merged.items():
                if text not in mapping.keys:
                    mapping.keys[text] = (k, v)


def _key_text(key: YNode) -> str:
    if isinstance(key, YScalar):
        value = key.value
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None:
            return "null"
        return str(value)
    return key.index.text[key.start : key.end]


def load_text(text: str, path: str, limits: Limits = Limits()) -> LoadResult:
    """Parse every document of a text; a syntax error loses only the document it is in."""
    file = SourceFile(path, text)
    documents: list[Document] = []
    findings: list[Finding] = []
    builder = _Builder(file, limits)
    loader_cls = _loader()
    offset = 0
    position = 0
    while True:
        stream = text if offset == 0 else re.sub(r"[^\n]", " ", text[:offset]) + text[offset:]
        parser = loader_cls(stream)
        failed_at: int | None = None
        try:
            while parser.check_node():
                raw = parser.get_node()
                if raw is None:
                    continue
                try:
                    root = builder.build(raw)
                except _TooDeep as deep:
                    findings.append(_limit_finding(file, deep.node, limits))
                    position += 1
                    continue
                finally:
                    builder.end_document()
                documents.append(_document(file, position, root))
                position += 1
        except Exception as err:  # ruamel raises MarkedYAMLError and a few plain errors
            finding, failed_at = _syntax_finding(file, err)
            findings.append(finding)
        finally:
            dispose = getattr(parser, "dispose", None)
            if dispose:
                dispose()
        if failed_at is None:
            break
        # Resume at the next document separator after the error.
        line_start = text.rfind("\n", 0, failed_at) + 1
        match = _DOC_SEPARATOR.search(text, line_start)
        if match is None or match.start() <= offset:
            break
        offset = match.start()
        position += 1
    findings.extend(builder.findings)
    return LoadResult(file, documents, findings)


def _document(file: SourceFile, position: int, root: YNode) -> Document:
    kind = api = None
    if isinstance(root, YMapping):
        kind = root.str("kind")
        api = root.str("apiVersion")
    return Document(file, position, root, kind, api)


def _limit_finding(file: SourceFile, node: Any, limits: Limits) -> Finding:
    span = file.index.span(node.start_mark.index, node.start_mark.index + 1)
    return Finding(
        rule="resource-limit",
        severity=Severity.ERROR,
        message=f"document nests deeper than {limits.max_depth} levels; not analysed",
        path=file.path,
        span=span,
        suggestion="raise `max_depth` in the configuration if this is intended",
    )


def _syntax_finding(file: SourceFile, err: Exception) -> tuple[Finding, int]:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    problem = getattr(err, "problem", None) or str(err).strip().splitlines()[0]
    context = getattr(err, "context", None)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
        offset = file.index.offset(line, column)
    else:
        line, column, offset = 1, 1, 0
    message = f"YAML syntax error: {problem}"
    if context:
        message += f" ({context})"
    return (
        Finding(
            rule="yaml-syntax",
            severity=Severity.ERROR,
            message=message,
            path=file.path,
            span=Span.point(line, column),
        ),
        offset,
    )


def load_bytes(data: bytes, path: str, limits: Limits = Limits()) -> LoadResult:
    if len(data) > limits.max_file_size:
        return LoadResult(
            None,
            [],
            [
                Finding(
                    rule="resource-limit",
                    severity=Severity.ERROR,
                    message=f"file is {len(data):,} bytes, over the limit of "
                    f"{limits.max_file_size:,}; not analysed",
                    path=path,
                    span=Span.point(1, 1),
                    suggestion="raise `max_file_size` in the configuration if this is intended",
                )
            ],
        )
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
