"""What a shell script (``sh``/``bash`` source, or ``sh -c`` args) prints to stdout.

A small lexer splits the script into simple commands with positions, decoding quotes and
marking expansions (``$x``, ``$(...)``, backquotes, ``{{...}}`` tags) as holes. Only commands
whose output is evident are read: ``echo``, ``printf``, ``jq -n`` with a literal, ``cat`` of a
here-document or of a file written earlier in the same script. Any other command may print
anything, so it makes the result unknown rather than wrong. What a loop, group or subshell
prints into a pipe or a redirection (``done | jq -s .``, ``} >&2``) is not the result; a loop
that breaks or exits prints once, if at all; after ``exec >&2`` nothing more is told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from argolint.analysis.json_shape import (
    HOLE,
    LIST,
    OBJECT,
    UNKNOWN_SHAPE,
    Shape,
    closing_bracket,
    shape_of_text,
)
from argolint.analysis.stdout_events import Write

_TAG = re.compile(r"\{\{.*?\}\}", re.S)
_OPERATORS = ("&&", "||", ";;", ";", "|", "&", "(", ")")
_REDIRECT = re.compile(r"(\d*|&)(>>|>|<<<|<<-|<<|<)(&\d+|&-)?")
_SILENT = frozenset(
    [
        "set",
        "export",
        "cd",
        "mkdir",
        "touch",
        "rm",
        "cp",
        "mv",
        "sleep",
        "true",
        "false",
        ":",
        "local",
        "declare",
        "readonly",
        "shift",
        "unset",
        "trap",
        "chmod",
        "chown",
        "ln",
        "source",
        ".",
        "exit",
        "return",
        "test",
        "[",
        "[[",
        "wait",
        "read",
        "umask",
        "ulimit",
        "alias",
        "shopt",
        "typeset",
        "let",
        "break",
        "continue",
    ]
)
_OPENERS = {"if": "if", "for": "loop", "while": "loop", "until": "loop", "case": "case"}
_CLOSERS = {"fi", "done", "esac"}
_LEAD_KEYWORDS = {"then", "else", "elif", "do", "!", "time", "{", "}"}
_MAX_TOKENS = 20000
_ASSIGNMENT = re.compile(r"[A-Za-z_]\w*=")
_DECLARE = frozenset(("export", "local", "readonly", "declare", "typeset"))


@dataclass
class Word:
    text: str  # decoded, HOLE where an expansion is
    start: int
    end: int
    quoted: bool = False  # some part was quoted (a quoted word is never an operator)


@dataclass
class Command:
    words: list[Word] = field(default_factory=list)
    redirects: list[tuple[str, str, Word | None]] = field(default_factory=list)  # (fd, op, tgt)
    heredoc: str | None = None  # the body of a ``<<`` here-document
    start: int = 0
    end: int = 0
    after: str = ";"  # the operator before it: ";", "&&", "||", "|"


def _lex(source: str) -> list[Command | str]:
    """Commands and the operators between them ("\\n", ";", "&&", "||", "|", "(", ")")."""
    out: list[Command | str] = []
    i, n = 0, len(source)
    current = Command()
    pending_heredocs: list[tuple[Command, str, bool, bool]] = []  # cmd, delimiter, strip, quoted
    budget = _MAX_TOKENS

    def finish(op: str) -> None:
        nonlocal current
        if current.words or current.redirects:
            out.append(current)
        out.append(op)
        current = Command()

    while i < n:
        budget -= 1
        if budget < 0:
            raise ValueError("script too large")
        ch = source[i]
        if ch in " \t":
            i += 1
            continue
        if ch == "\\" and i + 1 < n and source[i + 1] == "\n":
            i += 2
            continue
        if ch == "#":
            while i < n and source[i] != "\n":
                i += 1
            continue
        if ch == "\n":
            finish("\n")
            i += 1
            for cmd, delimiter, strip, quoted in pending_heredocs:
                body, i = _read_heredoc(source, i, delimiter, strip)
                cmd.heredoc = body if quoted else re.sub(r"\$\{?\w+\}?|\$\(.*?\)|`.*?`", HOLE, body)
            pending_heredocs = []
            continue
        op = next((o for o in _OPERATORS if source.startswith(o, i)), None)
        if op is not None:
            finish(op)
            i += len(op)
            continue
        redirect = _REDIRECT.match(source, i)
        if redirect and redirect.group(0) and redirect.group(2):
            fd, rop, dup = redirect.group(1), redirect.group(2), redirect.group(3)
            i = redirect.end()
            if dup:
                current.redirects.append((fd or "1", rop + dup, None))
                continue
            while i < n and source[i] in " \t":
                i += 1
            target, i = _word(source, i)
            if rop in ("<<", "<<-") and target is not None:
                pending_heredocs.append((current, target.text, rop == "<<-", target.quoted))
            current.redirects.append((fd or ("0" if rop.startswith("<") else "1"), rop, target))
            continue
        word, i = _word(source, i)
        if word is None:
            i += 1
            continue
        if not current.words:
            current.start = word.start
        current.words.append(word)
        current.end = word.end
    finish("\n")
    return out


def _read_heredoc(source: str, i: int, delimiter: str, strip: bool) -> tuple[str, int]:
    lines = []
    n = len(source)
    while i < n:
        end = source.find("\n", i)
        end = n if end == -1 else end
        line = source[i:end]
        i = end + 1
        check = line.lstrip("\t") if strip else line
        if check.rstrip("\r") == delimiter:
            break
        lines.append(check)
    return "\n".join(lines) + ("\n" if lines else ""), min(i, n)


def _word(source: str, i: int) -> tuple[Word | None, int]:
    """One shell word from ``i``: quotes removed, expansions replaced by HOLE."""
    start, n = i, len(source)
    parts: list[str] = []
    quoted = False
    while i < n:
        ch = source[i]
        if ch in " \t\n;&|()<>":
            break
        if ch == "'":
            end = source.find("'", i + 1)
            if end == -1:
                raise ValueError("unterminated quote")
            parts.append(source[i + 1 : end])
            quoted, i = True, end + 1
        elif ch == '"':
            i += 1
            quoted = True
            while i < n and source[i] != '"':
                c = source[i]
                if c == "\\" and i + 1 < n:
                    nxt = source[i + 1]
                    parts.append(nxt if nxt in '"\\$`\n' else c + nxt)
                    i += 2
                elif c in "$`":
                    end = _skip_expansion(source, i)
                    parts.append(_expansion(source[i:end]))
                    i = end
                else:
                    parts.append(c)
                    i += 1
            if i >= n:
                raise ValueError("unterminated quote")
            i += 1
        elif ch == "\\" and i + 1 < n:
            parts.append(source[i + 1])
            i += 2
        elif ch in "$`":
            end = _skip_expansion(source, i)
            parts.append(_expansion(source[i:end]))
            i = end
        else:
            parts.append(ch)
            i += 1
    if i == start:
        return None, i
    return Word("".join(parts), start, i, quoted), i


_VAR_OPEN, _VAR_CLOSE = "\ue000", "\ue001"  # around a variable's name, until resolved
_SIMPLE_VAR = re.compile(r"\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))\Z")
_MARKED = re.compile(_VAR_OPEN + r"(\w+)" + _VAR_CLOSE)


def _expansion(text: str) -> str:
    """A ``$NAME``/``${NAME}`` is kept by name (its value may be known); others are holes."""
    m = _SIMPLE_VAR.match(text)
    if m is None:
        return HOLE
    return _VAR_OPEN + (m.group(1) or m.group(2)) + _VAR_CLOSE


def _resolve(text: str, variables: dict[str, str]) -> str:
    if _VAR_OPEN not in text:
        return text
    return _MARKED.sub(lambda m: variables.get(m.group(1), HOLE), text)


def _skip_expansion(source: str, i: int) -> int:
    n = len(source)
    if source[i] == "`":
        end = source.find("`", i + 1)
        return n if end == -1 else end + 1
    if i + 1 < n and source[i + 1] in "({":
        close = ")" if source[i + 1] == "(" else "}"
        depth, j = 0, i + 1
        while j < n:
            if source[j] == source[i + 1]:
                depth += 1
            elif source[j] == close:
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
        return n
    j = i + 1
    if j < n and (source[j] in "?$!#@*-" or source[j].isdigit()):
        return j + 1
    while j < n and (source[j].isalnum() or source[j] == "_"):
        j += 1
    return max(j, i + 1)


def _echo_text(words: list[Word]) -> str:
    args = words[1:]
    escapes = False
    while args and re.fullmatch(r"-[neE]+", args[0].text):
        escapes = escapes or "e" in args[0].text
        args = args[1:]
    joined = " ".join(w.text for w in args)
    return _unescape(joined) if escapes else joined


def _unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\")


def _printf_text(words: list[Word]) -> str:
    args = [w.text for w in words[1:]]
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        return ""
    fmt, values = args[0], args[1:]
    out: list[str] = []
    k = 0
    while True:  # printf applies the format again while arguments remain
        start = k
        k = _printf_once(fmt, values, k, out)
        if k >= len(values) or k == start:
            break
    return _unescape("".join(out))


def _printf_once(fmt: str, values: list[str], k: int, out: list[str]) -> int:
    """One application of a printf format from argument ``k`` on; the next argument."""
    i = 0
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt):
            m = re.match(r"%[-+ #0-9.]*([a-zA-Z%])", fmt[i:])
            if m:
                conv = m.group(1)
                if conv == "%":
                    out.append("%")
                elif conv in "sdifgeb" and k < len(values):
                    out.append(values[k] if conv in "sb" else HOLE)
                    k += 1
                elif conv in "sb":
                    out.append("")
                else:
                    out.append(HOLE)
                i += len(m.group(0))
                continue
        out.append(fmt[i])
        i += 1
    return k


def _jq_shape(words: list[Word], piped: Shape | None) -> Shape:
    program: str | None = None
    null_input = False
    args = words[1:]
    skip = 0
    for index, word in enumerate(args):
        if skip:
            skip -= 1
            continue
        t = word.text
        if t in ("--arg", "--argjson", "--slurpfile", "--rawfile"):
            skip = 2
        elif t.startswith("--"):
            null_input = null_input or t == "--null-input"
        elif t.startswith("-") and len(t) > 1:
            null_input = null_input or "n" in t[1:]
        else:
            program = t
            rest = args[index + 1 :]
            if rest and not null_input:
                return UNKNOWN_SHAPE  # reads files we cannot see
            break
    if program is None:
        return UNKNOWN_SHAPE
    program = program.strip()
    if program == "." and piped is not None:
        return piped
    if program.startswith("[") and closing_bracket(program, 0) == len(program) - 1:
        literal = shape_of_text(program)
        return literal if literal.kind == LIST else Shape(LIST)  # array construction
    if not null_input and piped is None:
        return UNKNOWN_SHAPE
    shape = shape_of_text(program)
    if shape.kind in (LIST, OBJECT):
        return shape
    if program.startswith("[") and program.endswith("]"):
        return Shape(LIST)  # jq array construction
    return UNKNOWN_SHAPE


def shell_writes(source: str) -> tuple[list[Write], bool] | None:
    """The stdout writes of a shell script and whether some output is invisible to us."""
    masked = _TAG.sub(lambda m: HOLE * len(m.group(0)), source)
    try:
        items = _lex(masked)
    except (ValueError, RecursionError):
        return None
    writes: list[Write] = []
    files: dict[str, Shape] = {}
    opaque = False
    stack: list[str] = []
    after = ";"
    piped: Shape | None = None
    in_function = False  # after ``name()``, before its ``{``
    body_depth = 0  # inside a function body
    variables: dict[str, str] = {}
    marks: list[int] = []  # len(writes) where each open compound (`{`, `(`, if, loops) began
    opened: list[int] = []  # len(writes) where each entry of ``stack`` began
    leaves: list[bool] = []  # for each entry of ``stack``: a loop that breaks, exits, returns

    def close_compound(at: int, redirects: list) -> None:
        """A compound ends at item ``at``: its writes went elsewhere when its output is
        piped (`done | jq -s .`) or redirected (`} >&2`, `done > file`)."""
        mark = marks.pop() if marks else None
        if mark is None:
            return
        if items[at + 1 : at + 2] == ["|"] or _stdout_destination(redirects) != "-":
            del writes[mark:]

    for index, item in enumerate(items):
        if isinstance(item, str):
            if item != "|":
                piped = None
            if "case" in stack:
                pass  # `pattern)`: not a subshell
            elif item == "(":
                marks.append(len(writes))
            elif item == ")":
                following = items[index + 1] if index + 1 < len(items) else None
                redirects = (
                    following.redirects
                    if isinstance(following, Command) and not following.words
                    else []
                )
                close_compound(index, redirects)
            after = item if item in ("&&", "||", "|") else (after if item == "(" else ";")
            continue
        to_pipe = index + 1 < len(items) and items[index + 1] == "|"
        # function bodies run only where the function is called (a command we do not read)
        first = item.words[0] if item.words else None
        bare = first.text if first is not None and not first.quoted else None
        if body_depth:
            body_depth += (bare == "{") - (bare == "}")
            continue
        if items[index + 1 : index + 3] == ["(", ")"] or bare == "function":
            in_function = True
            if any(w.text == "{" and not w.quoted for w in item.words[1:]):
                in_function, body_depth = False, 1
            continue
        if in_function:
            in_function = bare != "{"
            body_depth = 0 if in_function else 1
            opaque = opaque or in_function  # ``name() ( ... )``: we stop reading
            continue
        if bare == "}":
            close_compound(index, item.redirects)
        for word in item.words:
            if word.text != "{" or word.quoted:
                break
            marks.append(len(writes))
        words = [replace(w, text=_resolve(w.text, variables)) for w in item.words]
        item.redirects = [
            (fd, op, replace(t, text=_resolve(t.text, variables)) if t else None)
            for fd, op, t in item.redirects
        ]
        while words and words[0].text in _LEAD_KEYWORDS and not words[0].quoted:
            words = words[1:]
        if words and words[0].text in _DECLARE and not words[0].quoted:
            words = words[1:] if all(_ASSIGNMENT.match(masked, w.start) for w in words[1:]) else []
            if not words:
                continue
        assignments = 0
        while assignments < len(words) and _ASSIGNMENT.match(masked, words[assignments].start):
            assignments += 1
        if words and assignments == len(words):  # ``NAME=value``: remembered for ``$NAME``
            steady = not stack and after != "||"
            for word in words:
                key, _, value = word.text.partition("=")
                if steady and HOLE not in value and _VAR_OPEN not in value:
                    variables[key] = value
                else:
                    variables.pop(key, None)
            continue
        words = words[assignments:]  # ``NAME=value command``: for that command only
        if not words:
            continue
        name = words[0].text
        if name in _OPENERS and not words[0].quoted:
            stack.append(_OPENERS[name])
            marks.append(len(writes))
            opened.append(len(writes))
            leaves.append(False)
            continue
        if name in _CLOSERS and not words[0].quoted:
            if stack:
                kind, since, left = stack.pop(), opened.pop(), leaves.pop()
                if kind == "loop" and left:  # a retry loop: it prints once, if at all
                    writes[since:] = [
                        replace(w, conditional=True, repeated="loop" in stack)
                        for w in writes[since:]
                    ]
            close_compound(index, item.redirects)
            continue
        if name in ("break", "exit", "return") and not words[0].quoted and "loop" in stack:
            leaves[len(stack) - 1 - stack[::-1].index("loop")] = True
        if "case" in stack:
            opaque = True
            continue
        if name == "exec" and len(words) == 1 and _stdout_destination(item.redirects) != "-":
            opaque = True  # `exec >&2`: where the rest of the output goes is beyond us
            break
        conditional = "if" in stack or after == "||"
        repeated = "loop" in stack
        shape = _command_shape(name, words, item, files, piped)
        destination = _stdout_destination(item.redirects)
        base = name.rsplit("/", 1)[-1]
        if destination is None:  # to stderr, /dev/null or appended to a file we do not track
            pass
        elif destination != "-":
            if shape is not None:
                files[destination] = shape
            else:
                files.pop(destination, None)
        elif after == "|" and shape is None:
            piped = None
            opaque = opaque or not to_pipe  # the end of a pipeline prints what we cannot tell
        elif shape is not None:
            if to_pipe:
                piped = shape
            else:
                writes.append(Write(shape, item.start, item.end, conditional, repeated))
        elif base not in _SILENT:
            opaque = opaque or not to_pipe  # piped output is the next command's input
            piped = None
        after = ";"
    return writes, opaque


def _command_shape(
    name: str, words: list[Word], command: Command, files: dict[str, Shape], piped: Shape | None
) -> Shape | None:
    """The shape of what the command prints, or None if it cannot be told."""
    base = name.rsplit("/", 1)[-1]
    if base == "echo":
        return shape_of_text(_echo_text(words))
    if base == "printf":
        return shape_of_text(_printf_text(words))
    if base == "jq":
        return _jq_shape(words, piped)
    if base == "cat":
        if command.heredoc is not None and len(words) == 1:
            return shape_of_text(command.heredoc)
        if len(words) == 2 and words[1].text in files:
            return files[words[1].text]
        return None
    return None


def _stdout_destination(redirects: list[tuple[str, str, Word | None]]) -> str | None:
    """Where stdout goes: "-" (stdout), a file path, or None (stderr, /dev/null, unknown)."""
    destination: str | None = "-"
    for fd, op, target in redirects:
        if fd not in ("1", "&"):
            continue
        if op.startswith(">&"):
            if op != ">&1":
                destination = None
        elif op in (">", ">>") and target is not None:
            path = target.text
            if path in ("/dev/stdout", "/dev/fd/1"):
                destination = "-"
            elif path == "/dev/null" or HOLE in path or op == ">>":
                destination = None
            else:
                destination = path
    return destination
