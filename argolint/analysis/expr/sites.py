"""Where tags are written: every string of a template (without the inline templates nested
in its steps and tasks, which are templates of their own) and every tag of a document with
the template and field path it belongs to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from argolint.analysis.expr.tags import Tag, tags_in
from argolint.source.nodes import Link, YMapping, YNode, YScalar, YSequence, linked_path

if TYPE_CHECKING:
    from argolint.context import Context
    from argolint.model import Manifest, Template

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class TagSite:
    """A tag, the scalar it is written in, and where: ``template`` is None for fields of the
    workflow spec outside any template (``spec.arguments``, ``spec.hooks``, ...); ``path`` is
    relative to the template's node, or to the document root when ``template`` is None."""

    tag: Tag
    scalar: YScalar
    path: Path
    template: Template | None


def _is_inline(path: Path) -> bool:
    """``steps[i][j].inline`` / ``steps[i].inline`` / ``dag.tasks[i].inline``."""
    if not path or path[-1] != "inline":
        return False
    return path[0] == "steps" or (len(path) == 4 and path[:2] == ("dag", "tasks"))


def _spec_paths(manifest: Manifest) -> tuple[Path, Path] | None:
    """(path of the workflow spec, path of its templates) from the document root."""
    if manifest.root is None:
        return None
    spec: Path = ("spec", "workflowSpec") if manifest.kind == "CronWorkflow" else ("spec",)
    return spec, (*spec, "templates")


#: Fields whose whole string is an expression without braces (``hooks.*.expression``,
#: ``retryStrategy.expression``, ``valueFrom.expression``, ``fromExpression``,
#: ``http.successCondition``, ``stopStrategy.condition``...).
RAW_EXPRESSION_FIELDS = frozenset(("expression", "fromExpression", "successCondition", "condition"))


def spec_strings(ctx: Context) -> list[tuple[Template | None, Path, YScalar]]:
    """The strings of the document's spec that can hold an expression, computed once for
    the tags and the raw expressions both (``ctx.analysis(spec_strings)``)."""
    return _manifest_strings(ctx.manifest)


def _manifest_strings(manifest: Manifest) -> list[tuple[Template | None, Path, YScalar]]:
    """(template or None, path, scalar) for each string of the spec that holds a ``{{`` tag
    or is a field of ``RAW_EXPRESSION_FIELDS``; inline templates are walked as templates of
    their own, with paths from their own node."""
    paths = _spec_paths(manifest)
    if paths is None:
        return []
    _, templates_path = paths
    root_spec = manifest.root.get("spec") if manifest.root else None
    out: list[tuple[Template | None, Path, YScalar]] = [
        (None, path, scalar)
        for path, scalar in _expression_strings(root_spec, ("spec",), frozenset((templates_path,)))
    ]
    for template in manifest.all_templates:
        out.extend((template, path, scalar) for path, scalar in _expression_strings(template.node))
    return out


def _expression_strings(
    node: YNode | None, base: Path = (), skip: frozenset[Path] = frozenset()
) -> list[tuple[Path, YScalar]]:
    """The strings below ``node`` that ``_manifest_strings`` keeps, each node once (aliases
    are not expanded), in source order, with their paths after ``base``; ``skip`` prunes
    subtrees and inline templates are pruned. Paths are linked lists until a string is
    kept."""
    out: list[tuple[Path, YScalar]] = []
    if node is None:
        return out
    skip_last = frozenset(p[-1] for p in skip if p)
    seen: set[int] = set()
    stack: list[tuple[YNode, Link]] = [(node, None)]
    push = stack.append
    while stack:
        n, link = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, YScalar):
            value = n.value
            if isinstance(value, str) and (
                "{{" in value or (link is not None and link[0] in RAW_EXPRESSION_FIELDS)
            ):
                out.append((linked_path(link, base), n))
        elif isinstance(n, YMapping):
            for k, (_, v) in reversed(n.keys.items()):
                if k == "inline" or k in skip_last:
                    child = linked_path((k, link), base)
                    if (k == "inline" and _is_inline(child)) or child in skip:
                        continue
                push((v, (k, link)))
        elif isinstance(n, YSequence):
            items = n.items
            for i in range(len(items) - 1, -1, -1):
                push((items[i], (i, link)))
    return out


def collect_tag_sites(manifest: Manifest) -> list[TagSite]:
    """Every tag of a document (a model outside any run, such as a test's)."""
    return _tags_of(_manifest_strings(manifest))


def _tags_of(strings: Iterable[tuple[Template | None, Path, YScalar]]) -> list[TagSite]:
    sites: list[TagSite] = []
    for template, path, scalar in strings:
        if "{{" not in scalar.value:
            continue
        for tag in tags_in(scalar):
            sites.append(TagSite(tag, scalar, path, template))
    return sites


def tag_sites(ctx: Context) -> list[TagSite]:
    """Every tag of the document (computed once per document: ``ctx.analysis(tag_sites)``)."""
    return _tags_of(ctx.analysis(spec_strings))
