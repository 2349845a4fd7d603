"""The generated schema against Argo's own published JSON schema of the same release.

Argo's schema is loose (no ``additionalProperties: false`` anywhere) but complete: every
object reachable from the four kinds must have the same fields in ours, with the same kind of
value. Every difference is listed; the few deliberate ones are named here with their reason,
so the overlay in ``scripts/generate_schema.py`` stays honest and complete.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from argolint.analysis.schema import SCHEMA_DIR

PUBLISHED = "schemas/argo-workflows-v4.1.2.schema.json"
OURS = SCHEMA_DIR / "argo-4.1.2.json"
KINDS = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow")
ARGO = "io.argoproj.workflow.v1alpha1."

#: Differences we keep on purpose: (definition, what, field) -> why.
DELIBERATE = {
    ("io.k8s.api.core.v1.Container", "required", "image"): (
        "a template's container may take its image from spec.templateDefaults"
    ),
    (ARGO + "ScriptTemplate", "required", "image"): "may come from spec.templateDefaults",
    (ARGO + "ScriptTemplate", "required", "source"): "may come from spec.templateDefaults",
    (ARGO + "Metrics", "required", "prometheus"): (
        "an empty `metrics` is harmless; hera's models do not require it"
    ),
    (ARGO + "Gauge", "required", "realtime"): (
        "required only for want of omitempty; left out it is nil and works, and Argo's own "
        "metrics docs show gauges without it"
    ),
    (ARGO + "AzureArtifact", "required", "container"): (
        "a key-only artifact takes it from the artifact repository"
    ),
    (ARGO + "AzureArtifact", "required", "endpoint"): (
        "a key-only artifact takes it from the artifact repository"
    ),
    (ARGO + "Data", "required", "transformation"): "a data template may have no transformation",
    (ARGO + "ArtifactPaths", "required", "name"): "the executor only lists the location",
    (ARGO + "Memoize", "required", "maxAge"): "left out, the cache entry never expires",
}


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        out = [node["$ref"].rsplit("/", 1)[1]] if "$ref" in node else []
        for value in node.values():
            out += _refs(value)
        return out
    if isinstance(node, list):
        return [r for value in node for r in _refs(value)]
    return []


def reachable(defs: dict[str, Any], roots: list[str]) -> set[str]:
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name not in seen and name in defs:
            seen.add(name)
            stack.extend(_refs(defs[name]))
    return seen


def published_kind(defs: dict[str, Any], prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        target = prop["$ref"].rsplit("/", 1)[1]
        for suffix, kind in (("IntOrString", "int-or-string"), ("Quantity", "quantity"),
                             ("Item", "any"), ("ParallelSteps", "array"), ("Amount", "number"),
                             ("Time", "string")):  # fmt: skip
            if target.endswith("." + suffix):
                return kind
        return "object"
    return prop.get("type", "any")


def our_kind(prop: dict[str, Any]) -> str:
    title = prop.get("title", "")
    if title.startswith("argolint."):
        return {"any-string": "string"}.get(title[9:], title[9:])
    if "$ref" in prop:
        return "object"
    if "anyOf" in prop:
        return "string" if any("enum" in o for o in prop["anyOf"]) else "array"
    declared = prop.get("type", ())
    types = [t for t in ([declared] if isinstance(declared, str) else declared) if t != "null"]
    return types[0] if types else "any"


def differences(published: dict[str, Any], ours: dict[str, Any]) -> dict[tuple, str]:
    """(definition, what, field) -> description, for every difference."""
    pub_defs, our_defs = published["definitions"], ours["$defs"]
    names = reachable(pub_defs, [ARGO + k for k in KINDS])
    out: dict[tuple, str] = {}
    for name in sorted(names):
        pub = pub_defs[name]
        if "properties" not in pub:
            continue  # a scalar wrapper (Quantity, IntOrString...): ours inlines it
        if name not in our_defs:
            out[(name, "definition", "")] = "missing"
            continue
        ours_def = our_defs[name]
        pub_props, our_props = pub["properties"], ours_def.get("properties", {})
        for field in sorted(set(pub_props) - set(our_props)):
            out[(name, "field", field)] = "missing in ours"
        for field in sorted(set(our_props) - set(pub_props)):
            out[(name, "field", field)] = "only in ours"
        for field in sorted(set(pub_props) & set(our_props)):
            a = published_kind(pub_defs, pub_props[field])
            b = our_kind(our_props[field])
            if a != b and not (a == "integer" and b == "number"):
                out[(name, "type", field)] = f"published {a}, ours {b}"
        pub_req, our_req = set(pub.get("required", ())), set(ours_def.get("required", ()))
        for field in sorted(pub_req ^ our_req):
            where = "published" if field in pub_req else "ours"
            out[(name, "required", field)] = f"required only in {where}"
    return out


def test_generated_schema_matches_the_published_one(shared_dir: Path):
    published = json.loads((shared_dir / PUBLISHED).read_text(encoding="utf-8"))
    ours = json.loads(OURS.read_text(encoding="utf-8"))
    found = differences(published, ours)
    unexpected = {k: v for k, v in found.items() if k not in DELIBERATE}
    stale = sorted(set(DELIBERATE) - set(found))
    listing = "\n".join(f"{d} {what} {field}: {why}" for (d, what, field), why in found.items())
    assert not unexpected, f"unexplained differences:\n{listing}"
    assert not stale, f"deliberate differences that no longer exist: {stale}"


def test_difference_listing_notices_a_missing_field(shared_dir: Path):
    published = json.loads((shared_dir / PUBLISHED).read_text(encoding="utf-8"))
    ours = json.loads(OURS.read_text(encoding="utf-8"))
    del ours["$defs"][ARGO + "Template"]["properties"]["podResources"]
    ours["$defs"][ARGO + "WorkflowSpec"]["properties"]["parallelism"] = {"type": "string"}
    found = differences(published, ours)
    assert found[(ARGO + "Template", "field", "podResources")] == "missing in ours"
    assert found[(ARGO + "WorkflowSpec", "type", "parallelism")] == "published integer, ours string"
