"""What every stage after the rules speaks: a finding with a severity and an exact span."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from argolint.span import Span


class Severity(enum.IntEnum):
    """``error``: Argo will reject it or it fails at run time. ``warning``: risky or almost
    certainly unintended. ``info``: worth knowing, never fails a run by default."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r} (expected error, warning or info)"
            ) from None

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Related:
    """A second place a finding reasons from (the step that a withParam reads, ...)."""

    path: str
    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    path: str
    span: Span
    suggestion: str | None = None
    details: str | None = None
    related: tuple[Related, ...] = field(default=())

    @property
    def sort_key(self) -> tuple:
        s = self.span
        return (self.path, s.line, s.column, s.end_line, s.end_column, self.rule, self.message)
