"""The lark parsers of Argo's template languages, built once per process from the ``.lark``
files next to this module (LALR: linear time, no backtracking)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from lark import Lark

_HERE = Path(__file__).resolve().parent

#: grammar name -> ``.lark`` file
GRAMMARS = ("simple", "expression", "depends", "when")


@cache
def parser(name: str) -> Lark:
    """The LALR parser of grammar ``name`` (one of ``GRAMMARS``), built on first use."""
    if name not in GRAMMARS:
        raise KeyError(name)
    text = (_HERE / f"{name}.lark").read_text(encoding="utf-8")
    return Lark(text, parser="lalr", maybe_placeholders=True)
