"""Kubernetes label-selector syntax (``labels.Parse``), which Argo's executor uses for a
resource template's ``successCondition``/``failureCondition``: comma-separated requirements
``key``, ``!key``, ``key=value``, ``key==value``, ``key!=value``, ``key in (a,b)``,
``key notin (a,b)``, ``key>1``, ``key<1``. Keys are qualified names (``status.phase``,
``example.com/x``), values label values, and ``<``/``>`` compare with an integer."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A label key: optional DNS-subdomain prefix and "/", then a name of up to 63 characters.
_LABEL_NAME = re.compile(r"([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)\Z")
_PREFIX = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\Z")


def label_key_problem(key: str) -> str | None:
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or len(prefix) > 253 or not _PREFIX.match(prefix)):
        return "has an invalid prefix (a lower-case DNS subdomain before `/`)"
    if not _LABEL_NAME.match(name):
        return "is not a label name (up to 63 letters, digits, `-`, `_`, `.`)"
    return None


def label_value_problem(value: str) -> str | None:
    if len(value) > 63 or not _LABEL_VALUE.match(value):
        return "is not a label value (up to 63 letters, digits, `-`, `_`, `.`)"
    return None


_TOKEN = re.compile(r"\s*(!=|==|=|!|\(|\)|,|<|>|[^\s!=(),<>]+)")


@dataclass(frozen=True)
class SelectorProblem:
    message: str
    start: int
    end: int


def _tokens(text: str) -> list[tuple[str, int, int]]:
    out = []
    pos = 0
    while True:
        match = _TOKEN.match(text, pos)
        if match is None or match.end(1) == -1:
            break
        out.append((match.group(1), match.start(1), match.end(1)))
        pos = match.end()
    return out


def _is_ident(token: str) -> bool:
    return token not in ("!=", "==", "=", "!", "(", ")", ",", "<", ">")


def parse_selector(text: str) -> SelectorProblem | None:
    """The first problem ``labels.Parse`` would report, or None."""
    toks = _tokens(text)
    i, n = 0, len(toks)

    def at(k: int) -> tuple[str, int, int]:
        return toks[k] if k < n else ("", len(text), len(text) + 1)

    def bad(message: str, k: int) -> SelectorProblem:
        _, s, e = at(k)
        return SelectorProblem(message, min(s, max(len(text) - 1, 0)), max(e, s + 1))

    if not toks:
        return None  # an empty selector matches everything
    while True:
        tok, start, end = at(i)
        negated = tok == "!"
        if negated:
            i += 1
            tok, start, end = at(i)
        if not tok or not _is_ident(tok) or tok in ("in", "notin"):
            return bad("expected a key", i)
        why = label_key_problem(tok)
        if why:
            return SelectorProblem(f"key `{tok}` {why}", start, end)
        i += 1
        op, _, _ = at(i)
        if negated or op in ("", ","):
            if negated and op not in ("", ","):
                return bad("`!key` takes no operator", i)
        elif op in ("=", "==", "!=", "<", ">"):
            i += 1
            value, vs, ve = at(i)
            if value in ("", ",") and op in ("=", "==", "!="):
                pass  # an empty value is allowed
            elif not _is_ident(value):
                return bad(f"expected a value after `{op}`", i)
            else:
                i += 1
                if op in ("<", ">"):
                    if not re.fullmatch(r"[-+]?\d+", value):
                        return SelectorProblem(
                            f"`{op}` compares with an integer, not `{value}`", vs, ve
                        )
                elif why := label_value_problem(value):
                    return SelectorProblem(f"value `{value}` {why}", vs, ve)
        elif op in ("in", "notin"):
            i += 1
            if at(i)[0] != "(":
                return bad(f"`{op}` needs a list in parentheses: `{op} (a, b)`", i)
            i += 1
            values = 0
            while True:
                value, vs, ve = at(i)
                if value == ")":
                    i += 1
                    break
                if value == ",":
                    i += 1
                    continue
                if not value or not _is_ident(value):
                    return bad("unclosed value list: expected `)`", i)
                if why := label_value_problem(value):
                    return SelectorProblem(f"value `{value}` {why}", vs, ve)
                values += 1
                i += 1
            if not values:
                return bad(f"`{op}` needs at least one value", i - 1)
        else:
            return bad(f"expected an operator (=, ==, !=, in, notin, <, >), found `{op}`", i)
        tok, _, _ = at(i)
        if tok == "":
            return None
        if tok != ",":
            return bad(f"expected `,` between requirements, found `{tok}`", i)
        i += 1
