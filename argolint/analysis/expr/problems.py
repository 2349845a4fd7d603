"""Turn a lark parse error into a short message with the offset where the text goes wrong."""

from __future__ import annotations

from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from argolint.analysis.expr.refs import SyntaxProblem

#: Terminal names as a person would write them.
_TERMINALS = {
    "RPAR": "`)`",
    "LPAR": "`(`",
    "RSQB": "`]`",
    "LSQB": "`[`",
    "RBRACE": "`}`",
    "LBRACE": "`{`",
    "COLON": "`:`",
    "COMMA": "`,`",
    "DOT": "`.`",
    "NAME": "a name",
    "TASK": "a task name",
    "RESULT": "a result",
    "STRING": "a string",
    "NUMBER": "a number",
    "VARIABLE": "a value",
    "SEGMENT": "a name",
}


def problem_from(err: UnexpectedInput, text: str, what: str) -> SyntaxProblem:
    """A ``SyntaxProblem`` for ``err`` raised while parsing ``text`` (a ``what``)."""
    if isinstance(err, UnexpectedCharacters):
        pos = err.pos_in_stream
        return SyntaxProblem(f"{what}: unexpected character `{text[pos]}`", pos, pos + 1)
    if isinstance(err, UnexpectedToken):
        token = err.token
        expected = _expected(err.expected)
        if token.type == "$END":
            return SyntaxProblem(f"{what} ends too early{expected}", len(text), len(text))
        pos = token.start_pos if token.start_pos is not None else len(text)
        end = token.end_pos if token.end_pos is not None else pos + 1
        return SyntaxProblem(
            f"{what}: unexpected `{token.value}`{expected}", pos, max(end, pos + 1)
        )
    if isinstance(err, UnexpectedEOF):
        return SyntaxProblem(f"{what} ends too early", len(text), len(text))
    return SyntaxProblem(f"{what} does not parse", 0, len(text))


def _expected(names: set[str] | frozenset[str]) -> str:
    shown = sorted({_TERMINALS.get(n, "") for n in names} - {""})
    if not shown or len(shown) > 4:
        return ""
    return " (expected " + " or ".join(shown) + ")"
