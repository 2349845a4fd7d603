"""The strict Argo schema: choose a version, validate a document, and turn every schema
error into a problem at the YAML node that causes it, with a did-you-mean for unknown keys.

The schemas are generated (``scripts/generate_schema.py``) and shipped as
``argolint/schemas/argo-<version>.json``. Each is loaded and compiled once per process;
a document is validated once, whichever rule asks first (``ctx.analysis(schema_problems)``):
a compiled yes/no check first (``schema_compiled``), then, only for a document it rejects,
``jsonschema`` for every error with its path.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from argolint.analysis.schema_compiled import CompiledSchema
from argolint.cached import cached_property
from argolint.source.loader import ARGO_KINDS
from argolint.source.nodes import AliasLimitExceeded, YMapping, YNode, YScalar, YSequence

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

    from argolint.context import Context
    from argolint.source.loader import Document

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas"
_FILE = re.compile(r"argo-(\d+(?:\.\d+)*)\.json\Z")

UNKNOWN_FIELD = "unknown-field"
SCHEMA_TYPE = "schema-type"
SCHEMA_VALUE = "schema-value"
EXPLAINED = ""  # not a finding: only explains a missing field (see _without_explained)

_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
}
#: What each value convention of the generator accepts, in words.
_CONVENTION_WORDS = {
    "argolint.integer": "an integer",
    "argolint.number": "a number",
    "argolint.boolean": "a boolean (`true` or `false`)",
    "argolint.quantity": "a quantity such as `500m`, `2Gi` or `1.5`",
    "argolint.int-or-string": "an integer or a string",
    "argolint.any-string": "a string, number or boolean",
    "argolint.string": "a string",
}


# -- versions --------------------------------------------------------------------------------
def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


@cache
def available_versions() -> tuple[str, ...]:
    """Argo versions with a shipped schema, oldest first."""
    found = (_FILE.match(p.name) for p in SCHEMA_DIR.glob("argo-*.json"))
    return tuple(sorted((m.group(1) for m in found if m), key=_version_key))


def select_version(requested: str | None) -> str:
    """The shipped schema for ``requested`` (``4.1``, ``v4.1.2``...): the newest one that is not
    newer than it, or the oldest if it predates them all; the newest when not given."""
    versions = available_versions()
    if not versions:
        raise FileNotFoundError(f"no schema under {SCHEMA_DIR}")
    if not requested:
        return versions[-1]
    text = requested.strip().lstrip("vV")
    parts = [int(p) for p in re.findall(r"\d+", text)[:3]]
    if not parts:
        return versions[-1]
    want = tuple(parts)
    # "4.1" means the newest 4.1.x; "4.1.0" means at most 4.1.0.
    candidates = [v for v in versions if _version_key(v)[: len(want)] <= want]
    return candidates[-1] if candidates else versions[0]


def _requested(text: str | None) -> tuple[int, ...] | None:
    parts = re.findall(r"\d+", text or "")[:3]
    return tuple(int(p) for p in parts) if parts else None


# -- the compiled schema -----------------------------------------------------------------------
class ArgoSchema:
    """One shipped schema, compiled: a validator per kind and lookups for messages."""

    def __init__(self, version: str) -> None:
        path = SCHEMA_DIR / f"argo-{version}.json"
        self.version = version
        self.document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        self.defs: dict[str, Any] = self.document["$defs"]
        self.kinds: dict[str, str] = self.document["x-kinds"]
        #: definition -> field -> {"removed": version, "use": replacement}
        self.removed: dict[str, dict[str, dict[str, str]]] = self.document.get("x-removed", {})
        compiled = CompiledSchema(self.defs)
        self.accepts = {kind: compiled.definition(name) for kind, name in self.kinds.items()}
        # Definitions are identified by object identity: jsonschema hands back the very dicts.
        self.def_of = {id(schema): name for name, schema in self.defs.items()}
        self._at_cache: dict[tuple, dict[str, Any] | None] = {}

    @cached_property
    def validators(self) -> dict[str, Any]:
        """jsonschema's validator per kind, built (and jsonschema imported, a sixth of a
        second) only once a document is rejected: a run over valid files never needs it."""
        from jsonschema import Draft202012Validator

        return {
            kind: Draft202012Validator({**self.document, "$ref": f"#/$defs/{name}"})
            for kind, name in self.kinds.items()
        }

    def root(self, kind: str) -> dict[str, Any] | None:
        name = self.kinds.get(kind)
        return self.defs.get(name) if name else None

    def deref(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = self.defs[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    def expected_at(self, kind: str, path: Iterable[str | int]) -> set[str] | None:
        """The JSON types the schema accepts at ``path`` of a document (None: unknown place)."""
        schema = self.schema_at(kind, path)
        return None if schema is None else self.types_of(schema)

    def fields_of(self, schema: dict[str, Any] | None) -> dict[str, Any]:
        """The declared fields of an object schema ({} for anything else)."""
        if schema is None:
            return {}
        schema = self.deref(schema)
        for option in schema.get("anyOf", ()):
            found = self.fields_of(option)
            if found:
                return found
        return schema.get("properties") or {}

    def schema_at(self, kind: str, path: Iterable[str | int]) -> dict[str, Any] | None:
        """The schema of the value at ``path`` of a document (None: no such place). List
        indexes do not matter, so lookups are cached by the path without them."""
        key = (kind, *(0 if isinstance(p, int) else p for p in path))
        try:
            return self._at_cache[key]
        except KeyError:
            pass
        schema = self.root(kind)
        for part in key[1:]:
            if schema is None:
                break
            schema = self._child(schema, part)
        if len(self._at_cache) < 50_000:  # free-form keys (labels) must not grow it forever
            self._at_cache[key] = schema
        return schema

    def _child(self, schema: dict[str, Any], part: str | int) -> dict[str, Any] | None:
        schema = self.deref(schema)
        if "anyOf" in schema:
            for option in schema["anyOf"]:
                found = self._child(option, part)
                if found is not None:
                    return found
            return None
        if isinstance(part, int):
            items = schema.get("items")
            return items if isinstance(items, dict) else None
        props = schema.get("properties")
        if props and part in props:
            return props[part]
        extra = schema.get("additionalProperties")
        return extra if isinstance(extra, dict) else None

    def types_of(self, schema: dict[str, Any]) -> set[str]:
        """The JSON types a schema accepts (``any`` when it accepts everything)."""
        schema = self.deref(schema)
        if "anyOf" in schema:
            out: set[str] = set()
            for option in schema["anyOf"]:
                out |= self.types_of(option)
            return out
        if "enum" in schema:
            return {"string"}
        kind = schema.get("type")
        if kind is None:
            return {"any"}
        return {kind} if isinstance(kind, str) else set(kind)


@cache
def argo_schema(version: str) -> ArgoSchema:
    return ArgoSchema(version)


def schema_for(ctx: Context) -> ArgoSchema:
    return argo_schema(select_version(ctx.config.argo_version))


# -- problems ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SchemaProblem:
    rule: str  # unknown-field, schema-type or schema-value
    node: YNode  # where the finding points
    message: str
    suggestion: str | None = None
    details: str | None = None
    # For pairing a missing required field with a misspelt key of the same mapping:
    owner: int = 0  # id() of the mapping the problem is about
    names: tuple[str, ...] = ()  # the missing field, or the suggestions for an unknown key


ARGO_API_VERSION = "argoproj.io/v1alpha1"


def is_checked(doc: Document) -> bool:
    """An Argo document, or one of an Argo kind whose `apiVersion` is a slip of Argo's
    (`argoproj.io/v1alpha`): that one is checked too, so the slip is reported. Other API
    groups with a kind of the same name (KubeVela's `Workflow`) are left alone."""
    if doc.is_argo:
        return True
    api = doc.api_version
    return doc.kind in ARGO_KINDS and bool(api) and bool(did_you_mean(api, [ARGO_API_VERSION]))


def checks_enum_values(ctx: Context) -> bool:
    """Whether ``schema-value`` judges the document's enum fields (an unknown podGC strategy
    or retry policy, with a did-you-mean), so that no other rule reports them again."""
    from argolint import rules

    doc = ctx.doc
    if not is_checked(doc) or not isinstance(doc.root, YMapping):
        return False
    if (doc.kind or "") not in schema_for(ctx).kinds:
        return False
    rule = rules.get(SCHEMA_VALUE)
    return rule is not None and ctx.config.enabled(rule, doc.path)


def schema_problems(ctx: Context) -> list[SchemaProblem]:
    """Every schema problem of the document, in source order (computed once per document)."""
    doc = ctx.doc
    if not is_checked(doc) or not isinstance(doc.root, YMapping):
        return []
    schema = schema_for(ctx)
    if (doc.kind or "") not in schema.kinds:
        return []
    try:
        instance = doc.to_python(ctx.config.limits.max_aliases)
    except (AliasLimitExceeded, RecursionError):
        return []
    if schema.accepts[doc.kind or ""](instance):
        return []  # the common case; jsonschema is only asked to explain a rejection
    validator = schema.validators[doc.kind or ""]
    problems: list[SchemaProblem] = []
    mapper = _Mapper(schema, doc.root, doc.kind or "", _requested(ctx.config.argo_version))
    for error in validator.iter_errors(instance):
        problems.extend(mapper.problems(error))
    return _without_explained(problems)


def _without_explained(problems: list[SchemaProblem]) -> list[SchemaProblem]:
    """Drop "required `name` is missing" where a misspelt key of the same mapping (`nme`)
    or a removed predecessor (`schedule` for `schedules`) explains it; sort the rest."""
    meant = {
        (p.owner, name)
        for p in problems
        if p.rule in (UNKNOWN_FIELD, EXPLAINED)
        for name in p.names
    }
    seen: set[tuple[str, int, str]] = set()  # an anchored node reached by two paths
    kept = []
    for p in problems:
        if p.rule == EXPLAINED or (
            p.rule == SCHEMA_VALUE and p.names and (p.owner, p.names[0]) in meant
        ):
            continue
        key = (p.rule, id(p.node), p.message.split(" in `")[0])
        if key not in seen:
            seen.add(key)
            kept.append(p)
    kept.sort(key=lambda p: (p.node.start, p.rule))
    return kept


class _Mapper:
    """Turns jsonschema errors into positioned problems with messages in YAML terms."""

    def __init__(
        self, schema: ArgoSchema, root: YNode, kind: str, requested: tuple[int, ...] | None
    ) -> None:
        self.schema = schema
        self.root = root
        self.kind = kind
        self.requested = requested  # the Argo version asked for, if any

    def locate(self, path: Iterable[str | int]) -> tuple[YNode | None, YNode | None, str]:
        """(node, its key node, a readable path such as ``spec.templates[2].inputs``)."""
        node: YNode | None = self.root
        key_node: YNode | None = None
        text = ""
        for part in path:
            if isinstance(node, YMapping) and str(part) in node.keys:
                key_node, node = node.keys[str(part)]
                text = f"{text}.{part}" if text else str(part)
            elif isinstance(node, YSequence) and isinstance(part, int) and part < len(node.items):
                key_node, node = None, node.items[part]
                text = f"{text}[{part}]"
            else:
                return None, None, text
        return node, key_node, text

    def problems(self, error: ValidationError) -> Iterator[SchemaProblem]:
        node, key_node, where = self.locate(error.absolute_path)
        if node is None:
            return
        check = error.validator
        if check == "additionalProperties" and isinstance(node, YMapping):
            yield from self.unknown_fields(error, node, where, list(error.absolute_path))
        elif check == "required" and isinstance(node, YMapping):
            yield self.missing(error, node, key_node, where)
        elif check == "anyOf" and isinstance(node, (YMapping, YSequence)) and _fits(error):
            yield from self.structural_any_of(error)
        elif check in ("anyOf", "type", "enum", "pattern", "const"):
            problem = self.bad_value(error, node, where)
            if problem is not None:
                yield problem

    # unknown keys ----------------------------------------------------------------------------
    def unknown_fields(
        self, error: ValidationError, node: YMapping, where: str, path: list[str | int]
    ) -> Iterator[SchemaProblem]:
        known = list(error.schema.get("properties", {}))
        name = self.schema.def_of.get(id(error.schema), "")
        owner = name.rsplit(".", 1)[-1] if name else "this object"
        place = f"`{where}` ({owner})" if where else owner
        for key, key_node, _ in node.items():
            if key in error.schema.get("properties", {}):
                continue
            if isinstance(error.instance, dict) and key not in error.instance:
                continue
            removed = self.schema.removed.get(name, {}).get(key)
            if removed is not None:
                # Its replacement (`schedules`) is then not missing: the old field stands in.
                successor = tuple(re.findall(r"`(\w+)`", removed["use"])[:1])
                if self.requested and self.requested < _version_key(removed["removed"]):
                    # Still valid in the Argo version the user runs: only explains.
                    yield SchemaProblem(EXPLAINED, key_node, "", owner=id(node), names=successor)
                    continue
                yield SchemaProblem(
                    UNKNOWN_FIELD,
                    key_node,
                    f"`{key}` in {place} was removed in Argo {removed['removed']}: "
                    "Kubernetes stores it and Argo ignores it",
                    f"use {removed['use']} (`argo convert` rewrites old manifests); if you run "
                    "an older Argo, set `--argo-version`",
                    owner=id(node),
                    names=successor,
                )
                continue
            close = did_you_mean(key, known)
            message = f"unknown field `{key}` in {place}: Kubernetes stores it and Argo ignores it"
            if close:
                options = " or ".join(f"`{c}`" for c in close)
                suggestion = f"did you mean {options}?"
            else:
                suggestion = self.home_of(key, error.schema, path) or (
                    "remove it, or move it to the object it belongs to"
                )
            details = None
            if len(close) != 1:
                details = f"valid fields of {owner}: " + ", ".join(sorted(known))
            yield SchemaProblem(
                UNKNOWN_FIELD, key_node, message, suggestion, details, id(node), tuple(close)
            )

    def home_of(self, key: str, schema: dict[str, Any], path: list[str | int]) -> str | None:
        """Where a valid field put at the wrong level belongs: a field of a child object
        (`image` directly in a template belongs under `container`) or of the enclosing one
        or of a sibling (`serviceAccountName` in `metadata` belongs in `spec`)."""
        for name, sub in self.schema.fields_of(schema).items():
            if "$ref" in sub and key in self.schema.fields_of(sub):
                return f"`{key}` belongs under `{name}`: move it there"
        parent_path = list(path)
        while parent_path and isinstance(parent_path[-1], int):
            parent_path.pop()
        if not parent_path:
            return None
        parent_path.pop()
        while parent_path and isinstance(parent_path[-1], int):
            parent_path.pop()
        parent = self.schema.schema_at(self.kind, parent_path)
        prefix = ".".join(str(p) for p in parent_path)
        if key in self.schema.fields_of(parent):
            where = f"`{prefix}`" if prefix else "the top level of the document"
            return f"`{key}` is a field of {where}, one level up: move it there"
        for name, sub in self.schema.fields_of(parent).items():
            if "$ref" in sub and key in self.schema.fields_of(sub):
                where = f"{prefix}.{name}" if prefix else name
                return f"`{key}` belongs under `{where}`: move it there"
        return None

    # required fields -------------------------------------------------------------------------
    def missing(
        self, error: ValidationError, node: YMapping, key_node: YNode | None, where: str
    ) -> SchemaProblem:
        field = error.message.split("'")[1] if error.message.count("'") >= 2 else "?"
        name = self.schema.def_of.get(id(error.schema), "")
        owner = name.rsplit(".", 1)[-1] if name else "this object"
        anchor = key_node or _first_key(node) or node
        place = f"`{where}`" if where else "the document"
        return SchemaProblem(
            SCHEMA_VALUE,
            anchor,
            f"required field `{field}` is missing in {place} ({owner})",
            suggestion=f"add `{field}:`",
            owner=id(node),
            names=(field,),
        )

    # values ----------------------------------------------------------------------------------
    def structural_any_of(self, error: ValidationError) -> Iterator[SchemaProblem]:
        """An ``anyOf`` over a mapping or list (a step group or a single step): report the
        errors of the option whose type fits the value."""
        for sub in _fitting_option(error):
            yield from self.problems(sub)

    def bad_value(self, error: ValidationError, node: YNode, where: str) -> SchemaProblem | None:
        schema = error.schema
        field = where.rsplit(".", 1)[-1] if where else "the document"
        got = describe(node)
        enum = _enum_of(schema)
        if enum is not None:
            allowed = [v for v in enum if v is not None]
            values = ", ".join(f"`{v}`" if v != "" else '`""`' for v in allowed)
            close = did_you_mean(str(error.instance), [v for v in enum if v], cutoff=0.5)
            must = f"must be {values}" if len(allowed) == 1 else f"must be one of {values}"
            return SchemaProblem(
                SCHEMA_VALUE,
                node,
                f"`{field}` {must}; got {got}",
                suggestion=f"did you mean `{close[0]}`?" if close else f"use one of {values}",
            )
        convention = schema.get("title")  # the generator names inlined value conventions
        if convention in _CONVENTION_WORDS:
            expected = _CONVENTION_WORDS[convention]
        else:
            types = sorted(self.schema.types_of(schema) - {"null", "any"})
            expected = " or ".join(_TYPE_WORDS.get(t, t) for t in types)
        if not expected:
            return None
        message = f"`{field}` expects {expected}, got {got}"
        suggestion = _type_fix(node, expected, field.split("[", 1)[0])
        rule = SCHEMA_VALUE if convention == "argolint.quantity" and _is_str(node) else SCHEMA_TYPE
        return SchemaProblem(rule, node, message, suggestion)


def _fitting_option(error: ValidationError) -> list[ValidationError]:
    """The errors of the first ``anyOf`` option whose type fits the value ([] if none)."""
    options: dict[int, list[ValidationError]] = {}
    for sub in error.context or ():
        options.setdefault(sub.schema_path[0], []).append(sub)
    for _, subs in sorted(options.items()):
        if not any(s.validator == "type" and not s.relative_path for s in subs):
            return subs
    return []


def _fits(error: ValidationError) -> bool:
    return bool(_fitting_option(error))


def _is_str(node: YNode) -> bool:
    return isinstance(node, YScalar) and isinstance(node.value, str)


def _enum_of(schema: dict[str, Any]) -> list[Any] | None:
    if "enum" in schema:
        return list(schema["enum"])
    for option in schema.get("anyOf", ()):
        if "enum" in option:
            return list(option["enum"])
    return None


def _first_key(node: YMapping) -> YNode | None:
    return node.entries[0][0] if node.entries else None


def describe(node: YNode) -> str:
    """A value as a finding names it: ``the string `abc```, ``a mapping``..."""
    if _unquoted_tag(node):
        return f"`{_source(node)}`, an unquoted tag that YAML reads as a nested mapping"
    if isinstance(node, YMapping):
        return "a mapping"
    if isinstance(node, YSequence):
        return "a list"
    assert isinstance(node, YScalar)
    value = node.value
    raw = node.index.text[node.start : node.end]
    if len(raw) > 40:
        raw = raw[:37] + "..."
    if isinstance(value, bool):
        kind = "the boolean"
    elif isinstance(value, int):
        kind = "the integer"
    elif isinstance(value, float):
        kind = "the number"
    elif value is None:
        return "null"
    else:
        kind = "the string"
    return f"{kind} `{raw}`"


def _source(node: YNode) -> str:
    return node.index.text[node.start : node.end]


def _unquoted_tag(node: YNode) -> bool:
    """``value: {{inputs.parameters.x}}`` without quotes: YAML's flow mapping syntax."""
    return isinstance(node, YMapping) and _source(node).startswith("{{")


def _type_fix(node: YNode, expected: str, field: str) -> str | None:
    """A concrete fix for the common type slips."""
    if _unquoted_tag(node):
        return f'quote it: `"{_source(node)}"`'
    if isinstance(node, YScalar) and expected == "a string" and node.value is not None:
        raw = node.index.text[node.start : node.end]
        kind = "boolean" if isinstance(node.value, bool) else "number"
        return (
            f'quote it: `"{raw}"` (an unquoted {kind} is rejected when the workflow is '
            "submitted through the API, the UI or `kubectl`)"
        )
    if isinstance(node, YScalar) and _is_str(node) and expected.startswith("a list"):
        if field == "withItems" and "{{" in node.text:
            return "to loop over a JSON list held in a parameter or output, use `withParam`"
        return "write it as a list: `- item` on its own line for each item"
    if isinstance(node, YMapping) and expected.startswith("a list"):
        return "make it a list: start each item with `- `"
    if isinstance(node, (YMapping, YSequence)) and expected.startswith("a string"):
        return "write it as text, for example in a `|` block (JSON or YAML inside)"
    return None


def _normalise(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def did_you_mean(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> list[str]:
    """The closest names to a misspelt ``word``: same letters ignoring case and ``_``/``-``
    first; else the most similar, keeping runners-up only when nearly as close (at most
    three); truncations (``activeDeadline``) match by prefix."""
    candidates = list(candidates)
    norm = _normalise(word)
    same = [c for c in candidates if _normalise(c) == norm]
    if same:
        return same[:3]
    matcher = difflib.SequenceMatcher(b=norm)
    scored = []
    for candidate in candidates:
        matcher.set_seq1(_normalise(candidate))
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
            ratio = matcher.ratio()
            if ratio >= cutoff:
                scored.append((ratio, candidate))
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    out = [c for r, c in scored if r >= scored[0][0] - 0.05][:3] if scored else []
    if len(norm) >= 4 and not out:
        out = [c for c in candidates if _normalise(c).startswith(norm)][:3]
    return out
