"""``containerSet`` templates and reserved container names.

``container-set``: at least one container; each ``dependencies`` entry names a container of
the set; no dependency cycle; a container named ``main`` when the template has input
artifacts or outputs (Argo collects them from ``main``); no two ``volumeMounts`` on one path.
``reserved-container-name``: a containerSet container or sidecar named ``wait``,
``supervisor`` or ``artifact-plugin-*``, names the controller gives its own containers, or a
sidecar named ``main`` beside a container or script template's own ``main`` container.
"""

from __future__ import annotations

from collections.abc import Iterator

from argolint.context import Context
from argolint.finding import Finding
from argolint.model import Template
from argolint.rules import rule
from argolint.source.nodes import YMapping, YScalar, YSequence

RESERVED = frozenset(("wait", "supervisor"))
#: Template types whose own container Argo names ``main``.
MAIN_TYPES = frozenset(("container", "script"))
RESERVED_PREFIX = "artifact-plugin-"


def _containers(cset: YMapping) -> list[YMapping]:
    seq = cset.sequence("containers")
    return list(seq.mappings()) if seq is not None else []


def _label(template: Template) -> str:
    return f"template `{template.name}`" if template.name else "this template"


@rule(
    "container-set",
    category="correctness",
    severity="error",
    summary="A containerSet has no containers, unknown or cyclic dependencies, or no `main`.",
)
def check_container_set(ctx: Context) -> Iterator[Finding]:
    for template in ctx.manifest.all_templates:
        cset = template.node.mapping("containerSet")
        if cset is not None:
            yield from _one(ctx, template, cset)


def _one(ctx: Context, template: Template, cset: YMapping) -> Iterator[Finding]:
    containers = _containers(cset)
    if not containers:
        yield ctx.finding(
            cset.key_node("containers") or template.node.key_node("containerSet") or cset,
            f"the containerSet of {_label(template)} has no containers",
        )
        return
    by_name = {c.str("name"): c for c in containers if c.str("name")}
    graph: dict[str, list[str]] = {}
    for container in containers:
        name = container.str("name") or ""
        deps = container.sequence("dependencies")
        graph[name] = []
        for dep in deps or ():
            if not isinstance(dep, YScalar) or dep.value is None:
                continue
            if dep.text not in by_name:
                yield ctx.finding(
                    dep,
                    f"container `{name}` depends on `{dep.text}`, which is not a container of "
                    "this containerSet",
                )
            else:
                graph[name].append(dep.text)
    cycle = _cycle(graph)
    if cycle:
        first = by_name[cycle[0]]
        deps = first.sequence("dependencies")
        waits_for = cycle[1 % len(cycle)]  # a container may wait for itself
        at = next((d for d in deps or () if isinstance(d, YScalar) and d.text == waits_for), first)
        yield ctx.finding(
            at,
            "dependency cycle between containers: " + " -> ".join([*cycle, cycle[0]]),
            suggestion="remove one of these dependencies",
        )

    needs_main = bool(template.inputs.artifacts or template.outputs.parameters) or bool(
        template.outputs.artifacts
    )
    if needs_main and "main" not in by_name:
        yield ctx.finding(
            template.node.key_node("containerSet") or cset,
            f"{_label(template)} has inputs or outputs, so its containerSet needs a container "
            "named `main` (Argo reads artifacts and outputs from it)",
            suggestion="rename the container that produces the outputs to `main`",
        )
    seen: dict[str, YScalar] = {}
    mounts = cset.sequence("volumeMounts")
    for mount in mounts.mappings() if isinstance(mounts, YSequence) else ():
        path = mount.get("mountPath")
        if isinstance(path, YScalar) and path.text:
            if path.text in seen:
                yield ctx.finding(
                    path,
                    f"mount path `{path.text}` is already used by another volumeMount (line "
                    f"{seen[path.text].line})",
                )
            else:
                seen[path.text] = path


def _cycle(graph: dict[str, list[str]]) -> list[str] | None:
    colour: dict[str, int] = {}
    for start in graph:
        if colour.get(start):
            continue
        path: list[str] = []
        stack: list[tuple[str, int]] = [(start, 0)]
        while stack:
            name, i = stack.pop()
            if i == 0:
                colour[name] = 1
                path.append(name)
            nexts = graph.get(name, [])
            if i < len(nexts):
                stack.append((name, i + 1))
                nxt = nexts[i]
                if colour.get(nxt) == 1:
                    return path[path.index(nxt) :]
                if not colour.get(nxt):
                    stack.append((nxt, 0))
            else:
                colour[name] = 2
                path.pop()
    return None


@rule(
    "reserved-container-name",
    category="correctness",
    severity="error",
    summary="A sidecar or containerSet container uses a name Argo reserves for its own containers.",
)
def check_reserved(ctx: Context) -> Iterator[Finding]:
    for template in ctx.manifest.all_templates:
        node = template.node
        groups: list[tuple[str, list[YMapping]]] = []
        sidecars = node.sequence("sidecars")
        if sidecars is not None:
            groups.append(("sidecar", list(sidecars.mappings())))
        cset = node.mapping("containerSet")
        if cset is not None:
            groups.append(("containerSet container", _containers(cset)))
        for what, items in groups:
            for item in items:
                name = item.get("name")
                if not isinstance(name, YScalar) or not name.text:
                    continue
                if what == "sidecar" and name.text == "main" and template.type in MAIN_TYPES:
                    yield ctx.finding(
                        name,
                        "sidecar name `main` is the name of the template's main container: "
                        "Kubernetes refuses a pod with two containers of one name",
                        suggestion="rename the sidecar, e.g. `main-sidecar`",
                    )
                elif name.text in RESERVED or name.text.startswith(RESERVED_PREFIX):
                    yield ctx.finding(
                        name,
                        f"{what} name `{name.text}` is reserved for Argo's own containers",
                        suggestion=f"rename it, e.g. `{name.text}-1`"
                        if not name.text.startswith(RESERVED_PREFIX)
                        else "rename it",
                    )
