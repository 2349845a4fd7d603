"""The JSON shape of a value, inferred without running anything.

A fan-out (``withParam``) needs a JSON *list*; ``{{item.KEY}}`` needs every element to be an
object with ``KEY``. ``Shape`` says as much as is known of a value: a list (and the shape its
elements share), an object (and the keys it is known to have), a JSON scalar, text that is not
JSON at all, or unknown. Unknown is never a reason to complain.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

LIST = "list"
OBJECT = "object"
SCALAR = "scalar"
TEXT = "text"  # not parseable as JSON (a log line, a Python repr, nothing at all)
UNKNOWN = "unknown"

#: Stands in for a part of a text that is only known at run time (a variable, a tag).
HOLE = "\x00"


@dataclass(frozen=True)
class Shape:
    kind: str
    item: Shape | None = None  # LIST: the shape all elements share (None: unknown or mixed)
    keys: frozenset[str] | None = None  # OBJECT: keys it certainly has (None: not known)
    closed: bool = False  # OBJECT: no key outside ``some`` (literals, no spread)
    scalar: str | None = None  # SCALAR: "string", "number", "boolean" or "null"
    note: str | None = None  # TEXT: why it is not JSON ("a Python list repr", ...)
    size: int | None = None  # LIST: how many elements, when known
    some: frozenset[str] | None = None  # OBJECT: keys at least one instance has
    fragment: bool = False  # TEXT: its brackets do not balance (a piece of a document)

    @property
    def known(self) -> bool:
        return self.kind != UNKNOWN

    def describe(self) -> str:
        """A phrase for messages: "a JSON object", "a JSON list of numbers", ..."""
        if self.kind == LIST:
            item = self.item
            if item is None or item.kind == UNKNOWN:
                return "a JSON list"
            if item.kind == OBJECT:
                if item.keys:
                    return f"a JSON list of objects with keys {_names(item.keys)}"
                return "a JSON list of objects"
            if item.kind == SCALAR:
                return f"a JSON list of {_PLURAL.get(item.scalar or '', 'scalars')}"
            if item.kind == LIST:
                return "a JSON list of lists"
            return "a JSON list"
        if self.kind == OBJECT:
            if self.keys:
                return f"a JSON object with keys {_names(self.keys)}"
            return "a JSON object"
        if self.kind == SCALAR:
            return f"a JSON {self.scalar or 'scalar'}"
        if self.kind == TEXT:
            return self.note or "text that is not JSON"
        return "something unknown"


_PLURAL = {"string": "strings", "number": "numbers", "boolean": "booleans", "null": "nulls"}
UNKNOWN_SHAPE = Shape(UNKNOWN)


def _names(keys: frozenset[str]) -> str:
    shown = sorted(keys)[:5]
    more = ", ..." if len(keys) > 5 else ""
    return ", ".join(f"`{k}`" for k in shown) + more


def list_of(item: Shape | None, size: int | None = None) -> Shape:
    return Shape(LIST, item=item if item is not None and item.known else None, size=size)


def object_with(keys: frozenset[str] | None, closed: bool = False) -> Shape:
    return Shape(OBJECT, keys=keys, closed=closed and keys is not None, some=keys)


def scalar(kind: str) -> Shape:
    return Shape(SCALAR, scalar=kind)


def text(note: str) -> Shape:
    return Shape(TEXT, note=note)


def join(a: Shape | None, b: Shape | None) -> Shape:
    """What two possible values certainly share (elements of one list, branches of an if)."""
    if a is None or b is None or a.kind != b.kind or a.kind in (UNKNOWN, TEXT):
        return UNKNOWN_SHAPE if a != b or a is None else a
    if a.kind == LIST:
        size = a.size if a.size == b.size else None
        if a.item is None or b.item is None:
            return Shape(LIST, size=size)
        return list_of(join(a.item, b.item), size)
    if a.kind == OBJECT:
        if a.keys is None or b.keys is None:
            return Shape(OBJECT)
        some = a.some | b.some if a.some is not None and b.some is not None else None
        closed = a.closed and b.closed and some is not None
        return Shape(OBJECT, keys=a.keys & b.keys, closed=closed, some=some)
    if a.scalar != b.scalar:
        return Shape(SCALAR)
    return a


def shape_of_value(value: object, depth: int = 0) -> Shape:
    """The shape of a decoded JSON (or YAML) value."""
    if depth > 20:
        return UNKNOWN_SHAPE
    if isinstance(value, list):
        item: Shape | None = None
        for i, element in enumerate(value[:1000]):
            s = shape_of_value(element, depth + 1)
            item = s if i == 0 else join(item, s)
        return list_of(item, len(value))
    if isinstance(value, dict):
        return object_with(frozenset(str(k) for k in value), closed=True)
    if isinstance(value, bool):
        return scalar("boolean")
    if isinstance(value, (int, float)):
        return scalar("number")
    if value is None:
        return scalar("null")
    if isinstance(value, str):
        return scalar("string")
    return UNKNOWN_SHAPE


_JSON_FIRST = frozenset('[{"-0123456789tfn')
_JSON_LAST = frozenset(']}"0123456789el')


def shape_of_text(value: str) -> Shape:
    """The shape of a text that Argo will ``json.Unmarshal``; ``HOLE`` marks unknown parts.

    A fully known text is decoded. A text with holes is judged by its outer brackets
    (``[{{x}}, 2]`` is a list whatever ``x`` is); a hole that is the whole text is unknown.
    """
    stripped = value.strip(" \t\r\n")
    if HOLE not in stripped:
        if not stripped:
            return text("empty output")
        try:
            return shape_of_value(json.loads(stripped))
        except (ValueError, RecursionError):
            return _not_json(stripped)
    body = stripped.replace(HOLE, "")
    if not body.strip():
        return UNKNOWN_SHAPE
    first, last = stripped[0], stripped[-1]
    if first == "[" and last == "]":
        return _holed_list(stripped)
    if first == "{" and last == "}":
        return Shape(OBJECT)
    if (first != HOLE and first not in _JSON_FIRST) or (last != HOLE and last not in _JSON_LAST):
        return _not_json(stripped)
    if first == HOLE or last == HOLE:
        return UNKNOWN_SHAPE  # the hole may well be the JSON (``echo "$prefix$json"``)
    if first == '"' and last == '"':
        return scalar("string")
    return _not_json(stripped)


def _not_json(value: str) -> Shape:
    """Text that is not JSON; a ``fragment`` when its brackets do not balance (``[``,
    ``"a",``, ``]``), since a script may print one document in several such pieces."""
    return Shape(TEXT, note="text that is not JSON", fragment=not _balanced(value))


def _balanced(value: str) -> bool:
    """Whether the brackets outside double-quoted strings balance, and no string is open."""
    depth = 0
    in_string = escaped = False
    for ch in value:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0 and not in_string


_FILLER = "7394017"  # a number unlikely to be in the text, valid inside and outside strings


def _holed_list(value: str) -> Shape:
    """A ``[...]`` text with holes: decode it with each hole as a placeholder number."""
    try:
        decoded = json.loads(re.sub(HOLE + "+", _FILLER, value))
    except ValueError:
        return Shape(LIST)
    if not isinstance(decoded, list):
        return Shape(LIST)
    shape = shape_of_value(decoded)
    item = shape.item
    size = len(decoded)
    if item is not None and item.kind == OBJECT and item.keys is not None:
        if any(_FILLER in key for key in item.keys):
            return list_of(Shape(OBJECT), size)  # a key is only known at run time
        return list_of(object_with(item.keys), size)  # a hole may hide more keys: not closed
    return Shape(LIST, size=size)  # a hole standing for an element could be of any type


def closing_bracket(text: str, open_at: int) -> int:
    """The index of the bracket closing the one at ``open_at`` (skipping strings), or -1."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack: list[str] = []
    i, n = open_at, len(text)
    while i < n:
        ch = text[i]
        if ch in "\"'`":
            end = i + 1
            while end < n and text[end] != ch:
                end += 2 if text[end] == "\\" else 1
            i = end + 1
            continue
        if ch in pairs:
            stack.append(pairs[ch])
        elif stack and ch == stack[-1]:
            stack.pop()
            if not stack:
                return i
        i += 1
    return -1
