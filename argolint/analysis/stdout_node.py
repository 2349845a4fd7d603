"""What a Node.js script (``command: [node]``) prints to stdout, read conservatively.

Only a script whose every stdout call (``console.log``/``info``/``debug``, ``process.stdout
.write``) is a statement of its own at the top level is read: such a call runs exactly once,
in order. Anything nested (a function, a callback, a branch, a loop) makes the result unknown.
An argument is understood when it is ``JSON.stringify(...)`` of an array or object literal, of
a name declared with one (and never assigned again), of an array method or ``Object.keys``
(``values``, ``entries``) call, or a plain string literal. Everything else is unknown.
"""

from __future__ import annotations

import json
import re

from argolint.analysis.json_shape import (
    LIST,
    OBJECT,
    UNKNOWN_SHAPE,
    Shape,
    closing_bracket,
    list_of,
    shape_of_text,
    shape_of_value,
)
from argolint.analysis.stdout_events import Write

_TAG = re.compile(r"\{\{.*?\}\}", re.S)
_STDOUT = re.compile(
    r"(?<![\w.$])(?:console\s*\.\s*(?:log|info|debug|table|dir)|process\s*\.\s*stdout\s*\.\s*write)"
    r"\s*\("
)
_STRINGIFY = re.compile(r"JSON\s*\.\s*stringify\s*\(")
_ARRAY_METHODS = ("map", "filter", "slice", "concat", "sort", "reverse", "flat", "flatMap")
_ARRAY_CALL = re.compile(
    r"(?:Object\s*\.\s*(?:keys|values|entries)|Array\s*\.\s*(?:from|of))\s*\("
    r"|([A-Za-z_$][\w$]*)\s*\.\s*(?:" + "|".join(_ARRAY_METHODS) + r")\s*\("
)
_NAME = re.compile(r"[A-Za-z_$][\w$]*")
_MAX_SOURCE = 200_000


def node_writes(source: str) -> tuple[list[Write], bool] | None:
    """The stdout writes of a Node.js script and whether other output may exist; None when
    the script is too large or its brackets do not balance (a regex literal, a typo)."""
    if len(source) > _MAX_SOURCE:
        return None
    text = _TAG.sub(lambda m: "_" * len(m.group(0)), source)
    code = _code_only(text)
    if code is None:
        return None
    depths = _depths(code)
    if depths is None:
        return None
    writes: list[Write] = []
    for call in _STDOUT.finditer(code):
        start = call.start()
        if depths[start] != 0 or not _statement_start(code, start):
            return [], True  # inside a function, callback, branch or loop: not read
        close = closing_bracket(code, call.end() - 1)
        if close < 0:
            return None
        argument = text[call.end() : close].strip()
        shape = _argument_shape(argument, code[call.end() : close].strip(), text, code)
        writes.append(Write(shape, start, close + 1))
    return writes, False


def _code_only(text: str) -> str | None:
    """``text`` with comments and the insides of string literals blanked (same length)."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            out[i:end] = " " * (end - i)
            i = end
        elif ch == "/" and text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                return None
            out[i : end + 2] = " " * (end + 2 - i)
            i = end + 2
        elif ch in "\"'`":
            end = i + 1
            while end < n and text[end] != ch:
                if ch != "`" and text[end] == "\n":
                    return None
                end += 2 if text[end] == "\\" else 1
            if end >= n:
                return None
            out[i + 1 : end] = " " * (end - i - 1)
            i = end + 1
        else:
            i += 1
    return "".join(out)


def _depths(code: str) -> list[int] | None:
    """The bracket depth at each character, or None if the brackets do not balance."""
    depths = [0] * (len(code) + 1)
    depth = 0
    for i, ch in enumerate(code):
        if ch in "([{":
            depths[i] = depth
            depth += 1
            continue
        if ch in ")]}":
            depth -= 1
            if depth < 0:
                return None
        depths[i] = depth
    return depths if depth == 0 else None


def _statement_start(code: str, at: int) -> bool:
    """Whether a statement starts at ``at``: after ``;``, a closed block or the start, not
    after ``if (...)``, ``else``, ``=>`` or an unfinished expression."""
    before = code[:at].rstrip()
    return not before or before[-1] in ";}"


def _argument_shape(argument: str, masked: str, text: str, code: str) -> Shape:
    if not argument:
        return UNKNOWN_SHAPE
    if argument[0] in "\"'" and argument[-1] == argument[0] and len(argument) >= 2:
        if masked.strip(argument[0] + " ") == "" and "\\" not in argument:
            return shape_of_text(argument[1:-1])
        return UNKNOWN_SHAPE
    m = _STRINGIFY.match(masked)
    if m is None or closing_bracket(masked, m.end() - 1) != len(masked) - 1:
        return UNKNOWN_SHAPE
    inner, inner_masked = argument[m.end() : -1], masked[m.end() : -1]
    first, first_masked = _first_argument(inner, inner_masked)
    return _value_shape(first, first_masked, text, code)


def _first_argument(text: str, masked: str) -> tuple[str, str]:
    depth = 0
    for i, ch in enumerate(masked):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            return text[:i].strip(), masked[:i].strip()
    return text.strip(), masked.strip()


def _value_shape(value: str, masked: str, text: str, code: str) -> Shape:
    """The JSON shape ``JSON.stringify(value)`` prints."""
    if not masked:
        return UNKNOWN_SHAPE
    if masked[0] in "[{" and closing_bracket(masked, 0) == len(masked) - 1:
        try:
            return shape_of_value(json.loads(value))
        except ValueError:
            return Shape(LIST) if masked[0] == "[" else Shape(OBJECT)
    call = _ARRAY_CALL.match(masked)
    if call is not None and closing_bracket(masked, call.end() - 1) == len(masked) - 1:
        name = call.group(1)
        if name is None or _declared_shape(name, code).kind == LIST:
            return list_of(None)
        return UNKNOWN_SHAPE
    if _NAME.fullmatch(masked):
        return _declared_shape(masked, code)
    return UNKNOWN_SHAPE


def _declared_shape(name: str, code: str) -> Shape:
    """A list or an object when ``name`` is declared once with such a literal and never
    assigned again; otherwise unknown."""
    escaped = re.escape(name)
    declarations = list(re.finditer(rf"(?<![\w$.])(?:const|let|var)\s+{escaped}\s*=(?!=)", code))
    assignments = re.findall(rf"(?<![\w$.]){escaped}\s*(?:[-+*/%|&]?=(?!=)|\+\+|--)", code)
    if len(declarations) != 1 or len(assignments) != 1:
        return UNKNOWN_SHAPE
    rest = code[declarations[0].end() :].lstrip()
    if rest.startswith("["):
        return Shape(LIST)
    if rest.startswith("{"):
        return Shape(OBJECT)
    return UNKNOWN_SHAPE
