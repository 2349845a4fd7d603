"""Bytes → text → YAML documents of positioned nodes, with YAML problems as findings.

Uses ruamel.yaml's libyaml-backed parser (fast, and it keeps a mark for every node):
``_EventBuilder`` builds the nodes from its events; a document it refuses (a limit, a
recursive alias) is composed by ruamel and built by ``_Builder``, which reports exactly
where. Without the C extension, the pure-Python composer and ``_Builder`` do everything.
Comments are not needed here: suppression comments are read from the text, line by line
(see ``suppress``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from argolint.finding import Finding, Severity
from argolint.source import nesting, templated
from argolint.source.nodes import YMapping, YNode, YScalar, YSequence
from argolint.source.resolve import resolve_plain
from argolint.span import LineIndex, Span

ARGO_KINDS = frozenset(("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"))
RBAC_KINDS = frozenset(
    ("ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
)
#: Argo documents that are not workflows but point at one (read for the security rules).
EVENT_KINDS = frozenset(("WorkflowEventBinding",))
KNOWN_KINDS = ARGO_KINDS | RBAC_KINDS | EVENT_KINDS

_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
#: The tag of a plain scalar, from the type of its YAML 1.1 value.
_PLAIN_TAGS = {
    str: _STR_TAG,
    int: "tag:yaml.org,2002:int",
    float: "tag:yaml.org,2002:float",
    bool: "tag:yaml.org,2002:bool",
    type(None): "tag:yaml.org,2002:null",
}


#: The tag objects the C parser gives nodes without a tag in the text (see ``_CLoader``),
#: by node kind; compared by identity. Empty with the pure-Python parser.
_IMPLICIT: dict[str, Any] = {}
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


def _parser_class() -> type:
    try:
        from ruamel.yaml.cyaml import CParser
    except ImportError:  # pragma: no cover - C extension missing
        CParser = None
    from ruamel.yaml.resolver import Resolver

    if CParser is not None:
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
        from ruamel.yaml.tag import Tag

        _IMPLICIT.update(
            scalar=Tag(suffix=_STR_TAG), sequence=Tag(suffix=_SEQ_TAG), mapping=Tag(suffix=_MAP_TAG)
        )
        implicit = {
            ScalarNode: _IMPLICIT["scalar"],
            SequenceNode: _IMPLICIT["sequence"],
            MappingNode: _IMPLICIT["mapping"],
        }

        class _CLoader(CParser, Resolver):  # type: ignore[misc, valid-type]
            def __init__(self, stream: str) -> None:
                CParser.__init__(self, stream)
                Resolver.__init__(self)  # no loadumper: it would make the parser a cycle

            # The builder resolves plain scalars by YAML 1.1 itself, so ruamel's YAML 1.2
            # resolution of every node (a Python call per node, regexes per scalar) is
            # wasted: untagged nodes get one shared tag object per kind instead.
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


class _EventAPI(NamedTuple):
    """libyaml's bare parser (None without the C extension), the event classes the event
    builder tells apart, and the composer's error class."""

    parser: Any
    scalar: type
    mapping_start: type
    sequence_start: type
    mapping_end: type
    sequence_end: type
    alias: type
    stream_end: type
    composer_error: type
    yaml_error: type


@cache
def _event_api() -> _EventAPI:
    """Imported on first use, like the rest of ruamel (start-up stays light)."""
    try:
        from ruamel.yaml.cyaml import CParser
    except ImportError:  # pragma: no cover - C extension missing
        CParser = None
    from ruamel.yaml import events
    from ruamel.yaml.composer import ComposerError
    from ruamel.yaml.error import YAMLError

    return _EventAPI(
        CParser,
        events.ScalarEvent,
        events.MappingStartEvent,
        events.SequenceStartEvent,
        events.MappingEndEvent,
        events.SequenceEndEvent,
        events.AliasEvent,
        events.StreamEndEvent,
        ComposerError,
        YAMLError,
    )


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


class _LimitExceeded(Exception):
    """A document exceeds a limit; ``offset`` is where, ``message`` says which."""

    def __init__(self, offset: int, message: str, suggestion: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message
        self.suggestion = suggestion


class _Builder:
    """Turns ruamel nodes into YNodes, resolving scalars by YAML 1.1 and noting duplicate
    keys. Alias targets are built once and shared, so anchors cost nothing extra. The
    reference for ``_EventBuilder`` (tests/test_loader_events.py compares them), and the
    builder of every document that one refuses.

    Iterative (an explicit stack), so a deep document costs no Python recursion. While
    building it measures each node's size with aliases expanded: a document whose aliases
    would expand it by more than ``max_aliases`` nodes is refused (a "billion laughs" is
    caught after building its few dozen distinct nodes), as is an alias of its own
    ancestor, which would make the data infinite."""

    def __init__(self, file: SourceFile, limits: Limits, base: int = 0) -> None:
        self.file = file
        self.index = file.index
        self.text = file.text
        self.limits = limits
        self.base = base  # offset in the file of the text being parsed
        self.findings: list[Finding] = []
        _loader()  # fills _IMPLICIT
        self._implicit_scalar = _IMPLICIT.get("scalar")
        self._implicit_seq = _IMPLICIT.get("sequence")
        self._implicit_map = _IMPLICIT.get("mapping")

    def build(self, root: Any) -> YNode:
        shell = self._shell
        if root.id == "scalar":
            return shell(root)
        # A node is built (its shell memoised) when first met and filled once its children
        # are; ``sizes`` holds the expanded size of finished nodes only, so a child that is
        # memoised but has no size yet is an ancestor: a recursive alias. (An alias cannot
        # name a node that comes later in the document.)
        memo: dict[int, YNode] = {id(root): shell(root)}
        sizes: dict[int, int] = {}
        max_depth = nesting.effective_depth(self.limits.max_depth)
        budget = self.limits.max_aliases
        stack: list[tuple[Any, int, bool]] = [(root, 0, False)]
        while stack:
            node, depth, children_done = stack.pop()
            if children_done:
                size = sizes[id(node)] = self._finish(node, memo[id(node)], memo, sizes)
                if size - len(sizes) > budget:
                    raise _LimitExceeded(
                        self.base + node.start_mark.index,
                        f"aliases expand this document by more than {budget:,} "
                        "nodes (an alias bomb?); not analysed",
                        "use fewer aliases, or raise `max_aliases` in the configuration",
                    )
                continue
            stack.append((node, depth, True))
            children = (
                node.value
                if node.id == "sequence"
                else [part for pair in node.value for part in pair]
            )
            depth += 1
            if depth > max_depth and children:
                raise _LimitExceeded(
                    self.base + children[0].start_mark.index,
                    f"document nests deeper than {max_depth} levels; not analysed",
                    "raise `max_depth` in the configuration if this is intended",
                )
            for child in reversed(children):
                key = id(child)
                if key in memo:
                    continue
                memo[key] = shell(child)
                if child.id == "scalar":
                    sizes[key] = 1
                else:
                    stack.append((child, depth, False))
        return memo[id(root)]

    def _shell(self, node: Any) -> YNode:
        start = self.base + node.start_mark.index
        end = self.base + node.end_mark.index
        kind = node.id
        if kind == "scalar":
            value, tag = self._scalar_value(node, start)
            return YScalar(start, end, tag, self.index, value, node.style or None)
        if kind == "sequence":
            return YSequence(
                start, end, _SEQ_TAG if node.ctag is self._implicit_seq else node.tag, self.index
            )
        return YMapping(
            start, end, _MAP_TAG if node.ctag is self._implicit_map else node.tag, self.index
        )

    def _finish(self, node: Any, out: YNode, memo: dict[int, YNode], sizes: dict[int, int]) -> int:
        """Fill a collection from its built children; its expanded size."""
        size = 1
        get = sizes.get
        try:
            if node.id == "sequence":
                for child in node.value:
                    size += get(id(child))  # type: ignore[operator]
                out.items = [memo[id(child)] for child in node.value]  # type: ignore[attr-defined]
            else:
                for key, value in node.value:
                    size += get(id(key)) + get(id(value))  # type: ignore[operator]
                self._fill_mapping(out, node, memo)  # type: ignore[arg-type]
        except TypeError:  # a child without a size: it is still being built, an ancestor
            raise _LimitExceeded(
                self.base + node.start_mark.index,
                "an alias inside this node refers to the node itself, so its data "
                "would be infinite; not analysed",
                "replace the recursive alias with a copy of the data it should hold",
            ) from None
        return size

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
            return raw, tag  # !!str, `!` and unknown tags: never construct anything
        value = resolve_plain(raw)
        return value, _PLAIN_TAGS.get(type(value), _STR_TAG)

    def _fill_mapping(self, mapping: YMapping, node: Any, memo: dict[int, YNode]) -> None:
        merges: list[YMapping] = []
        for key_node, value_node in node.value:
            if (key_node.id == "scalar" and key_node.value == "<<" and not key_node.style) or (
                key_node.ctag is not self._implicit_scalar and key_node.tag == _MERGE_TAG
            ):
                merged = memo[id(value_node)]
                if isinstance(merged, YMapping):
                    merges.append(merged)
                elif isinstance(merged, YSequence):
                    merges.extend(m for m in merged.items if isinstance(m, YMapping))
                continue
            key = memo[id(key_node)]
            value = memo[id(value_node)]
            text = _key_text(key)
            mapping.entries.append((key, value))
            _add_key(mapping, text, key, value, self.findings, self.file.path)
        _apply_merges(mapping, merges)


class _Refused(Exception):
    """The event builder met what only ``_Builder`` reports exactly (a limit, an alias
    of an open ancestor, a tag with %-escapes): the segment is loaded again through the
    composer and ``_Builder``, as it is after any error that is not the parser's."""


class _EventBuilder:
    """Builds YNodes straight from libyaml's parser events, in one pass and without the
    composer's node objects: the cheap path for the documents ``_Builder`` would accept.

    It gives exactly ``_Builder``'s trees (a collection is built at its end event, so an
    alias, which can only name a finished node here, is the anchored node object itself)
    and duplicate-key findings. Where ``_Builder`` would refuse a document, or where its
    exact report depends on the order it walks the composed tree (the depth and
    alias-expansion limits, an alias of an open ancestor), this one raises ``_Refused``
    instead, as soon as that is certain: aliases can only add to the expanded size, so
    an alias bomb is refused once its aliases alone exceed ``max_aliases``. Parser and
    composer errors (an undefined alias, a duplicate anchor) are raised as the composer
    raises them."""

    def __init__(self, file: SourceFile, limits: Limits, base: int) -> None:
        self.text = file.text
        self.index = file.index
        self.path = file.path
        self.base = base
        self.max_depth = nesting.effective_depth(limits.max_depth)
        self.budget = limits.max_aliases
        self.roots: list[YNode] = []  # documents finished, their DocumentEnd read
        self.findings: list[Finding] = []  # duplicate keys of those documents

    def run(self, parser: Any) -> None:
        """Build every document of the stream; on an error, ``roots`` and ``findings``
        hold the documents finished before it."""
        get_event = parser.get_event
        stream_end = _event_api().stream_end
        get_event()  # StreamStart
        while get_event().__class__ is not stream_end:  # DocumentStart
            pending: list[Finding] = []
            root = self._document(get_event, pending)
            get_event()  # DocumentEnd (a parse error here loses the document, as composing)
            self.roots.append(root)
            self.findings += pending

    def _document(self, get_event: Any, pending: list[Finding]) -> YNode:
        """One document's root, from the event after its DocumentStart. One loop with
        the common cases (untagged, unanchored nodes) inline: it runs once per event."""
        api = _event_api()
        scalar_event, map_start, seq_start = api.scalar, api.mapping_start, api.sequence_start
        map_end, seq_end, alias_event = api.mapping_end, api.sequence_end, api.alias
        event = get_event()
        cls = event.__class__
        anchors: dict[str, tuple[YNode | None, int]] = {}  # node None: still open
        merge_keys: set[YNode] = set()  # nodes that are merge keys when used as keys
        if cls is scalar_event:
            return self._scalar(event, merge_keys)
        if cls is alias_event:  # nothing is anchored yet
            raise api.composer_error(None, None, "found undefined alias", event.start_mark)
        base, index = self.base, self.index
        max_depth, budget = self.max_depth, self.budget
        cache, resolve = _PLAIN, _resolve_plain
        # Each open collection: (its parent's ``append`` and children, its start event,
        # and the node count and alias expansion when it started).
        stack: list[tuple[Any, list[YNode], Any, int, int]] = []
        children: list[YNode] = []
        append = children.append
        nodes = extra = 0  # nodes built; nodes that aliases add when expanded
        while True:
            if cls is scalar_event:
                nodes += 1
                style = event.style
                if event.ctag is None and event.anchor is None:
                    if style:
                        node: YNode = YScalar(
                            base + event.start_mark.index,
                            base + event.end_mark.index,
                            _STR_TAG,
                            index,
                            event.value,
                            style,
                        )
                    else:
                        raw = event.value
                        try:
                            value, tag = cache[raw]
                        except KeyError:
                            value, tag = resolve(raw)
                        node = YScalar(
                            base + event.start_mark.index,
                            base + event.end_mark.index,
                            tag,
                            index,
                            value,
                            None,
                        )
                else:
                    node = self._scalar(event, merge_keys)
                    if event.anchor is not None:
                        _check_anchor(anchors, event)
                        anchors[event.anchor] = (node, 1)
                append(node)
            elif cls is map_start or cls is seq_start:
                if event.anchor is not None:
                    _check_anchor(anchors, event)
                    anchors[event.anchor] = (None, 0)
                stack.append((append, children, event, nodes, extra))
                nodes += 1
                children = []
                append = children.append
            elif cls is map_end or cls is seq_end:
                finished = children
                append, children, start_event, nodes_before, extra_before = stack.pop()
                if finished and len(stack) >= max_depth:  # its children are too deep
                    raise _Refused
                if start_event.ctag is None:
                    start = base + start_event.start_mark.index
                    if cls is seq_end:
                        node = YSequence(start, base + event.end_mark.index, _SEQ_TAG, index)
                        node.items = finished
                    else:
                        node = YMapping(start, base + event.end_mark.index, _MAP_TAG, index)
                        self._fill(node, finished, merge_keys, pending)
                else:
                    node = self._collection(start_event, event, finished, merge_keys, pending)
                if start_event.anchor is not None:
                    size = nodes - nodes_before + extra - extra_before
                    anchors[start_event.anchor] = (node, size)
                if not stack:
                    return node
                append(node)
            elif cls is alias_event:
                target = anchors.get(event.anchor)
                if target is None:
                    raise api.composer_error(None, None, "found undefined alias", event.start_mark)
                node, size = target  # type: ignore[assignment]
                if node is None:  # an alias of an open ancestor: infinite data
                    raise _Refused
                extra += size
                if extra > budget:
                    raise _Refused
                append(node)
            else:  # pragma: no cover - libyaml sends nothing else inside a document
                raise _Refused
            event = get_event()
            cls = event.__class__

    def _scalar(self, event: Any, merge_keys: set[YNode]) -> YScalar:
        """A scalar with a tag or an anchor, valued as ``_Builder._scalar_value`` does."""
        raw, tag, style = event.value, event.ctag, event.style
        start = self.base + event.start_mark.index
        end = self.base + event.end_mark.index
        implicit = tag is None or tag == "!"
        if style:
            node = YScalar(
                start, end, _STR_TAG if implicit else _explicit(tag), self.index, raw, style
            )
        elif self.text.startswith("!", start):
            tag = _STR_TAG if implicit else _explicit(tag)
            if tag.endswith(":int") or tag.endswith(":float") or tag.endswith(":bool"):
                value = resolve_plain(raw)
            elif tag.endswith(":null"):
                value = None
            else:
                value = raw
            node = YScalar(start, end, tag, self.index, value, None)
        else:
            value = resolve_plain(raw)
            tag_text = _PLAIN_TAGS.get(type(value), _STR_TAG)
            node = YScalar(start, end, tag_text, self.index, value, None)
        if (raw == "<<" and not style) or (not implicit and _explicit(tag) == _MERGE_TAG):
            merge_keys.add(node)
        return node

    def _collection(
        self,
        start_event: Any,
        end_event: Any,
        children: list[YNode],
        merge_keys: set[YNode],
        pending: list[Finding],
    ) -> YNode:
        """A collection with a tag in the text (untagged ones are built inline)."""
        start = self.base + start_event.start_mark.index
        end = self.base + end_event.end_mark.index
        tag = start_event.ctag
        implicit = tag is None or tag == "!"
        node: YMapping | YSequence
        if start_event.__class__ is _event_api().sequence_start:
            node = YSequence(start, end, _SEQ_TAG if implicit else _explicit(tag), self.index)
            node.items = children
        else:
            node = YMapping(start, end, _MAP_TAG if implicit else _explicit(tag), self.index)
            self._fill(node, children, merge_keys, pending)
        if not implicit and _explicit(tag) == _MERGE_TAG:
            merge_keys.add(node)
        return node

    def _fill(
        self,
        mapping: YMapping,
        children: list[YNode],
        merge_keys: set[YNode],
        pending: list[Finding],
    ) -> None:
        """Entries and keys of a mapping from its alternating keys and values."""
        keys = mapping.keys
        entries = mapping.entries
        add = entries.append
        pairs = iter(children)
        for key in pairs:  # (faster than zip() and list() for the usual two or three keys)
            pair = (key, next(pairs))
            add(pair)
            text = key.value if key.__class__ is YScalar else None
            keys[text if text.__class__ is str else _key_text(key)] = pair
        if "<<" in keys or (merge_keys and not merge_keys.isdisjoint(children[0::2])):
            keys.clear()
            mapping.entries = []
            self._fill_merging(mapping, entries, merge_keys, pending)
        elif len(keys) != len(entries):  # duplicate keys: redo in order, reporting them
            keys.clear()
            for key, value in entries:
                _add_key(mapping, _key_text(key), key, value, pending, self.path)

    def _fill_merging(
        self,
        mapping: YMapping,
        entries: list[tuple[YNode, YNode]],
        merge_keys: set[YNode],
        pending: list[Finding],
    ) -> None:
        """``_Builder._fill_mapping`` for a mapping with merge keys: they are no entries,
        and the mappings they name fill in the keys the mapping lacks."""
        merges: list[YMapping] = []
        for key, value in entries:
            if key in merge_keys or (
                key.__class__ is YScalar and key.style is None and key.value == "<<"  # type: ignore[attr-defined]
            ):
                if isinstance(value, YMapping):
                    merges.append(value)
                elif isinstance(value, YSequence):
                    merges.extend(m for m in value.items if isinstance(m, YMapping))
                continue
            mapping.entries.append((key, value))
            _add_key(mapping, _key_text(key), key, value, pending, self.path)
        _apply_merges(mapping, merges)


#: (value, tag) of short plain scalars already resolved: keys and common values repeat in
#: every file, and a lookup is cheaper than resolving. Bounded: cleared when full.
_PLAIN: dict[str, tuple[Any, str]] = {}
_PLAIN_MAX = 10_000  # (the corpus x20 has 1,400)


def _resolve_plain(raw: str) -> tuple[Any, str]:
    value = resolve_plain(raw)
    resolved = (value, _PLAIN_TAGS.get(type(value), _STR_TAG))
    if len(raw) <= 64:
        if len(_PLAIN) >= _PLAIN_MAX:
            _PLAIN.clear()
        _PLAIN[raw] = resolved
    return resolved


def _explicit(tag: str) -> str:
    """An explicit tag as ruamel's nodes give it. ruamel decodes %-escapes a second time
    (libyaml already did), at a moment that decides which error wins: left to _Builder."""
    if "%" in tag:
        raise _Refused
    return tag


def _check_anchor(anchors: dict[str, Any], event: Any) -> None:
    """The composer's error for an anchor defined twice in one document."""
    if event.anchor in anchors:
        raise _event_api().composer_error(
            "found duplicate anchor; first occurrence", None, "second occurrence", event.start_mark
        )


def _add_key(
    mapping: YMapping, text: str, key: YNode, value: YNode, findings: list[Finding], path: str
) -> None:
    """Set a key, the last value winning; a duplicate is a finding at the second key."""
    previous = mapping.keys.get(text)
    if previous is not None:
        first_line = previous[0].line
        findings.append(
            Finding(
                rule="duplicate-key",
                severity=Severity.ERROR,
                message=f"duplicate key `{text}` (first defined at line {first_line}); "
                "readers disagree on which value wins, and Argo's lint drops the document",
                path=path,
                span=key.span,
                suggestion=f"keep one `{text}` key and merge their contents",
            )
        )
        del mapping.keys[text]  # keep source order with the last value winning
    mapping.keys[text] = (key, value)


def _apply_merges(mapping: YMapping, merges: list[YMapping]) -> None:
    """Explicit keys win over merged ones (YAML merge semantics)."""
    for merged in merges:
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
    """Parse every document of a text; a problem in one document loses only that one.

    Each document (from one ``---`` to the next) is parsed on its own: YAML forbids a
    document marker inside content and anchors across documents, so this is what one
    parser would do, and a syntax error or an exceeded limit cannot spill over."""
    file = SourceFile(path, text)
    actions = list(templated.go_actions(text))
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
        position = _add_segment(file, loaded, documents, findings)
    if actions:
        clean = not any(f.rule == "yaml-syntax" for f in findings)
        action = templated.template_action(actions, (d.root for d in documents), clean)
        if action is not None:
            return LoadResult(file, [], [_templated_finding(file, action)])
    return LoadResult(file, documents, findings)


def _load_by_events(
    file: SourceFile, segment: str, base: int, limits: Limits, position: int
) -> _Segment | None:
    """The segment built by ``_EventBuilder``; None when it refuses (nothing is lost:
    the caller loads the segment through the composer instead)."""
    api = _event_api()
    if api.parser is None:  # pragma: no cover - C extension missing
        return None
    builder = _EventBuilder(file, limits, base)
    parser = api.parser(segment)
    syntax = None
    try:
        builder.run(parser)
    except api.yaml_error as err:  # the parser's errors, and the composer's ones it mimics
        syntax = _syntax_finding(file, err, base)  # (kept, `err` would hold this frame)
    except Exception:  # _Refused, or anything odd: the composer path decides
        return None
    roots: list[YNode | Finding] = list(builder.roots)
    return _Segment(position, roots, builder.findings, syntax)


def _load_by_nodes(
    file: SourceFile, segment: str, base: int, limits: Limits, position: int
) -> _Segment:
    """The segment composed by ruamel and built by ``_Builder``: the reference, and the
    exact report of every document the event builder refuses."""
    loaded = _Segment(position)
    builder = _Builder(file, limits, base)
    parser = _loader()(segment)
    try:
        while parser.check_node():
            raw = parser.get_node()
            if raw is None:
                continue
            try:
                loaded.roots.append(builder.build(raw))
            except _LimitExceeded as limit:
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
            documents.append(_document(file, position, root))
        position += 1
    if loaded.syntax is not None:
        findings.append(loaded.syntax)
        position += 1
    findings.extend(loaded.findings)
    return position


def _templated_finding(file: SourceFile, action: templated.GoAction) -> Finding:
    chart = _chart_of(file.path) or "<chart>"
    excerpt = action.text(file.text)
    if len(excerpt) > 60 or "\n" in excerpt:
        excerpt = excerpt.replace("\n", " ")[:57] + "…"
    return Finding(
        rule="templated-file",
        severity=Severity.INFO,
        message=f"this file is a Go/Helm template (`{excerpt}`), not a manifest yet; it is "
        "not linted. Lint what it renders to instead",
        path=file.path,
        span=file.index.span(action.start, action.end),
        suggestion=f"helm template {chart} | argolint - --stdin-filename {chart}/rendered.yaml",
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

    parser = _loader()(text)
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
