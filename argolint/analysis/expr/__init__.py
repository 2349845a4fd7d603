"""Argo's template languages, parsed with exact offsets inside the string they come from.

- ``tags_in(scalar)`` / ``scan_tags(text)``: the ``{{...}}`` and ``{{=...}}`` tags, each
  with its variable references (``Ref``) and syntax problem, if any;
- ``analyse_expression(text)``: references, calls and ``a-b`` pitfalls of an expr expression;
- ``parse_depends(scalar)``: the tasks and results a DAG ``depends`` names;
- ``parse_when(scalar)``: a ``when`` condition (tags plus govaluate around them);
- ``tag_sites(ctx)``: every tag of a document, with the template and field path where it
  is written.

Offsets are into the scalar's value; ``scalar.sub_span(start, end)`` turns them into spans.
"""

from argolint.analysis.expr.depends import (
    DEPENDS_RESULTS,
    DependsExpr,
    DependsOperand,
    parse_depends,
)
from argolint.analysis.expr.expression import (
    ARGO_FUNCTIONS,
    EXPR_BUILTINS,
    Call,
    ExpressionInfo,
    analyse_expression,
)
from argolint.analysis.expr.refs import HyphenJoin, Ref, SyntaxProblem
from argolint.analysis.expr.sites import TagSite, tag_sites
from argolint.analysis.expr.tags import ARGO_ROOTS, Tag, has_tags, scan_tags, tags_in
from argolint.analysis.expr.when import WhenExpr, parse_when

__all__ = [
    "ARGO_FUNCTIONS",
    "ARGO_ROOTS",
    "DEPENDS_RESULTS",
    "EXPR_BUILTINS",
    "Call",
    "DependsExpr",
    "DependsOperand",
    "ExpressionInfo",
    "HyphenJoin",
    "Ref",
    "SyntaxProblem",
    "Tag",
    "TagSite",
    "WhenExpr",
    "analyse_expression",
    "has_tags",
    "parse_depends",
    "parse_when",
    "scan_tags",
    "tag_sites",
    "tags_in",
]
