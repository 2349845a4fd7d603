"""The lark parsers of Argo's template languages, built once per process from the ``.lark``
files next to this module (LALR: linear time, no backtracking).

Building the four LALR tables takes about 0.15 s, most of a one-file run; lark keeps the
built tables in a per-user cache file (``$XDG_CACHE_HOME/argolint``, else ``~/.cache``)
that it checks against a hash of the grammar, options and lark version, so later runs
load them in a few milliseconds. No writable cache folder: built every time."""

from __future__ import annotations

import os
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
    return Lark(text, parser="lalr", maybe_placeholders=True, cache=_cache_file(name))


def _cache_file(name: str) -> str | bool:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = os.path.join(base, "argolint")
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError:
        return False
    if not os.access(directory, os.W_OK):
        return False
    return os.path.join(directory, f"lark-{name}.pickle")
