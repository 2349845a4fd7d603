"""Variable references and syntax problems found in Argo's template languages.

Offsets are character offsets inside the *value* of the string scalar they come from, so
``scalar.sub_span(ref.start, ref.end)`` is the exact place in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from argolint.source.nodes import YScalar
from argolint.span import Span


@dataclass(frozen=True, slots=True)
class Ref:
    """A reference to a variable: ``steps.build.outputs.result`` is the parts
    ``('steps', 'build', 'outputs', 'result')``, each with its own offsets.

    ``bracketed[i]`` tells that part ``i`` was written ``['key']``; ``guarded`` that the
    reference sits left of ``??`` or behind ``?.`` (it may legitimately be absent);
    ``expression`` that it was written inside ``{{=...}}``.
    """

    parts: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    bracketed: tuple[bool, ...] = ()
    guarded: bool = False
    expression: bool = False

    @property
    def name(self) -> str:
        """The dotted name, as Argo's variable tables spell it."""
        return ".".join(self.parts)

    @property
    def root(self) -> str:
        return self.parts[0]

    @property
    def start(self) -> int:
        return self.starts[0]

    @property
    def end(self) -> int:
        return self.ends[-1]

    def span(self, scalar: YScalar) -> Span:
        return scalar.sub_span(self.start, self.end)

    def part_span(self, scalar: YScalar, index: int, through: int | None = None) -> Span:
        """Span of part ``index`` (through part ``through``, inclusive)."""
        last = index if through is None else through
        return scalar.sub_span(self.starts[index], self.ends[last])

    def prefix_span(self, scalar: YScalar, count: int) -> Span:
        """Span of the first ``count`` parts."""
        return scalar.sub_span(self.start, self.ends[max(0, min(count, len(self.ends)) - 1)])

    def shifted(self, delta: int) -> Ref:
        if not delta:
            return self
        return replace(
            self,
            starts=tuple(s + delta for s in self.starts),
            ends=tuple(e + delta for e in self.ends),
        )


@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    """Why a piece of template language does not parse, and where."""

    message: str
    start: int
    end: int

    def span(self, scalar: YScalar) -> Span:
        return scalar.sub_span(self.start, self.end)

    def shifted(self, delta: int) -> SyntaxProblem:
        return replace(self, start=self.start + delta, end=self.end + delta) if delta else self


@dataclass(frozen=True, slots=True)
class HyphenJoin:
    """``a-b`` inside an expression, which expr reads as ``a`` minus ``b``: ``ref`` is the
    reference the author most likely meant (with the hyphenated part as one part) and
    ``suggestion`` how to write it (``inputs.parameters['a-b']``)."""

    ref: Ref
    suggestion: str

    @property
    def start(self) -> int:
        return self.ref.start

    @property
    def end(self) -> int:
        return self.ref.end

    def shifted(self, delta: int) -> HyphenJoin:
        return replace(self, ref=self.ref.shifted(delta)) if delta else self
