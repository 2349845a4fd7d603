"""``when`` conditions: Argo substitutes their tags, then govaluate evaluates the result
(bare words become strings, so ``{{steps.a.outputs.result}} == heads`` needs no quotes)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lark import Token, Tree
from lark.exceptions import UnexpectedInput

from argolint.analysis.expr.grammars import parser
from argolint.analysis.expr.problems import problem_from
from argolint.analysis.expr.refs import SyntaxProblem
from argolint.analysis.expr.tags import Tag, scan_tags
from argolint.source.nodes import YScalar


@dataclass(frozen=True, slots=True)
class WhenExpr:
    """The tags of a condition and, if the condition around them is not valid govaluate,
    the problem (tags themselves are checked as tags)."""

    tags: tuple[Tag, ...] = ()
    error: SyntaxProblem | None = None


def parse_when(scalar: YScalar | str) -> WhenExpr:
    """Parse a ``when`` string (or the scalar holding it)."""
    text = scalar if isinstance(scalar, str) else scalar.text
    return _parse(text)


@lru_cache(maxsize=4096)
def _parse(text: str) -> WhenExpr:
    tags = scan_tags(text) if "{{" in text else ()
    if any(t.error for t in tags):
        return WhenExpr(tags)
    # Each tag becomes a bare word of the same length: what it stands for is a value.
    chars = list(text)
    for tag in tags:
        chars[tag.start : tag.end] = "v" * (tag.end - tag.start)
    substituted = "".join(chars)
    if not substituted.strip():
        return WhenExpr(tags, SyntaxProblem("the condition is empty", 0, len(text)))
    try:
        tree = parser("when").parse(substituted)
    except UnexpectedInput as err:
        problem = problem_from(err, substituted, "`when`")
        shown = substituted[problem.start : problem.end]
        if shown and shown != text[problem.start : problem.end]:
            message = problem.message.replace(
                f"`{shown}`", f"`{text[problem.start : problem.end]}`"
            )
            problem = SyntaxProblem(message, problem.start, problem.end)
        return WhenExpr(tags, problem)
    return WhenExpr(tags, _hyphenated_word(tree, text, tags))


def _hyphenated_word(tree: Tree, text: str, tags: tuple[Tag, ...]) -> SyntaxProblem | None:
    """``{{x}} == us-east-1``: govaluate reads the bare word as ``us`` minus ``east`` minus
    1 and fails on strings at run time; the value needs quotes."""
    in_tag = [(t.start, t.end) for t in tags]
    for node in tree.iter_subtrees_topdown() if isinstance(tree, Tree) else ():
        if node.data != "binary" or str(node.children[1]) != "-":
            continue
        op: Token = node.children[1]
        start, end = _leftmost(node.children[0]), _rightmost(node.children[2])
        if start is None or end is None:
            continue
        if text[op.start_pos - 1].isspace() or text[op.end_pos : op.end_pos + 1].isspace():
            continue
        if any(a <= start < b or a < end <= b for a, b in in_tag):
            continue
        word = text[start:end]
        if not any(ch.isalpha() for ch in word):
            continue
        return SyntaxProblem(
            f"`when`: the bare word `{word}` is read as a subtraction, which fails on text; "
            f"quote it: '{word}'",
            start,
            end,
        )
    return None


def _leftmost(node) -> int | None:
    while isinstance(node, Tree):
        if node.data not in ("binary", "variable", "number"):
            return None
        node = node.children[0]
    return node.start_pos if isinstance(node, Token) else None


def _rightmost(node) -> int | None:
    while isinstance(node, Tree):
        if node.data not in ("binary", "variable", "number"):
            return None
        node = node.children[-1]
    return node.end_pos if isinstance(node, Token) else None
