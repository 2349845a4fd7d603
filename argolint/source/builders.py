"""YAML text → YNodes: ``EventBuilder`` builds them from libyaml's parser events; the
composer path (``composer_parser`` + ``NodeBuilder``) is its reference and builds every
document the event builder refuses (``loader.load_text`` chooses, per segment).

Scalars resolve by YAML 1.1 (``resolve.py``), merge keys are applied, duplicate keys are
findings, and aliases share the anchored node object.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from argolint.finding import Finding, Severity
from argolint.source import nesting
from argolint.source.nodes import YMapping, YNode, YScalar, YSequence
from argolint.source.resolve import resolve_plain

if TYPE_CHECKING:
    from argolint.source.loader import Limits, SourceFile

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


def composer_parser() -> type:
    """The parser class that composes ruamel nodes for ``NodeBuilder`` (libyaml's composer
    with a no-op resolver; the pure-Python one without the C extension)."""
    global _LOADER
    if _LOADER is None:
        _LOADER = _parser_class()
    return _LOADER


class EventAPI(NamedTuple):
    """libyaml's bare parser (None without the C extension), the event classes the event
    builder tells apart, and ruamel's error classes."""

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
def event_api() -> EventAPI:
    """Imported on first use, like the rest of ruamel (start-up stays light)."""
    try:
        from ruamel.yaml.cyaml import CParser
    except ImportError:  # pragma: no cover - C extension missing
        CParser = None
    from ruamel.yaml import events
    from ruamel.yaml.composer import ComposerError
    from ruamel.yaml.error import YAMLError

    return EventAPI(
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


def python_event_parser(segment: str) -> Any:
    """ruamel's pure-Python event parser over ``segment``, for what libyaml alone refuses:
    a ``:`` inside a plain scalar of a flow collection (``args: [https://x.io/a]``).
    libyaml stops there ("found unexpected ':'"); go-yaml, which Kubernetes and Argo read
    manifests with, takes the colon into the scalar, and so does this parser."""
    from ruamel.yaml.parser import Parser
    from ruamel.yaml.reader import Reader
    from ruamel.yaml.resolver import VersionedResolver
    from ruamel.yaml.scanner import Scanner

    class _PyEvents(Reader, Scanner, Parser, VersionedResolver):
        comment_handling = None  # comments are dropped, as libyaml drops them

        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream, loader=self)
            Scanner.__init__(self, loader=self)
            Parser.__init__(self, loader=self)
            VersionedResolver.__init__(self, loader=self)

    return _PyEvents(segment)


class LimitExceeded(Exception):
    """A document exceeds a limit; ``offset`` is where, ``message`` says which."""

    def __init__(self, offset: int, message: str, suggestion: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message
        self.suggestion = suggestion


class NodeBuilder:
    """Turns ruamel nodes into YNodes, resolving scalars by YAML 1.1 and noting duplicate
    keys. Alias targets are built once and shared, so anchors cost nothing extra. The
    reference for ``EventBuilder`` (tests/test_loader_events.py compares them), and the
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
        composer_parser()  # fills _IMPLICIT
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
                    raise LimitExceeded(
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
                raise LimitExceeded(
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
            raise LimitExceeded(
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


class Refused(Exception):
    """The event builder met what only ``NodeBuilder`` reports exactly (a limit, an alias
    of an open ancestor, a tag with %-escapes): the segment is loaded again through the
    composer and ``NodeBuilder``, as it is after any error that is not the parser's."""


class EventBuilder:
    """Builds YNodes straight from libyaml's parser events, in one pass and without the
    composer's node objects: the cheap path for the documents ``NodeBuilder`` would accept.

    It gives exactly ``NodeBuilder``'s trees (a collection is built at its end event, so an
    alias, which can only name a finished node here, is the anchored node object itself)
    and duplicate-key findings. Where ``NodeBuilder`` would refuse a document, or where its
    exact report depends on the order it walks the composed tree (the depth and
    alias-expansion limits, an alias of an open ancestor), this one raises ``Refused``
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
        stream_end = event_api().stream_end
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
        api = event_api()
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
                    raise Refused
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
                    raise Refused
                extra += size
                if extra > budget:
                    raise Refused
                append(node)
            else:  # pragma: no cover - libyaml sends nothing else inside a document
                raise Refused
            event = get_event()
            cls = event.__class__

    def _scalar(self, event: Any, merge_keys: set[YNode]) -> YScalar:
        """A scalar with a tag or an anchor, valued as ``NodeBuilder._scalar_value`` does."""
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
        if start_event.__class__ is event_api().sequence_start:
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
        """``NodeBuilder._fill_mapping`` for a mapping with merge keys: they are no entries,
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
    (libyaml already did), at a moment that decides which error wins: left to NodeBuilder."""
    if "%" in tag:
        raise Refused
    return tag


def _check_anchor(anchors: dict[str, Any], event: Any) -> None:
    """The composer's error for an anchor defined twice in one document."""
    if event.anchor in anchors:
        raise event_api().composer_error(
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
