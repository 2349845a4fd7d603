"""Where tags are written: every string of a template (without the inline templates nested
in its steps and tasks, which are templates of their own) and every tag of a document with
the template and field path it belongs to."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from argolint.analysis.expr.tags import Tag, tags_in
from argolint.source.nodes import YMapping, YNode, YScalar, YSequence

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


def strings_under(
    node: YNode | None, path: Path = (), skip: frozenset[Path] = frozenset()
) -> Iterator[tuple[Path, YScalar]]:
    """Every string scalar below ``node`` with its path, each node once (aliases are not
    expanded), in source order; ``skip`` prunes subtrees and inline templates are pruned."""
    if node is None:
        return
    seen: set[int] = set()
    stack: list[tuple[Path, YNode]] = [(path, node)]
    while stack:
        p, n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, YScalar):
            if isinstance(n.value, str):
                yield p, n
        elif isinstance(n, YMapping):
            children = []
            for k, (_, v) in n.keys.items():
                child = (*p, k)  # one tuple per child, tested only where it can matter
                if (k == "inline" and _is_inline(child)) or (skip and child in skip):
                    continue
                children.append((child, v))
            children.reverse()
            stack.extend(children)
        elif isinstance(n, YSequence):
            items = n.items
            stack.extend(((*p, i), items[i]) for i in range(len(items) - 1, -1, -1))


def template_strings(template: Template) -> Iterator[tuple[Path, YScalar]]:
    """Every string scalar of ``template`` with its path from the template's node."""
    return strings_under(template.node)


def _spec_paths(manifest: Manifest) -> tuple[Path, Path] | None:
    """(path of the workflow spec, path of its templates) from the document root."""
    if manifest.root is None:
        return None
    spec: Path = ("spec", "workflowSpec") if manifest.kind == "CronWorkflow" else ("spec",)
    return spec, (*spec, "templates")


def document_strings(manifest: Manifest) -> Iterator[tuple[Template | None, Path, YScalar]]:
    """Every string of the document's spec: (template or None, path, scalar)."""
    paths = _spec_paths(manifest)
    if paths is None:
        return
    _, templates_path = paths
    root_spec = manifest.root.get("spec") if manifest.root else None
    for path, scalar in strings_under(root_spec, ("spec",), frozenset((templates_path,))):
        yield None, path, scalar
    for template in manifest.all_templates:
        for path, scalar in template_strings(template):
            yield template, path, scalar


#: Fields whose whole string is an expression without braces (``hooks.*.expression``,
#: ``retryStrategy.expression``, ``valueFrom.expression``, ``fromExpression``,
#: ``http.successCondition``, ``stopStrategy.condition``...).
RAW_EXPRESSION_FIELDS = frozenset(("expression", "fromExpression", "successCondition", "condition"))


def spec_strings(ctx: Context) -> list[tuple[Template | None, Path, YScalar]]:
    """The strings of ``document_strings`` that can hold an expression: a ``{{`` tag, or a
    field of ``RAW_EXPRESSION_FIELDS``. Walked once for the tags and the raw expressions
    both (``ctx.analysis(spec_strings)``), building a path only for the strings kept."""
    manifest = ctx.manifest
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


Link = tuple[str | int, "Link"] | None  # a path as (last part, link to the rest)


def _expression_strings(
    node: YNode | None, base: Path = (), skip: frozenset[Path] = frozenset()
) -> list[tuple[Path, YScalar]]:
    """``strings_under(node, base, skip)`` kept to the strings ``spec_strings`` wants, in
    the same order; paths are linked lists until a string is kept."""
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
                out.append((_path_of(base, link), n))
        elif isinstance(n, YMapping):
            for k, (_, v) in reversed(n.keys.items()):
                if k == "inline" or k in skip_last:
                    child = _path_of(base, (k, link))
                    if (k == "inline" and _is_inline(child)) or child in skip:
                        continue
                push((v, (k, link)))
        elif isinstance(n, YSequence):
            items = n.items
            for i in range(len(items) - 1, -1, -1):
                push((items[i], (i, link)))
    return out


def _path_of(base: Path, link: Link) -> Path:
    parts: list[str | int] = []
    while link is not None:
        parts.append(link[0])
        link = link[1]
    parts.reverse()
    return (*base, *parts)


def collect_tag_sites(manifest: Manifest) -> list[TagSite]:
    """Every tag of a document (a model outside any run, such as a test's)."""
    return _tags_of(document_strings(manifest))


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
