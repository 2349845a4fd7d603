"""``invalid-pod-spec-patch``: a ``podSpecPatch`` (of the workflow, of ``templateDefaults``
or of a template) that Argo cannot apply. Argo's validator leaves it alone; the controller
reads it for every pod (``ApplyPodSpecPatch``: YAML to JSON, then into a ``PodSpec``), so a
patch that does not parse, or whose lists are written as mappings, fails each pod of the run.
``{{...}}`` tags are read as the words they become, as in resource manifests."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.embedded import mask_tags, parse_embedded, top_level
from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule
from argolint.source.loader import load_text
from argolint.source.nodes import YMapping, YNode, YScalar, YSequence
from argolint.span import LineIndex

#: PodSpec fields that are lists: a mapping there fails ``json.Unmarshal`` into a PodSpec.
LIST_FIELDS = (
    "containers",
    "initContainers",
    "ephemeralContainers",
    "volumes",
    "tolerations",
    "imagePullSecrets",
    "hostAliases",
)


@rule(
    "invalid-pod-spec-patch",
    category="correctness",
    severity="error",
    summary="A podSpecPatch that does not parse, or is not a pod spec, so every pod it "
    "patches fails.",
)
def check(ctx: Context) -> Iterator[Finding]:
    spec = ctx.manifest.spec
    if spec is None:
        return
    holders: list[tuple[str, YNode | None]] = [
        ("the workflow", spec),
        ("`templateDefaults`", spec.get("templateDefaults")),
    ]
    for template in ctx.manifest.all_templates:
        name = f"template `{template.name}`" if template.name else "this template"
        holders.append((name, template.node))
    for label, holder in holders:
        patch = holder.get("podSpecPatch") if isinstance(holder, YMapping) else None
        if isinstance(patch, YScalar) and isinstance(patch.value, str):
            yield from _patch(ctx, patch, f"the podSpecPatch of {label}")


def _patch(ctx: Context, patch: YScalar, label: str) -> Iterator[Finding]:
    masked = mask_tags(patch.value)
    if not masked.strip().strip("x"):
        return  # empty, or the whole patch is one parameter
    loaded = load_text(masked, ctx.doc.path)
    problem = next((f for f in loaded.findings if f.rule == "yaml-syntax"), None)
    if problem is not None:
        offset = LineIndex(masked).offset(problem.span.line, problem.span.column)
        offset = max(0, min(offset, len(masked.rstrip()) - 1))  # at the end: the last char
        yield ctx.finding(
            patch.sub_span(offset, offset + 1),
            f"{label} is not valid YAML or JSON: {problem.message}; every pod it patches fails",
        )
        return
    for embedded in parse_embedded(patch, top_level(ctx.doc), ctx.doc.path):
        root = embedded.root
        if not isinstance(root, YMapping):
            yield ctx.finding(patch, f"{label} is not a pod spec (a mapping of its fields)")
            continue
        for field in LIST_FIELDS:
            value = root.get(field)
            if value is None or isinstance(value, YSequence):
                continue
            if isinstance(value, YScalar) and value.value is None:
                continue
            key = root.key_node(field) or value
            yield ctx.finding(
                embedded.placement.span(key),
                f"`{field}` in {label} is a list in a pod spec, not a "
                f"{'mapping' if isinstance(value, YMapping) else 'single value'}: Argo cannot "
                "read the patch and every pod it patches fails",
                suggestion=f"write each entry as a list item: `{field}:\\n  - name: ...`",
            )
