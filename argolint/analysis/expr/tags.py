"""``{{...}}`` tags inside a string, found the way Argo finds them (fasttemplate: a tag runs
from ``{{`` to the *first* ``}}`` after it; a ``{{`` with no ``}}`` makes Argo reject the
whole template), and parsed: simple tags with the simple-tag grammar, ``{{=...}}`` with the
expr grammar."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from lark import Token, Tree
from lark.exceptions import UnexpectedInput

from argolint.analysis.expr.expression import Call, analyse_expression
from argolint.analysis.expr.grammars import parser
from argolint.analysis.expr.problems import problem_from
from argolint.analysis.expr.refs import HyphenJoin, Ref, SyntaxProblem
from argolint.source.nodes import YScalar
from argolint.span import Span

#: The first names of Argo's variables. A simple tag that does not parse is a malformed
#: Argo tag when it starts with one of these; otherwise it is left to another template
#: language (Argo passes unknown simple tags through unchanged).
ARGO_ROOTS = frozenset(
    (
        "workflow",
        "inputs",
        "outputs",
        "steps",
        "tasks",
        "item",
        "pod",
        "node",
        "retries",
        "lastRetry",
        "cronworkflow",
        "status",
        "duration",
        "exitCode",
        "resourcesDuration",
        "request",
        "response",
    )
)

#: The first word of a tag body and what follows it: Argo validates a simple tag only when
#: it starts with a variable prefix such as ``item.`` (``GlobalVarValidWorkflowVariablePrefix``),
#: so ``{{ item | upper }}`` (Jinja) is another language's tag, left in place.
_ROOT_WORD = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)([.\[])?")
#: The common case of the simple-tag grammar (a plain dotted name), read without the parser.
_SEGMENT = r"[A-Za-z0-9_][A-Za-z0-9_/-]*"
_PLAIN_NAME = re.compile(rf"[ \t\r\n]*({_SEGMENT}(?:\.{_SEGMENT})*)[ \t\r\n]*\Z")


@dataclass(frozen=True, slots=True)
class Tag:
    """One ``{{...}}`` tag. ``start``/``end`` enclose the braces; ``body`` is the text Argo
    evaluates (after ``{{`` or ``{{=``), starting at ``body_start``.

    ``foreign`` marks a simple tag that is not an Argo variable (``{{ .Values.x }}``): Argo
    leaves it in place. ``error`` is set for an unterminated tag or a body that does not
    parse; ``refs`` are then whatever could be read.
    """

    kind: Literal["simple", "expression"]
    start: int
    end: int
    body: str
    body_start: int
    refs: tuple[Ref, ...] = ()
    error: SyntaxProblem | None = None
    foreign: bool = False
    hyphens: tuple[HyphenJoin, ...] = ()
    calls: tuple[Call, ...] = ()

    @property
    def text(self) -> str:
        """The tag as written, braces included."""
        close = "" if self.error and self.error.message.startswith("unterminated") else "}}"
        opener = "{{=" if self.kind == "expression" else "{{"
        return opener + self.body + close

    def span(self, scalar: YScalar) -> Span:
        return scalar.sub_span(self.start, self.end)


def has_tags(text: str) -> bool:
    """The fast pre-check every caller should make before anything else."""
    return "{{" in text


def tags_in(scalar: YScalar) -> tuple[Tag, ...]:
    """The tags of a string scalar (none for numbers, booleans and null)."""
    value = scalar.value
    if not isinstance(value, str) or "{{" not in value:
        return ()
    return scan_tags(value)


@lru_cache(maxsize=16384)
def scan_tags(text: str) -> tuple[Tag, ...]:
    """Every tag of ``text``, in order, with offsets into ``text``."""
    tags: list[Tag] = []
    find = text.find
    pos = find("{{")
    while pos != -1:
        close = find("}}", pos + 2)
        if close == -1:
            body_start = pos + 2
            kind: Literal["simple", "expression"] = "simple"
            if text.startswith("=", body_start):
                kind, body_start = "expression", body_start + 1
            problem = SyntaxProblem(
                "unterminated tag: `{{` has no closing `}}`, so Argo rejects the template",
                pos,
                min(len(text), pos + 2),
            )
            tags.append(Tag(kind, pos, len(text), text[body_start:], body_start, error=problem))
            break
        tags.append(_parse_tag(text, pos, close))
        pos = find("{{", close + 2)
    return tuple(tags)


def _parse_tag(text: str, start: int, close: int) -> Tag:
    body_start = start + 2
    if text.startswith("=", body_start):
        body_start += 1
        body = text[body_start:close]
        info = analyse_expression(body, body_start)
        return Tag(
            "expression",
            start,
            close + 2,
            body,
            body_start,
            info.refs,
            info.error,
            hyphens=info.hyphens,
            calls=info.calls,
        )
    body = text[body_start:close]
    refs, error, foreign = _simple(body)
    return Tag(
        "simple",
        start,
        close + 2,
        body,
        body_start,
        tuple(r.shifted(body_start) for r in refs),
        error.shifted(body_start) if error else None,
        foreign,
    )


@lru_cache(maxsize=8192)
def _simple(body: str) -> tuple[tuple[Ref, ...], SyntaxProblem | None, bool]:
    """(references, problem, foreign) of a simple tag body, offsets relative to the body."""
    if not body.strip():
        return (), SyntaxProblem("empty tag `{{}}`", 0, len(body)), False
    plain = _PLAIN_NAME.match(body)
    if plain is not None:
        parts = plain.group(1).split(".")
        starts, at = [], plain.start(1)
        for part in parts:
            starts.append(at)
            at += len(part) + 1
        ends = tuple(start + len(part) for start, part in zip(starts, parts, strict=True))
        ref = Ref(tuple(parts), tuple(starts), ends, (False,) * len(parts))
        return (ref,), None, False
    try:
        tree = parser("simple").parse(body)
    except UnexpectedInput as err:
        m = _ROOT_WORD.match(body)
        if m is None or m.group(1) not in ARGO_ROOTS or m.group(2) is None:
            return (), None, True
        return (), problem_from(err, body, "variable name"), False
    path = next(c for c in tree.children if isinstance(c, Tree))
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    bracketed: list[bool] = []
    for child in path.children:
        if isinstance(child, Token):
            token, is_bracket, value = child, False, str(child)
        else:
            token = child.children[0]
            is_bracket, value = True, str(token)[1:-1]
        parts.append(value)
        starts.append(token.start_pos)
        ends.append(token.end_pos)
        bracketed.append(is_bracket)
    return (Ref(tuple(parts), tuple(starts), tuple(ends), tuple(bracketed)),), None, False
