"""image-not-pinned: an image with no tag or ``:latest`` runs whatever was pushed last."""

from __future__ import annotations

from collections.abc import Iterator

from argolint.analysis.pods import pods_of
from argolint.context import Context
from argolint.finding import Finding, Severity
from argolint.rules import rule
from argolint.source.loader import ARGO_KINDS
from argolint.source.nodes import YScalar


def split_image(ref: str) -> tuple[str, str | None, str | None, int]:
    """(repository, tag, digest, offset of the tag's ``:``) of an image reference."""
    digest = None
    if "@" in ref:
        ref, digest = ref.split("@", 1)
    slash = ref.rfind("/")
    colon = ref.rfind(":")
    if colon > slash:
        return ref[:colon], ref[colon + 1 :], digest, colon
    return ref, None, digest, -1


@rule(
    "image-not-pinned",
    category="security",
    severity="warning",
    summary="A container image has no tag or uses `:latest`, so each run may get another image.",
    kinds=ARGO_KINDS,
    options={"require_digest": False},
)
def check(ctx: Context) -> Iterator[Finding]:
    require_digest = bool(ctx.option("require_digest"))
    for layer, container in ctx.analysis(pods_of).container_layers:
        node = layer.node.get("image")
        if not isinstance(node, YScalar) or not isinstance(node.value, str):
            continue
        ref = node.value.strip()
        if not ref or "{{" in ref or "$(" in ref:
            continue  # decided at run time
        repo, tag, digest, colon = split_image(ref)
        what = container.describe if container is not None else layer.label
        place = layer.placement
        assert place is not None
        if digest:
            continue
        if tag is None:
            yield ctx.finding(
                place.span(node),
                f"image `{ref}` of the {what} has no tag: it means `:latest`, whatever was "
                "pushed last, so reruns may run different code",
                suggestion=_pin(repo),
            )
        elif tag == "latest":
            start = node.value.find(ref) + colon
            yield ctx.finding(
                place.span(node) if start < 0 else _sub(place, node, start, start + 7),
                f"image `{ref}` of the {what} uses `:latest`: whatever was pushed last, so "
                "reruns may run different code",
                suggestion=_pin(repo),
            )
        elif require_digest:
            yield ctx.finding(
                place.span(node),
                f"image `{ref}` of the {what} is pinned by tag only; a tag can be moved",
                suggestion=f"add the digest: `{ref}@sha256:...`",
                severity=Severity.INFO,
            )


def _sub(place, node: YScalar, start: int, end: int):  # type: ignore[no-untyped-def]
    """Span of characters ``start..end`` of the value, through embeddings."""
    if not place.embedded:
        return node.sub_span(start, end)
    first = place.offset(node.source_offset(start))
    last = place.offset(node.source_offset(end - 1)) + 1
    return place.index.span(first, last)


def _pin(repo: str) -> str:
    return f"pin a version, e.g. `{repo}:<version>`, or a digest `{repo}@sha256:...`"
