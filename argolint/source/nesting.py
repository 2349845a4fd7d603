"""A cheap estimate of how deeply a YAML text nests, taken before any parser sees it.

libyaml's composer recurses in C once per nesting level and its scanner spends time
proportional to the flow depth on every token, so ``[[[[…]]]]`` a few tens of thousands
deep crashes the process (a C stack overflow no ``except`` can catch) and a few hundred
thousand deep takes minutes. The exact depth is only known by parsing, so this module
over-estimates it with regular expressions (C speed, one pass) and the loader refuses a
document whose estimate exceeds a ceiling. Within the ceiling, the builder measures the
exact depth against the configured ``max_depth``.

The estimate is the larger of two running bracket counts (one that ignores quoting, one
that skips quoted strings and comments: a bracket inside a string fools at most one of
them) and of the block depth implied by a line's indentation and ``- ``/``? `` indicators.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

#: Depth the pre-check lets through whatever the configuration says: far below the depth
#: that overflows libyaml's C stack (about 30 000 with an 8 MiB stack, less in threads).
HARD_CEILING = 5000

_BRACKETS = re.compile(r"[\[\]{}]")
# A quote left open runs to the end of its line (so every line is scanned once: retrying
# an unclosed string from each later quote would be quadratic on one long line).
_QUOTED_OR_BRACKET = re.compile(
    r"\"(?:[^\"\\\n]|\\.)*+(?:\"|[^\n]*)|'[^'\n]*+(?:'|$)|(?:^|(?<=[ \t]))#[^\n]*|[\[\]{}]",
    re.M,
)


#: Deepest ``max_depth`` honoured: deeper data makes Python libraries the rules use (repr,
#: jsonschema) exceed the interpreter's recursion limit.
SUPPORTED_DEPTH = 500


def effective_depth(max_depth: int) -> int:
    return max(1, min(max_depth, SUPPORTED_DEPTH))


def ceiling(max_depth: int) -> int:
    """The pre-check's threshold for a configured ``max_depth``: generous, so that a stray
    bracket in a string never rejects a valid file, yet safely below a C stack overflow."""
    return min(max(2 * effective_depth(max_depth), 1000), HARD_CEILING)


def too_deep_at(
    text: str, limit: int, exact: Callable[[str, int], int | None] | None = None
) -> int | None:
    """Offset where the estimated nesting first exceeds ``limit``, or None.

    When only the count that ignores quoting exceeds the limit (a string full of braces,
    such as ``"{{{{…"``), ``exact(text, limit)`` decides if given: a parse without
    composing, which never recurses and is quick unless the text really nests deeply."""
    if text.count("[") + text.count("{") > limit:
        quoted = _bracket_overflow(_QUOTED_OR_BRACKET, text, limit)
        if quoted is not None:
            return quoted
        naive = _bracket_overflow(_BRACKETS, text, limit)
        if naive is not None:
            return naive if exact is None else exact(text, limit)
    return _block_overflow(text, limit)


def _bracket_overflow(pattern: re.Pattern[str], text: str, limit: int) -> int | None:
    depth = 0
    for match in pattern.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return match.start()
        elif token in "]}":
            depth = max(0, depth - 1)
    return None


def _block_overflow(text: str, limit: int) -> int | None:
    """Each block level costs at least one column of indentation or one ``- ``/``? ``
    indicator, except a sequence at its parent key's indentation: hence ``2 * prefix``."""
    width = limit // 2 + 1
    if len(text) <= width:
        return None
    first_line, other_lines = _long_prefix(width)
    if first_line.match(text):
        return width
    # "\n" first, not `^` with re.M: the regex engine then skips to each line break at
    # C speed instead of trying every position (a third of the loader's pre-checks).
    match = other_lines.search(text)
    return None if match is None else match.start() + 1 + width


@cache
def _long_prefix(width: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    prefix = rf"[ \t?-]{{{width + 1}}}"
    return re.compile(prefix), re.compile("\n" + prefix)
