"""Writes to stdout found in a script, and what they add up to as a template's ``result``.

Argo's ``outputs.result`` is the whole stdout of the main container (one trailing newline
trimmed), and ``withParam`` decodes it with ``json.Unmarshal``: a single JSON list, surrounded
by nothing but whitespace. So one write is the result; every other write corrupts it,
unless some write is a piece of a document (its brackets do not balance, ``echo "["``):
then the writes may add up to the JSON, and the result is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass

from argolint.analysis.json_shape import LIST, TEXT, UNKNOWN, UNKNOWN_SHAPE, Shape, join


@dataclass(frozen=True)
class Write:
    """One write to stdout: what it prints, where (offsets in the script's text)."""

    shape: Shape
    start: int
    end: int
    conditional: bool = False  # under an if/else/except/case: may not happen
    repeated: bool = False  # in a loop body: may happen many times


@dataclass(frozen=True)
class Stdout:
    """What a script's writes add up to."""

    shape: Shape  # the shape of the result (UNKNOWN when it cannot be told)
    main: Write | None  # the write that produces the JSON
    extra: tuple[Write, ...]  # writes that certainly add text to the result
    repeated: bool = False  # the main write is in a loop: several documents
    certain: bool = True  # False: only some branches were seen to print it


def combine(writes: list[Write], opaque: bool) -> Stdout:
    """The result of a script from its writes; ``opaque``: other output may exist."""
    if not writes:
        return Stdout(UNKNOWN_SHAPE, None, ())
    if len(writes) > 1 and any(w.shape.fragment for w in writes):
        # `echo "["; ...; echo "]"`: the pieces may add up to one document
        return Stdout(UNKNOWN_SHAPE, None, ())
    steady = [w for w in writes if not w.conditional]
    json_like = [w for w in steady if w.shape.kind not in (TEXT, UNKNOWN)]
    if json_like:
        main = json_like[-1] if json_like[-1].shape.kind == LIST else json_like[0]
        lists = [w for w in json_like if w.shape.kind == LIST]
        if lists:
            main = lists[-1]
    elif steady and opaque:
        # a command we cannot read may print the JSON, but this text surely goes with it
        texts = tuple(w for w in steady if w.shape.kind == TEXT and not _blank(w))
        return Stdout(UNKNOWN_SHAPE, None, texts)
    elif steady:
        main = steady[-1]
    else:
        shape = writes[0].shape
        for w in writes[1:]:
            shape = join(shape, w.shape)
        if opaque or any(w.repeated for w in writes):
            shape = UNKNOWN_SHAPE
        return Stdout(shape, writes[-1], (), certain=False)
    extra = tuple(w for w in steady if w is not main and not _blank(w))
    if main.repeated:
        return Stdout(main.shape, main, extra, repeated=True)
    shape = UNKNOWN_SHAPE if opaque else main.shape
    return Stdout(shape, main, extra)


def _blank(write: Write) -> bool:
    """A write of nothing but whitespace (`print()`, `echo`): harmless around the JSON."""
    return write.shape.kind == TEXT and write.shape.note == "empty output"
