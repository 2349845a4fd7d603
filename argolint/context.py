"""What a check receives: one document, the project around it, the configuration, and
analyses computed once per document and shared by every rule that asks for them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from argolint.finding import Finding, Related, Severity
from argolint.source.nodes import YNode
from argolint.span import Span

if TYPE_CHECKING:
    from argolint.config import Config
    from argolint.model import Manifest
    from argolint.project import Project
    from argolint.rules import Rule
    from argolint.source.loader import Document

T = TypeVar("T")


class AnalysisError(Exception):
    """An analysis raised ``error``; raised to every rule that asks for it."""

    def __init__(self, compute: Callable[..., Any], error: Exception) -> None:
        name = f"{getattr(compute, '__module__', '?')}.{getattr(compute, '__qualname__', compute)}"
        super().__init__(f"analysis `{name}` failed: {type(error).__name__}: {error}")
        self.name = name
        self.error = error


_MANIFEST_OF: list[Callable[..., Any]] = []


def _manifest_of() -> Callable[..., Any]:
    from argolint.model import manifest_of

    _MANIFEST_OF.append(manifest_of)
    return manifest_of


class Context:
    def __init__(self, doc: Document, project: Project, config: Config) -> None:
        self.doc = doc
        self.project = project
        self.config = config
        self.rule: Rule | None = None  # set by the engine before each check runs
        self._analyses: dict[Callable[..., Any], Any] = {}
        self._failures: dict[Callable[..., Any], AnalysisError] = {}

    @property
    def manifest(self) -> Manifest:
        # Asked for tens of times per document: the import runs once per process.
        compute = _MANIFEST_OF[0] if _MANIFEST_OF else _manifest_of()
        return self.analysis(compute)

    def analysis(self, compute: Callable[[Context], T]) -> T:
        """``compute(ctx)``, computed once per document whichever rule asks first.

        A failure is remembered too: every rule that needs a broken analysis gets the same
        ``AnalysisError`` at once, and the engine reports it once, not once per rule."""
        try:
            return self._analyses[compute]
        except KeyError:
            pass
        failure = self._failures.get(compute)
        if failure is not None:
            raise failure
        try:
            value = self._analyses[compute] = compute(self)
        except AnalysisError as err:  # an analysis this one builds on failed
            self._failures[compute] = err
            raise
        except Exception as err:
            failure = self._failures[compute] = AnalysisError(compute, err)
            raise failure from err
        return value

    def release(self) -> None:
        """Drop the document's analyses once its rules have run. Some refer back to the
        context, and the collector is paused during a run: without this they would stay
        in memory until the process ends."""
        self._analyses.clear()
        self._failures.clear()

    def option(self, name: str) -> Any:
        assert self.rule is not None
        return self.config.rule_option(self.rule, name)

    def span_of(self, at: YNode | Span) -> Span:
        return at if isinstance(at, Span) else at.span

    def finding(
        self,
        at: YNode | Span,
        message: str,
        *,
        suggestion: str | None = None,
        details: str | None = None,
        severity: Severity | None = None,
        related: Iterable[Related] = (),
        rule: str | None = None,
    ) -> Finding:
        """A finding of the running rule (or of ``rule``, for checks that own several)."""
        from argolint import rules

        rule_obj = rules.get(rule) if rule else self.rule
        assert rule_obj is not None, f"unknown rule {rule!r}"
        return Finding(
            rule=rule_obj.id,
            severity=severity if severity is not None else rule_obj.severity,
            message=message,
            path=self.doc.path,
            span=self.span_of(at),
            suggestion=suggestion,
            details=details,
            related=tuple(related),
        )

    def related(self, at: YNode | Span, message: str, doc: Document | None = None) -> Related:
        return Related((doc or self.doc).path, self.span_of(at), message)
