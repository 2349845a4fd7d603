"""``{{=...}}`` expressions: parse with the expr grammar, then list every variable reference
(``inputs.parameters['x']``, ``steps.a.outputs.result``) with its offsets, the functions it
calls, and every ``a-b`` that expr would read as a subtraction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from lark import Token, Tree
from lark.exceptions import UnexpectedInput

from argolint.analysis.expr.grammars import parser
from argolint.analysis.expr.problems import problem_from
from argolint.analysis.expr.refs import HyphenJoin, Ref, SyntaxProblem

#: Functions of expr itself (https://expr-lang.org/docs/language-definition).
EXPR_BUILTINS = frozenset(
    """all any one none filter map find findIndex findLast findLastIndex groupBy count sum
    reduce sortBy len abs ceil floor round int float string trim trimPrefix trimSuffix upper
    lower split splitAfter replace repeat indexOf lastIndexOf hasPrefix hasSuffix max min mean
    median toJSON fromJSON toBase64 fromBase64 now duration date timezone first last get take
    keys values toPairs fromPairs sort concat flatten uniq join reverse type bitand bitor bitxor
    bitnand bitnot bitshl bitshr bitushr""".split()  # noqa: SIM905
)
#: Functions and namespaces Argo adds to every expression environment.
ARGO_FUNCTIONS = frozenset(("asInt", "asFloat", "jsonpath", "toJson", "sprig"))
FUNCTIONS = EXPR_BUILTINS | ARGO_FUNCTIONS


@dataclass(frozen=True, slots=True)
class Call:
    """A call of a named function (``asInt``, ``sprig.trim``), with the name's offsets."""

    name: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class ExpressionInfo:
    refs: tuple[Ref, ...] = ()
    calls: tuple[Call, ...] = ()
    hyphens: tuple[HyphenJoin, ...] = ()
    error: SyntaxProblem | None = None


_CHAIN = frozenset(("member", "opt_member", "index", "opt_index", "slice", "call", "variable"))


def analyse_expression(text: str, offset: int = 0) -> ExpressionInfo:
    """Parse ``text`` (the body of a ``{{=...}}`` tag); offsets are shifted by ``offset``."""
    info = _analyse(text)
    if not offset:
        return info
    return ExpressionInfo(
        tuple(r.shifted(offset) for r in info.refs),
        tuple(Call(c.name, c.start + offset, c.end + offset) for c in info.calls),
        tuple(h.shifted(offset) for h in info.hyphens),
        info.error.shifted(offset) if info.error else None,
    )


@lru_cache(maxsize=4096)
def _analyse(text: str) -> ExpressionInfo:
    if not text.strip():
        return ExpressionInfo(error=SyntaxProblem("the expression is empty", 0, len(text)))
    try:
        tree = parser("expression").parse(text)
    except UnexpectedInput as err:
        return ExpressionInfo(error=problem_from(err, text, "expression"))
    walker = _Walker(text)
    try:
        walker.visit(tree, frozenset(), False)
    except RecursionError:
        return ExpressionInfo()  # thousands of nested operators: parsed, too deep to read
    refs = sorted(walker.refs, key=lambda r: r.start)
    return ExpressionInfo(tuple(refs), tuple(walker.calls), tuple(walker.hyphens))


class _Walker:
    def __init__(self, text: str) -> None:
        self.text = text
        self.refs: list[Ref] = []
        self.calls: list[Call] = []
        self.hyphens: list[HyphenJoin] = []
        self.skip: set[int] = set()  # subtrees already read as part of a hyphen join

    def visit(self, node: Tree | Token | None, bound: frozenset[str], guarded: bool) -> None:
        if not isinstance(node, Tree) or id(node) in self.skip:
            return
        kind = node.data
        if kind in _CHAIN:
            self._chain(node, bound, guarded)
        elif kind == "let_binding":
            name, value, body = node.children
            self.visit(value, bound, guarded)
            self.visit(body, bound | {str(name)}, guarded)
        elif kind == "coalesce":
            left, _, right = node.children
            self.visit(left, bound, True)
            self.visit(right, bound, guarded)
        elif kind == "binary" and self._hyphen_join(node, bound, guarded):
            return
        elif kind == "map":
            for entry in node.children:
                if isinstance(entry, Tree):  # map_entry: key (token or expression), value
                    for child in entry.children:
                        self.visit(child, bound, guarded)
        else:
            for child in node.children:
                self.visit(child, bound, guarded)

    def _chain(self, node: Tree, bound: frozenset[str], guarded: bool) -> None:
        """A member/index/call chain: the longest constant path from a free variable is a
        reference; index expressions and call arguments are visited on their own."""
        ops: list[Tree] = []
        root: Tree | Token | None = node
        while isinstance(root, Tree) and root.data in _CHAIN and root.data != "variable":
            ops.append(root)
            root = root.children[0]
        ops.reverse()
        if not (isinstance(root, Tree) and root.data == "variable"):
            self.visit(root, bound, guarded)
            for op in ops:
                self._visit_op_args(op, bound, guarded)
            return
        token = root.children[0]
        name = str(token)
        parts = [name]
        starts = [token.start_pos]
        ends = [token.end_pos]
        bracketed = [False]
        optional = False
        used = 0
        for op in ops:
            if op.data in ("member", "opt_member"):
                member = op.children[-1]
                parts.append(str(member))
                starts.append(member.start_pos)
                ends.append(member.end_pos)
                bracketed.append(False)
            elif op.data in ("index", "opt_index") and _is_string(op.children[-1]):
                literal = op.children[-1].children[0]
                parts.append(_unquote(str(literal)))
                starts.append(literal.start_pos)
                ends.append(literal.end_pos)
                bracketed.append(True)
            else:
                break
            optional = optional or op.data.startswith("opt_")
            used += 1
        called = used < len(ops) and ops[used].data == "call"
        if called:
            # ``f(x)`` calls a function; ``a.b.m(x)`` calls method ``m`` of ``a.b``.
            end_name = ".".join(parts)
            self.calls.append(Call(end_name, starts[0], ends[-1]))
            parts, starts, ends, bracketed = parts[:-1], starts[:-1], ends[:-1], bracketed[:-1]
        if (
            parts
            and name not in bound
            and name != "$env"  # expr's own variable: the whole environment
            and not (name in FUNCTIONS and (called or len(parts) > 1))
        ):
            self.refs.append(
                Ref(
                    tuple(parts),
                    tuple(starts),
                    tuple(ends),
                    tuple(bracketed),
                    guarded or optional,
                    True,
                )
            )
        for op in ops[used:]:
            self._visit_op_args(op, bound, guarded)

    def _visit_op_args(self, op: Tree, bound: frozenset[str], guarded: bool) -> None:
        if op.data in ("member", "opt_member"):
            return
        for child in op.children[1:]:
            if isinstance(child, Tree):
                self.visit(child, bound, guarded)

    def _hyphen_join(self, node: Tree, bound: frozenset[str], guarded: bool) -> bool:
        """``inputs.parameters.my-param`` or ``steps.my-step.outputs.result``: names joined
        by ``-`` with no space around it, the first a reference. expr has already split
        them by precedence (``x + a.b-c`` is ``(x + a.b) - c``), so the joined pieces are the
        rightmost name of the left operand and the leftmost name of the right one."""
        operands: list[Tree] = []
        current: Tree = node
        while (
            isinstance(current, Tree)
            and current.data == "binary"
            and str(current.children[1]) == "-"
            and self._tight(current)
        ):
            operands.append(current.children[2])
            current = current.children[0]
        operands.append(current)
        operands.reverse()
        if len(operands) < 2:
            return False
        first = _edge(operands[0], -1)
        head = _chain_parts(first)
        if head is None or head[0][0] in bound or len(head[0]) < 2:
            return False
        middle = operands[1:-1]
        last = _edge(operands[-1], 0)
        tails = [_chain_parts(o) or _number_part(o) for o in [*middle, last]]
        if any(t is None for t in tails):
            return False
        parts, starts, ends = (list(x) for x in head)
        for tail in tails:
            assert tail is not None
            t_parts, t_starts, t_ends = tail
            parts[-1] = f"{parts[-1]}-{t_parts[0]}"
            ends[-1] = t_ends[0]
            parts.extend(t_parts[1:])
            starts.extend(t_starts[1:])
            ends.extend(t_ends[1:])
        joined = next(i for i, p in enumerate(parts) if "-" in p)
        suggestion = parts[0] + "".join(
            f"['{p}']" if i == joined else f".{p}" for i, p in enumerate(parts) if i
        )
        ref = Ref(tuple(parts), tuple(starts), tuple(ends), (), guarded, True)
        self.hyphens.append(HyphenJoin(ref, suggestion))
        self.refs.append(ref)
        # Everything around the joined names is still visited on its own.
        self.skip.update((id(first), id(last)))
        self.visit(operands[0], bound, guarded)
        self.visit(operands[-1], bound, guarded)
        return True

    def _tight(self, node: Tree) -> bool:
        """No whitespace on either side of the operator."""
        op = node.children[1]
        text = self.text
        before = op.start_pos - 1
        after = op.end_pos
        return (
            before >= 0
            and not text[before].isspace()
            and after < len(text)
            and not text[after].isspace()
        )


_EDGE_OPERATORS = frozenset(("binary", "negated_binary", "coalesce", "unary_op"))


def _edge(node: Tree, side: int) -> Tree:
    """The operand at the far ``side`` (0 left, -1 right) of a tree of operators."""
    while isinstance(node, Tree) and node.data in _EDGE_OPERATORS:
        if side == 0 and node.data == "unary_op":
            break
        node = node.children[side]
    return node


def _chain_parts(node: Tree) -> tuple[list[str], list[int], list[int]] | None:
    """Parts of a pure ``a.b.c`` chain (no calls or indexes), else None."""
    members: list[Token] = []
    while isinstance(node, Tree) and node.data == "member":
        members.append(node.children[-1])
        node = node.children[0]
    if not (isinstance(node, Tree) and node.data == "variable"):
        return None
    members.append(node.children[0])
    members.reverse()
    return (
        [str(t) for t in members],
        [t.start_pos for t in members],
        [t.end_pos for t in members],
    )


def _number_part(node: Tree) -> tuple[list[str], list[int], list[int]] | None:
    if isinstance(node, Tree) and node.data == "number":
        tok = node.children[0]
        if str(tok).isdigit():
            return [str(tok)], [tok.start_pos], [tok.end_pos]
    return None


def _is_string(node: object) -> bool:
    return isinstance(node, Tree) and node.data == "string"


def _unquote(literal: str) -> str:
    if literal.startswith("`"):
        return literal[1:-1]
    if literal.startswith("'"):
        literal = '"' + literal[1:-1].replace('\\"', '"').replace('"', '\\"') + '"'
    try:
        value = json.loads(literal)
    except ValueError:
        return literal[1:-1]
    return value if isinstance(value, str) else literal[1:-1]
