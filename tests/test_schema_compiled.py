"""The compiled fast path must accept exactly what jsonschema accepts."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES

from argolint.analysis.schema import argo_schema, available_versions
from argolint.analysis.schema_compiled import CompiledSchema, UnsupportedSchema
from argolint.source.discover import discover
from argolint.source.loader import load_text

REPLACEMENTS: list[Any] = [
    0, 7, -1, 1.5, 2.0, True, False, None, "", "x", "500m", "1Gi", "{{inputs.parameters.a}}",
    "{{a}} b", "Always", "OnFailure", [], ["x"], [1], {}, {"name": "n"}, {"zz": 1},
]  # fmt: skip


def instances(paths: list[Path]) -> list[tuple[str, Any]]:
    out = []
    for path in paths:
        for doc in load_text(path.read_text(encoding="utf-8"), str(path)).documents:
            if doc.is_argo and doc.kind:
                out.append((doc.kind, doc.to_python()))
    return out


def places(value: Any, path: tuple = ()) -> list[tuple]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += places(item, (*path, index))
    return found


def mutate(instance: Any, rng: random.Random) -> Any:
    out = copy.deepcopy(instance)
    path = rng.choice(places(out)[1:] or [()])
    if not path:
        return out
    parent = out
    for part in path[:-1]:
        parent = parent[part]
    action = rng.random()
    if action < 0.15 and isinstance(parent, dict):
        parent[f"zz{rng.randrange(9)}"] = 1  # an unknown key
    elif action < 0.25 and isinstance(parent, dict):
        del parent[path[-1]]  # maybe a required field
    else:
        parent[path[-1]] = copy.deepcopy(rng.choice(REPLACEMENTS))
    return out


@pytest.mark.parametrize("version", available_versions())
def test_fast_path_agrees_with_jsonschema_on_mutated_documents(corpus_dir: Path, version: str):
    schema = argo_schema(version)
    docs = instances(list(discover([corpus_dir, FIXTURES / "schema"])))
    rng = random.Random(20260421)
    compared = rejected = 0
    for kind, instance in docs:
        variants = [instance] + [mutate(instance, rng) for _ in range(6)]
        for variant in variants:
            expected = schema.validators[kind].is_valid(variant)
            assert schema.accepts[kind](variant) is expected, (kind, variant)
            compared += 1
            rejected += not expected
    assert compared > 1000 and rejected > 300  # both answers were exercised


def test_fixtures_are_rejected_or_accepted_as_jsonschema_says():
    schema = argo_schema(available_versions()[-1])
    for name, valid in (("bad-typos.yaml", False), ("good-conventions.yaml", True)):
        for kind, instance in instances([FIXTURES / "schema" / name]):
            assert schema.accepts[kind](instance) is valid
            assert schema.validators[kind].is_valid(instance) is valid


def test_unknown_keywords_are_refused_not_ignored():
    compiled = CompiledSchema({"a": {"type": "string", "minLength": 2}})
    with pytest.raises(UnsupportedSchema, match="minLength"):
        compiled.definition("a")


def test_recursive_definitions_and_json_number_semantics():
    defs = {
        "node": {
            "type": ["object", "null"],
            "properties": {"next": {"$ref": "#/$defs/node"}, "n": {"type": "integer"}},
            "additionalProperties": False,
            "required": ["n"],
        }
    }
    check = CompiledSchema(defs).definition("node")
    assert check({"n": 1, "next": {"n": 2.0, "next": None}})
    assert not check({"n": 1, "next": {"n": True}})  # a boolean is not an integer
    assert not check({"n": 1, "next": {"next": None}})  # required
    assert not check({"n": 1, "other": 0})  # closed
