"""The ``depends`` field of a DAG task: which tasks it names, with which results."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lark import Token, Tree
from lark.exceptions import UnexpectedInput

from argolint.analysis.expr.grammars import parser
from argolint.analysis.expr.problems import problem_from
from argolint.analysis.expr.refs import SyntaxProblem
from argolint.source.nodes import YScalar
from argolint.span import Span

#: Results a dependency can name (``A.Succeeded``); a bare ``A`` means
#: ``(A.Succeeded || A.Skipped || A.Daemoned)``.
DEPENDS_RESULTS = (
    "Succeeded",
    "Failed",
    "Errored",
    "Skipped",
    "Omitted",
    "Daemoned",
    "AnySucceeded",
    "AllFailed",
)


@dataclass(frozen=True, slots=True)
class DependsOperand:
    """``TASK`` or ``TASK.RESULT``, with the offsets of each part inside the string."""

    task: str
    start: int
    end: int
    result: str | None = None
    result_start: int = -1
    result_end: int = -1

    def span(self, scalar: YScalar) -> Span:
        return scalar.sub_span(self.start, self.end)

    def result_span(self, scalar: YScalar) -> Span:
        return scalar.sub_span(self.result_start, self.result_end)


@dataclass(frozen=True, slots=True)
class DependsExpr:
    operands: tuple[DependsOperand, ...] = ()
    error: SyntaxProblem | None = None

    @property
    def tasks(self) -> list[str]:
        """Each task named, once, in order of first appearance."""
        return list(dict.fromkeys(o.task for o in self.operands))


def parse_depends(scalar: YScalar | str) -> DependsExpr:
    """Parse a ``depends`` string (or the scalar holding it)."""
    text = scalar if isinstance(scalar, str) else scalar.text
    return _parse(text)


@lru_cache(maxsize=4096)
def _parse(text: str) -> DependsExpr:
    if not text.strip():
        return DependsExpr(error=SyntaxProblem("`depends` is empty", 0, len(text)))
    try:
        tree = parser("depends").parse(text)
    except UnexpectedInput as err:
        return DependsExpr(error=problem_from(err, text, "`depends`"))
    operands = []
    for node in tree.iter_subtrees_topdown() if isinstance(tree, Tree) else ():
        if node.data != "operand":
            continue
        task: Token = node.children[0]
        result: Token | None = node.children[1] if len(node.children) > 1 else None
        operands.append(
            DependsOperand(
                str(task),
                task.start_pos,
                task.end_pos,
                str(result) if result is not None else None,
                result.start_pos if result is not None else -1,
                result.end_pos if result is not None else -1,
            )
        )
    operands.sort(key=lambda o: o.start)
    problem = None
    for o in operands:
        if o.result is not None and o.result not in DEPENDS_RESULTS:
            problem = SyntaxProblem(
                f"`{o.task}.{o.result}`: unknown result `{o.result}` "
                f"(one of {', '.join(DEPENDS_RESULTS)})",
                o.result_start,
                o.result_end,
            )
            break
    return DependsExpr(tuple(operands), problem)
