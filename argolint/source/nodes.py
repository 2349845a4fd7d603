"""Positioned YAML nodes: the tree every later stage reads.

Values are resolved the way Kubernetes and Argo read YAML (YAML 1.1 through go-yaml):
``0755`` is 493, unquoted ``yes``/``on``/``y`` are booleans. Every node keeps its span, and a
scalar can map an offset inside its *value* back to the source, so a finding about one
``{{...}}`` tag inside a long string points at that tag.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from argolint.span import LineIndex, Span


class AliasLimitExceeded(Exception):
    """Expanding aliases into plain data would exceed the configured budget."""


class YNode:
    __slots__ = ("end", "index", "start", "tag")

    def __init__(self, start: int, end: int, tag: str | None, index: LineIndex) -> None:
        self.start = start  # character offset of the first character
        self.end = end  # character offset just past the node
        self.tag = tag
        self.index = index

    @property
    def span(self) -> Span:
        return self.index.span(self.start, self.end)

    @property
    def line(self) -> int:
        return self.index.position(self.start)[0]

    def to_python(self, budget: list[int] | None = None) -> Any:
        raise NotImplementedError

    # Convenience accessors shared by all node kinds, so rules can probe any shape safely.
    def get(self, key: str) -> YNode | None:
        return None

    def is_mapping(self) -> bool:
        return False

    def is_sequence(self) -> bool:
        return False

    def is_scalar(self) -> bool:
        return False


class YScalar(YNode):
    __slots__ = ("_offsets", "style", "value")

    def __init__(
        self,
        start: int,
        end: int,
        tag: str | None,
        index: LineIndex,
        value: Any,
        style: str | None,
    ) -> None:
        # The base's attributes set here, not by super().__init__: the loader makes a
        # node per scalar, and the extra call is a tenth of its cost.
        self.start = start
        self.end = end
        self.tag = tag
        self.index = index
        self.value = value
        self.style = style  # None (plain), "'", '"', "|", ">"
        self._offsets: list[int] | None = None

    def is_scalar(self) -> bool:
        return True

    @property
    def text(self) -> str:
        """The value as a string (what Argo substitutes into), '' for null."""
        v = self.value
        if v is None:
            return ""
        if isinstance(v, bool):
            return "true" if v else "false"
        return v if isinstance(v, str) else str(v)

    def to_python(self, budget: list[int] | None = None) -> Any:
        if budget is not None:
            budget[0] -= 1
            if budget[0] < 0:
                raise AliasLimitExceeded
        return self.value

    def source_offset(self, value_offset: int) -> int:
        """Character offset in the file of ``value_offset`` inside the (string) value."""
        offsets = self._offsets
        if offsets is None:
            offsets = self._offsets = _align(self)
        if not offsets:
            return self.start
        if value_offset >= len(offsets):
            return offsets[-1] + 1
        return offsets[max(0, value_offset)]

    def sub_span(self, start: int, end: int) -> Span:
        """Span of the value's characters ``[start, end)``."""
        if not isinstance(self.value, str):
            return self.span
        first = self.source_offset(start)
        last = self.source_offset(max(start, end - 1)) + 1
        return self.index.span(first, last)

    def __repr__(self) -> str:
        return f"YScalar({self.value!r})"


class YMapping(YNode):
    __slots__ = ("entries", "keys")

    def __init__(self, start: int, end: int, tag: str | None, index: LineIndex) -> None:
        self.start = start  # (the base's attributes, without a call: see YScalar)
        self.end = end
        self.tag = tag
        self.index = index
        self.entries: list[tuple[YNode, YNode]] = []
        # key text -> (key node, value node); on duplicate keys the last one wins, as in
        # most readers (the duplicate itself is reported by the loader).
        self.keys: dict[str, tuple[YNode, YNode]] = {}

    def is_mapping(self) -> bool:
        return True

    def get(self, key: str) -> YNode | None:
        pair = self.keys.get(key)
        return pair[1] if pair else None

    def key_node(self, key: str) -> YNode | None:
        pair = self.keys.get(key)
        return pair[0] if pair else None

    def __contains__(self, key: str) -> bool:
        return key in self.keys

    def items(self) -> Iterator[tuple[str, YNode, YNode]]:
        """(key text, key node, value node) for each distinct key, in source order."""
        for text, (k, v) in self.keys.items():
            yield text, k, v

    def scalar(self, key: str) -> Any:
        """The plain value of a scalar child, or None."""
        node = self.get(key)
        return node.value if isinstance(node, YScalar) else None

    def str(self, key: str) -> str | None:
        node = self.get(key)
        if isinstance(node, YScalar) and node.value is not None:
            return node.text
        return None

    def mapping(self, key: str) -> YMapping | None:
        node = self.get(key)
        return node if isinstance(node, YMapping) else None

    def sequence(self, key: str) -> YSequence | None:
        node = self.get(key)
        return node if isinstance(node, YSequence) else None

    def to_python(self, budget: list[int] | None = None) -> Any:
        return _to_python(self, budget)

    def __repr__(self) -> str:
        return f"YMapping({list(self.keys)!r})"


class YSequence(YNode):
    __slots__ = ("items",)

    def __init__(self, start: int, end: int, tag: str | None, index: LineIndex) -> None:
        self.start = start  # (the base's attributes, without a call: see YScalar)
        self.end = end
        self.tag = tag
        self.index = index
        self.items: list[YNode] = []

    def is_sequence(self) -> bool:
        return True

    def __iter__(self) -> Iterator[YNode]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def mappings(self) -> Iterator[YMapping]:
        """The items that are mappings (rules skip malformed items; the schema reports them)."""
        for item in self.items:
            if isinstance(item, YMapping):
                yield item

    def to_python(self, budget: list[int] | None = None) -> Any:
        return _to_python(self, budget)

    def __repr__(self) -> str:
        return f"YSequence(len={len(self.items)})"


def _to_python(root: YMapping | YSequence, budget: list[int] | None) -> Any:
    """Plain data of a collection, built with an explicit stack: any depth the loader
    accepts converts without recursion. ``budget[0]`` counts down one per node (aliases
    are expanded into copies, so this is what bounds them)."""
    limit = budget if budget is not None else [-1]  # -1: unbounded (never reaches the check)

    def spend() -> None:
        if budget is not None:
            limit[0] -= 1
            if limit[0] < 0:
                raise AliasLimitExceeded

    def shell(node: YNode) -> Any:
        if isinstance(node, YMapping):
            return {}
        if isinstance(node, YSequence):
            return []
        return node.value if isinstance(node, YScalar) else None

    spend()
    out = shell(root)
    stack: list[tuple[YNode, Any]] = [(root, out)]
    while stack:
        node, target = stack.pop()
        if isinstance(node, YMapping):
            for key, (_, child) in node.keys.items():
                spend()
                target[key] = value = shell(child)
                if isinstance(value, (dict, list)):
                    stack.append((child, value))
        elif isinstance(node, YSequence):
            for child in node.items:
                spend()
                value = shell(child)
                target.append(value)
                if isinstance(value, (dict, list)):
                    stack.append((child, value))
    return out


def _align(node: YScalar) -> list[int]:
    """For each character of a string scalar's value, its offset in the source text.

    Walks value and raw source together: equal characters advance both; escapes in
    double-quoted scalars consume their whole sequence for one value character; everything
    else in the source (quotes, indentation, block headers, folded line breaks) is skipped.
    """
    value = node.value
    if not isinstance(value, str):
        return []
    text = node.index.text
    i, end = node.start, node.end
    style = node.style
    if style in ("'", '"'):
        i += 1
        end -= 1
    elif style in ("|", ">"):
        nl = text.find("\n", i, end)
        i = end if nl == -1 else nl + 1
    offsets: list[int] = []
    append = offsets.append
    j, n = 0, len(value)
    while j < n and i < end:
        ch = text[i]
        if style == '"' and ch == "\\":
            nxt = text[i + 1] if i + 1 < end else ""
            if nxt in ("\n", "\r"):
                i += 2
                while i < end and text[i] in " \t\r\n":
                    i += 1
                continue
            width = {"x": 4, "u": 6, "U": 10}.get(nxt, 2)
            append(i)
            i += width
            j += 1
            continue
        if ch == value[j]:
            append(i)
            i += 1
            j += 1
            continue
        i += 1
    while j < n:  # value longer than what we could align (should not happen): clamp
        append(max(node.start, end - 1))
        j += 1
    return offsets


def descendants(node: YNode | None) -> Iterator[YNode]:
    """``node`` and every node below it, each node object once, in no promised order: what
    ``walk`` gives without building a path per node (for searches that need no path)."""
    if node is None:
        return
    seen: set[int] = set()
    stack: list[YNode] = [node]
    pop, push, add = stack.pop, stack.extend, seen.add
    while stack:
        n = pop()
        if id(n) in seen:
            continue
        add(id(n))
        yield n
        if isinstance(n, YMapping):
            push(v for _, v in n.keys.values())
        elif isinstance(n, YSequence):
            push(n.items)


#: A path as a linked list, (last part, link to the rest): walks that keep a path for every
#: node extend it in O(1) and build a tuple (``linked_path``) only for the nodes they keep.
Link = tuple[str | int, "Link"] | None


def linked_path(link: Link, base: tuple = ()) -> tuple:
    """The tuple path of ``link``, after ``base``."""
    parts: list[str | int] = []
    while link is not None:
        parts.append(link[0])
        link = link[1]
    parts.reverse()
    return (*base, *parts)


def walk(node: YNode | None, path: tuple = ()) -> Iterator[tuple[tuple, YNode]]:
    """Every node below ``node`` with its path of keys and indexes, each node object once
    (aliases are not expanded, so an alias bomb costs no more than its source)."""
    if node is None:
        return
    seen: set[int] = set()
    stack: list[tuple[tuple, YNode]] = [(path, node)]
    while stack:
        p, n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        yield p, n
        if isinstance(n, YMapping):
            stack.extend(((*p, k), v) for k, _, v in reversed(list(n.items())))
        elif isinstance(n, YSequence):
            stack.extend(((*p, i), v) for i, v in reversed(list(enumerate(n.items))))


def node_at_path(root: YNode | None, path: tuple | list) -> tuple[YNode | None, YNode | None]:
    """(node, key node) at a JSON-pointer-like path; the deepest existing node if it stops."""
    node, key_node = root, None
    for part in path:
        if isinstance(node, YMapping) and str(part) in node.keys:
            key_node, node = node.keys[str(part)]
        elif isinstance(node, YSequence) and isinstance(part, int) and part < len(node.items):
            key_node, node = None, node.items[part]
        else:
            break
    return node, key_node
