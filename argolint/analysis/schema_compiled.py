"""A fast yes/no answer to "is this document valid under the generated schema?".

Most documents are valid, and ``jsonschema`` spends most of its time on bookkeeping for
errors that never come (evolving validators, resolving ``$ref`` per value). This module
compiles the few keywords the generator emits into Python closures, once per process; the
schema layer asks it first and runs ``jsonschema`` (every error, with its path) only for a
document it rejects. A keyword outside the subset is an error at compile time, so the two can
never silently disagree; ``tests/test_schema_compiled.py`` checks they agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

#: Keywords the compiler understands; ``title`` and ``$comment`` are annotations.
KEYWORDS = frozenset(
    ("$ref", "type", "properties", "additionalProperties", "required", "items", "anyOf",
     "enum", "pattern", "title", "$comment")
)  # fmt: skip


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


_TYPE_CHECKS: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": _is_integer,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
_TYPE_CLASSES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "boolean": (bool,),
    "null": (type(None),),
}


class UnsupportedSchema(ValueError):
    """The schema uses a keyword this compiler does not implement."""


class CompiledSchema:
    """Closures for every definition of a generated schema, built lazily (recursion-safe)."""

    def __init__(self, defs: dict[str, Any]) -> None:
        self.defs = defs
        self._compiled: dict[str, Check] = {}

    def definition(self, name: str) -> Check:
        check = self._compiled.get(name)
        if check is None:
            slot: list[Check] = []
            self._compiled[name] = lambda v: slot[0](v)  # placeholder for cycles
            compiled = self.compile(self.defs[name])
            slot.append(compiled)
            self._compiled[name] = check = compiled
        return check

    def compile(self, schema: dict[str, Any]) -> Check:
        unknown = set(schema) - KEYWORDS
        if unknown:
            raise UnsupportedSchema(f"keywords not supported by the fast path: {sorted(unknown)}")
        checks: list[Check] = []
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            checks.append(self._ref(name))
        if "type" in schema:
            checks.append(_type_check(schema["type"]))
        if "enum" in schema:
            checks.append(_enum_check(schema["enum"]))
        if "pattern" in schema:
            search = re.compile(schema["pattern"]).search
            checks.append(lambda v: not isinstance(v, str) or search(v) is not None)
        if "anyOf" in schema:
            options = [self.compile(option) for option in schema["anyOf"]]
            checks.append(lambda v: any(option(v) for option in options))
        if "items" in schema:
            item = self.compile(schema["items"])
            checks.append(lambda v: not isinstance(v, list) or all(item(i) for i in v))
        if "properties" in schema or "additionalProperties" in schema or "required" in schema:
            checks.append(self._object_check(schema))
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]
        return lambda v: all(check(v) for check in checks)

    def _ref(self, name: str) -> Check:
        compiled = self._compiled
        return lambda v: (compiled.get(name) or self.definition(name))(v)

    def _object_check(self, schema: dict[str, Any]) -> Check:
        props = {key: self.compile(sub) for key, sub in schema.get("properties", {}).items()}
        extra = schema.get("additionalProperties", True)
        extra_check: Check | None = None
        if isinstance(extra, dict):
            extra_check = self.compile(extra)
        closed = extra is False
        required = tuple(schema.get("required", ()))

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for key in required:
                if key not in value:
                    return False
            for key, item in value.items():
                sub = props.get(key)
                if sub is not None:
                    if not sub(item):
                        return False
                elif closed or (extra_check is not None and not extra_check(item)):
                    return False
            return True

        return check


def _type_check(declared: str | list[str]) -> Check:
    names = [declared] if isinstance(declared, str) else list(declared)
    if all(n in _TYPE_CLASSES for n in names):
        classes = tuple(c for n in names for c in _TYPE_CLASSES[n])
        return lambda v: isinstance(v, classes)
    checks = [_TYPE_CHECKS[n] for n in names]
    return lambda v: any(check(v) for check in checks)


def _enum_check(values: list[Any]) -> Check:
    # jsonschema compares with JSON equality: `true` is not `1`, `1.0` is `1`.
    def check(value: Any) -> bool:
        for allowed in values:
            if isinstance(allowed, bool) or isinstance(value, bool):
                if allowed is value:
                    return True
            elif allowed == value and type(allowed) is type(value):
                return True
        return False

    return check
